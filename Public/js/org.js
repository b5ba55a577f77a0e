// The org tree page (console home): the visible tree with member counts; a selected unit's facts, its
// roster link, and adding a sub-unit, renaming, moving and deleting it.
import * as api from './api.js';
import { byId, setNotice } from './dom.js';
import { onLanguageChange, t } from './i18n.js';
import { startConsole, showPageError, clearPageError } from './shell.js';
import {
  indexUnits, findUnit, subtreeIds, renderTree, markTreeSelection, fillUnitSelect, selectedUnitId,
  unitFromUrl, writeUnitToUrl,
} from './units.js';
import { unitPath } from './format.js';

const state = { account: null, index: indexUnits([]), selected: null };

function isSubtreeRoot(unit) {
  return state.account.role !== 'admin' && state.account.unit && String(state.account.unit.id) === String(unit.id);
}

async function loadUnits(preferred) {
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
  const wanted = findUnit(state.index, preferred) || findUnit(state.index, state.selected) || state.index.roots[0] || null;
  state.selected = wanted ? String(wanted.id) : null;
  renderTree(tree, state.index, state.selected);
  showDetail();
}

function showDetail() {
  const unit = findUnit(state.index, state.selected);
  byId('unit-empty').hidden = !!unit;
  byId('unit-detail').hidden = !unit;
  writeUnitToUrl(unit ? unit.id : null);
  if (!unit) return;
  const kids = state.index.children[String(unit.id)] || [];
  byId('unit-title').textContent = unit.name;
  byId('unit-path').textContent = unitPath(unit);
  byId('unit-code').textContent = unit.code || '—';
  byId('unit-direct').textContent = t('org.people', { count: unit.memberCount || 0 });
  byId('unit-total').textContent = t('org.people', { count: unit.totalMemberCount || 0 });
  byId('unit-children').textContent = String(kids.length);
  byId('open-roster').href = '/roster.html?unit=' + encodeURIComponent(String(unit.id));

  byId('rename-name').value = unit.name;
  byId('rename-code').value = unit.code || '';
  // Moving is under another unit only (the API cannot make a unit top-level), and never under itself;
  // an organizer's own unit stays where it is.
  const root = isSubtreeRoot(unit);
  const topLevel = unit.parentId === null || unit.parentId === undefined;
  const exclude = subtreeIds(state.index, unit.id);
  const targets = state.index.units.filter((other) => !exclude[String(other.id)]);
  byId('rename-parent-field').hidden = root || topLevel || !targets.length;
  fillUnitSelect(byId('rename-parent'), state.index, { exclude: exclude, selected: unit.parentId });
  byId('delete-unit').closest('.danger-zone').hidden = root;
}

function select(id) {
  state.selected = String(id);
  markTreeSelection(byId('unit-tree'), state.selected);
  setNotice(byId('unit-status'), '');
  showDetail();
}

function status(text, kind) {
  const node = byId('unit-status');
  setNotice(node, text, kind);
  node.setAttribute('data-kind', kind || '');
}

async function withButton(button, work) {
  button.disabled = true;
  try {
    await work();
  } finally {
    button.disabled = false;
  }
}

function wireForms() {
  byId('unit-tree').addEventListener('click', (event) => {
    const button = event.target.closest('[data-unit]');
    if (button) select(button.getAttribute('data-unit'));
  });

  byId('root-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const name = byId('root-name').value.trim();
    const node = byId('root-status');
    if (!name) {
      setNotice(node, t('org.nameRequired'), 'error');
      return;
    }
    withButton(byId('root-submit'), async () => {
      try {
        const unit = await api.createUnit(null, name, byId('root-code').value.trim());
        byId('root-form').reset();
        setNotice(node, t('org.added', { name: unit.name }), 'success');
        await loadUnits(unit.id);
      } catch (error) {
        setNotice(node, t('org.addFailed', { message: api.errorMessage(error) }), 'error');
      }
    });
  });

  byId('child-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const parent = findUnit(state.index, state.selected);
    const name = byId('child-name').value.trim();
    if (!parent) return;
    if (!name) {
      status(t('org.nameRequired'), 'error');
      return;
    }
    withButton(byId('child-submit'), async () => {
      try {
        const unit = await api.createUnit(parent.id, name, byId('child-code').value.trim());
        byId('child-form').reset();
        await loadUnits(parent.id);
        status(t('org.childAdded', { name: unit.name, parent: parent.name }), 'success');
      } catch (error) {
        status(t('org.addFailed', { message: api.errorMessage(error) }), 'error');
      }
    });
  });

  byId('rename-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const unit = findUnit(state.index, state.selected);
    if (!unit) return;
    const name = byId('rename-name').value.trim();
    if (!name) {
      status(t('org.nameRequired'), 'error');
      return;
    }
    const changes = {};
    if (name !== unit.name) changes.name = name;
    const code = byId('rename-code').value.trim();
    // An empty code removes it; null would mean "leave as it is".
    if (code !== (unit.code || '')) changes.code = code;
    if (!byId('rename-parent-field').hidden) {
      const parentId = selectedUnitId(byId('rename-parent'), state.index);
      const current = unit.parentId === undefined ? null : unit.parentId;
      if (String(parentId) !== String(current)) changes.parentId = parentId;
    }
    if (!Object.keys(changes).length) {
      status(t('org.nothingChanged'), null);
      return;
    }
    withButton(byId('rename-submit'), async () => {
      try {
        await api.updateUnit(unit.id, changes);
        await loadUnits(unit.id);
        status(t('org.saved'), 'success');
      } catch (error) {
        status(t('org.saveFailed', { message: api.errorMessage(error) }), 'error');
      }
    });
  });

  byId('delete-unit').addEventListener('click', () => {
    const unit = findUnit(state.index, state.selected);
    if (!unit) return;
    if (!window.confirm(t('org.confirmDelete', { name: unit.name }))) return;
    withButton(byId('delete-unit'), async () => {
      try {
        await api.deleteUnit(unit.id);
        await loadUnits(unit.parentId);
        status(t('org.deleted', { name: unit.name }), 'success');
      } catch (error) {
        // 409: it still has sub-units or has had members; the server says which.
        status(t('org.deleteFailed', { message: api.errorMessage(error) }), 'error');
      }
    });
  });
}

async function main() {
  // The bank page used to be the home page: its old links (/?bank=NAME) still open the bank.
  if (/[?&]bank=/.test(location.search)) {
    location.replace('/banks.html' + location.search);
    return;
  }
  state.account = await startConsole('org');
  clearPageError();
  wireForms();
  onLanguageChange(() => {
    renderTree(byId('unit-tree'), state.index, state.selected);
    showDetail();
  });
  await loadUnits(unitFromUrl());
}

main();
