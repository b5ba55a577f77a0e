// The console shell shared by every organizer page: checks the session, fills in the top bar (brand, nav,
// signed-in user, language switch, 退出) and hands the signed-in account to the page.
import * as api from './api.js';
import { applyTranslations, languageSwitch, onLanguageChange, t } from './i18n.js';
import { byId, el, replaceChildren, setNotice } from './dom.js';

const NAV = [
  { page: 'org', href: '/', key: 'nav.org' },
  { page: 'roster', href: '/roster.html', key: 'nav.roster' },
  { page: 'accounts', href: '/accounts.html', key: 'nav.accounts' },
  { page: 'banks', href: '/banks.html', key: 'nav.banks' },
  { page: 'contests', href: '/contests.html', key: 'nav.contests' },
  { page: 'campaigns', href: '/campaigns.html', key: 'nav.campaigns' },
  { page: 'surveys', href: '/surveys.html', key: 'nav.surveys' },
  { page: 'reports', href: '/reports.html', key: 'nav.reports' },
];

function roleLabel(account) {
  return t(account.role === 'admin' ? 'role.admin' : 'role.organizer');
}

function renderHeader(account, page) {
  const header = byId('console-header');
  const inner = header.querySelector('.inner');
  const nav = el('nav', { class: 'console-nav', id: 'console-nav', 'aria-label': t('nav.label'), 'data-i18n-attr': 'aria-label:nav.label' },
    el('ul', null, NAV.map((item) => el('li', null,
      el('a', {
        href: item.href,
        'data-nav': item.page,
        'data-i18n': item.key,
        'aria-current': item.page === page ? 'page' : null,
      }, t(item.key))))));

  const user = el('span', { class: 'signed-in', id: 'signed-in-user', 'data-username': account.username });
  const logout = el('button', { type: 'button', class: 'btn btn-header', id: 'logout', 'data-i18n': 'shell.logout' }, t('shell.logout'));
  logout.addEventListener('click', async () => {
    logout.disabled = true;
    try {
      await api.logout();
    } catch (error) {
      // The session may already be gone; the login page is the right place either way.
    }
    location.replace('/login.html');
  });

  const showUser = () => {
    replaceChildren(user,
      el('span', { class: 'signed-in-name' }, account.displayName || account.username),
      el('span', { class: 'signed-in-role' }, roleLabel(account) +
        (account.unit ? ' · ' + account.unit.name : '')));
  };
  showUser();
  onLanguageChange(showUser);

  // A page without a heading of its own gets its section's name as its level-one heading, for screen readers'
  // heading navigation; the page's panels keep their visible h2s.
  const item = NAV.find((entry) => entry.page === page);
  const main = byId('main');
  if (item && main && !document.querySelector('h1')) {
    main.insertBefore(el('h1', { class: 'visually-hidden', 'data-i18n': item.key }, t(item.key)), main.firstChild);
  }

  replaceChildren(inner,
    el('a', { class: 'brand', href: '/' }, '登高', el('span', { class: 'brand-sub', 'data-i18n': 'shell.console' }, t('shell.console'))),
    nav,
    el('div', { class: 'header-tools' }, user, languageSwitch(), logout));
}

// Resolves to the signed-in account; never resolves when the page is leaving (to login or the member page).
export async function startConsole(page) {
  applyTranslations();
  let session;
  try {
    session = await api.getSession();
  } catch (error) {
    if (error.status === 401) return new Promise(() => {}); // on the way to the login page
    const status = byId('page-status');
    if (status) setNotice(status, t('shell.sessionFailed', { message: error.message }), 'error');
    throw error;
  }
  if (session.kind !== 'account') {
    location.replace('/me.html');
    return new Promise(() => {});
  }
  const account = session.account;
  document.body.classList.add(account.role === 'admin' ? 'role-admin' : 'role-organizer');
  renderHeader(account, page);
  return account;
}

// A page's shared "something went wrong" line; 403s read as the server's "无权访问".
export function showPageError(error, prefixKey) {
  const status = byId('page-status');
  const message = prefixKey ? t(prefixKey, { message: error.message }) : error.message;
  setNotice(status, message, 'error');
  if (status) status.setAttribute('data-status', String(error.status || ''));
}

export function clearPageError() {
  const status = byId('page-status');
  if (!status) return;
  setNotice(status, '');
  status.removeAttribute('data-status');
}
