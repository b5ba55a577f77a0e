// The phone page of a live contest: PIN → name and branch (or the member this phone is signed in as) → the
// contest over the WebSocket. The server is the authority for time, answers and scores; this page shows what
// it says, counts down from the remaining time each state message gives, and keeps the seat across drops: the resume token of a join is
// kept per PIN in localStorage, so a phone that slept, reloaded or lost its network comes back to the same
// seat, score and question (the server echoes the answer already given).
import * as api from './api.js';
import { byId, el, replaceChildren, setNotice } from './dom.js';
import { onLanguageChange, t } from './i18n.js';
import { startMemberPage, showView } from './member-page.js';
import { createContestSocket } from './contest-socket.js';
import { createCountdown, seconds } from './countdown.js';
import { createRankChanges } from './rank-changes.js';
import { errorText, params, roundLabel } from './contest-text.js';
import { renderScreen, updateBuzzButton } from './play-screens.js';

const SEAT_KEY = 'dengao.play.';

const state = {
  pin: null,
  info: null,            // GET /api/join/:pin
  member: false,         // this phone joins as its signed-in member
  guest: null,           // { name, branchId } typed on this phone
  welcomed: false,
  contest: null,
  seat: null,
  phase: null,
  paused: false,
  question: null,
  number: null,
  buzzer: null,
  buzzOpensAt: null,     // performance.now() when the buzzer opens
  score: 0,
  answered: null,        // { number, picks | truth | text }: acknowledged
  pending: null,         // { number, message, answer }: sent, not yet acknowledged
  late: null,
  selected: [],
  draft: '',
  wager: null,
  wagerPending: null,
  buzz: null,            // { number, status: pending | won | early | tried, penalty }
  reveal: null,
  board: null,
  timerTotal: null,
  connection: 'idle',
  finished: false,
};

const countdown = createCountdown(renderTimer);
const rankChanges = createRankChanges();
const socket = createContestSocket({ hello: hello, onMessage: receive, onStatus: connectionStatus });
let buzzTimer = null;

// ---- the seat kept on this phone -------------------------------------------------------------------------

function savedSeat(pin) {
  try {
    const text = window.localStorage.getItem(SEAT_KEY + pin);
    return text ? JSON.parse(text) : null;
  } catch (error) {
    return null;
  }
}

function saveSeat(pin, seat) {
  try {
    window.localStorage.setItem(SEAT_KEY + pin, JSON.stringify(seat));
  } catch (error) {
    // no storage: the seat lasts as long as this page
  }
}

function forgetSeat(pin) {
  try {
    window.localStorage.removeItem(SEAT_KEY + pin);
  } catch (error) {
    // nothing kept
  }
}

// ---- connection ---------------------------------------------------------------------------------------

function hello() {
  const saved = savedSeat(state.pin);
  if (saved && saved.token) return { type: 'resume', v: 2, pin: state.pin, token: saved.token };
  if (state.member) return { type: 'join', v: 2, pin: state.pin };
  if (state.guest) return { type: 'join', v: 2, pin: state.pin, name: state.guest.name, branchId: state.guest.branchId };
  return null;
}

function connectionStatus(name) {
  state.connection = name;
  if (name === 'waiting' && state.finished) {
    socket.stop(); // the contest is over: nothing more will come
    return;
  }
  if (!state.welcomed && (name === 'connecting' || name === 'waiting')) {
    byId('loading-text').textContent = t(name === 'waiting' ? 'play.retrying' : 'play.connecting');
    showView('loading');
  }
  renderConnection();
}

function renderConnection() {
  const node = byId('connection');
  const lost = state.welcomed && !state.finished && (state.connection === 'waiting' || state.connection === 'connecting');
  node.hidden = !lost;
  node.textContent = lost ? t('play.reconnecting') : '';
}

const HANDLERS = {
  welcome: onWelcome,
  state: onState,
  ack: onAck,
  buzzer: onBuzzer,
  reveal: onReveal,
  leaderboard: onLeaderboard,
  error: onError,
};

// pong, and message types newer than this page, need nothing.
function receive(message) {
  const handler = HANDLERS[message.type];
  if (handler) handler(message);
}

function onWelcome(message) {
  state.welcomed = true;
  state.contest = message.contest;
  state.seat = message.seat || null;
  if (message.token) {
    saveSeat(state.pin, { token: message.token, name: state.seat ? state.seat.name : '' });
  }
  document.title = t('play.pageTitleNamed', { title: message.contest.title });
  showView('game');
  render();
}

function newQuestion(number) {
  state.number = number;
  state.answered = null;
  state.pending = null;
  state.late = null;
  state.selected = [];
  state.draft = '';
  state.wagerPending = null;
  state.buzz = null;
  state.reveal = null;
  state.timerTotal = null;
}

function onState(message) {
  const number = message.question ? message.question.number : null;
  if (number !== state.number) newQuestion(number);
  state.question = message.question || null;
  setBuzzer(message.buzzer || null);
  applyPhase(message.phase, message.paused, message.remainingMs);
  if (message.you) applyYou(message.you);
  render();
}

function applyPhase(phase, paused, remainingMs) {
  state.phase = phase;
  state.paused = paused;
  if (phase === 'finished') state.finished = true;
  setTimer(phase === 'open' ? remainingMs : null);
}

// What the server remembers of this seat, sent when it (re)connects.
function applyYou(you) {
  state.score = you.score;
  const number = state.number;
  if (you.answered) {
    state.answered = { number: number, picks: you.picks, truth: you.truth, text: you.text };
    state.pending = null;
  } else if (state.pending && state.pending.number === number && state.phase === 'open') {
    // Sent before the drop and never received: send it again (a repeat is harmless, the first one stands).
    socket.send(state.pending.message);
  }
  if (you.wager !== undefined && you.wager !== null) state.wager = { number: number, amount: you.wager };
  if (you.triedBuzzer && !state.buzz) state.buzz = { number: number, status: 'tried' };
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

function onAck(message) {
  if (message.number !== state.number) return;
  switch (message.status) {
    case 'accepted': {
      // The acknowledgement names the answer that counts (a repeat gets the first answer's), so that one is shown.
      const counted = {};
      ['picks', 'truth', 'text'].forEach((key) => { if (message[key] !== undefined) counted[key] = message[key]; });
      state.answered = Object.assign({ number: message.number }, counted);
      state.pending = null;
      break;
    }
    case 'late':
      state.late = message.number;
      state.pending = null;
      break;
    case 'wager':
      state.wager = { number: message.number, amount: message.amount };
      state.wagerPending = null;
      break;
    case 'buzz-won':
      state.buzz = { number: message.number, status: 'won' };
      break;
    case 'early-buzz':
      state.buzz = { number: message.number, status: 'early', penalty: message.penalty };
      break;
    default:
      break;
  }
  render();
}

function setBuzzer(buzzer) {
  state.buzzer = buzzer;
  state.buzzOpensAt = buzzer && !buzzer.open && !buzzer.holder && buzzer.opensInMs > 0
    ? performance.now() + buzzer.opensInMs : null;
  clearInterval(buzzTimer);
  buzzTimer = null;
  if (state.buzzOpensAt && !state.paused) {
    // The server does not announce the opening: the button comes alive when the reading time is up here.
    buzzTimer = setInterval(() => {
      updateBuzzButton(state);
      if (performance.now() >= state.buzzOpensAt) {
        clearInterval(buzzTimer);
        buzzTimer = null;
      }
    }, 250);
  }
}

function onBuzzer(message) {
  if (message.number !== state.number) return;
  const wasMine = state.buzz && state.buzz.status === 'won';
  setBuzzer(message);
  const mine = message.holder && state.seat && message.holder.seat === state.seat.id;
  if (mine) state.buzz = { number: message.number, status: 'won' };
  else if (wasMine) state.buzz = { number: message.number, status: 'tried' };
  // While someone holds the buzzer, the clock is theirs.
  if (message.holder && message.holderRemainingMs !== undefined) {
    state.timerTotal = null;
    setTimer(message.holderRemainingMs);
  }
  render();
}

// A reveal comes without a state message to phones: it carries the phase it leaves the contest in, and the
// question it reveals is the one on screen.
function onReveal(message) {
  if (message.number !== state.number) return;
  state.reveal = message;
  state.pending = null;
  setBuzzer(null);
  applyPhase(message.phase, message.paused, null);
  if (message.you) state.score = message.you.score;
  rankChanges.revealed();
  render();
}

function onLeaderboard(message) {
  state.board = rankChanges.apply(message);
  if (state.board.you) state.score = state.board.you.score;
  render();
}

// Refusals that end, move or redo this phone's seat; true when handled here.
function seatRefused(message) {
  const text = errorText(message);
  switch (message.code) {
    case 'kicked':
      forgetSeat(state.pin);
      stopWith('play.kickedTitle', text, null);
      return true;
    case 'replaced':
      stopWith('play.replacedTitle', text, { key: 'play.continueHere', run: () => socket.start() });
      return true;
    case 'no-contest':
      forgetSeat(state.pin);
      socket.stop();
      if (!state.finished) showPinForm(text); // a finished contest stops answering to its PIN
      return true;
    case 'bad-token':
      forgetSeat(state.pin);
      if (state.member) {
        // The member's session still says who they are: join again, into the same seat.
        socket.send({ type: 'join', v: 2, pin: state.pin });
      } else {
        socket.stop();
        showJoin(text);
      }
      return true;
    case 'members-only':
    case 'bad-name':
    case 'bad-branch':
    case 'not-in-contest':
    case 'not-in-categories':
    case 'branch-taken':
      if (state.welcomed) return false;
      socket.stop();
      showJoin(text);
      return true;
    default:
      return false;
  }
}

function onError(message) {
  if (seatRefused(message)) return;
  // An answer, buzz or stake the server refused: nothing was recorded, so the buttons come back.
  if (['not-open', 'paused', 'malformed-answer', 'not-this-question', 'not-your-turn', 'already-tried'].indexOf(message.code) >= 0) {
    state.pending = null;
  }
  if (['buzzer-taken', 'already-tried', 'not-open', 'paused'].indexOf(message.code) >= 0 && state.buzz && state.buzz.status === 'pending') {
    state.buzz = null;
  }
  if (message.code === 'not-wagering' || message.code === 'wager-not-allowed') state.wagerPending = null;
  toast(errorText(message));
  render();
}

function stopWith(titleKey, text, action) {
  socket.stop();
  byId('stopped-title').textContent = t(titleKey);
  byId('stopped-text').textContent = text;
  const button = byId('stopped-action');
  button.hidden = !action;
  button.onclick = null;
  if (action) {
    button.textContent = t(action.key);
    button.onclick = () => {
      showView('loading');
      action.run();
    };
  }
  showView('stopped');
}

// ---- actions --------------------------------------------------------------------------------------------

function sendAnswer(answer) {
  if (!state.question || state.pending) return;
  const number = state.question.number;
  const message = Object.assign({ type: 'answer', number: number }, answer);
  state.pending = { number: number, message: message, answer: answer };
  // Not connected: it stays pending and goes out again as soon as the seat is back (applyYou).
  socket.send(message);
  render();
}

const actions = {
  choose(position) {
    sendAnswer({ picks: [position] });
  },
  toggle(position) {
    const at = state.selected.indexOf(position);
    if (at >= 0) state.selected.splice(at, 1);
    else state.selected.push(position);
    render();
  },
  submitPicks() {
    if (state.selected.length) sendAnswer({ picks: state.selected.slice().sort((a, b) => a - b) });
  },
  truth(value) {
    sendAnswer({ truth: value });
  },
  draft(text) {
    state.draft = text;
  },
  text(value) {
    const text = value.trim();
    if (!text) {
      toast(t('play.fillEmpty'));
      return;
    }
    sendAnswer({ text: text });
  },
  buzz() {
    if (!state.question) return;
    state.buzz = { number: state.question.number, status: 'pending' };
    if (!socket.send({ type: 'buzz', number: state.question.number })) {
      state.buzz = null;
      toast(t('play.notConnected'));
    }
    render();
  },
  wager(amount) {
    if (!state.question) return;
    state.wagerPending = { number: state.question.number, amount: amount };
    if (!socket.send({ type: 'wager', number: state.question.number, amount: amount })) {
      state.wagerPending = null;
      toast(t('play.notConnected'));
    }
    render();
  },
};

// ---- rendering ------------------------------------------------------------------------------------------

let toastTimer = null;

function toast(text) {
  const node = byId('toast');
  setNotice(node, text, 'error');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => setNotice(node, ''), 6000);
}

function renderTimer(remaining, total) {
  const shown = remaining !== null && remaining !== undefined && state.phase === 'open';
  byId('q-timer').textContent = shown ? t('play.seconds', { seconds: seconds(remaining) }) : '';
  byId('q-timer').classList.toggle('is-urgent', shown && remaining <= 5000);
  byId('timer-bar').hidden = !shown;
  const fill = byId('timer-fill');
  fill.style.width = shown && total ? Math.max(0, Math.min(100, (remaining / total) * 100)) + '%' : '0';
}

function render() {
  if (!state.welcomed) return;
  const seat = state.seat;
  byId('player-name').textContent = seat ? seat.name : '';
  byId('player-branch').textContent = seat ? seat.branch : '';
  byId('player-score').textContent = String(state.score);
  byId('paused').hidden = !state.paused || state.finished;
  renderConnection();

  const q = state.question;
  const head = byId('question-head');
  head.hidden = !q || state.phase === 'finished';
  if (q) {
    byId('q-meta').textContent = t('play.questionOf', { number: q.number, total: q.total }) + ' · ' + roundLabel(q);
  }
  renderTimer(countdown.remaining(), state.timerTotal);

  // Keep what the player is typing (and the keyboard) through a re-render.
  const focused = document.activeElement && document.activeElement.id === 'fill-input';
  const screen = byId('screen');
  screen.setAttribute('data-phase', state.phase || '');
  replaceChildren(screen, renderScreen(state, actions));
  if (focused) {
    const input = byId('fill-input');
    if (input && !input.disabled) {
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
    }
  }
}

// ---- before the contest: PIN and join form ----------------------------------------------------------

function showPinForm(message) {
  setNotice(byId('pin-error'), message || '', 'error');
  if (state.pin) byId('pin-input').value = state.pin;
  showView('pin');
}

async function lookUp(pin) {
  showView('loading');
  try {
    state.info = await api.joinInfo(pin);
  } catch (error) {
    showPinForm(error.status === 404 ? t('play.noContest') : t('play.lookupFailed', { message: error.message }));
    return;
  }
  state.pin = pin;
  if (history.replaceState) history.replaceState(null, '', location.pathname + '?pin=' + encodeURIComponent(pin));
  const saved = savedSeat(pin);
  state.member = !!state.info.member;
  if (saved && saved.token) {
    // This phone already has a seat here: straight back to it.
    socket.start();
    return;
  }
  showJoin('');
}

function showJoin(message) {
  const info = state.info;
  if (!info) {
    showPinForm(message);
    return;
  }
  byId('join-title').textContent = info.title;
  const member = info.member;
  byId('join-member').hidden = !member;
  byId('join-guest').hidden = !!member || info.membersOnly;
  byId('join-members-only').hidden = !!member || !info.membersOnly;
  byId('join-submit').hidden = !member && info.membersOnly;
  byId('join-branch-label').textContent = t(info.mode === 'team' ? 'play.teamLabel' : 'play.branchLabel');
  if (member) {
    byId('join-member-name').textContent = member.name;
    const branch = (info.branches || []).filter((b) => b.id === member.unitId)[0];
    byId('join-member-branch').textContent = branch ? branch.name : '—';
  } else {
    const select = byId('join-branch');
    const chosen = select.value;
    replaceChildren(select, el('option', { value: '' }, t('play.pickBranch')),
      (info.branches || []).map((branch) => el('option', { value: String(branch.id) }, branch.name)));
    select.value = chosen;
  }
  setNotice(byId('join-error'), message || '', 'error');
  showView('join');
}

function submitJoin() {
  setNotice(byId('join-error'), '');
  if (!state.member) {
    const name = byId('join-name').value.trim();
    const branch = byId('join-branch').value;
    if (!name || name.length > 20) {
      setNotice(byId('join-error'), t('play.nameRequired'), 'error');
      return;
    }
    if (!branch) {
      setNotice(byId('join-error'), t('play.branchRequired'), 'error');
      return;
    }
    state.guest = { name: name, branchId: Number(branch) };
  }
  socket.start();
}

function main() {
  startMemberPage();
  api.setUnauthorizedHandler(() => {}); // no login page for players
  onLanguageChange(() => {
    render();
    if (state.info && !state.welcomed && document.body.getAttribute('data-state') === 'join') showJoin(byId('join-error').textContent);
  });
  byId('pin-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const pin = byId('pin-input').value.replace(/\D/g, '');
    if (pin.length !== 6) {
      setNotice(byId('pin-error'), t('play.pinInvalid'), 'error');
      return;
    }
    lookUp(pin);
  });
  byId('join-submit').addEventListener('click', submitJoin);
  byId('join-name').addEventListener('keydown', (event) => {
    if (event.key === 'Enter') submitJoin();
  });
  const pin = (params(location.search).pin || '').replace(/\D/g, '');
  if (pin.length === 6) lookUp(pin);
  else showPinForm('');
}

main();
