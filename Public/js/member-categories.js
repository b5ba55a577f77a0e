// Member categories (分层分类) on the roster page: the organization's list (kept by administrators, read by
// everyone), the category filter of the member table, and the ticks of the member dialog.
import * as api from './api.js';
import { byId, el, replaceChildren, setNotice } from './dom.js';
import { t } from './i18n.js';

// The list as last loaded: [{ id, name, position, memberCount, largeText }].
let categories = [];

export function currentCategories() {
  return categories;
}

export async function loadCategories() {
  categories = await api.listMemberCategories();
  return categories;
}

// Fills the filter <select>, keeping the chosen category when it still exists.
export function fillCategoryFilter(select) {
  const chosen = select.value;
  replaceChildren(select, el('option', { value: '' }, t('roster.allCategories')),
    categories.map((c) => el('option', { value: String(c.id) }, c.name)));
  select.value = categories.some((c) => String(c.id) === chosen) ? chosen : '';
}

// One checkbox per category in `container`, ticked for the names in `held`.
export function renderCategoryChoices(container, held) {
  const ticked = new Set(held || []);
  replaceChildren(container, categories.map((c) => el('label', { class: 'check' },
    el('input', { type: 'checkbox', value: c.name, 'data-category-choice': c.name, checked: ticked.has(c.name) }),
    el('span', null, c.name))));
}

// The ticked names, in the list's order.
export function chosenCategories(container) {
  return Array.from(container.querySelectorAll('[data-category-choice]')).filter((box) => box.checked).map((box) => box.value);
}

// The list panel: names with their member counts; administrators add, rename and delete. `onChanged` reloads
// whatever shows categories.
export function initCategoryPanel(isAdmin, onChanged) {
  const status = (text, kind) => setNotice(byId('category-status'), text, kind);
  byId('category-form').hidden = !isAdmin;

  function render() {
    if (!categories.length) {
      replaceChildren(byId('category-list'), el('li', { class: 'empty-line' }, t('categories.empty')));
      return;
    }
    replaceChildren(byId('category-list'), categories.map((c, index) => el('li', { 'data-category': c.name },
      el('b', null, c.name), ' ', t('categories.count', { count: c.memberCount }), ' ',
      // Administrators tick it; others see it only where it is on.
      isAdmin
        ? el('label', { class: 'check', title: t('categories.largeTextHint') },
          el('input', { type: 'checkbox', 'data-large-text': String(c.id), checked: !!c.largeText }),
          el('span', null, t('categories.largeText')))
        : (c.largeText ? el('span', { class: 'badge', 'data-large-text-tag': c.name, title: t('categories.largeTextHint') }, t('categories.largeText')) : null),
      // The buttons keep a row of their own: in the narrow side panel they otherwise broke ↑ from ↓.
      isAdmin ? el('span', { class: 'category-actions' },
        el('button', { type: 'button', class: 'btn btn-small', 'data-move': String(c.id), 'data-step': '-1', disabled: index === 0,
          'aria-label': t('categories.moveUp', { name: c.name }), title: t('categories.moveUp', { name: c.name }) }, '↑'),
        el('button', { type: 'button', class: 'btn btn-small', 'data-move': String(c.id), 'data-step': '1', disabled: index === categories.length - 1,
          'aria-label': t('categories.moveDown', { name: c.name }), title: t('categories.moveDown', { name: c.name }) }, '↓'),
        el('button', { type: 'button', class: 'btn btn-small', 'data-rename': String(c.id) }, t('categories.rename')),
        el('button', { type: 'button', class: 'btn btn-small btn-danger', 'data-delete': String(c.id) }, t('categories.delete'))) : null)));
  }

  async function change(action, done) {
    try {
      await action();
      await loadCategories();
      render();
      status(done, 'success');
      onChanged();
    } catch (error) {
      render(); // a refused tick goes back to what is stored
      status(t('categories.failed', { message: api.errorMessage(error) }), 'error');
    }
  }

  byId('category-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const name = byId('category-name').value.trim();
    const largeText = byId('category-large-text').checked;
    change(() => api.createMemberCategory(name, largeText), t('categories.added', { name: name })).then(() => {
      byId('category-name').value = '';
      byId('category-large-text').checked = false;
    });
  });

  byId('category-list').addEventListener('change', (event) => {
    const box = event.target.closest('[data-large-text]');
    const category = box && categories.find((c) => String(c.id) === box.getAttribute('data-large-text'));
    if (!category) return;
    const on = box.checked;
    change(() => api.setMemberCategoryLargeText(category.id, on),
      t(on ? 'categories.largeTextOn' : 'categories.largeTextOff', { name: category.name }));
  });

  byId('category-list').addEventListener('click', (event) => {
    const move = event.target.closest('[data-move]');
    if (move) {
      const ids = categories.map((c) => c.id);
      const from = ids.findIndex((id) => String(id) === move.getAttribute('data-move'));
      const to = from + Number(move.getAttribute('data-step'));
      if (from < 0 || to < 0 || to >= ids.length) return;
      const name = categories[from].name;
      ids.splice(to, 0, ids.splice(from, 1)[0]);
      change(() => api.reorderMemberCategories(ids), t('categories.moved', { name: name }));
      return;
    }
    const rename = event.target.closest('[data-rename]');
    const remove = event.target.closest('[data-delete]');
    const id = (rename || remove) && (rename || remove).getAttribute(rename ? 'data-rename' : 'data-delete');
    const category = categories.find((c) => String(c.id) === id);
    if (!category) return;
    if (rename) {
      const name = window.prompt(t('categories.renamePrompt', { name: category.name }), category.name);
      if (name && name.trim() && name.trim() !== category.name) {
        change(() => api.renameMemberCategory(id, name.trim()), t('categories.renamed', { name: name.trim() }));
      }
    } else if (window.confirm(t('categories.confirmDelete', { name: category.name }))) {
      change(() => api.deleteMemberCategory(id), t('categories.deleted', { name: category.name }));
    }
  });

  return {
    render: render,
    failed(error) {
      status(t('categories.loadFailed', { message: api.errorMessage(error) }), 'error');
    },
  };
}
