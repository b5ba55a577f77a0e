// The big screen of a live contest (display.html#contest=N&token=T): lobby with the join QR code and who
// joined per branch, the question with its countdown ring and answer count, the reveal with the answer
// distribution, the leaderboards with animated rank changes, and the final podium. Nobody touches it: it
// connects with the read-only display token from the link's fragment (which never reaches server logs) and
// reconnects on its own, forever, through network drops and server restarts. "&lang=en" in the fragment
// shows it in English (there is no switch to click).
import { byId, el, replaceChildren } from './dom.js';
import { applyTranslations, onLanguageChange, setLang, t } from './i18n.js';
import { createContestSocket } from './contest-socket.js';
import { createCountdown, seconds } from './countdown.js';
import { createRankChanges } from './rank-changes.js';
import { renderList } from './flip.js';
import { changeClass, changeText, params, roundLabel } from './contest-text.js';
import { optionLetter } from './format.js';

const RING = 2 * Math.PI * 54;
const BAD_LINK_RETRY = 30000;

// Everything shown comes from one contest; a new link (hashchange) starts again from this.
function initialState() {
  return {
    contestId: null,
    token: null,
    welcomed: false,
    contest: null,
    phase: null,
    paused: false,
    question: null,
    number: null,
    buzzer: null,
    buzzOpensAt: null,
    progress: null,
    players: null,
    reveal: null,
    board: null,
    timerTotal: null,
    screen: 'connecting',
  };
}

const state = initialState();

const countdown = createCountdown(renderRing);
let rankChanges = createRankChanges();
const socket = createContestSocket({
  hello: () => ({ type: 'display', v: 2, contestId: state.contestId, token: state.token }),
  onMessage: receive,
  onStatus: connectionStatus,
});
let buzzTimer = null;
let retryTimer = null;
let introTimer = null;

// ---- messages -------------------------------------------------------------------------------------------

function receive(message) {
  switch (message.type) {
    case 'welcome':
      state.welcomed = true;
      state.contest = message.contest;
      document.title = t('display.pageTitleNamed', { title: message.contest.title });
      renderHead();
      renderLobby();
      break;
    case 'state':
      onState(message);
      break;
    case 'tick':
      if (message.number === state.number && state.phase === 'open') setTimer(message.remainingMs);
      break;
    case 'buzzer':
      if (message.number === state.number) {
        setBuzzer(message);
        if (message.holder && message.holderRemainingMs !== undefined) {
          state.timerTotal = null;
          setTimer(message.holderRemainingMs);
        }
      }
      break;
    case 'progress':
      state.progress = message;
      renderProgress();
      break;
    case 'players':
      state.players = message;
      renderLobby();
      break;
    case 'reveal':
      state.reveal = message;
      rankChanges.revealed();
      renderReveal();
      break;
    case 'leaderboard':
      state.board = rankChanges.apply(message);
      if (state.screen === 'leaderboard' && !introTimer) renderBoards(false);
      if (state.screen === 'finished') renderFinal();
      break;
    case 'error':
      onError(message);
      break;
    default:
      break;
  }
}

function onState(message) {
  const number = message.question ? message.question.number : null;
  if (number !== state.number) {
    state.number = number;
    state.reveal = null;
    state.timerTotal = null;
  }
  state.phase = message.phase;
  state.paused = message.paused;
  state.question = message.question || null;
  setBuzzer(message.buzzer || null);
  setTimer(message.phase === 'open' ? message.remainingMs : null);
  if (message.phase !== 'open') countdown.set(message.phase === 'closed' ? 0 : null, state.timerTotal, false);
  renderHead();
  renderQuestion();
  renderWagering();
  byId('d-paused').hidden = !state.paused;
  setScreen(screenFor(message.phase));
}

function screenFor(phase) {
  switch (phase) {
    case 'lobby': return 'lobby';
    case 'wagering': return 'wagering';
    case 'open':
    case 'closed': return 'question';
    case 'revealed': return state.reveal ? 'reveal' : 'question';
    case 'leaderboard': return 'leaderboard';
    case 'finished': return 'finished';
    default: return 'connecting';
  }
}

function onError(message) {
  if (message.code === 'bad-token') {
    // A new display link was made (the old one stops working), or the link was cut short. Look again now
    // and then, in case this screen is given a working link behind its back.
    socket.stop();
    // errorText would give the phone's 无法恢复您的座位，请重新加入 (the same code on the play page).
    showError(t('display.badToken'));
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => socket.start(), BAD_LINK_RETRY);
  }
  // Anything else is not for the audience; the next state brings the screen up to date.
}

function showError(text) {
  byId('d-error').textContent = text;
  setScreen('error');
}

function connectionStatus(name) {
  const node = byId('d-connection');
  const lost = name === 'waiting' || name === 'connecting';
  if (!state.welcomed) {
    if (state.screen !== 'error') setScreen('connecting');
    byId('d-connecting').textContent = t(name === 'waiting' ? 'display.retrying' : 'display.connecting');
  }
  node.hidden = !(state.welcomed && lost);
  node.textContent = state.welcomed && lost ? t('display.reconnecting') : '';
}

// ---- screens ---------------------------------------------------------------------------------------------

function setScreen(name) {
  const previous = state.screen;
  state.screen = name;
  document.body.setAttribute('data-screen', name);
  Array.prototype.forEach.call(document.querySelectorAll('.d-main > [data-screen]'), (node) => {
    node.hidden = node.getAttribute('data-screen') !== name;
  });
  if (name === 'leaderboard' && previous !== 'leaderboard') renderBoards(true);
  if (name === 'finished') renderFinal();
  if (name === 'reveal') renderReveal();
}

function renderHead() {
  const c = state.contest;
  byId('d-title').textContent = c ? c.title : '';
  const q = state.question;
  byId('d-counter').textContent = q && state.phase !== 'finished' ? t('display.questionOf', { number: q.number, total: q.total }) : '';
  byId('d-pin-chip').hidden = !c || state.phase === 'lobby' || state.phase === 'finished';
  byId('d-pin-small').textContent = c ? c.pin : '';
}

function joinUrl() {
  return location.origin + '/play.html?pin=' + (state.contest ? state.contest.pin : '');
}

function renderLobby() {
  const c = state.contest;
  if (!c) return;
  byId('d-lobby-title').textContent = c.title;
  byId('d-pin').textContent = c.pin.slice(0, 3) + ' ' + c.pin.slice(3);
  byId('d-join-url').textContent = joinUrl();
  const qr = byId('d-qr');
  // The contest's own join code: open to anyone (the PIN is on the screen anyway), so a hall screen without a
  // console session shows it; it encodes the server's public address for the join page.
  const wanted = '/api/join/' + encodeURIComponent(c.pin) + '/qr';
  if (qr.getAttribute('data-for') !== wanted) {
    qr.setAttribute('data-for', wanted);
    byId('d-qr-box').hidden = false;
    // Should the code fail to load, the address and PIN beside it have to do.
    qr.onerror = () => {
      byId('d-qr-box').hidden = true;
      byId('d-or-open').textContent = t('display.open');
      byId('d-or-open').setAttribute('data-i18n', 'display.open');
    };
    qr.src = wanted;
  }
  const counts = state.players ? state.players.byBranch : [];
  const known = {};
  counts.forEach((count) => { known[count.id] = count; });
  // Every branch of the contest, the ones still at zero too: an empty row is a nudge.
  const branches = (c.branches || []).map((branch) => known[branch.id] || { id: branch.id, name: branch.name, joined: 0, recent: [] });
  counts.forEach((count) => {
    if (!branches.some((branch) => branch.id === count.id)) branches.push(count);
  });
  let total = 0;
  branches.forEach((branch) => { total += branch.joined; });
  byId('d-joined-count').textContent = String(total);
  byId('d-joined-unit').textContent = t('display.people', { count: total });
  // Past eight branches, two columns: the whole organization still fits on the screen.
  byId('d-branches').classList.toggle('is-many', branches.length > 8);
  replaceChildren(byId('d-branches'), branches.map((branch) =>
    el('li', { class: 'd-branch' + (branch.joined ? '' : ' is-empty'), 'data-branch': branch.id, 'data-joined': branch.joined },
      el('span', { class: 'd-branch-name' }, branch.name),
      el('span', { class: 'd-branch-count' }, t('display.count', { count: branch.joined })),
      el('span', { class: 'd-branch-recent' }, (branch.recent || []).join('、')))));
}

// The line above the stem (the question's number is in the top line already).
function questionMeta(q) {
  const parts = [roundLabel(q)];
  if (q.category) parts.push(q.category);
  if (q.kind === 'everyone' || q.kind === 'buzz') parts.push(t('display.pointsEach', { points: q.points }));
  if (q.kind === 'poll') parts.push(t('display.pollNoScore'));
  return parts.join(' · ');
}

function renderQuestion() {
  const q = state.question;
  if (!q || !q.stem) return;
  byId('d-q-meta').textContent = questionMeta(q);
  byId('d-stem').textContent = q.stem;
  const options = q.options || (q.type === 'truefalse' ? [t('display.true'), t('display.false')] : []);
  const list = byId('d-options');
  list.className = 'd-options' + (options.length > 4 ? ' is-many' : '') + (q.type === 'truefalse' ? ' is-truth' : '');
  replaceChildren(list, options.map((text, index) =>
    el('li', { class: 'd-option' },
      el('span', { class: 'd-letter' }, q.type === 'truefalse' ? (index === 0 ? '✓' : '✗') : optionLetter(index)),
      el('span', { class: 'd-option-text' }, text))));
  if (q.type === 'fill') {
    replaceChildren(list, el('li', { class: 'd-option d-fill' }, t('display.fillHint')));
  }
  renderBuzz();
  renderProgress();
}

function renderWagering() {
  const q = state.question;
  if (!q || state.phase !== 'wagering') return;
  byId('d-wager-round').textContent = t('display.questionOf', { number: q.number, total: q.total }) + ' · ' + q.roundTitle;
  byId('d-wager-category').textContent = q.category ? t('display.category', { category: q.category }) : '';
  replaceChildren(byId('d-wager-stakes'), (q.wagers || []).map((amount) => el('li', null, String(amount))));
  renderProgress();
}

function renderProgress() {
  const p = state.progress;
  byId('d-answered').textContent = p ? String(p.answered) : '0';
  byId('d-seats').textContent = p ? String(p.seats) : '0';
  byId('d-wagered').textContent = p ? t('display.ofSeats', { count: p.wagered, seats: p.seats }) : '0';
}

function setTimer(remainingMs) {
  if (remainingMs === null || remainingMs === undefined) {
    countdown.set(null);
    return;
  }
  const limit = state.question ? state.question.timeLimitMs : 0;
  state.timerTotal = Math.max(state.timerTotal || 0, limit || 0, remainingMs);
  countdown.set(remainingMs, state.timerTotal, !state.paused);
}

function renderRing(remaining, total) {
  const fill = byId('d-ring-fill');
  const text = byId('d-ring-text');
  const label = byId('d-ring-label');
  const ring = byId('d-ring');
  if (remaining === null || remaining === undefined) {
    fill.style.strokeDashoffset = String(RING);
    text.textContent = '';
    label.textContent = '';
    return;
  }
  const share = total ? Math.max(0, Math.min(1, remaining / total)) : 0;
  fill.style.strokeDasharray = String(RING);
  fill.style.strokeDashoffset = String(RING * (1 - share));
  text.textContent = seconds(remaining);
  ring.classList.toggle('is-urgent', remaining <= 5000);
  label.textContent = state.phase === 'closed' ? t('display.closed') : state.paused ? t('display.paused') : t('display.secondsLeft');
}

function setBuzzer(buzzer) {
  state.buzzer = buzzer;
  state.buzzOpensAt = buzzer && !buzzer.open && !buzzer.holder && buzzer.opensInMs > 0 ? performance.now() + buzzer.opensInMs : null;
  clearInterval(buzzTimer);
  buzzTimer = null;
  if (state.buzzOpensAt && !state.paused) {
    buzzTimer = setInterval(() => {
      renderBuzz();
      if (performance.now() >= state.buzzOpensAt) {
        clearInterval(buzzTimer);
        buzzTimer = null;
      }
    }, 250);
  }
  renderBuzz();
}

function renderBuzz() {
  const node = byId('d-buzz');
  const q = state.question;
  const b = state.buzzer;
  if (!q || q.kind !== 'buzz' || !b || state.phase !== 'open') {
    node.hidden = true;
    return;
  }
  node.hidden = false;
  let text;
  let mode;
  if (b.holder) {
    text = t('display.buzzHeld', { name: b.holder.name, branch: b.holder.branch });
    mode = 'held';
  } else {
    const wait = state.buzzOpensAt ? state.buzzOpensAt - performance.now() : 0;
    text = wait > 0 ? t('display.buzzSoon', { seconds: Math.ceil(wait / 1000) }) : t('display.buzzOpen');
    mode = wait > 0 ? 'wait' : 'open';
  }
  node.textContent = text;
  node.setAttribute('data-mode', mode);
}

function renderReveal() {
  const r = state.reveal;
  const q = state.question;
  if (!r) return;
  if (q) {
    byId('d-r-meta').textContent = questionMeta(q);
    byId('d-r-stem').textContent = q.stem || '';
  }
  let rows;
  if (r.options) {
    rows = r.options.map((text, index) => ({
      letter: optionLetter(index), text: text, count: r.distribution[index] || 0, key: (r.key || []).indexOf(index) >= 0,
    }));
  } else if (r.truth !== undefined) {
    rows = [
      { letter: '✓', text: t('display.true'), count: r.distribution[0] || 0, key: r.truth === true },
      { letter: '✗', text: t('display.false'), count: r.distribution[1] || 0, key: r.truth === false },
    ];
  } else {
    rows = [
      { letter: '✓', text: t('display.fillRight', { answers: (r.texts || []).join(' / ') }), count: r.distribution[0] || 0, key: true },
      { letter: '✗', text: t('display.fillWrong'), count: r.distribution[1] || 0, key: false },
    ];
  }
  let most = 1;
  let total = 0;
  rows.forEach((row) => { most = Math.max(most, row.count); total += row.count; });
  // A poll's result is the room's opinion: each option's share, and how many voted.
  const poll = q && q.kind === 'poll';
  if (poll) byId('d-r-meta').textContent = t('display.pollResult', { count: total });
  const countText = (count) => poll && total
    ? t('display.pollShare', { count: count, percent: Math.round((100 * count) / total) })
    : t('display.count', { count: count });
  replaceChildren(byId('d-bars'), rows.map((row) =>
    el('li', { class: 'd-bar' + (row.key ? ' is-key' : ''), 'data-count': row.count, 'data-key': row.key ? 'true' : 'false' },
      el('span', { class: 'd-letter' }, row.letter),
      el('span', { class: 'd-bar-text' }, row.text, row.key ? el('span', { class: 'd-key-mark' }, t('display.keyMark')) : null),
      el('span', { class: 'd-bar-track' }, el('span', { class: 'd-bar-fill', style: { width: (row.count / most) * 100 + '%' } })),
      el('span', { class: 'd-bar-count' }, countText(row.count)))));
  byId('d-explanation').textContent = r.explanation || '';
  byId('d-explanation-box').hidden = !r.explanation;
  if (state.phase === 'revealed' && state.screen !== 'reveal') setScreen('reveal');
}

// ---- leaderboards ----------------------------------------------------------------------------------------

function fillPerson(node, row) {
  replaceChildren(node,
    el('span', { class: 'd-rank' }, String(row.rank)),
    el('span', { class: 'd-who' }, el('b', null, row.name), el('small', null, row.branch)),
    el('span', { class: 'd-change ' + changeClass(row.change) }, changeText(row.change)),
    el('span', { class: 'd-score' }, String(row.score)));
  node.className = 'd-row' + (row.rank <= 3 ? ' is-top' : '');
  node.setAttribute('data-rank', row.rank);
  node.setAttribute('data-seat', row.seat);
}

function fillBranch(node, row) {
  replaceChildren(node,
    el('span', { class: 'd-rank' }, String(row.rank)),
    el('span', { class: 'd-who' }, el('b', null, row.name), el('small', null, t('display.count', { count: row.players }))),
    el('span', { class: 'd-change ' + changeClass(row.change) }, changeText(row.change)),
    el('span', { class: 'd-score' }, String(row.score)));
  node.className = 'd-row' + (row.rank === 1 ? ' is-top' : '');
  node.setAttribute('data-rank', row.rank);
  node.setAttribute('data-branch', row.id);
}

// The order before this question's results: rank + change is the place each row held (newcomers last).
function previousOrder(rows) {
  return rows.slice().sort((a, b) => before(a) - before(b));
  function before(row) {
    return row.change === undefined || row.change === null ? 1e9 + row.rank : row.rank + row.change;
  }
}

function makeRow() {
  return el('li', { class: 'd-row' });
}

// intro: the screen just came up — draw the previous order first, then let the rows move to the new one.
function renderBoards(intro) {
  const b = state.board;
  if (!b) return;
  const top = byId('d-top');
  const branches = byId('d-branch-board');
  if (intro) {
    replaceChildren(top);
    replaceChildren(branches);
    renderList(top, previousOrder(b.top), (row) => row.seat, makeRow, fillPerson);
    renderList(branches, previousOrder(b.branches), (row) => row.id, makeRow, fillBranch);
    // Long enough for the audience to see the old order before it changes; boards arriving meanwhile wait.
    clearTimeout(introTimer);
    introTimer = setTimeout(() => {
      introTimer = null;
      if (state.screen === 'leaderboard') renderBoards(false);
    }, 900);
    return;
  }
  renderList(top, b.top, (row) => row.seat, makeRow, fillPerson);
  renderList(branches, b.branches, (row) => row.id, makeRow, fillBranch);
}

function renderFinal() {
  const b = state.board;
  const podium = byId('d-podium');
  if (!b) {
    replaceChildren(podium);
    return;
  }
  const top = b.top.slice(0, 3);
  replaceChildren(podium, [1, 0, 2].filter((index) => top[index]).map((index) =>
    el('li', { class: 'd-place place-' + (index + 1), 'data-rank': top[index].rank, 'data-seat': top[index].seat },
      el('span', { class: 'd-place-name' }, top[index].name),
      el('span', { class: 'd-place-branch' }, top[index].branch),
      el('span', { class: 'd-place-score' }, t('display.points', { points: top[index].score })),
      el('span', { class: 'd-place-block' }, String(top[index].rank)))));
  replaceChildren(byId('d-final-branches'), (b.branches || []).map((row) => {
    const node = makeRow();
    fillBranch(node, row);
    return node;
  }));
}

// ---- start -----------------------------------------------------------------------------------------------

// The contest and token of the link's fragment; false when the link is not a display link.
function follow(fragment) {
  state.contestId = Number(fragment.contest);
  state.token = fragment.token || null;
  if (!state.contestId || !state.token) {
    showError(t('display.badLink'));
    return false;
  }
  return true;
}

// A new display link pasted into this tab changes only the fragment, and the page stays loaded: the old contest's
// socket, timers and boards go, and the screen connects to the new one. Done in place rather than by reloading, so
// a hall screen that has lost its network keeps retrying instead of showing the browser's error page.
function linkChanged() {
  const fragment = params(location.hash);
  if (fragment.lang) setLang(fragment.lang);
  if (Number(fragment.contest) === state.contestId && (fragment.token || null) === state.token) return;
  socket.stop();
  [retryTimer, introTimer].forEach(clearTimeout);
  clearInterval(buzzTimer);
  retryTimer = introTimer = buzzTimer = null;
  countdown.set(null);
  Object.assign(state, initialState());
  rankChanges = createRankChanges();
  document.title = t('display.pageTitle');
  byId('d-connection').hidden = true;
  ['d-top', 'd-branch-board', 'd-podium', 'd-final-branches'].forEach((id) => replaceChildren(byId(id)));
  renderHead();
  setScreen('connecting');
  if (follow(fragment)) socket.start();
}

function main() {
  const fragment = params(location.hash);
  if (fragment.lang) setLang(fragment.lang);
  applyTranslations();
  onLanguageChange(() => {
    renderHead();
    renderLobby();
    renderQuestion();
    renderReveal();
  });
  window.addEventListener('hashchange', linkChanged);
  if (follow(fragment)) socket.start();
}

main();
