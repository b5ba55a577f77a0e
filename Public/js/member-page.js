// What the member pages (invite, me) share: the top bar's language switch and the large-text mode for
// older members (送学上门), both kept in localStorage on this phone.
import { getMeIfSignedIn } from './api.js';
import { byId } from './dom.js';
import { applyTranslations, languageSwitch, onLanguageChange, t } from './i18n.js';

const LARGE_KEY = 'dengao.largeText';

// The size the member chose on this phone: true, false, or null when they never chose (the default then
// follows their categories: GET /api/me's largeText).
function chosenLargeText() {
  try {
    const stored = window.localStorage.getItem(LARGE_KEY);
    return stored === '1' ? true : stored === '0' ? false : null;
  } catch (error) {
    return null;
  }
}

// Shows the page in large text or not; only a press of the button stores it as the member's choice.
function showLargeText(on) {
  document.documentElement.classList.toggle('large-text', on);
  const button = byId('large-text');
  if (button) {
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
    button.textContent = t(on ? 'me.normalText' : 'me.largeText');
  }
}

function chooseLargeText(on) {
  try {
    window.localStorage.setItem(LARGE_KEY, on ? '1' : '0');
  } catch (error) {
    // this page still changes
  }
  document.documentElement.setAttribute('data-text-size', 'chosen');
  showLargeText(on);
}

// Without a choice on this phone, a signed-in member whose category says so (离退休党员 …) gets 大字. The
// page's <html data-text-size> says where its size came from once settled: chosen, category or usual.
function followCategoryDefault() {
  const settle = (large) => {
    if (chosenLargeText() !== null) return; // pressed meanwhile: the press decided
    if (large) showLargeText(true);
    document.documentElement.setAttribute('data-text-size', large ? 'category' : 'usual');
  };
  getMeIfSignedIn().then((body) => settle(!!(body && body.largeText)), () => settle(false));
}

export function startMemberPage() {
  const chosen = chosenLargeText();
  document.documentElement.classList.toggle('large-text', chosen === true);
  applyTranslations();
  const slot = byId('lang-slot');
  if (slot) slot.appendChild(languageSwitch());
  const button = byId('large-text');
  if (button) {
    showLargeText(chosen === true);
    button.addEventListener('click', () => chooseLargeText(!document.documentElement.classList.contains('large-text')));
    onLanguageChange(() => showLargeText(document.documentElement.classList.contains('large-text')));
  }
  if (chosen === null) followCategoryDefault();
  else document.documentElement.setAttribute('data-text-size', 'chosen');
}

// Shows one of the page's states (<section data-view="…">) and hides the others.
export function showView(name) {
  Array.prototype.forEach.call(document.querySelectorAll('[data-view]'), (node) => {
    node.hidden = node.getAttribute('data-view') !== name;
  });
  document.body.setAttribute('data-state', name);
}
