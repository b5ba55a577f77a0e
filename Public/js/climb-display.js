// The big screen of an answer-climbing campaign (climb-display.html#campaign=N&token=T): the campaign, today's
// date, how many climbed today and in all against the roster, the branch board (participation, mean height,
// composite) and the top climbers. Nobody touches it: it connects to /ws/campaign with the read-only display
// token from the link's fragment (which never reaches server logs), gets a board on connecting and then at most
// once a second while members climb, and reconnects on its own through network drops and server restarts.
// Rows slide to their new places when ranks change (flip.js). "&lang=en" in the fragment shows it in English.
import { byId, el, replaceChildren } from './dom.js';
import { applyTranslations, onLanguageChange, setLang, t } from './i18n.js';
import { createContestSocket } from './contest-socket.js';
import { renderList } from './flip.js';
import { errorText, params } from './contest-text.js';

const BAD_LINK_RETRY = 30000;

// Everything shown comes from one campaign; a new link (hashchange) starts again from this.
function initialState() {
  return {
    campaignId: null,
    token: null,
    board: null,
    heights: null,       // memberId → height on the board before, to light up who climbed
    ranks: null,         // memberId → rank before
    branchRanks: null,   // branch id → rank before
    screen: 'connecting',
  };
}

const state = initialState();

const socket = createContestSocket({
  path: '/ws/campaign',
  welcomeType: 'board',
  hello: () => ({ type: 'display', campaignId: state.campaignId, token: state.token }),
  onMessage: receive,
  onStatus: connectionStatus,
});
let retryTimer = null;

function receive(message) {
  if (message.type === 'board') {
    onBoard(message);
  } else if (message.type === 'error') {
    if (message.code === 'bad-token' || message.code === 'forbidden') {
      // A new display link was made (the old one stops working), or the link was cut short. Look again now and
      // then, in case this screen is given a working link behind its back.
      socket.stop();
      showError(message.code === 'bad-token' ? t('cdisplay.badToken') : errorText(message));
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => socket.start(), BAD_LINK_RETRY);
    }
  }
}

function onBoard(board) {
  const first = !state.board;
  state.board = board;
  document.title = t('cdisplay.pageTitleNamed', { title: board.campaign.title });
  setScreen('board');
  render(first);
}

function connectionStatus(name) {
  const node = byId('d-connection');
  const lost = name === 'waiting' || name === 'connecting';
  if (!state.board) {
    if (state.screen !== 'error') setScreen('connecting');
    byId('d-connecting').textContent = t(name === 'waiting' ? 'display.retrying' : 'display.connecting');
  }
  node.hidden = !(state.board && lost);
  node.textContent = state.board && lost ? t('display.reconnecting') : '';
}

function showError(text) {
  byId('d-error').textContent = text;
  setScreen('error');
}

function setScreen(name) {
  state.screen = name;
  document.body.setAttribute('data-screen', name);
  Array.prototype.forEach.call(document.querySelectorAll('.d-main > [data-screen]'), (node) => {
    node.hidden = node.getAttribute('data-screen') !== name;
  });
}

// ---- drawing -------------------------------------------------------------------------------------------

function percent(rate) {
  return Math.round((rate || 0) * 1000) / 10 + '%';
}

function oneDecimal(value) {
  return (Math.round((value || 0) * 10) / 10).toFixed(1);
}

function todayText(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  return match ? t('cdisplay.date', { year: match[1], month: Number(match[2]), day: Number(match[3]) }) : (iso || '');
}

// How many rows of a list fit in its box, and how tall each is: the whole board on any screen, never cut off.
function fit(list, count, most, least) {
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  const gap = 0.6 * rem;
  const height = list.clientHeight;
  if (!height || !count) return count;
  const rows = Math.max(1, Math.min(count, Math.floor((height + gap) / (least * rem + gap))));
  const each = Math.min(most * rem, (height - gap * (rows - 1)) / rows);
  list.style.setProperty('--row-h', each.toFixed(1) + 'px');
  return rows;
}

function changeMark(before, now) {
  if (before === undefined || before === null || before <= now) return null;
  return el('span', { class: 'c-change is-up' }, '▲' + (before - now));
}

// "离退休党总支/第一党支部" (the server names a branch by its path when two share a name): the branch large, the
// units above it small underneath, so the board never cuts off the part that tells them apart.
function branchName(name, mark) {
  const parts = String(name || '').split('/');
  const own = parts.pop();
  return el('span', { class: 'c-name' },
    el('span', { class: 'c-name-main' }, el('b', null, own), mark),
    parts.length ? el('small', null, parts.join(' / ')) : null);
}

// In a climber's row the branch comes first and the units above it after, where a cut-off line hurts least.
function branchShort(name) {
  const parts = String(name || '').split('/');
  const own = parts.pop();
  return parts.length ? t('cdisplay.branchIn', { branch: own, parent: parts.join(' / ') }) : own;
}

function fillBranch(node, row) {
  const before = state.branchRanks ? state.branchRanks[row.id] : undefined;
  const entering = node.classList.contains('is-entering');
  replaceChildren(node,
    el('span', { class: 'd-rank' }, String(row.rank)),
    branchName(row.name, changeMark(before, row.rank)),
    el('span', { class: 'c-rate' },
      el('span', { class: 'c-bar' }, el('span', { style: { width: Math.min(100, (row.participationRate || 0) * 100) + '%' } })),
      el('span', { class: 'c-rate-text' }, percent(row.participationRate)),
      el('small', null, t('cdisplay.ofRoster', { participants: row.participants, roster: row.roster }))),
    el('span', { class: 'c-num' }, oneDecimal(row.meanHeight)),
    el('span', { class: 'c-num c-composite' }, oneDecimal(row.composite)));
  node.className = 'd-row c-branch-row' + (row.rank === 1 ? ' is-top' : '') + (entering ? ' is-entering' : '');
  node.setAttribute('data-rank', row.rank);
  node.setAttribute('data-branch', row.id);
  node.setAttribute('data-rate', row.participationRate);
  node.setAttribute('data-participants', row.participants);
}

function fillClimber(node, row) {
  // The climber's own ladder (a category ladder may be shorter than the default one).
  const levels = row.levelCount || state.board.campaign.levels.length;
  const before = state.heights ? state.heights[row.memberId] : undefined;
  // Higher than on the last board, or new on it (after the first board): this one just climbed.
  const climbed = state.heights !== null && (before === undefined ? row.height > 0 : row.height > before);
  const entering = node.classList.contains('is-entering');
  replaceChildren(node,
    el('span', { class: 'd-rank' }, String(row.rank)),
    el('span', { class: 'd-who' }, el('b', null, row.name), el('small', null, branchShort(row.branch))),
    el('span', { class: 'c-change-box' }, changeMark(state.ranks ? state.ranks[row.memberId] : undefined, row.rank)),
    el('span', { class: 'c-height' }, el('b', null, String(row.height)), el('small', null, t('cdisplay.levelsOf', { count: levels }))));
  node.className = 'd-row c-climber-row' + (row.rank <= 3 ? ' is-top' : '') + (entering ? ' is-entering' : '') +
    (row.height >= levels ? ' is-summit' : '');
  if (climbed) {
    // Restart the glow even if it is still running from the last step.
    node.classList.remove('is-climbed');
    void node.offsetWidth;
    node.classList.add('is-climbed');
  }
  node.setAttribute('data-rank', row.rank);
  node.setAttribute('data-member', row.memberId);
  node.setAttribute('data-height', row.height);
}

function makeRow() {
  return el('li', { class: 'd-row' });
}

function render(first) {
  const b = state.board;
  if (!b) return;
  byId('d-title').textContent = b.campaign.title;
  const weights = b.campaign.composite || { participation: 0.5, height: 0.5 };
  // With category ladders, each height is divided by the climber's own ladder's levels.
  const ladders = (b.campaign.ladderLevels || []).length > 1;
  byId('c-legend').textContent = t(ladders ? 'cdisplay.compositeLegendLadders' : 'cdisplay.compositeLegend', {
    participation: weights.participation, height: weights.height, levels: (b.campaign.levels || []).length,
  });
  byId('d-today').textContent = todayText(b.today);
  byId('c-today').textContent = String(b.participantsToday);
  byId('c-participants').textContent = String(b.participants);
  byId('c-roster').textContent = String(b.rosterCount);
  // "1 player", "2 players": the unit after each figure follows it.
  [['c-today', b.participantsToday], ['c-participants', b.participants], ['c-roster', b.rosterCount]].forEach((pair) => {
    byId(pair[0]).nextElementSibling.textContent = t('display.people', { count: pair[1] });
  });
  const rate = b.rosterCount ? b.participants / b.rosterCount : 0;
  byId('c-rate').textContent = percent(rate);
  byId('c-rate-fill').style.width = Math.min(100, rate * 100) + '%';

  const branches = byId('c-branches');
  const top = byId('c-top');
  if (first) {
    replaceChildren(branches);
    replaceChildren(top);
  }
  // Nobody climbing yet: a note instead of an empty list.
  top.hidden = b.top.length === 0;
  byId('c-top-empty').hidden = b.top.length > 0;
  const branchRows = b.branches.slice(0, fit(branches, b.branches.length, 5.6, 3.4));
  const climbers = b.top.slice(0, fit(top, b.top.length, 5.6, 3.8));
  renderList(branches, branchRows, (row) => row.id, makeRow, fillBranch);
  renderList(top, climbers, (row) => row.memberId, makeRow, fillClimber);

  state.heights = {};
  state.ranks = {};
  b.top.forEach((row) => {
    state.heights[row.memberId] = row.height;
    state.ranks[row.memberId] = row.rank;
  });
  state.branchRanks = {};
  b.branches.forEach((row) => { state.branchRanks[row.id] = row.rank; });
}

// ---- start --------------------------------------------------------------------------------------------

// The campaign and token of the link's fragment; false when the link is not a display link.
function follow(fragment) {
  state.campaignId = Number(fragment.campaign);
  state.token = fragment.token || null;
  if (!state.campaignId || !state.token) {
    showError(t('cdisplay.badLink'));
    return false;
  }
  return true;
}

// A new display link pasted into this tab changes only the fragment, and the page stays loaded: the old
// campaign's socket and board go, and the screen connects to the new one. Done in place rather than by
// reloading, so a hall screen that has lost its network keeps retrying instead of showing the browser's error page.
function linkChanged() {
  const fragment = params(location.hash);
  if (fragment.lang) setLang(fragment.lang);
  if (Number(fragment.campaign) === state.campaignId && (fragment.token || null) === state.token) return;
  socket.stop();
  clearTimeout(retryTimer);
  retryTimer = null;
  Object.assign(state, initialState());
  document.title = t('cdisplay.pageTitle');
  byId('d-connection').hidden = true;
  ['d-title', 'd-today'].forEach((id) => { byId(id).textContent = ''; });
  ['c-branches', 'c-top'].forEach((id) => replaceChildren(byId(id)));
  setScreen('connecting');
  if (follow(fragment)) socket.start();
}

function main() {
  const fragment = params(location.hash);
  if (fragment.lang) setLang(fragment.lang);
  applyTranslations();
  onLanguageChange(() => render(false));
  window.addEventListener('resize', () => render(false));
  window.addEventListener('hashchange', linkChanged);
  if (follow(fragment)) socket.start();
}

main();
