// The roster page: the members of a unit (optionally with its sub-units), searched and paged; adding and
// editing members, importing a roster file, and the invitation links (in the member dialog).
import * as api from './api.js';
import { byId, el, replaceChildren } from './dom.js';
import { onLanguageChange, t } from './i18n.js';
import { startConsole, showPageError, clearPageError } from './shell.js';
import { indexUnits, findUnit, renderTree, markTreeSelection, unitFromUrl, writeUnitToUrl } from './units.js';
import { initRosterImport } from './roster-import.js';
import { createMemberDialog } from './member-dialog.js';
import { initInviteSheet } from './invite-sheet.js';
import { unitPath } from './format.js';
import { loadCategories, fillCategoryFilter, initCategoryPanel } from './member-categories.js';

const TYPING_DELAY_MS = 300;

const state = {
  account: null,
  index: indexUnits([]),
  unitId: null,      // string; may name a unit outside the visible tree (then the server answers 403)
  page: 1,
  result: null,      // the last page of members shown
  selected: {},      // member number → true: the members chosen for a bulk action (kept across pages)
};

let ticket = 0;
let importer = null;
let dialog = null;
let categoryPanel = null;

function currentUnit() {
  return findUnit(state.index, state.unitId);
}

function query() {
  return {
    q: byId('member-search').value.trim(),
    subunits: byId('member-subunits').checked ? 1 : '',
    active: byId('member-active').value,
    category: byId('member-category').value,
    page: state.page,
    pageSize: byId('member-page-size').value,
  };
}

function showHeading() {
  const unit = currentUnit();
  byId('roster-title').textContent = unit
    ? t('roster.titleUnit', { name: unit.name })
    : state.unitId ? t('roster.titleUnknown', { id: state.unitId }) : t('roster.title');
  byId('roster-unit-path').textContent = unit ? unitPath(unit) : '';
  byId('add-member').disabled = !unit;
  byId('bulk-invite').disabled = !unit;
  byId('bulk-revoke').disabled = !unit;
  if (importer) importer.setUnit(unit);
}

function pageCount(result) {
  return Math.max(1, Math.ceil(result.total / result.pageSize));
}

// data-label names each cell where a phone shows rows as cards (console.css .stack-on-phone).
function memberRow(member) {
  const active = member.active !== false;
  return el('tr', { 'data-member': member.number, class: active ? '' : 'is-inactive' },
    el('td', { class: 'cell-title' },
      el('input', { type: 'checkbox', class: 'row-select', 'data-select': member.number, checked: state.selected[member.number] === true,
        'aria-label': t('sheet.select', { name: member.name }) }),
      el('button', { type: 'button', class: 'link-button', 'data-open': member.number }, member.name)),
    el('td', { class: 'mono', 'data-label': t('member.number') }, member.number),
    el('td', { 'data-label': t('member.unit') }, unitPath(member.unit)),
    el('td', { class: 'mono', 'data-label': t('member.phone') }, member.phone || '—'),
    el('td', { 'data-label': t('member.status') }, el('span', { class: 'badge ' + (active ? 'badge-ok' : 'badge-muted') },
      t(active ? 'member.active' : 'member.inactive'))),
    el('td', { 'data-label': t('member.categories'), 'data-categories': (member.categories || []).join('、') },
      (member.categories || []).length ? member.categories.join('、') : '—'),
    el('td', { class: 'num', 'data-label': t('member.invitations'), 'data-invitations': String(member.invitations || 0) }, String(member.invitations || 0)),
    el('td', { class: 'row-actions' },
      el('button', { type: 'button', class: 'btn btn-small', 'data-open': member.number }, t('roster.edit')),
      el('button', { type: 'button', class: 'btn btn-small', 'data-invite': member.number }, t('roster.inviteShort'))));
}

function renderMembers() {
  const rows = byId('member-rows');
  const result = state.result;
  if (!result) {
    replaceChildren(rows);
    byId('member-page-info').textContent = '';
    byId('member-prev').disabled = true;
    byId('member-next').disabled = true;
    return;
  }
  if (!result.members.length) {
    replaceChildren(rows, el('tr', null, el('td', { colspan: '8', class: 'empty' },
      byId('member-search').value.trim() ? t('roster.noMatch') : t('roster.empty'))));
  } else {
    replaceChildren(rows, result.members.map(memberRow));
  }
  byId('member-page-info').textContent = t('roster.pageInfo', {
    page: result.page, pages: pageCount(result), total: result.total,
  });
  byId('member-prev').disabled = result.page <= 1;
  byId('member-next').disabled = result.page >= pageCount(result);
}

async function loadMembers() {
  if (!state.unitId) {
    state.result = null;
    renderMembers();
    return;
  }
  const mine = ++ticket;
  const rows = byId('member-rows');
  rows.setAttribute('aria-busy', 'true');
  let result;
  try {
    result = await api.listMembers(state.unitId, query());
  } catch (error) {
    if (mine !== ticket) return;
    rows.setAttribute('aria-busy', 'false');
    state.result = null;
    renderMembers();
    showPageError(error, error.status === 403 ? 'roster.forbidden' : 'roster.loadFailed');
    // A unit this account may not see (403) or that does not exist (404): no list, no tools for it.
    byId('roster-body').hidden = error.status === 403 || error.status === 404;
    byId('toggle-import').disabled = byId('roster-body').hidden;
    return;
  }
  if (mine !== ticket) return;
  rows.setAttribute('aria-busy', 'false');
  clearPageError();
  byId('roster-body').hidden = false;
  byId('toggle-import').disabled = false;
  state.result = result;
  state.page = result.page || state.page;
  renderMembers();
}

async function loadUnits() {
  const tree = byId('unit-tree');
  tree.setAttribute('aria-busy', 'true');
  try {
    state.index = indexUnits(await api.listUnits());
  } catch (error) {
    showPageError(error, 'org.loadFailed');
    return;
  } finally {
    tree.setAttribute('aria-busy', 'false');
  }
  renderTree(tree, state.index, state.unitId);
  showHeading();
}

function selectUnit(id) {
  state.selected = {};
  state.unitId = id === null || id === undefined ? null : String(id);
  state.page = 1;
  writeUnitToUrl(state.unitId);
  markTreeSelection(byId('unit-tree'), state.unitId);
  showHeading();
  loadMembers();
}

async function openMember(number, focusInvite) {
  const error = await dialog.openExisting(number, focusInvite);
  if (error) showPageError(error, 'member.loadFailed');
}

function wire() {
  byId('unit-tree').addEventListener('click', (event) => {
    const button = event.target.closest('[data-unit]');
    if (button) selectUnit(button.getAttribute('data-unit'));
  });

  let timer = null;
  byId('member-search').addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.page = 1;
      loadMembers();
    }, TYPING_DELAY_MS);
  });
  byId('member-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    state.page = 1;
    loadMembers();
  });
  ['member-active', 'member-category', 'member-page-size', 'member-subunits'].forEach((id) => {
    byId(id).addEventListener('change', () => {
      state.page = 1;
      loadMembers();
    });
  });

  byId('member-prev').addEventListener('click', () => {
    if (state.page > 1) {
      state.page -= 1;
      loadMembers();
    }
  });
  byId('member-next').addEventListener('click', () => {
    if (state.result && state.page < pageCount(state.result)) {
      state.page += 1;
      loadMembers();
    }
  });

  byId('member-rows').addEventListener('click', (event) => {
    const open = event.target.closest('[data-open]');
    if (open) {
      openMember(open.getAttribute('data-open'), false);
      return;
    }
    const invite = event.target.closest('[data-invite]');
    if (invite) openMember(invite.getAttribute('data-invite'), true);
  });

  byId('member-rows').addEventListener('change', (event) => {
    const box = event.target.closest('[data-select]');
    if (!box) return;
    if (box.checked) state.selected[box.getAttribute('data-select')] = true;
    else delete state.selected[box.getAttribute('data-select')];
  });
  initInviteSheet(() => {
    const numbers = Object.keys(state.selected);
    return { unit: currentUnit(), subunits: byId('member-subunits').checked, numbers: numbers.length ? numbers : null };
  }, () => loadMembers());

  byId('add-member').addEventListener('click', () => {
    const unit = currentUnit();
    if (unit) dialog.openNew(unit.id);
  });
}

// The category list feeds the filter, the panel and the dialog's ticks; the roster works without it.
async function refreshCategories() {
  try {
    await loadCategories();
  } catch (error) {
    categoryPanel.failed(error);
    return;
  }
  fillCategoryFilter(byId('member-category'));
  categoryPanel.render();
}

async function main() {
  state.account = await startConsole('roster');
  clearPageError();
  dialog = createMemberDialog(() => state.index, async () => {
    await refreshCategories();
    await loadUnits();
    await loadMembers();
  });
  importer = initRosterImport(currentUnit, async () => {
    await loadUnits();
    await loadMembers();
  });
  wire();
  categoryPanel = initCategoryPanel(state.account && state.account.role === 'admin', async () => {
    fillCategoryFilter(byId('member-category'));
    await loadMembers();
  });
  await refreshCategories();
  onLanguageChange(() => {
    fillCategoryFilter(byId('member-category'));
    categoryPanel.render();
    renderTree(byId('unit-tree'), state.index, state.unitId);
    showHeading();
    renderMembers();
    dialog.refresh();
  });
  state.unitId = unitFromUrl();
  await loadUnits();
  if (!state.unitId && state.index.roots.length) state.unitId = String(state.index.roots[0].id);
  selectUnit(state.unitId);
}

main();
