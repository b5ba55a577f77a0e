// The accounts page: organizer (and, for administrators, administrator) accounts — create, reset a
// password, disable or enable, delete. The server enforces who may do what; the page only hides what an
// organizer could not do anyway.
import * as api from './api.js';
import { byId, el, replaceChildren, setNotice } from './dom.js';
import { onLanguageChange, t } from './i18n.js';
import { startConsole, showPageError, clearPageError } from './shell.js';
import { indexUnits, fillUnitSelect, selectedUnitId } from './units.js';
import { formatTime, unitPath } from './format.js';

const MIN_PASSWORD = 8;
const state = { account: null, accounts: [], index: indexUnits([]), passwordFor: null };

function isAdmin() {
  return state.account.role === 'admin';
}

function status(text, kind) {
  setNotice(byId('account-status'), text, kind);
}

function isSelf(account) {
  return String(account.id) === String(state.account.id);
}

function accountRow(account) {
  const self = isSelf(account);
  const disabled = account.disabled === true;
  return el('tr', { 'data-account': account.username, 'data-id': String(account.id), class: disabled ? 'is-inactive' : '' },
    el('td', { class: 'mono cell-title' }, account.username, self ? el('span', { class: 'badge badge-gold self-badge' }, t('accounts.self')) : null),
    el('td', { 'data-label': t('accounts.displayName') }, account.displayName || '—'),
    el('td', { 'data-label': t('accounts.role') }, t(account.role === 'admin' ? 'role.admin' : 'role.organizer')),
    el('td', { 'data-label': t('accounts.unit') }, account.unit ? unitPath(account.unit) : t('unit.wholeOrg')),
    el('td', { 'data-label': t('accounts.status') }, el('span', { class: 'badge ' + (disabled ? 'badge-muted' : 'badge-ok') },
      t(disabled ? 'accounts.disabled' : 'accounts.enabled'))),
    el('td', { 'data-label': t('accounts.createdAt') }, formatTime(account.createdAt)),
    el('td', { class: 'row-actions' },
      el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'password' },
        t(self ? 'accounts.changeOwnPassword' : 'accounts.resetPassword')),
      self ? null : el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'toggle' },
        t(disabled ? 'accounts.enable' : 'accounts.disable')),
      self ? null : el('button', { type: 'button', class: 'btn btn-small btn-danger', 'data-action': 'delete' }, t('accounts.delete'))));
}

function renderAccounts() {
  const rows = byId('account-rows');
  if (!state.accounts.length) {
    replaceChildren(rows, el('tr', null, el('td', { colspan: '7', class: 'empty' }, t('accounts.empty'))));
    return;
  }
  replaceChildren(rows, state.accounts.map(accountRow));
}

async function loadAccounts() {
  const rows = byId('account-rows');
  rows.setAttribute('aria-busy', 'true');
  try {
    state.accounts = await api.listAccounts();
  } catch (error) {
    showPageError(error, 'accounts.loadFailed');
    return;
  } finally {
    rows.setAttribute('aria-busy', 'false');
  }
  renderAccounts();
}

function fillUnitPicker() {
  const select = byId('account-unit');
  const current = select.value;
  const admin = byId('account-role').value === 'admin';
  fillUnitSelect(select, state.index, {
    none: admin ? t('accounts.noUnit') : null,
    selected: current || (state.account.unit ? state.account.unit.id : null),
  });
}

async function loadUnits() {
  try {
    state.index = indexUnits(await api.listUnits());
  } catch (error) {
    showPageError(error, 'org.loadFailed');
    return;
  }
  fillUnitPicker();
}

function findAccount(id) {
  return state.accounts.filter((account) => String(account.id) === String(id))[0] || null;
}

function openPasswordDialog(account) {
  state.passwordFor = account;
  byId('password-form').reset();
  setNotice(byId('password-status'), '');
  renderPasswordTitle();
  const dialog = byId('password-dialog');
  if (typeof dialog.showModal === 'function') dialog.showModal();
  else dialog.setAttribute('open', '');
  byId('password-new').focus();
}

// Your own password ends your own session too (the server ends every session of the account), so the
// dialog says so, and a success leads to the login page instead of a page whose next click fails with 401.
function renderPasswordTitle() {
  const account = state.passwordFor;
  if (!account) return;
  const self = isSelf(account);
  byId('password-title').textContent = t(self ? 'accounts.passwordOwn' : 'accounts.passwordFor', { name: account.username });
  byId('password-hint').hidden = self;
  byId('password-hint-own').hidden = !self;
}

function closePasswordDialog() {
  const dialog = byId('password-dialog');
  if (typeof dialog.close === 'function') dialog.close();
  else dialog.removeAttribute('open');
}

function wire() {
  byId('account-role').addEventListener('change', fillUnitPicker);

  byId('account-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const node = byId('account-form-status');
    const username = byId('account-username').value.trim();
    const password = byId('account-password').value;
    const role = isAdmin() ? byId('account-role').value : 'organizer';
    const unitId = selectedUnitId(byId('account-unit'), state.index);
    if (!username) {
      setNotice(node, t('accounts.usernameRequired'), 'error');
      return;
    }
    if (password.length < MIN_PASSWORD) {
      setNotice(node, t('accounts.passwordShort', { count: MIN_PASSWORD }), 'error');
      return;
    }
    if (role === 'organizer' && unitId === null) {
      setNotice(node, t('accounts.unitRequired'), 'error');
      return;
    }
    const button = byId('account-submit');
    button.disabled = true;
    try {
      const body = { username: username, password: password, role: role, unitId: unitId };
      const displayName = byId('account-display').value.trim();
      if (displayName) body.displayName = displayName;
      const account = await api.createAccount(body);
      byId('account-form').reset();
      fillUnitPicker();
      setNotice(node, t('accounts.created', { name: account.username || username }), 'success');
      await loadAccounts();
    } catch (error) {
      setNotice(node, t('accounts.createFailed', { message: api.errorMessage(error) }), 'error');
    } finally {
      button.disabled = false;
    }
  });

  byId('account-rows').addEventListener('click', async (event) => {
    const button = event.target.closest('[data-action]');
    if (!button) return;
    const row = button.closest('[data-id]');
    const account = findAccount(row.getAttribute('data-id'));
    if (!account) return;
    const action = button.getAttribute('data-action');
    if (action === 'password') {
      openPasswordDialog(account);
      return;
    }
    if (action === 'delete' && !window.confirm(t('accounts.confirmDelete', { name: account.username }))) return;
    button.disabled = true;
    try {
      if (action === 'toggle') {
        const disable = account.disabled !== true;
        await api.updateAccount(account.id, { disabled: disable });
        status(t(disable ? 'accounts.disabledDone' : 'accounts.enabledDone', { name: account.username }), 'success');
      } else if (action === 'delete') {
        await api.deleteAccount(account.id);
        status(t('accounts.deleted', { name: account.username }), 'success');
      }
      await loadAccounts();
    } catch (error) {
      button.disabled = false;
      status(t('accounts.actionFailed', { message: api.errorMessage(error) }), 'error');
    }
  });

  byId('password-close').addEventListener('click', closePasswordDialog);
  byId('password-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const account = state.passwordFor;
    const password = byId('password-new').value;
    const node = byId('password-status');
    if (password.length < MIN_PASSWORD) {
      setNotice(node, t('accounts.passwordShort', { count: MIN_PASSWORD }), 'error');
      return;
    }
    // One field alone lets a typo lock the only administrator out; nothing is sent until both agree.
    if (password !== byId('password-confirm').value) {
      setNotice(node, t('accounts.passwordMismatch'), 'error');
      byId('password-confirm').value = '';
      byId('password-confirm').focus();
      return;
    }
    const button = byId('password-save');
    button.disabled = true;
    try {
      await api.updateAccount(account.id, { password: password });
      if (isSelf(account)) {
        location.replace('/login.html?changed=1&next=' + encodeURIComponent('/accounts.html'));
        return;
      }
      closePasswordDialog();
      status(t('accounts.passwordSet', { name: account.username }), 'success');
    } catch (error) {
      setNotice(node, t('accounts.actionFailed', { message: api.errorMessage(error) }), 'error');
    } finally {
      button.disabled = false;
    }
  });
}

async function main() {
  state.account = await startConsole('accounts');
  clearPageError();
  wire();
  onLanguageChange(() => {
    renderAccounts();
    fillUnitPicker();
    renderPasswordTitle();
  });
  await Promise.all([loadUnits(), loadAccounts()]);
}

main();
