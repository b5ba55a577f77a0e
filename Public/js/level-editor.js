// The ladder of a new campaign, edited as one row per level: its title, how many questions, the difficulty
// window they are drawn from, the time limit (per question or for the whole level) and the pass mark; types,
// categories and tags fold away under "筛选". Prefilled with the server's default ladder: level L of N draws
// 5 + ⌊(L−1)/2⌋ questions of difficulty low = 1 + ⌊3(L−1)/(N−1)⌋ to min(5, low + 1), 20 s each, 80 % to pass.
// Changing the number of levels resizes the ladder and keeps the rows the organizer edited.
import { el } from './dom.js';
import { t } from './i18n.js';
import { typeLabel, TYPE_ORDER } from './format.js';

export function defaultLevel(level, count) {
  const low = 1 + (count > 1 ? Math.floor((3 * (level - 1)) / (count - 1)) : 0);
  return {
    title: t('levels.defaultTitle', { level: level }),
    count: 5 + Math.floor((level - 1) / 2),
    minDifficulty: low,
    maxDifficulty: Math.min(5, low + 1),
    kind: 'perQuestion',
    seconds: 20,
    pass: 80,
  };
}

// "党章、党规党纪, 党史" → ["党章", "党规党纪", "党史"]
function splitList(text) {
  return String(text || '').split(/[,，、;；\s]+/).map((part) => part.trim()).filter(Boolean);
}

function labelled(key, control, className) {
  return el('label', { class: 'field ' + (className || '') },
    el('span', { class: 'level-label', 'data-i18n': key }, t(key)), control);
}

function number(name, value, min, max, step) {
  return el('input', { type: 'number', name: name, value: String(value), min: String(min), max: String(max), step: String(step || 1), inputmode: 'numeric' });
}

function difficulty(name, selected) {
  const select = el('select', { name: name }, [1, 2, 3, 4, 5].map((level) =>
    el('option', { value: String(level) }, '★'.repeat(level) + ' ' + level)));
  select.value = String(selected);
  return select;
}

export function createLevelEditor(list) {
  // Rows the organizer changed that a smaller ladder dropped, by level: growing the ladder again brings them back.
  let dropped = {};

  function row(level, values) {
    const kind = el('select', { name: 'kind' },
      el('option', { value: 'perQuestion', 'data-i18n': 'levels.perQuestion' }, t('levels.perQuestion')),
      el('option', { value: 'perLevel', 'data-i18n': 'levels.perLevel' }, t('levels.perLevel')));
    kind.value = values.kind;
    const seconds = number('seconds', values.seconds, 5, 3600, 5);
    // Switching to one clock for the whole level: a sensible start is the per-question time for every question.
    kind.addEventListener('change', () => {
      const count = parseInt(item.querySelector('[name="count"]').value, 10) || 1;
      const now = parseInt(seconds.value, 10) || 20;
      seconds.value = String(kind.value === 'perLevel' ? Math.min(3600, now * count) : Math.max(5, Math.round(now / count)));
    });
    const more = el('details', { class: 'level-more' },
      el('summary', { 'data-i18n': 'levels.filters' }, t('levels.filters')),
      el('div', { class: 'level-more-body' },
        el('fieldset', { class: 'field choice-group' }, el('legend', { 'data-i18n': 'levels.types' }, t('levels.types')),
          el('div', { class: 'check-row' }, TYPE_ORDER.map((type) =>
            el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'type', value: type }), el('span', null, typeLabel(type)))))),
        labelled('levels.categories', el('input', { type: 'text', name: 'categories', list: 'category-options',
          placeholder: t('rounds.categoriesPlaceholder'), 'data-i18n-attr': 'placeholder:rounds.categoriesPlaceholder' })),
        labelled('levels.tags', el('input', { type: 'text', name: 'tags' }))));
    if (values.categories && values.categories.length) {
      more.querySelector('[name="categories"]').value = values.categories.join('、');
      more.open = true;
    }
    const item = el('li', { class: 'level-row', 'data-level': level },
      el('span', { class: 'level-number' }, String(level)),
      labelled('levels.title', el('input', { type: 'text', name: 'title', value: values.title, maxlength: '30' }), 'level-title'),
      labelled('levels.count', number('count', values.count, 1, 100)),
      labelled('levels.minDifficulty', difficulty('minDifficulty', values.minDifficulty)),
      labelled('levels.maxDifficulty', difficulty('maxDifficulty', values.maxDifficulty)),
      labelled('levels.timeKind', kind),
      labelled('levels.seconds', seconds),
      labelled('levels.pass', number('pass', values.pass, 1, 100, 5)),
      more);
    // A row the organizer touched is theirs: a new number of levels keeps it as it is.
    const mark = () => item.setAttribute('data-edited', '');
    item.addEventListener('input', mark);
    item.addEventListener('change', mark);
    return item;
  }

  // The default ladder of `count` levels (1–50), replacing what was there, edits included.
  function reset(count) {
    const n = Math.max(1, Math.min(50, count || 10));
    dropped = {};
    while (list.firstChild) list.removeChild(list.firstChild);
    for (let level = 1; level <= n; level += 1) list.appendChild(row(level, defaultLevel(level, n)));
  }

  // A ladder of `count` levels (1–50) that keeps every edited row: untouched rows take the default of their
  // place in the new ladder (the difficulty climbs over the new length), new levels are defaults, and edited
  // rows beyond the new end are kept aside for when the ladder grows again.
  function resize(count) {
    const n = Math.max(1, Math.min(50, count || 10));
    const rows = Array.prototype.slice.call(list.children);
    rows.slice(n).forEach((item, index) => {
      if (item.hasAttribute('data-edited')) dropped[n + index + 1] = item;
      list.removeChild(item);
    });
    for (let level = 1; level <= n; level += 1) {
      const current = list.children[level - 1];
      if (current && current.hasAttribute('data-edited')) continue;
      const fresh = dropped[level] || row(level, defaultLevel(level, n));
      delete dropped[level];
      if (current) list.replaceChild(fresh, current);
      else list.appendChild(fresh);
    }
  }

  // → { levels: [LevelSettings], problems: [text] }
  function read() {
    const levels = [];
    const problems = [];
    Array.prototype.forEach.call(list.children, (item, index) => {
      const at = t('levels.legend', { number: index + 1 });
      const field = (name) => item.querySelector('[name="' + name + '"]');
      const int = (name) => parseInt(field(name).value, 10);
      const title = field('title').value.trim();
      if (!title) problems.push(t('levels.needTitle', { level: at }));
      const count = int('count');
      if (!(count >= 1 && count <= 100)) problems.push(t('levels.badCount', { level: at }));
      const seconds = int('seconds');
      if (!(seconds >= 5 && seconds <= 3600)) problems.push(t('levels.badSeconds', { level: at }));
      const pass = int('pass');
      if (!(pass >= 1 && pass <= 100)) problems.push(t('levels.badPass', { level: at }));
      const low = int('minDifficulty');
      const high = int('maxDifficulty');
      if (low > high) problems.push(t('levels.badDifficulty', { level: at }));
      const timeLimit = {};
      timeLimit[field('kind').value] = { seconds: seconds };
      levels.push({
        title: title,
        draw: {
          count: count,
          categories: splitList(field('categories').value),
          tags: splitList(field('tags').value),
          types: Array.prototype.map.call(item.querySelectorAll('[name="type"]:checked'), (input) => input.value),
          minDifficulty: low,
          maxDifficulty: high,
        },
        timeLimit: timeLimit,
        passThreshold: pass / 100,
      });
    });
    if (!levels.length) problems.push(t('levels.none'));
    return { levels: levels, problems: problems };
  }

  // Levels as the server writes them (LevelSettings, e.g. a seeded ladder), replacing what was there; every row
  // counts as edited, so a new number of levels keeps them.
  function load(levels) {
    dropped = {};
    while (list.firstChild) list.removeChild(list.firstChild);
    levels.forEach((level, index) => {
      const kind = level.timeLimit.perLevel ? 'perLevel' : 'perQuestion';
      const item = row(index + 1, {
        title: level.title,
        count: level.draw.count,
        minDifficulty: level.draw.minDifficulty,
        maxDifficulty: level.draw.maxDifficulty,
        kind: kind,
        seconds: level.timeLimit[kind].seconds,
        pass: Math.round(level.passThreshold * 100),
        categories: level.draw.categories,
      });
      item.setAttribute('data-edited', '');
      list.appendChild(item);
    });
  }

  return { reset: reset, resize: resize, read: read, load: load };
}
