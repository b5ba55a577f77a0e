// The org tree as the API gives it (depth-first, each unit with parentId and depth), and the two ways the
// console shows it: a clickable tree with member counts, and <option>s of a unit picker.
import { el, replaceChildren } from './dom.js';
import { t } from './i18n.js';

export function indexUnits(units) {
  const byId = {};
  const children = {};
  const roots = [];
  units.forEach((unit) => {
    byId[String(unit.id)] = unit;
  });
  units.forEach((unit) => {
    const parent = unit.parentId === null || unit.parentId === undefined ? null : String(unit.parentId);
    if (parent !== null && byId[parent]) {
      (children[parent] = children[parent] || []).push(unit);
    } else {
      roots.push(unit); // a top-level unit, or an organizer's subtree root
    }
  });
  return { units: units, byId: byId, children: children, roots: roots };
}

export function findUnit(index, id) {
  if (id === null || id === undefined) return null;
  return index.byId[String(id)] || null;
}

// The unit and every unit below it (for "cannot move under itself").
export function subtreeIds(index, id) {
  const ids = {};
  const walk = (key) => {
    ids[key] = true;
    (index.children[key] || []).forEach((child) => walk(String(child.id)));
  };
  walk(String(id));
  return ids;
}

function counts(unit) {
  return el('span', { class: 'tree-counts' },
    el('span', { class: 'count-direct', 'data-count': 'direct', title: t('org.directTitle') },
      t('org.direct', { count: unit.memberCount || 0 })),
    el('span', { class: 'count-total', 'data-count': 'total', title: t('org.totalTitle') },
      t('org.total', { count: unit.totalMemberCount || 0 })));
}

function branch(index, units, selectedId) {
  return el('ul', { class: 'tree', role: 'list' }, units.map((unit) => {
    const key = String(unit.id);
    const kids = index.children[key] || [];
    return el('li', { class: 'tree-item' },
      el('button', {
        type: 'button',
        class: 'tree-node',
        'data-unit': key,
        'data-name': unit.name,
        'aria-pressed': key === String(selectedId) ? 'true' : 'false',
      },
        el('span', { class: 'tree-name' }, unit.name),
        unit.code ? el('span', { class: 'tree-code' }, unit.code) : null,
        counts(unit)),
      kids.length ? branch(index, kids, selectedId) : null);
  }));
}

export function renderTree(container, index, selectedId) {
  if (!index.units.length) {
    replaceChildren(container, el('p', { class: 'empty' }, t('org.emptyTree')));
    return;
  }
  replaceChildren(container, branch(index, index.roots, selectedId));
}

export function markTreeSelection(container, selectedId) {
  Array.prototype.forEach.call(container.querySelectorAll('[data-unit]'), (button) => {
    button.setAttribute('aria-pressed', button.getAttribute('data-unit') === String(selectedId) ? 'true' : 'false');
  });
}

// A unit as a picker shows it: its path from the top the account sees ("机关党委 / 第一党支部"), since a closed
// <select> shows one line and two branches of different committees are often both called 第一党支部.
export function pickerLabel(unit, topDepth) {
  const names = String(unit.path || unit.name || '').split('/');
  const skip = Math.max(0, Math.min(names.length - 1, names.length - 1 - ((unit.depth || 0) - (topDepth || 0))));
  return names.slice(skip).join(' / ');
}

// Fills a <select> with the units, each named by its path (pickerLabel). options: { none: label for value "" or absent,
// exclude: {id: true} of units to leave out, selected: id }.
export function fillUnitSelect(select, index, options) {
  const opts = options || {};
  const exclude = opts.exclude || {};
  let minDepth = Infinity;
  index.units.forEach((unit) => { minDepth = Math.min(minDepth, unit.depth || 0); });
  const items = [];
  if (opts.none) items.push(el('option', { value: '' }, opts.none));
  index.units.forEach((unit) => {
    if (exclude[String(unit.id)]) return;
    items.push(el('option', { value: String(unit.id), title: unit.path }, pickerLabel(unit, minDepth)));
  });
  replaceChildren(select, items);
  const wanted = opts.selected === null || opts.selected === undefined ? '' : String(opts.selected);
  select.value = wanted;
  if (select.value !== wanted && select.options.length) select.selectedIndex = 0;
}

// The id a <select> of units names, as the API gave it (numbers stay numbers), or null for "".
export function selectedUnitId(select, index) {
  const unit = findUnit(index, select.value);
  return unit ? unit.id : null;
}

// ?unit=ID in the address, so reloads and links open the same unit.
export function unitFromUrl() {
  const match = /[?&]unit=([^&#]*)/.exec(location.search);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch (error) {
    return null;
  }
}

export function writeUnitToUrl(id) {
  if (!history.replaceState) return;
  const search = id === null || id === undefined ? '' : '?unit=' + encodeURIComponent(String(id));
  history.replaceState(null, '', location.pathname + search + location.hash);
}
