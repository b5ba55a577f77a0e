// What the member's campaign page (climb.html) shows, built from the page's state (see climb.js): the mountain
// with the ladder of levels, a question with its answer buttons, the right/wrong of an answer with the key and
// the explanation, and the result of an attempt with its review. Only builds nodes; climb.js owns the state,
// the requests and the actions the buttons call.
import { el } from './dom.js';
import { t } from './i18n.js';
import { optionLetter, typeLabel } from './format.js';

// ---- words -------------------------------------------------------------------------------------------

// 45 s → "45 秒"; 300 s → "5 分钟"; 90 s → "1 分 30 秒".
export function durationText(totalSeconds) {
  const s = Math.max(0, Math.round(totalSeconds));
  if (s < 60) return t('climb.secondsN', { seconds: s });
  const minutes = Math.floor(s / 60);
  const rest = s % 60;
  return rest ? t('climb.minutesSeconds', { minutes: minutes, seconds: rest }) : t('climb.minutesN', { minutes: minutes });
}

// A countdown as people read it: "18" under a minute, "4:05" above.
export function clockText(ms) {
  const s = Math.ceil(Math.max(0, ms) / 1000);
  if (s <= 60) return t('play.seconds', { seconds: s });
  const rest = s % 60;
  return Math.floor(s / 60) + ':' + (rest < 10 ? '0' : '') + rest;
}

export function levelFacts(level) {
  const time = level.timeLimitKind === 'perLevel'
    ? t('climb.perLevel', { time: durationText(level.timeLimitSeconds) })
    : t('climb.perQuestion', { time: durationText(level.timeLimitSeconds) });
  return [
    t('climb.questionsN', { count: level.questions }),
    time,
    t('climb.passNeed', { count: level.correctNeeded, percent: level.passPercent }),
  ];
}

export function percent(rate) {
  return Math.round((rate || 0) * 1000) / 10 + '%';
}

export function oneDecimal(value) {
  return (Math.round((value || 0) * 10) / 10).toFixed(1);
}

// "2026-07-01" → "7月1日" (Chinese) or "7/1" (English): the campaign's calendar day as written, no time zone.
export function dayText(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  if (!match) return iso || '';
  return t('climb.day', { month: Number(match[2]), day: Number(match[3]) });
}

// ---- the mountain --------------------------------------------------------------------------------------

// The ladder drawn as a mountain: the summit on top, each level a step, wider towards the foot; cleared steps
// in red and gold, the next one outlined, the member's marker on the step they stand on.
export function mountain(me) {
  const levels = me.campaign.levels || [];
  const count = levels.length;
  const compact = count > 12;
  const items = [];
  for (let i = count - 1; i >= 0; i -= 1) {
    const level = levels[i];
    const cleared = level.level <= me.height;
    const next = level.level === me.height + 1;
    const here = level.level === me.height;
    const width = 48 + 44 * ((count - i) / count);
    items.push(el('li', {
      class: 'step' + (cleared ? ' is-cleared' : '') + (next ? ' is-next' : '') + (here ? ' is-here' : '') +
        (level.level === count ? ' is-summit' : ''),
      'data-level': level.level, style: { width: width.toFixed(1) + '%' },
    },
    el('span', { class: 'step-label' },
      cleared ? el('span', { class: 'step-mark', 'aria-hidden': 'true' }, '✓') : null,
      compact && !next && !here && level.level !== count ? '' : level.title,
      next ? el('span', { class: 'step-next' }, t('climb.nextMark')) : null),
    here ? el('span', { class: 'me-marker', 'data-testid': 'me-marker' }, t('climb.me')) : null));
  }
  items.push(el('li', { class: 'step step-base' + (me.height === 0 ? ' is-here' : ''), 'data-level': 0 },
    el('span', { class: 'step-label' }, t('climb.foot')),
    me.height === 0 ? el('span', { class: 'me-marker', 'data-testid': 'me-marker' }, t('climb.me')) : null));
  return { items: items, compact: compact };
}

export function standingRows(me) {
  const rows = [];
  rows.push(fact(t('climb.rankAll'), me.rank ? t('climb.rankOf', { rank: me.rank, count: me.participants }) : t('climb.noRank'), 'rank'));
  if (me.rankInBranch) {
    rows.push(fact(t('climb.rankBranch'), t('climb.rankOf', { rank: me.rankInBranch, count: me.branchParticipants }), 'rank-branch'));
  }
  rows.push(fact(t('climb.accuracy'), me.answered ? t('climb.accuracyOf', { correct: me.correct, answered: me.answered,
    percent: percent(me.correct / me.answered) }) : '—', 'accuracy'));
  return rows;
}

export function branchRows(me) {
  const b = me.branch;
  return [
    fact(t('climb.branchRank'), t('climb.rankOf', { rank: b.rank, count: me.branchCount }), 'branch-rank'),
    fact(t('climb.participation'), t('climb.participationOf', { percent: percent(b.participationRate), participants: b.participants, roster: b.roster }), 'participation'),
    fact(t('climb.meanHeight'), t('climb.levelsN', { count: oneDecimal(b.meanHeight) }), 'mean-height'),
    fact(t('climb.composite'), oneDecimal(b.composite), 'composite'),
  ];
}

function fact(label, value, name) {
  return el('div', { 'data-fact': name }, el('dt', null, label), el('dd', null, value));
}

// ---- a question -------------------------------------------------------------------------------------------

function card(className, ...children) {
  return el('section', { class: 'card ' + (className || '') }, children);
}

function questionCard(q) {
  return card('q-card',
    el('p', { class: 'q-type' }, typeLabel(q.type) + (q.type === 'multiple' ? t('play.multipleHint') : '')),
    el('h2', { class: 'q-stem', 'data-testid': 'stem' }, q.stem || ''));
}

function optionButtons(s, act, interactive) {
  const q = s.attempt.question;
  const list = el('div', { class: 'options', role: 'group', 'aria-label': t('play.options') });
  const sent = s.sent && s.sent.index === q.index ? s.sent.picks || [] : null;
  (q.options || []).forEach((text, position) => {
    const on = (sent || s.selected).indexOf(position) >= 0;
    const button = el('button', {
      type: 'button', class: 'option', 'data-position': position, 'data-testid': 'option',
      'aria-pressed': on ? 'true' : 'false', disabled: !interactive,
    }, el('span', { class: 'option-letter', 'aria-hidden': 'true' }, optionLetter(position)),
    el('span', { class: 'option-text' }, text));
    if (interactive) {
      button.addEventListener('click', () => (q.type === 'multiple' ? act.toggle(position) : act.answer({ picks: [position] })));
    }
    list.appendChild(button);
  });
  return list;
}

function truthButtons(s, act, interactive) {
  const q = s.attempt.question;
  const sent = s.sent && s.sent.index === q.index ? s.sent.truth : undefined;
  const row = el('div', { class: 'truth-row' });
  [true, false].forEach((value) => {
    const button = el('button', {
      type: 'button', class: 'truth ' + (value ? 'truth-yes' : 'truth-no'), 'data-truth': String(value),
      'data-testid': 'truth', 'aria-pressed': sent === value ? 'true' : 'false', disabled: !interactive,
    }, el('span', { class: 'truth-mark', 'aria-hidden': 'true' }, value ? '✓' : '✗'), t(value ? 'play.true' : 'play.false'));
    if (interactive) button.addEventListener('click', () => act.answer({ truth: value }));
    row.appendChild(button);
  });
  return row;
}

function fillBox(s, act, interactive) {
  const q = s.attempt.question;
  const input = el('input', {
    id: 'fill-input', type: 'text', maxlength: '200', autocomplete: 'off', 'data-testid': 'fill-input',
    'aria-label': t('play.fillLabel'), placeholder: t('play.fillLabel'), disabled: !interactive,
  });
  input.value = s.sent && s.sent.index === q.index && s.sent.text !== undefined ? s.sent.text : s.draft;
  input.addEventListener('input', () => act.draft(input.value));
  const submit = el('button', { type: 'submit', class: 'btn btn-primary btn-block btn-large', 'data-testid': 'submit', disabled: !interactive }, t('play.submit'));
  const form = el('form', { class: 'fill-form stack', novalidate: true }, input, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (interactive) act.text(input.value);
  });
  return form;
}

function answerArea(s, act, interactive) {
  const q = s.attempt.question;
  if (q.type === 'truefalse') return truthButtons(s, act, interactive);
  if (q.type === 'fill') return fillBox(s, act, interactive);
  const parts = [optionButtons(s, act, interactive)];
  if (q.type === 'multiple') {
    const submit = el('button', {
      type: 'button', class: 'btn btn-primary btn-block btn-large submit-picks', 'data-testid': 'submit',
      disabled: !interactive || s.selected.length === 0,
    }, t('play.submit'));
    submit.addEventListener('click', act.submitPicks);
    parts.push(submit);
  }
  return el('div', { class: 'answer-area' }, parts);
}

// The previous question's outcome, when this page never showed it (its time ran out, or the page was reloaded).
function previousNote(g) {
  if (!g) return null;
  const kind = outcome(g);
  return el('p', { class: 'prev-note is-' + kind, 'data-testid': 'prev-note' },
    t('climb.prev.' + kind, { number: g.index + 1 }) + ' ' + keyLine(g));
}

export function questionScreen(s, act) {
  const a = s.attempt;
  const q = a.question;
  // On its way, or waiting to be sent again: the answer given stays marked and the others stay shut.
  const sending = s.pending === 'answer' || s.retrying === 'answer';
  const timedOut = s.timedOut === q.index;
  const parts = [previousNote(s.note), questionCard(q), answerArea(s, act, !sending && !timedOut && !s.pending)];
  if (s.pending === 'answer') {
    parts.push(el('p', { class: 'answer-status is-pending', 'data-ack': 'pending', 'data-testid': 'answer-status' }, t('play.sending')));
  }
  if (timedOut) {
    // Per question, the attempt goes on (unless that was the last); per level, the whole level's time is up.
    const ends = !q.timeLimitMs || a.answered + 1 >= a.questionCount;
    parts.push(card('result result-wrong timeout-card',
      el('p', { class: 'result-title', 'data-testid': 'timeout' }, t('climb.timeUp')),
      el('p', { class: 'lead' }, t(q.timeLimitMs ? 'climb.timeUpQuestion' : 'climb.timeUpLevel'))));
    parts.push(nextButton(act, ends ? 'climb.seeResult' : 'climb.next'));
  } else if (!sending) {
    const giveUp = el('button', { type: 'button', class: 'link-button give-up', 'data-testid': 'abandon' }, t('climb.abandon'));
    giveUp.addEventListener('click', act.abandon);
    parts.push(el('p', { class: 'give-up-line' }, giveUp));
  }
  return el('div', { class: 'phase-open' }, parts);
}

function nextButton(act, key) {
  const button = el('button', { type: 'button', class: 'btn btn-primary btn-block btn-large next-button', 'data-testid': 'next' }, t(key));
  button.addEventListener('click', act.next);
  return button;
}

// ---- an answer's right and wrong ------------------------------------------------------------------------

function outcome(g) {
  const none = g.picks === undefined && g.truth === undefined && g.text === undefined;
  if (none) return 'timeout';
  return g.correct ? 'right' : 'wrong';
}

function truthWord(value) {
  return t(value ? 'play.true' : 'play.false');
}

// "正确答案：B. 1921年" in one line, for notes and the review.
export function keyLine(g) {
  let key = '';
  if (g.keyPicks) key = g.keyPicks.map((position) => optionLetter(position) + '. ' + (g.options[position] || '')).join(t('punct.semicolon'));
  else if (g.keyTruth !== undefined) key = truthWord(g.keyTruth);
  else if (g.keyTexts) key = g.keyTexts.join(' / ');
  return t('play.keyIs', { key: key });
}

function yourLine(g) {
  if (g.picks) return t('play.yoursIs', { answer: g.picks.map((p) => optionLetter(p)).join('、') || '—' });
  if (g.truth !== undefined) return t('play.yoursIs', { answer: truthWord(g.truth) });
  if (g.text !== undefined) return t('play.yoursIs', { answer: g.text });
  return t('climb.noAnswer');
}

// The options with the key and this member's picks marked (✓ key, ✗ a wrong pick), or the key in words.
function keyView(g) {
  if (g.keyPicks) {
    const mine = g.picks || [];
    return el('div', { class: 'options is-revealed' }, (g.options || []).map((text, position) => {
      const isKey = g.keyPicks.indexOf(position) >= 0;
      const isMine = mine.indexOf(position) >= 0;
      return el('div', {
        class: 'option' + (isKey ? ' is-key' : '') + (isMine ? ' is-mine' : '') + (isMine && !isKey ? ' is-wrong' : ''),
        'data-position': position, 'data-key': isKey ? 'true' : 'false', 'data-testid': 'revealed-option',
      }, el('span', { class: 'option-letter', 'aria-hidden': 'true' }, isKey ? '✓' : isMine ? '✗' : optionLetter(position)),
      el('span', { class: 'option-text' }, optionLetter(position) + '. ' + text),
      isMine ? el('span', { class: 'option-mine' }, t('play.yourPick')) : null);
    }));
  }
  return card('key-card', el('p', { class: 'lead key-line', 'data-testid': 'key' }, keyLine(g)),
    el('p', { class: 'lead' }, yourLine(g)));
}

function explanationCard(g) {
  if (!g.explanation) return null;
  return card('explanation', el('h2', null, t('play.explanation')), el('p', { class: 'lead', 'data-testid': 'explanation' }, g.explanation));
}

function verdict(g) {
  const kind = outcome(g);
  return el('section', { class: 'card result result-' + (kind === 'right' ? 'correct' : 'wrong'), 'data-testid': 'verdict', 'data-outcome': kind },
    el('p', { class: 'result-title' }, t('climb.outcome.' + kind)));
}

export function feedbackScreen(s, act) {
  const a = s.attempt;
  const g = s.feedback;
  const over = a.status !== 'answering';
  return el('div', { class: 'phase-revealed' },
    verdict(g),
    card('q-card', el('h2', { class: 'q-stem' }, g.stem)),
    keyView(g),
    explanationCard(g),
    el('p', { class: 'progress-line', 'data-testid': 'progress-line' },
      t('climb.progress', { answered: a.answered, count: a.questionCount, correct: a.correct, needed: a.correctNeeded })),
    s.pending ? el('p', { class: 'answer-status is-pending' }, t('climb.loadingNext')) : null,
    nextButton(act, over ? 'climb.seeResult' : 'climb.next'));
}

// Between questions with nothing to show (a timed-out level, a reply that never came): the way on.
export function waitScreen(s, act) {
  const over = s.attempt.status !== 'answering';
  return el('div', null,
    card('', el('p', { class: 'lead' }, t(s.timedOut === 'attempt' ? 'climb.timeUpLevel' : 'climb.between'))),
    nextButton(act, over || s.timedOut === 'attempt' ? 'climb.seeResult' : 'climb.next'));
}

// ---- the result of an attempt --------------------------------------------------------------------------

// The climber steps up: three steps of the mountain, the marker rising from the old one to the new, a flag.
function celebration(height, summit) {
  return el('div', { class: 'celebrate-scene' + (summit ? ' is-summit' : ''), 'aria-hidden': 'true' },
    el('span', { class: 'rays' }),
    el('span', { class: 'c-step c-step-1' }, String(Math.max(0, height - 1))),
    el('span', { class: 'c-step c-step-2' }, String(height)),
    summit ? null : el('span', { class: 'c-step c-step-3' }),
    el('span', { class: 'c-climber' }, t('climb.me')),
    el('span', { class: 'c-flag' }),
    el('span', { class: 'spark k1' }, '✦'),
    el('span', { class: 'spark k2' }, '✧'),
    el('span', { class: 'spark k3' }, '✦'),
    el('span', { class: 'spark k4' }, '✧'));
}

function reviewItem(g) {
  const kind = outcome(g);
  return el('li', { class: 'review-item is-' + kind, 'data-index': g.index, 'data-outcome': kind },
    el('p', { class: 'review-head' },
      el('span', { class: 'review-mark', 'aria-hidden': 'true' }, kind === 'right' ? '✓' : '✗'),
      el('span', null, t('climb.reviewN', { number: g.index + 1 }) + ' · ' + typeLabel(g.type) + ' · ' + t('climb.short.' + kind))),
    el('p', { class: 'review-stem' }, g.stem),
    g.options && g.options.length && g.type !== 'truefalse'
      ? el('ol', { class: 'review-options' }, g.options.map((text, position) =>
        el('li', { class: (g.keyPicks || []).indexOf(position) >= 0 ? 'is-key' : (g.picks || []).indexOf(position) >= 0 ? 'is-wrong' : '' },
          optionLetter(position) + '. ' + text)))
      : null,
    el('p', { class: 'review-key' }, keyLine(g)),
    el('p', { class: 'review-yours' }, yourLine(g)),
    g.explanation ? el('p', { class: 'review-explanation' }, el('b', null, t('play.explanation') + t('punct.colon')), g.explanation) : null);
}

// me: the mountain fetched after the attempt ended (null until it arrives), for "continue" and the rank.
export function resultScreen(s, act) {
  const a = s.attempt;
  const me = s.me;
  const passed = a.status === 'passed';
  const summit = passed && me && me.levelCount === a.height;
  const head = passed
    ? el('section', { class: 'card result-card is-passed', 'data-testid': 'result', 'data-status': a.status },
      celebration(a.height, summit),
      el('h1', { class: 'result-title', 'data-testid': 'celebration' }, t(summit ? 'climb.summitReached' : 'climb.passedTitle', { level: a.level })),
      el('p', { class: 'new-height' }, t('climb.newHeight'), ' ', el('b', { 'data-testid': 'new-height' }, String(a.height)),
        ' ', t('climb.levelUnit')),
      el('p', { class: 'lead' }, t('climb.passedText', { correct: a.correct, count: a.questionCount })))
    : el('section', { class: 'card result-card is-' + a.status, 'data-testid': 'result', 'data-status': a.status },
      el('h1', { class: 'result-title' }, t('climb.status.' + a.status)),
      el('p', { class: 'lead' }, t('climb.why.' + a.status, { correct: a.correct, count: a.questionCount, needed: a.correctNeeded, level: a.level })),
      el('p', { class: 'lead' }, t('climb.heightKept', { height: a.height === undefined || a.height === null ? '—' : a.height })));

  const actions = [];
  if (me && me.open && me.nextLevel && me.attemptsLeft > 0) {
    const again = el('button', { type: 'button', class: 'btn btn-primary btn-block btn-large', 'data-testid': 'continue' },
      t(passed ? 'climb.continueNext' : 'climb.tryAgain', { title: me.nextLevel.title }));
    again.addEventListener('click', act.start);
    actions.push(again);
    actions.push(el('p', { class: 'attempts-line' }, t('climb.attemptsLeft', { left: me.attemptsLeft, total: me.campaign.attemptsPerDay })));
  } else if (me && me.nextLevel && me.attemptsLeft === 0) {
    actions.push(el('p', { class: 'attempts-line' }, t('climb.noneLeftToday')));
  }
  const back = el('button', { type: 'button', class: 'btn btn-block btn-large', 'data-testid': 'back-to-mountain' }, t('climb.backToMountain'));
  back.addEventListener('click', act.backToMountain);
  actions.push(back);

  return el('div', { class: 'result-view' },
    head,
    el('div', { class: 'result-actions' }, actions),
    a.graded && a.graded.length ? card('review-card',
      el('h2', null, t('climb.review', { correct: a.correct, count: a.questionCount })),
      el('ol', { class: 'review-list', 'data-testid': 'review' }, a.graded.map(reviewItem))) : null);
}
