// What the member pages (invite, me) share: the top bar's language switch and the large-text mode for
// older members (送学上门), both kept in localStorage on this phone.
import { byId } from './dom.js';
import { applyTranslations, languageSwitch, onLanguageChange, t } from './i18n.js';

const LARGE_KEY = 'dengao.largeText';

function largeTextOn() {
  try {
    return window.localStorage.getItem(LARGE_KEY) === '1';
  } catch (error) {
    return false;
  }
}

function setLargeText(on) {
  document.documentElement.classList.toggle('large-text', on);
  try {
    window.localStorage.setItem(LARGE_KEY, on ? '1' : '0');
  } catch (error) {
    // this page still changes
  }
  const button = byId('large-text');
  if (button) {
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
    button.textContent = t(on ? 'me.normalText' : 'me.largeText');
  }
}

export function startMemberPage() {
  document.documentElement.classList.toggle('large-text', largeTextOn());
  applyTranslations();
  const slot = byId('lang-slot');
  if (slot) slot.appendChild(languageSwitch());
  const button = byId('large-text');
  if (button) {
    setLargeText(largeTextOn());
    button.addEventListener('click', () => setLargeText(!document.documentElement.classList.contains('large-text')));
    onLanguageChange(() => setLargeText(document.documentElement.classList.contains('large-text')));
  }
}

// Shows one of the page's states (<section data-view="…">) and hides the others.
export function showView(name) {
  Array.prototype.forEach.call(document.querySelectorAll('[data-view]'), (node) => {
    node.hidden = node.getAttribute('data-view') !== name;
  });
  document.body.setAttribute('data-state', name);
}
