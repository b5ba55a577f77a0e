// What the phone shows in each phase of a live contest, built from the page's state (see play.js). Only
// builds nodes; play.js owns the state, the socket and the actions the buttons call.
import { el } from './dom.js';
import { t } from './i18n.js';
import { optionLetter, typeLabel } from './format.js';
import { changeClass, changeText, roundName, signed } from './contest-text.js';

export function renderScreen(s, act) {
  switch (s.phase) {
    case 'lobby': return lobby(s);
    case 'wagering': return wagering(s, act);
    case 'open': return s.question && s.question.kind === 'buzz' ? buzzOpen(s, act) : open(s, act);
    case 'closed': return closed(s);
    case 'revealed': return revealed(s);
    case 'leaderboard': return leaderboard(s);
    case 'finished': return finished(s);
    default: return el('section', { class: 'card' }, el('p', { class: 'lead' }, t('play.waiting')));
  }
}

// ---- pieces -----------------------------------------------------------------------------------------

function card(className, ...children) {
  return el('section', { class: 'card ' + (className || '') }, children);
}

function questionCard(q) {
  return card('q-card',
    q.kind === 'poll' ? el('p', { class: 'q-poll', 'data-testid': 'poll-label' }, t('play.pollLabel')) : null,
    el('p', { class: 'q-type' }, typeLabel(q.type) + (q.type === 'multiple' ? t('play.multipleHint') : '')),
    el('h2', { class: 'q-stem', 'data-testid': 'stem' }, q.stem || ''));
}

// The answer this phone gave (acknowledged, or on its way), in this phone's option positions.
function myAnswer(s) {
  const number = s.question ? s.question.number : null;
  if (s.answered && s.answered.number === number) return s.answered;
  if (s.pending && s.pending.number === number) return s.pending.answer;
  return null;
}

function picked(s, position) {
  const answer = myAnswer(s);
  if (answer && answer.picks) return answer.picks.indexOf(position) >= 0;
  return s.selected.indexOf(position) >= 0;
}

// The bank's letter of the option at `position` (the server sends `letters` with shuffled options), so a phone's
// "C" is the big screen's and the host's "C" whatever order this phone shows them in.
function letterAt(letters, position) {
  return (letters && letters[position]) || optionLetter(position);
}

function optionList(s, act, interactive) {
  const q = s.question;
  const list = el('div', { class: 'options', role: 'group', 'aria-label': t('play.options') });
  (q.options || []).forEach((text, position) => {
    const button = el('button', {
      type: 'button', class: 'option', 'data-position': position, 'data-testid': 'option',
      'aria-pressed': picked(s, position) ? 'true' : 'false', disabled: !interactive,
    }, el('span', { class: 'option-letter', 'aria-hidden': 'true' }, letterAt(q.letters, position)),
    el('span', { class: 'option-text' }, text));
    if (interactive) {
      button.addEventListener('click', () => (q.type === 'multiple' ? act.toggle(position) : act.choose(position)));
    }
    list.appendChild(button);
  });
  return list;
}

function truthButtons(s, act, interactive) {
  const answer = myAnswer(s);
  const row = el('div', { class: 'truth-row' });
  [true, false].forEach((value) => {
    const button = el('button', {
      type: 'button', class: 'truth ' + (value ? 'truth-yes' : 'truth-no'), 'data-truth': String(value),
      'data-testid': 'truth', 'aria-pressed': answer && answer.truth === value ? 'true' : 'false', disabled: !interactive,
    }, el('span', { class: 'truth-mark', 'aria-hidden': 'true' }, value ? '✓' : '✗'), t(value ? 'play.true' : 'play.false'));
    if (interactive) button.addEventListener('click', () => act.truth(value));
    row.appendChild(button);
  });
  return row;
}

function fillBox(s, act, interactive) {
  const answer = myAnswer(s);
  const input = el('input', {
    id: 'fill-input', type: 'text', maxlength: '200', autocomplete: 'off', 'data-testid': 'fill-input',
    'aria-label': t('play.fillLabel'), placeholder: t('play.fillLabel'), disabled: !interactive,
  });
  input.value = answer && answer.text !== undefined ? answer.text : s.draft;
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
  const q = s.question;
  if (q.type === 'truefalse') return truthButtons(s, act, interactive);
  if (q.type === 'fill') return fillBox(s, act, interactive);
  const parts = [optionList(s, act, interactive)];
  if (q.type === 'multiple' && interactive) {
    const submit = el('button', {
      type: 'button', class: 'btn btn-primary btn-block btn-large submit-picks', 'data-testid': 'submit',
      disabled: s.selected.length === 0,
    }, t('play.submit'));
    submit.addEventListener('click', act.submitPicks);
    parts.push(submit);
  }
  return el('div', { class: 'answer-area' }, parts);
}

// One line under the answers: on its way, received, too late.
function answerStatus(s) {
  const number = s.question ? s.question.number : null;
  if (s.answered && s.answered.number === number) {
    return el('p', { class: 'answer-status is-received', 'data-ack': 'accepted', 'data-testid': 'answer-status' }, '✓ ' + t('play.received'));
  }
  if (s.late === number) {
    return el('p', { class: 'answer-status is-late', 'data-ack': 'late', 'data-testid': 'answer-status' }, t('play.late'));
  }
  if (s.pending && s.pending.number === number) {
    return el('p', { class: 'answer-status is-pending', 'data-ack': 'pending', 'data-testid': 'answer-status' }, t('play.sending'));
  }
  return null;
}

function wagerNote(s) {
  const q = s.question;
  if (!q || q.kind !== 'risk') return null;
  const amount = s.wager && s.wager.number === q.number ? s.wager.amount : Math.min.apply(null, q.wagers || [0]);
  return el('p', { class: 'wager-note', 'data-testid': 'wager-note' }, t('play.stakeIs', { amount: amount }));
}

// ---- phases -----------------------------------------------------------------------------------------

function lobby(s) {
  const c = s.contest || {};
  return card('lobby-card',
    el('p', { class: 'big-mark', 'aria-hidden': 'true' }, '✓'),
    el('h1', { class: 'contest-title', 'data-testid': 'contest-title' }, c.title || ''),
    el('p', { class: 'lead', 'data-testid': 'lobby-text' }, t('play.joined')),
    el('p', { class: 'lead' }, t('play.waitStart')),
    c.questionCount ? el('p', { class: 'hint', 'data-testid': 'contest-shape' }, t('play.contestShape', {
      count: c.questionCount, rounds: (c.rounds || []).map((round) => roundName(round.title, round.kind)).join(t('contest.roundSeparator')),
    })) : null);
}

function wagering(s, act) {
  const q = s.question || {};
  const chosen = s.wager && s.wager.number === q.number ? s.wager.amount : null;
  const pending = s.wagerPending && s.wagerPending.number === q.number ? s.wagerPending.amount : null;
  const buttons = el('div', { class: 'wager-row' }, (q.wagers || []).map((amount) => {
    const button = el('button', {
      type: 'button', class: 'wager', 'data-amount': amount, 'data-testid': 'wager',
      'aria-pressed': (pending !== null ? pending : chosen) === amount ? 'true' : 'false',
    }, String(amount));
    button.addEventListener('click', () => act.wager(amount));
    return button;
  }));
  return card('wager-card',
    el('h2', null, t('play.riskTitle')),
    q.category ? el('p', { class: 'lead' }, t('play.category', { category: q.category })) : null,
    el('p', { class: 'lead' }, t('play.riskHint')),
    buttons,
    el('p', { class: 'answer-status' + (chosen !== null ? ' is-received' : ''), 'data-testid': 'wager-status' },
      chosen !== null ? '✓ ' + t('play.wagerChosen', { amount: chosen })
        : t('play.wagerDefault', { amount: Math.min.apply(null, q.wagers && q.wagers.length ? q.wagers : [0]) })));
}

function open(s, act) {
  const q = s.question;
  const done = !!myAnswer(s) || s.late === q.number;
  return el('div', { class: 'phase-open' },
    questionCard(q),
    wagerNote(s),
    answerArea(s, act, !done && !s.paused),
    answerStatus(s));
}

// The seat that holds the buzzer, if it is this phone.
function holdsBuzzer(s) {
  return !!(s.buzzer && s.buzzer.holder && s.seat && s.buzzer.holder.seat === s.seat.id);
}

function buzzOpen(s, act) {
  const q = s.question;
  const mine = holdsBuzzer(s);
  const answered = !!myAnswer(s);
  const parts = [questionCard(q)];
  if (mine && !answered) {
    parts.push(el('p', { class: 'buzz-won', 'data-testid': 'buzz-status' }, t('play.buzzWon')));
    parts.push(answerArea(s, act, !s.paused));
  } else {
    // The buzzer right under the question, the options (not yet answerable) below it: on a small phone the
    // button must be on the first screen.
    parts.push(buzzButton(s, act));
    parts.push(answerArea(s, act, false));
  }
  parts.push(answerStatus(s));
  return el('div', { class: 'phase-open' }, parts);
}

// The big 抢答 button and the line above it. Its label and state change with time (the buzzer opens after
// the reading time), so play.js calls updateBuzzButton a few times a second while it waits.
function buzzButton(s, act) {
  const button = el('button', { type: 'button', id: 'buzz-button', class: 'buzz-button', 'data-testid': 'buzz' });
  button.addEventListener('click', act.buzz);
  const line = el('p', { id: 'buzz-line', class: 'buzz-line', 'data-testid': 'buzz-status' });
  const wrap = el('div', { class: 'buzz-wrap' }, line, button);
  updateBuzzButton(s, wrap);
  return wrap;
}

export function updateBuzzButton(s, root) {
  const scope = root || document;
  const button = scope.querySelector('#buzz-button');
  const line = scope.querySelector('#buzz-line');
  if (!button || !line) return;
  const number = s.question ? s.question.number : null;
  const buzz = s.buzz && s.buzz.number === number ? s.buzz : null;
  const buzzer = s.buzzer && s.buzzer.number === number ? s.buzzer : null;
  let label = t('play.buzz');
  let text = '';
  let enabled = false;
  let mode = 'wait';
  if (buzz && buzz.status === 'early') {
    text = t('play.buzzEarly', { penalty: buzz.penalty || 0 });
    mode = 'early';
  } else if (buzz && buzz.status === 'tried' || myAnswer(s)) {
    text = t('play.buzzTried');
    mode = 'tried';
  } else if (buzz && buzz.status === 'pending') {
    text = t('play.sending');
    mode = 'pending';
  } else if (buzzer && buzzer.holder) {
    text = t('play.buzzHeld', { name: buzzer.holder.name, branch: buzzer.holder.branch });
    mode = 'held';
  } else if (s.paused) {
    text = t('play.paused');
  } else {
    const wait = s.buzzOpensAt ? s.buzzOpensAt - performance.now() : 0;
    if (wait > 0) {
      text = t('play.buzzSoon', { seconds: Math.ceil(wait / 1000) });
      label = t('play.buzzReading');
    } else {
      text = t('play.buzzNow');
      enabled = true;
      mode = 'open';
    }
  }
  button.textContent = label;
  button.disabled = !enabled;
  button.setAttribute('data-mode', mode);
  line.textContent = text;
}

function closed(s) {
  const q = s.question;
  return el('div', { class: 'phase-closed' },
    questionCard(q),
    wagerNote(s),
    answerArea(s, {}, false),
    answerStatus(s),
    card('wait-card', el('p', { class: 'lead', 'data-testid': 'closed-text' },
      myAnswer(s) ? t('play.closedAnswered') : t('play.closedMissed'))));
}

// A poll has no right answer: thanks, and how the room voted, with this phone's pick marked.
function pollView(s) {
  const r = s.reveal;
  const mine = (myAnswer(s) || {}).picks || [];
  const total = (r.distribution || []).reduce((sum, n) => sum + n, 0);
  return el('div', { class: 'phase-revealed' },
    card('result result-poll', el('p', { class: 'result-title', 'data-testid': 'result', 'data-correctness': 'poll' }, t('play.pollThanks')),
      el('p', { class: 'result-score' }, t('play.pollVoters', { count: total }))),
    s.question && s.question.stem ? card('q-card', el('h2', { class: 'q-stem' }, s.question.stem)) : null,
    el('div', { class: 'options is-revealed' }, (r.options || []).map((text, position) => {
      const count = r.distribution[position] || 0;
      const isMine = mine.indexOf(position) >= 0;
      return el('div', { class: 'option poll-option' + (isMine ? ' is-mine' : ''), 'data-testid': 'poll-option', 'data-count': count },
        el('span', { class: 'option-letter', 'aria-hidden': 'true' }, letterAt(r.letters, position)),
        el('span', { class: 'option-text' }, text),
        el('span', { class: 'option-mine' }, t('play.pollShare', { count: count, percent: total ? Math.round((100 * count) / total) : 0 })
          + (isMine ? ' · ' + t('play.yourPick') : '')));
    })));
}

function resultBanner(s) {
  const r = s.reveal;
  const you = r && r.you;
  if (!you) {
    return card('result result-unknown', el('p', { class: 'lead', 'data-testid': 'result' }, t('play.revealedElsewhere')));
  }
  let kind = you.correctness || 'none';
  let title = t('play.result.' + kind);
  if (!you.correctness && you.points < 0) {
    kind = 'penalty';
    title = t('play.result.penalty');
  }
  return el('section', { class: 'card result result-' + kind, 'data-testid': 'result', 'data-correctness': kind },
    el('p', { class: 'result-title' }, title),
    el('p', { class: 'result-points', 'data-testid': 'result-points' }, t('play.points', { points: signed(you.points) })),
    el('p', { class: 'result-score' }, t('play.totalScore', { score: you.score })));
}

function keyView(s) {
  const r = s.reveal;
  const q = s.question || {};
  if (!r || r.number !== q.number) return null;
  const answer = myAnswer(s) || {};
  if (r.options) {
    const key = r.key || [];
    const mine = answer.picks || [];
    return el('div', { class: 'options is-revealed' }, r.options.map((text, position) => {
      const isKey = key.indexOf(position) >= 0;
      const isMine = mine.indexOf(position) >= 0;
      return el('div', {
        class: 'option' + (isKey ? ' is-key' : '') + (isMine ? ' is-mine' : '') + (isMine && !isKey ? ' is-wrong' : ''),
        'data-position': position, 'data-key': isKey ? 'true' : 'false', 'data-testid': 'revealed-option',
      }, el('span', { class: 'option-letter', 'aria-hidden': 'true' }, isKey ? '✓' : isMine ? '✗' : letterAt(r.letters, position)),
      el('span', { class: 'option-text' }, letterAt(r.letters, position) + '. ' + text),
      isMine ? el('span', { class: 'option-mine' }, t('play.yourPick')) : null);
    }));
  }
  if (r.truth !== undefined) {
    return card('key-card', el('p', { class: 'lead', 'data-testid': 'key' }, t('play.keyIs', { key: t(r.truth ? 'play.true' : 'play.false') })),
      answer.truth !== undefined ? el('p', { class: 'lead' }, t('play.yoursIs', { answer: t(answer.truth ? 'play.true' : 'play.false') })) : null);
  }
  if (r.texts) {
    return card('key-card', el('p', { class: 'lead', 'data-testid': 'key' }, t('play.keyIs', { key: r.texts.join(t('punct.semicolon')) })),
      answer.text !== undefined ? el('p', { class: 'lead' }, t('play.yoursIs', { answer: answer.text })) : null);
  }
  return null;
}

function revealed(s) {
  const r = s.reveal;
  const q = s.question || {};
  if (q.kind === 'poll' && r && r.number === q.number) return pollView(s);
  return el('div', { class: 'phase-revealed' },
    resultBanner(s),
    q.stem ? card('q-card', el('h2', { class: 'q-stem' }, q.stem)) : null,
    keyView(s),
    r && r.explanation ? card('explanation', el('h2', null, t('play.explanation')), el('p', { class: 'lead', 'data-testid': 'explanation' }, r.explanation)) : null);
}

function rankCard(s) {
  const b = s.board;
  const you = b && b.you;
  if (!you) return card('rank-card', el('p', { class: 'lead' }, t('play.noRank')));
  return el('section', { class: 'card rank-card', 'data-testid': 'my-rank', 'data-rank': you.rank },
    el('p', { class: 'rank-label' }, t('play.yourRank')),
    el('p', { class: 'rank-number' }, t('play.rankN', { rank: you.rank })),
    you.change !== undefined && you.change !== null
      ? el('p', { class: 'rank-change ' + changeClass(you.change), 'data-testid': 'rank-change' }, changeText(you.change) + ' ' + rankWords(you.change))
      : null,
    el('p', { class: 'result-score' }, t('play.totalScoreOf', { score: you.score, players: b.players })));
}

function rankWords(change) {
  if (change > 0) return t('play.rankUp', { count: change });
  if (change < 0) return t('play.rankDown', { count: -change });
  return t('play.rankSame');
}

function standings(s, limit) {
  const b = s.board;
  if (!b || !b.top || !b.top.length) return null;
  const me = s.seat ? s.seat.id : null;
  return card('standings',
    el('h2', null, t('play.topList')),
    el('ol', { class: 'standings-list', 'data-testid': 'top-list' }, b.top.slice(0, limit).map((row) =>
      el('li', { class: row.seat === me ? 'is-me' : '', 'data-seat': row.seat },
        el('span', { class: 'st-rank' }, String(row.rank)),
        el('span', { class: 'st-name' }, row.name, el('small', null, row.branch)),
        el('span', { class: 'st-score' }, String(row.score))))));
}

function branchList(s) {
  const b = s.board;
  if (!b || !b.branches || b.branches.length < 2) return null;
  const mine = s.seat ? s.seat.branchId : null;
  return card('standings',
    el('h2', null, t('play.branchList')),
    el('ol', { class: 'standings-list', 'data-testid': 'branch-list' }, b.branches.map((row) =>
      el('li', { class: row.id === mine ? 'is-me' : '' },
        el('span', { class: 'st-rank' }, String(row.rank)),
        el('span', { class: 'st-name' }, row.name, el('small', null, t('play.branchPlayers', { count: row.players }))),
        el('span', { class: 'st-score' }, String(row.score))))));
}

function leaderboard(s) {
  return el('div', { class: 'phase-leaderboard' }, rankCard(s), standings(s, 5), branchList(s));
}

function finished(s) {
  const b = s.board;
  const top = b && b.top ? b.top.slice(0, 3) : [];
  const you = b && b.you;
  const order = [1, 0, 2].filter((index) => top[index]);
  const podium = el('ol', { class: 'podium', 'data-testid': 'podium' }, order.map((index) =>
    el('li', { class: 'podium-place place-' + (index + 1), 'data-rank': top[index].rank, 'data-seat': top[index].seat },
      el('span', { class: 'podium-name' }, top[index].name),
      el('span', { class: 'podium-branch' }, top[index].branch),
      el('span', { class: 'podium-block' }, String(top[index].rank)),
      el('span', { class: 'podium-score' }, t('play.scoreN', { score: top[index].score })))));
  return el('div', { class: 'phase-finished' },
    card('final-card',
      el('h1', null, t('play.finishedTitle')),
      top.length ? podium : null,
      you ? el('p', { class: 'final-mine', 'data-testid': 'final-rank', 'data-rank': you.rank },
        t('play.finalRank', { rank: you.rank, score: you.score })) : el('p', { class: 'lead' }, t('play.thanks'))),
    branchList(s));
}
