// The campaign form's extra ladders (分类阶梯, issue 17): each for some member categories — a gentler ladder for
// 离退休 members, say — with its own levels and, if ticked, its own banks. A member climbs the first extra ladder
// naming one of their categories, the default ladder otherwise; the server keeps the ladder a member started on.
import { byId, el, replaceChildren } from './dom.js';
import { t } from './i18n.js';
import { currentCategories, renderCategoryChoices, chosenCategories } from './member-categories.js';
import { createLevelEditor } from './level-editor.js';

// At most this many extra ladders (the server's bound, docs/bounds.md).
export const MAX_LADDERS = 8;

// `list` holds the ladders' blocks; `defaults()` returns the default ladder's levels a new ladder starts as a
// copy of; `banks()` the names of the banks the organizer may choose.
export function createCategoryLadders(list, defaults, banks) {
  const ladders = [];

  function renumber() {
    ladders.forEach((ladder, index) => {
      ladder.block.setAttribute('data-ladder', String(index + 1));
      ladder.legend.textContent = t('ladders.legend', { number: index + 1 });
    });
  }

  function bankChoices(container, chosen) {
    replaceChildren(container, el('div', { class: 'check-row' }, banks().map((name) =>
      el('label', { class: 'check' },
        el('input', { type: 'checkbox', value: name, 'data-ladder-bank': name, checked: chosen.indexOf(name) >= 0 }),
        el('span', null, name)))));
  }

  // A new ladder, a copy of the default ladder as it stands; returns its block.
  function add() {
    if (ladders.length >= MAX_LADDERS) return null;
    const legend = el('legend');
    const categories = el('div', { class: 'check-row', 'data-ladder-categories': '' });
    const bankBox = el('div', { 'data-ladder-banks': '' });
    const levels = el('ol', { class: 'level-list', 'data-ladder-levels': '' });
    const count = el('input', { type: 'number', min: '1', max: '50', step: '1', inputmode: 'numeric', 'data-ladder-count': '' });
    // data-i18n: a change of language rewrites these in place, as it does the rest of the form.
    const remove = el('button', { type: 'button', class: 'btn btn-small btn-danger', 'data-ladder-remove': '',
      'data-i18n': 'ladders.remove' }, t('ladders.remove'));
    const block = el('fieldset', { class: 'field wide-field category-ladder' }, legend,
      el('p', { class: 'hint', 'data-i18n': 'ladders.categoriesHint' }, t('ladders.categoriesHint')), categories,
      el('p', { class: 'hint', 'data-i18n': 'ladders.banksHint' }, t('ladders.banksHint')), bankBox,
      el('label', { class: 'field levels-count' }, el('span', { 'data-i18n': 'campaigns.levelCount' }, t('campaigns.levelCount')), count),
      levels, remove);
    const editor = createLevelEditor(levels);
    const start = defaults();
    if (start.length) editor.load(start); else editor.reset(5);
    count.value = String(levels.children.length);
    const resize = () => {
      const n = parseInt(count.value, 10);
      if (n >= 1 && n <= 50) editor.resize(n);
    };
    count.addEventListener('input', resize);
    count.addEventListener('change', resize);
    renderCategoryChoices(categories, []);
    bankChoices(bankBox, []);
    const ladder = { block: block, legend: legend, categories: categories, bankBox: bankBox, editor: editor };
    remove.addEventListener('click', () => {
      ladders.splice(ladders.indexOf(ladder), 1);
      list.removeChild(block);
      renumber();
    });
    ladders.push(ladder);
    list.appendChild(block);
    renumber();
    return block;
  }

  // → { ladders: [CategoryLadder], problems: [text] }; nothing when no extra ladder was added.
  function read() {
    const problems = [];
    const byName = {};
    currentCategories().forEach((c) => { byName[c.name] = c.id; });
    const seen = {};
    const read = ladders.map((ladder, index) => {
      const at = t('ladders.legend', { number: index + 1 });
      const names = chosenCategories(ladder.categories);
      if (!names.length) problems.push(t('ladders.needCategory', { ladder: at }));
      names.forEach((name) => {
        if (seen[name]) problems.push(t('ladders.twice', { category: name, first: seen[name], second: at }));
        else seen[name] = at;
      });
      const levels = ladder.editor.read();
      levels.problems.forEach((problem) => problems.push(at + t('punct.colon') + problem));
      const chosenBanks = Array.prototype.map.call(ladder.bankBox.querySelectorAll('[data-ladder-bank]:checked'), (input) => input.value);
      const settings = { memberCategoryIds: names.map((name) => byName[name]), levels: levels.levels };
      if (chosenBanks.length) settings.banks = chosenBanks;
      return settings;
    });
    return { ladders: read, problems: problems };
  }

  // The banks and categories lists changed (a language switch, a reload): redraw the ticks, keeping what was ticked.
  function refresh() {
    ladders.forEach((ladder) => {
      const names = chosenCategories(ladder.categories);
      renderCategoryChoices(ladder.categories, names);
      const chosen = Array.prototype.map.call(ladder.bankBox.querySelectorAll('[data-ladder-bank]:checked'), (input) => input.value);
      bankChoices(ladder.bankBox, chosen);
    });
    renumber();
  }

  return { add: add, read: read, refresh: refresh, count: () => ladders.length };
}

// The ladders of a stored campaign in one line each: "分类阶梯 1：离退休党员 · 3 关".
export function describeLadders(settings) {
  const names = {};
  currentCategories().forEach((c) => { names[c.id] = c.name; });
  return (settings.categoryLadders || []).map((ladder, index) =>
    t('ladders.summary', {
      ladder: t('ladders.legend', { number: index + 1 }),
      categories: ladder.memberCategoryIds.map((id) => names[id] || '#' + id).join(t('punct.enumeration')),
      count: ladder.levels.length,
    }));
}

// The ladder section's button: adds a ladder and disables itself at the bound.
export function wireAddButton(button, ladders) {
  button.addEventListener('click', () => {
    const block = ladders.add();
    button.disabled = ladders.count() >= MAX_LADDERS;
    if (block) block.scrollIntoView({ block: 'nearest' });
  });
  byId('category-ladder-list').addEventListener('click', (event) => {
    if (event.target && event.target.hasAttribute('data-ladder-remove')) button.disabled = false;
  });
}
