// The rounds of a new contest, edited as a list of fieldsets: each round has its kind (必答, 抢答, 风险, 投票), where
// its questions come from (banks, count, types, difficulty, categories; a 投票 round's own questions, one per
// line) and the rules of its kind. Fields
// that do not apply to a kind are hidden by CSS (.only-buzz …), and left out of what is sent, so the
// server's defaults apply.
import { el } from './dom.js';
import { t } from './i18n.js';
import { typeLabel, TYPE_ORDER } from './format.js';

const DEFAULTS = {
  everyone: { time: 20, points: 1000 },
  buzz: { time: 15, points: 100 },
  risk: { time: 20, points: 100 },
  poll: { time: 30, points: 0 },
};

// One poll question per line: "题目｜选项｜选项…", led by "多选：" (or "[多选]") when several picks are allowed.
const MULTIPLE_MARK = /^\s*(?:\[多选\]|【多选】|多选[：:]|\[multiple\]|multiple:)\s*/i;

function parsePoll(text) {
  return String(text || '').split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    const multiple = MULTIPLE_MARK.test(line);
    const parts = line.replace(MULTIPLE_MARK, '').split(/[|｜]/).map((part) => part.trim()).filter(Boolean);
    return { prompt: parts[0] || '', options: parts.slice(1), multiple: multiple };
  });
}

function pollText(poll) {
  return (poll || []).map((question) =>
    (question.multiple ? '多选：' : '') + [question.prompt].concat(question.options || []).join(' | ')).join('\n');
}

function numberField(name, labelKey, value, min, max, className) {
  return el('label', { class: 'field ' + (className || '') },
    el('span', { 'data-i18n': labelKey }, t(labelKey)),
    el('input', { type: 'number', name: name, value: String(value), min: String(min), max: String(max), step: '1', inputmode: 'numeric' }));
}

function difficultySelect(name, labelKey, selected) {
  const select = el('select', { name: name }, [1, 2, 3, 4, 5].map((level) =>
    el('option', { value: String(level) }, '★'.repeat(level) + ' ' + level)));
  select.value = String(selected);
  return el('label', { class: 'field difficulty-field' }, el('span', { 'data-i18n': labelKey }, t(labelKey)), select);
}

// The server's default stakes of a 风险 round left blank (ContestSettings.defaultWagers): ½, 1 and 2 times the most
// a question of the other rounds is worth, in tens. Shown as the field's placeholder and in its effect line only —
// a blank field sends no stakes and the server decides.
function defaultWagers(worth) {
  const base = worth > 0 ? worth : 1000;
  return [Math.floor(base / 2), base, base * 2].map((stake) => Math.min(100000, Math.max(10, Math.floor((stake + 5) / 10) * 10)));
}

// "党章、党规党纪, 党史" → ["党章", "党规党纪", "党史"]
function splitList(text) {
  return String(text || '').split(/[,，、;；\s]+/).map((part) => part.trim()).filter(Boolean);
}

export function createRoundEditor(list, getBanks) {
  // The most a question of the rounds other than 风险 is worth (their points fields), 0 with none.
  function otherWorth() {
    let worth = 0;
    Array.prototype.forEach.call(list.children, (item) => {
      const kind = item.querySelector('[name="kind"]').value;
      if (kind === 'risk' || kind === 'poll') return;
      worth = Math.max(worth, parseInt(item.querySelector('[name="points"]').value, 10) || 0);
    });
    return worth;
  }

  // Each 风险 round's placeholder (the default stakes) and what its largest stake means beside the other rounds.
  function showStakes() {
    const worth = otherWorth();
    const defaults = defaultWagers(worth);
    Array.prototype.forEach.call(list.children, (item) => {
      const input = item.querySelector('[name="wagers"]');
      const effect = item.querySelector('.wager-effect');
      input.placeholder = t('rounds.wagersDefault', { stakes: defaults.join(t('punct.enumeration')) });
      const typed = splitList(input.value).map((part) => parseInt(part, 10)).filter((value) => value > 0);
      const stakes = typed.length ? typed : defaults;
      const top = Math.max.apply(null, stakes);
      let text = t('rounds.wagerEffectAlone', { top: top });
      if (worth > 0 && top >= worth) text = t('rounds.wagerEffect', { top: top, worth: worth, times: (top / worth).toFixed(top % worth === 0 ? 0 : 1) });
      else if (worth > 0) text = t('rounds.wagerEffectSmall', { top: top, worth: worth, percent: Math.max(1, Math.round((100 * top) / worth)) });
      effect.textContent = text;
      effect.classList.toggle('is-warning', worth > 0 && top < worth);
    });
  }
  list.addEventListener('input', showStakes);
  list.addEventListener('change', showStakes);

  function renumber() {
    Array.prototype.forEach.call(list.children, (item, index) => {
      item.querySelector('.round > legend').textContent = t('rounds.legend', { number: index + 1 });
      item.querySelector('[data-remove]').disabled = list.children.length === 1;
    });
    showStakes(); // rounds came or went, or the language changed
  }

  function bankChecks(chosen) {
    const banks = getBanks();
    if (!banks.length) return el('p', { class: 'hint' }, t('rounds.noBanks'));
    return el('div', { class: 'check-row' }, banks.map((bank) =>
      el('label', { class: 'check' },
        el('input', { type: 'checkbox', name: 'bank', value: bank.name, checked: chosen.indexOf(bank.name) >= 0 }),
        el('span', null, t('rounds.bankOption', { name: bank.name, count: bank.latest ? bank.latest.questionCount : 0 })))));
  }

  function add(kind) {
    const k = kind || 'everyone';
    const kindSelect = el('select', { name: 'kind', 'data-testid': 'round-kind' },
      ['everyone', 'buzz', 'risk', 'poll'].map((value) => el('option', { value: value, 'data-i18n': 'rounds.kind.' + value }, t('rounds.kind.' + value))));
    kindSelect.value = k;
    const remove = el('button', { type: 'button', class: 'btn btn-small btn-danger', 'data-remove': '', 'data-i18n': 'rounds.remove' }, t('rounds.remove'));
    const banks = getBanks();
    const fieldset = el('fieldset', { class: 'round', 'data-kind': k },
      el('legend'),
      el('div', { class: 'round-head' },
        el('label', { class: 'field' }, el('span', { 'data-i18n': 'rounds.kind' }, t('rounds.kind')), kindSelect),
        remove),
      el('div', { class: 'round-grid' },
        el('label', { class: 'field' }, el('span', { 'data-i18n': 'rounds.title' }, t('rounds.title')),
          el('input', { type: 'text', name: 'title', maxlength: '30', placeholder: t('rounds.titlePlaceholder'), 'data-i18n-attr': 'placeholder:rounds.titlePlaceholder' })),
        numberField('count', 'rounds.count', 5, 1, 100, 'not-poll'),
        el('label', { class: 'field wide only-poll' }, el('span', { 'data-i18n': 'rounds.poll' }, t('rounds.poll')),
          el('textarea', { name: 'poll', rows: '4', 'data-testid': 'poll-questions', placeholder: t('rounds.pollPlaceholder'),
            'data-i18n-attr': 'placeholder:rounds.pollPlaceholder' }),
          el('span', { class: 'hint', 'data-i18n': 'rounds.pollHint' }, t('rounds.pollHint'))),
        el('fieldset', { class: 'field wide choice-group not-poll' }, el('legend', { 'data-i18n': 'rounds.banks' }, t('rounds.banks')),
          el('div', { 'data-banks': '' }, bankChecks(banks.length === 1 ? [banks[0].name] : []))),
        el('fieldset', { class: 'field wide choice-group not-poll' }, el('legend', { 'data-i18n': 'rounds.types' }, t('rounds.types')),
          el('div', { class: 'check-row' }, TYPE_ORDER.map((type) =>
            el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'type', value: type }), el('span', null, typeLabel(type)))))),
        difficultySelect('minDifficulty', 'rounds.minDifficulty', 1),
        difficultySelect('maxDifficulty', 'rounds.maxDifficulty', 5),
        el('label', { class: 'field wide not-poll' }, el('span', { 'data-i18n': 'rounds.categories' }, t('rounds.categories')),
          el('input', { type: 'text', name: 'categories', list: 'category-options', placeholder: t('rounds.categoriesPlaceholder'),
            'data-i18n-attr': 'placeholder:rounds.categoriesPlaceholder' })),
        el('label', { class: 'field' },
          el('span', { class: 'not-buzz-label' }, t('rounds.timeLimit')),
          el('input', { type: 'number', name: 'timeLimitSeconds', value: String(DEFAULTS[k].time), min: '5', max: '600', step: '1' })),
        numberField('points', 'rounds.points', DEFAULTS[k].points, 0, 100000, 'not-risk not-poll'),
        numberField('streakBonus', 'rounds.streakBonus', 0, 0, 10000, 'only-everyone'),
        numberField('readSeconds', 'rounds.readSeconds', 3, 0, 60, 'only-buzz'),
        numberField('answerSeconds', 'rounds.answerSeconds', 10, 3, 120, 'only-buzz'),
        numberField('earlyBuzzPenalty', 'rounds.earlyPenalty', 50, 0, 100000, 'only-buzz'),
        numberField('wrongAnswerPenalty', 'rounds.wrongPenalty', 100, 0, 100000, 'only-buzz'),
        el('label', { class: 'field wide only-risk' }, el('span', { 'data-i18n': 'rounds.wagers' }, t('rounds.wagers')),
          el('input', { type: 'text', name: 'wagers', value: '', inputmode: 'numeric', 'data-testid': 'wagers' }),
          el('span', { class: 'hint wager-effect', 'data-testid': 'wager-effect', 'aria-live': 'polite' }))));
    const timeLabel = fieldset.querySelector('.not-buzz-label');
    const relabel = () => {
      const key = kindSelect.value === 'buzz' ? 'rounds.buzzWindow' : 'rounds.timeLimit';
      timeLabel.setAttribute('data-i18n', key); // so a language switch relabels it too
      timeLabel.textContent = t(key);
    };
    relabel();
    kindSelect.addEventListener('change', () => {
      const chosen = kindSelect.value;
      fieldset.setAttribute('data-kind', chosen);
      // The kinds differ in scale (1000 points with a speed bonus vs 100 all-or-nothing): take the new kind's defaults.
      fieldset.querySelector('[name="timeLimitSeconds"]').value = String(DEFAULTS[chosen].time);
      fieldset.querySelector('[name="points"]').value = String(DEFAULTS[chosen].points);
      relabel();
    });
    remove.addEventListener('click', () => {
      list.removeChild(item);
      renumber();
    });
    const item = el('li', null, fieldset);
    list.appendChild(item);
    renumber();
    return item;
  }

  // Redraws the bank checkboxes (the list arrived after the first round was drawn), keeping the ticks.
  function refreshBanks() {
    Array.prototype.forEach.call(list.querySelectorAll('[data-banks]'), (box) => {
      const chosen = Array.prototype.map.call(box.querySelectorAll('input:checked'), (input) => input.value);
      const banks = getBanks();
      const fresh = bankChecks(chosen.length ? chosen : banks.length === 1 ? [banks[0].name] : []);
      while (box.firstChild) box.removeChild(box.firstChild);
      box.appendChild(fresh);
    });
  }

  // → { rounds: [RoundSettings], problems: [text] }
  function read() {
    const rounds = [];
    const problems = [];
    Array.prototype.forEach.call(list.children, (item, index) => {
      const at = t('rounds.legend', { number: index + 1 });
      const field = (name) => item.querySelector('[name="' + name + '"]');
      const int = (name) => parseInt(field(name).value, 10);
      const kind = field('kind').value;
      if (kind === 'poll') {
        rounds.push(readPoll(item, at, problems));
        return;
      }
      const banks = Array.prototype.map.call(item.querySelectorAll('[name="bank"]:checked'), (input) => input.value);
      const types = Array.prototype.map.call(item.querySelectorAll('[name="type"]:checked'), (input) => input.value);
      if (!banks.length) problems.push(t('rounds.needBank', { round: at }));
      const count = int('count');
      if (!(count >= 1 && count <= 100)) problems.push(t('rounds.badCount', { round: at }));
      const time = int('timeLimitSeconds');
      if (!(time >= 5 && time <= 600)) problems.push(t('rounds.badTime', { round: at }));
      const low = int('minDifficulty');
      const high = int('maxDifficulty');
      if (low > high) problems.push(t('rounds.badDifficulty', { round: at }));
      const round = {
        kind: kind,
        banks: banks,
        draw: { count: count, types: types, categories: splitList(field('categories').value), minDifficulty: low, maxDifficulty: high },
        timeLimitSeconds: time,
      };
      const title = field('title').value.trim();
      if (title) round.title = title;
      if (kind !== 'risk') round.points = int('points') || 0;
      if (kind === 'everyone') round.streakBonus = int('streakBonus') || 0;
      if (kind === 'buzz') {
        ['readSeconds', 'answerSeconds', 'earlyBuzzPenalty', 'wrongAnswerPenalty'].forEach((name) => {
          const value = int(name);
          if (!isNaN(value)) round[name] = value;
        });
      }
      if (kind === 'risk') {
        // Blank: the server's stakes, in proportion to the other rounds (the placeholder shows them).
        const wagers = splitList(field('wagers').value).map((part) => parseInt(part, 10));
        if (wagers.some((value) => !(value > 0))) problems.push(t('rounds.badWagers', { round: at }));
        if (wagers.length) round.wagers = wagers;
      }
      rounds.push(round);
    });
    return { rounds: rounds, problems: problems };
  }

  // A 投票 round: its own questions, each with 2–8 options, and its answer time; nothing drawn, nothing scored.
  function readPoll(item, at, problems) {
    const field = (name) => item.querySelector('[name="' + name + '"]');
    const poll = parsePoll(field('poll').value);
    if (!poll.length || poll.length > 20) problems.push(t('rounds.badPollCount', { round: at }));
    poll.forEach((question, index) => {
      if (question.options.length < 2 || question.options.length > 8) problems.push(t('rounds.badPollOptions', { round: at, number: index + 1 }));
    });
    const time = parseInt(field('timeLimitSeconds').value, 10);
    if (!(time >= 5 && time <= 600)) problems.push(t('rounds.badTime', { round: at }));
    const round = { kind: 'poll', poll: poll, timeLimitSeconds: time };
    const title = field('title').value.trim();
    if (title) round.title = title;
    return round;
  }

  // Puts a stored round's settings into a freshly added round (editing or copying a contest); fields the round
  // does not carry keep the kind's defaults, as the server's do.
  function fill(item, round) {
    const field = (name) => item.querySelector('[name="' + name + '"]');
    const set = (name, value) => { if (value !== undefined && value !== null) field(name).value = String(value); };
    const draw = round.draw || {};
    set('title', round.title || '');
    set('count', draw.count);
    set('minDifficulty', draw.minDifficulty);
    set('maxDifficulty', draw.maxDifficulty);
    set('categories', (draw.categories || []).join('、'));
    set('timeLimitSeconds', round.timeLimitSeconds);
    ['points', 'streakBonus', 'readSeconds', 'answerSeconds', 'earlyBuzzPenalty', 'wrongAnswerPenalty'].forEach((name) => set(name, round[name]));
    if (round.wagers) set('wagers', round.wagers.join(', '));
    if (round.poll && round.poll.length) set('poll', pollText(round.poll));
    const types = draw.types || [];
    Array.prototype.forEach.call(item.querySelectorAll('[name="type"]'), (input) => { input.checked = types.indexOf(input.value) >= 0; });
    const box = item.querySelector('[data-banks]');
    while (box.firstChild) box.removeChild(box.firstChild);
    box.appendChild(bankChecks(round.banks || []));
  }

  // Replaces every round with `rounds` (stored settings); with none, one fresh round of the first kind.
  function load(rounds) {
    while (list.firstChild) list.removeChild(list.firstChild);
    if (!rounds || !rounds.length) {
      add('everyone');
      return;
    }
    rounds.forEach((round) => fill(add(round.kind), round));
    showStakes(); // the stored stakes, judged against the stored points
  }

  return { add: add, read: read, refreshBanks: refreshBanks, renumber: renumber, load: load, showStakes: showStakes };
}
