// The host console of a live contest (host.html?contest=N): connects as host with the console session and
// drives the contest — next, close, reveal, leaderboard, pause, resume, finish — with only the commands
// that make sense in the current phase enabled. Shows the question with its options in the bank's order
// (the key only from the reveal on: the server never sends it earlier), the countdown, who answered, the
// players with a kick button, and the leaderboards.
import * as api from './api.js';
import { byId, el, replaceChildren } from './dom.js';
import { onLanguageChange, t } from './i18n.js';
import { startConsole, showPageError, clearPageError } from './shell.js';
import { createContestSocket } from './contest-socket.js';
import { createCountdown, seconds } from './countdown.js';
import { createRankChanges } from './rank-changes.js';
import { changeClass, changeText, errorText, params, phaseLabel, roundLabel } from './contest-text.js';
import { renderContestLinks } from './contest-links.js';
import { optionLetter, typeLabel } from './format.js';

const state = {
  contestId: null,
  view: null,            // GET /api/contests/:id
  contest: null,         // the welcome's contest info
  welcomed: false,
  phase: null,
  paused: false,
  question: null,
  number: null,
  buzzer: null,
  progress: null,
  players: null,
  reveal: null,
  board: null,
  timerTotal: null,
  connection: 'idle',
};

const countdown = createCountdown(renderTimer);
const rankChanges = createRankChanges();
const socket = createContestSocket({
  hello: () => ({ type: 'host', v: 2, contestId: state.contestId }),
  onMessage: receive,
  onStatus: (name) => {
    state.connection = name;
    renderControls();
  },
});

// ---- messages -------------------------------------------------------------------------------------------

function receive(message) {
  switch (message.type) {
    case 'welcome':
      state.welcomed = true;
      state.contest = message.contest;
      clearPageError();
      byId('host-title').textContent = message.contest.title;
      byId('host-pin').textContent = message.contest.pin;
      document.title = t('host.pageTitleNamed', { title: message.contest.title });
      break;
    case 'state':
      onState(message);
      break;
    case 'tick':
      if (message.number === state.number && state.phase === 'open') setTimer(message.remainingMs);
      break;
    case 'buzzer':
      if (message.number === state.number) {
        state.buzzer = message;
        if (message.holder && message.holderRemainingMs !== undefined) {
          state.timerTotal = null;
          setTimer(message.holderRemainingMs);
        }
        renderQuestion();
      }
      break;
    case 'progress':
      state.progress = message;
      renderProgress();
      break;
    case 'players':
      state.players = message;
      renderPlayers();
      break;
    case 'reveal':
      state.reveal = message;
      rankChanges.revealed();
      renderQuestion();
      break;
    case 'leaderboard':
      state.board = rankChanges.apply(message);
      renderBoard();
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
    // A new question has no answers yet, and the server pushes the player list only when seats or scores
    // change, so the ✓ of the last question would linger.
    if (state.players) state.players.players.forEach((row) => { row.answered = false; });
    renderPlayers();
  }
  state.phase = message.phase;
  state.paused = message.paused;
  state.question = message.question || null;
  state.buzzer = message.buzzer || null;
  setTimer(message.phase === 'open' ? message.remainingMs : null);
  renderControls();
  renderQuestion();
  renderProgress();
}

function onError(message) {
  if (message.code === 'forbidden' || message.code === 'no-contest') {
    // Not this account's contest, or none at all: trying again will not change that.
    socket.stop();
  }
  hostStatus(errorText(message), 'error');
}

// ---- commands -------------------------------------------------------------------------------------------

const CONFIRM = { finish: 'host.confirmFinish' };

function command(name) {
  if (CONFIRM[name] && !window.confirm(t(CONFIRM[name]))) return;
  hostStatus('');
  if (!socket.send({ type: 'command', command: name })) hostStatus(t('host.notConnected'), 'error');
}

function kick(row) {
  if (!window.confirm(t('host.confirmKick', { name: row.name, branch: row.branch }))) return;
  if (!socket.send({ type: 'kick', seat: row.seat })) hostStatus(t('host.notConnected'), 'error');
}

// Which commands the server would take now (ContestMachine.command); the rest are greyed out.
function allowed(name) {
  const phase = state.phase;
  if (!state.welcomed || !socket.isOpen() || !phase || phase === 'finished') return false;
  const number = state.number || 0;
  const more = state.contest ? number < state.contest.questionCount : false;
  switch (name) {
    case 'next': return phase === 'wagering' || (more && ['lobby', 'revealed', 'leaderboard'].indexOf(phase) >= 0);
    case 'close': return phase === 'open';
    case 'reveal': return phase === 'open' || phase === 'closed';
    case 'leaderboard': return phase === 'revealed';
    case 'pause': return !state.paused && phase !== 'lobby';
    case 'resume': return state.paused;
    case 'finish': return true;
    default: return false;
  }
}

function nextLabel() {
  if (state.phase === 'lobby') return t('host.cmd.start');
  if (state.phase === 'wagering') return t('host.cmd.open');
  return t('host.cmd.next');
}

// ---- rendering ------------------------------------------------------------------------------------------

function hostStatus(text, kind) {
  const node = byId('host-status');
  node.textContent = text || '';
  node.classList.toggle('is-error', kind === 'error');
  node.classList.toggle('is-success', kind === 'success');
}

function renderControls() {
  document.body.setAttribute('data-phase', state.phase || '');
  Array.prototype.forEach.call(document.querySelectorAll('[data-command]'), (button) => {
    button.disabled = !allowed(button.getAttribute('data-command'));
  });
  byId('host-phase').textContent = state.phase ? phaseLabel(state.phase, state.paused) : '';
  byId('host-phase').setAttribute('data-phase', state.paused ? 'paused' : state.phase || '');
  document.querySelector('[data-command="next"]').textContent = nextLabel();
  const c = state.contest;
  byId('host-counter').textContent = c ? t('host.counter', { number: state.number || 0, total: c.questionCount }) : '';
  const lost = state.connection === 'waiting' || state.connection === 'connecting';
  byId('host-connection').textContent = lost ? t('host.reconnecting') : state.connection === 'open' ? t('host.online') : '';
  byId('host-connection').classList.toggle('is-lost', lost);
  if (state.phase === 'finished' && state.contest) hostStatus(t('host.finished'), 'success');
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

function renderTimer(remaining) {
  const shown = remaining !== null && remaining !== undefined;
  byId('host-timer').textContent = shown ? seconds(remaining) : '';
  byId('host-timer-label').textContent = shown ? t('host.secondsLeft') : '';
}

function renderQuestion() {
  const q = state.question;
  byId('host-q-empty').hidden = !!q;
  byId('host-q').hidden = !q;
  if (!q) return;
  const parts = [t('host.counter', { number: q.number, total: q.total }), roundLabel(q)];
  if (q.category) parts.push(q.category);
  if (q.type) parts.push(typeLabel(q.type));
  if (q.kind === 'poll') parts.push(t('host.pollNoScore'));
  else parts.push(q.kind === 'risk' ? t('host.stakes', { stakes: (q.wagers || []).join('/') }) : t('host.points', { points: q.points }));
  byId('host-q-meta').textContent = parts.join(' · ');
  byId('host-q-stem').textContent = q.stem || t('host.hiddenUntilStakes');
  const r = state.reveal && state.reveal.number === q.number ? state.reveal : null;
  const key = r && r.key ? r.key : [];
  const options = q.options || (r && r.options) || [];
  replaceChildren(byId('host-q-options'), options.map((text, index) =>
    el('li', { class: key.indexOf(index) >= 0 ? 'is-key' : '', 'data-key': key.indexOf(index) >= 0 ? 'true' : 'false' },
      el('span', { class: 'host-letter' }, key.indexOf(index) >= 0 ? '✓' : optionLetter(index)),
      el('span', { class: 'host-option-text' }, text),
      r ? el('span', { class: 'host-count' }, t('host.picked', { count: r.distribution[index] || 0 })) : null)));
  const keyLine = byId('host-q-key');
  keyLine.hidden = !r;
  if (r) {
    if (q.kind === 'poll') keyLine.textContent = t('host.pollResult', { count: r.distribution.reduce((sum, n) => sum + n, 0) });
    else if (r.options) keyLine.textContent = t('host.key', { key: key.map(optionLetter).join('') });
    else if (r.truth !== undefined) {
      keyLine.textContent = t('host.key', { key: t(r.truth ? 'play.true' : 'play.false') }) + ' · ' +
        t('host.truthCounts', { yes: r.distribution[0] || 0, no: r.distribution[1] || 0 });
    } else {
      keyLine.textContent = t('host.key', { key: (r.texts || []).join(' / ') }) + ' · ' +
        t('host.fillCounts', { right: r.distribution[0] || 0, wrong: r.distribution[1] || 0 });
    }
  }
  const explanation = byId('host-q-explanation');
  explanation.hidden = !(r && r.explanation);
  explanation.textContent = r && r.explanation ? t('host.explanation', { text: r.explanation }) : '';
  const buzz = byId('host-buzz');
  const b = state.buzzer;
  buzz.hidden = !(b && q.kind === 'buzz');
  if (b && q.kind === 'buzz') {
    buzz.textContent = b.holder ? t('host.buzzHeld', { name: b.holder.name, branch: b.holder.branch })
      : b.open ? t('host.buzzOpen') : t('host.buzzSoon', { seconds: seconds(b.opensInMs) });
  }
}

function renderProgress() {
  const p = state.progress;
  const wagering = state.phase === 'wagering';
  byId('host-answered-label').textContent = t(wagering ? 'host.wagered' : 'host.answered');
  byId('host-answered').textContent = p ? String(wagering ? p.wagered : p.answered) : '0';
  byId('host-seats').textContent = p ? String(p.seats) : '0';
  byId('host-connected').textContent = p ? String(p.connected) : '0';
}

// Rows are kept per seat and updated in place: the list changes several times a second while answers come
// in, and a button replaced between press and release would swallow the host's click.
function renderPlayers() {
  const rows = state.players ? state.players.players : [];
  const body = byId('host-player-rows');
  if (!rows.length) {
    replaceChildren(body, el('tr', null, el('td', { colspan: '6', class: 'empty' }, t('host.noPlayers'))));
    return;
  }
  const old = {};
  Array.prototype.forEach.call(body.children, (tr) => {
    old[tr.getAttribute('data-seat')] = tr;
  });
  rows.forEach((row, index) => {
    let tr = old[String(row.seat)];
    delete old[String(row.seat)];
    if (!tr) {
      tr = el('tr', { 'data-seat': row.seat },
        el('td', { class: 'cell-title' }), el('td'), el('td'), el('td'), el('td', { class: 'num' }),
        el('td', { class: 'row-actions' }, el('button', { type: 'button', class: 'btn btn-small btn-danger', 'data-kick': row.seat })));
    }
    const cells = tr.children;
    tr.setAttribute('data-name', row.name);
    tr.className = row.connected ? '' : 'is-inactive';
    replaceChildren(cells[0], row.name, row.guest ? el('span', { class: 'badge badge-muted host-guest' }, t('host.guest')) : null);
    cells[1].textContent = row.branch;
    cells[2].setAttribute('data-online', row.connected ? 'true' : 'false');
    cells[2].textContent = row.connected ? '● ' + t('host.online') : '○ ' + t('host.offline');
    cells[3].setAttribute('data-answered', row.answered ? 'true' : 'false');
    cells[3].textContent = row.answered ? '✓ ' + t('host.hasAnswered') : '—';
    cells[4].textContent = String(row.score);
    cells[5].firstChild.textContent = t('host.kick');
    if (body.children[index] !== tr) body.insertBefore(tr, body.children[index] || null);
  });
  Object.keys(old).forEach((key) => body.removeChild(old[key]));
}

function onKickClick(event) {
  const button = event.target.closest ? event.target.closest('[data-kick]') : null;
  if (!button || !state.players) return;
  const seat = Number(button.getAttribute('data-kick'));
  const row = state.players.players.filter((player) => player.seat === seat)[0];
  if (row) kick(row);
}

function rankRow(row, label) {
  return el('li', { 'data-rank': row.rank },
    el('span', { class: 'host-rank' }, String(row.rank)),
    el('span', { class: 'host-rank-name' }, label),
    el('span', { class: 'host-change ' + changeClass(row.change) }, changeText(row.change)),
    el('span', { class: 'num' }, String(row.score)));
}

function renderBoard() {
  const b = state.board;
  replaceChildren(byId('host-top'), b ? b.top.map((row) => rankRow(row, row.name + ' · ' + row.branch)) : []);
  replaceChildren(byId('host-branches'), b ? b.branches.map((row) => rankRow(row, row.name + ' · ' + t('host.people', { count: row.players }))) : []);
}

function renderLinks() {
  if (!state.view) return;
  renderContestLinks(byId('host-link-box'), state.view, { withHost: false, onView: (view) => { state.view = view; } });
}

// ---- start ----------------------------------------------------------------------------------------------

async function main() {
  await startConsole('contests');
  state.contestId = Number(params(location.search).contest);
  if (!state.contestId) {
    showPageError({ message: t('host.noContestId') });
    return;
  }
  Array.prototype.forEach.call(document.querySelectorAll('[data-command]'), (button) => {
    button.addEventListener('click', () => command(button.getAttribute('data-command')));
  });
  onLanguageChange(() => {
    renderControls();
    renderQuestion();
    renderPlayers();
    renderBoard();
    renderLinks();
  });
  byId('host-player-rows').addEventListener('click', onKickClick);
  renderPlayers();
  try {
    state.view = await api.getContest(state.contestId);
  } catch (error) {
    showPageError(error, 'host.loadFailed');
    return;
  }
  byId('host-title').textContent = state.view.contest.title;
  byId('host-pin').textContent = state.view.contest.pin;
  renderLinks();
  socket.start();
}

main();
