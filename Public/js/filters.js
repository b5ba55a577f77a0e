// The filter form: reads its values and reports changes. Selects apply at once, typing applies after a
// short pause so each keystroke does not fire a request.
import { byId, el, replaceChildren } from './dom.js';
import { t } from './i18n.js';

const TYPING_DELAY_MS = 400;

export function createFilters(onChange) {
  const form = byId('filter-form');
  const category = byId('filter-category');
  let timer = null;

  function changed() {
    clearTimeout(timer);
    onChange();
  }

  ['filter-type', 'filter-category', 'filter-difficulty'].forEach((id) => {
    byId(id).addEventListener('change', changed);
  });
  ['filter-q', 'filter-tag'].forEach((id) => {
    byId(id).addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(onChange, TYPING_DELAY_MS);
    });
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    changed();
  });
  byId('filter-reset').addEventListener('click', () => {
    form.reset();
    changed();
  });

  return {
    values() {
      return {
        type: byId('filter-type').value,
        category: category.value,
        difficulty: byId('filter-difficulty').value,
        q: byId('filter-q').value.trim(),
        tag: byId('filter-tag').value.trim(),
      };
    },

    // counts: { "党史": 78, … }. Counts are shown only when they describe the version being browsed
    // (the API reports them for the latest version only).
    setCategories(counts, showCounts) {
      const current = category.value;
      const names = Object.keys(counts || {}).sort((a, b) => counts[b] - counts[a] || (a < b ? -1 : 1));
      replaceChildren(category,
        el('option', { value: '' }, t('banks.allCategories')),
        names.map((name) => el('option', { value: name }, showCounts ? t('banks.categoryCount', { name: name, count: counts[name] }) : name)));
      category.value = names.indexOf(current) >= 0 ? current : '';
    },

    reset() {
      clearTimeout(timer);
      form.reset();
    },
  };
}
