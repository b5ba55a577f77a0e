// The sign-in page of the console. Errors stay generic (the server says 用户名或密码错误 for every kind
// of failure); after too many failures the server answers 429 with Retry-After, shown as minutes.
import * as api from './api.js';
import { byId, setNotice } from './dom.js';
import { applyTranslations, languageSwitch, onLanguageChange, t } from './i18n.js';

// Only a path on this site: "//evil.example" or "https://…" would make the login page an open redirect.
function nextTarget(kind) {
  const match = /[?&]next=([^&]*)/.exec(location.search);
  let next = null;
  if (match) {
    try {
      next = decodeURIComponent(match[1]);
    } catch (error) {
      next = null;
    }
  }
  const safe = next && next.charAt(0) === '/' && next.charAt(1) !== '/' && next.charAt(1) !== '\\';
  if (kind === 'member') return '/me.html';
  if (!safe || /^\/(login|invite|me)\b/.test(next)) return '/';
  return next;
}

let lastError = null; // kept so a language switch can re-word it

function showError() {
  const node = byId('login-error');
  if (!lastError) {
    setNotice(node, '');
    return;
  }
  if (lastError.status === 429) {
    const minutes = Math.max(1, Math.ceil((lastError.retryAfter || 60) / 60));
    setNotice(node, t('login.tooMany', { minutes: minutes }), 'error');
  } else if (lastError.status === 401) {
    setNotice(node, lastError.message || t('login.failed'), 'error');
  } else {
    setNotice(node, t('login.error', { message: lastError.message }), 'error');
  }
  node.setAttribute('data-status', String(lastError.status));
}

async function submit(event) {
  event.preventDefault();
  const username = byId('login-username').value.trim();
  const password = byId('login-password').value;
  if (!username || !password) {
    lastError = null;
    setNotice(byId('login-error'), t('login.missing'), 'error');
    return;
  }
  const button = byId('login-submit');
  button.disabled = true;
  try {
    const session = await api.login(username, password);
    lastError = null;
    location.replace(nextTarget(session.kind));
  } catch (error) {
    lastError = error;
    showError();
    byId('login-password').value = '';
    byId('login-password').focus();
    button.disabled = false;
  }
}

// Arriving from the accounts page after changing one's own password, which ended this session.
function showChanged() {
  const node = byId('login-notice');
  const changed = /[?&]changed=1(&|$)/.test(location.search);
  node.hidden = !changed;
  node.textContent = changed ? t('login.passwordChanged') : '';
}

async function main() {
  applyTranslations();
  showChanged();
  byId('lang-slot').appendChild(languageSwitch());
  onLanguageChange(() => {
    showError();
    showChanged();
  });
  byId('login-form').addEventListener('submit', submit);
  // Already signed in (another tab, the back button): go straight on.
  try {
    const session = await api.getSession(true);
    location.replace(nextTarget(session.kind));
  } catch (error) {
    byId('login-username').focus();
  }
}

main();
