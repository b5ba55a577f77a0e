// The contests page: the live contests this account may see, a form to create one (settings and rounds),
// and, for a new or chosen contest, its join link with QR code, its display link, and the way to host it.
import * as api from './api.js';
import { byId, el, replaceChildren, setNotice } from './dom.js';
import { onLanguageChange, t } from './i18n.js';
import { startConsole, showPageError } from './shell.js';
import { indexUnits, fillUnitSelect, selectedUnitId } from './units.js';
import { formatTime } from './format.js';
import { kindLabel } from './contest-text.js';
import { createRoundEditor } from './round-editor.js';
import { renderContestLinks } from './contest-links.js';

const state = { account: null, contests: [], banks: [], index: indexUnits([]), shown: null };
let editor = null;

function statusLabel(status) {
  return t('contests.status.' + status);
}

function contestRow(contest) {
  const rounds = (contest.settings.rounds || []).map((round) => round.title || kindLabel(round.kind)).join(' / ');
  const show = el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'show' }, t('contests.show'));
  show.addEventListener('click', () => showContest(contest.id));
  return el('tr', { 'data-contest': contest.id, 'data-title': contest.title },
    el('td', { class: 'cell-title' }, contest.title),
    el('td', { class: 'mono', 'data-label': t('contests.colPin') }, contest.pin),
    el('td', { 'data-label': t('contests.colStatus') },
      contest.setAside
        ? el('span', { class: 'badge status-badge', 'data-status': 'set-aside', title: contest.setAside },
          t('contests.setAside', { reason: contest.setAside }))
        : el('span', { class: 'badge status-badge', 'data-status': contest.status }, statusLabel(contest.status))),
    el('td', { 'data-label': t('contests.colRounds') }, rounds),
    el('td', { class: 'num', 'data-label': t('contests.colQuestions') }, String(contest.questionCount)),
    el('td', { 'data-label': t('contests.colCreated') }, formatTime(contest.createdAt)),
    el('td', { class: 'row-actions' },
      show,
      contest.setAside ? null
        : el('a', { class: 'btn btn-small', href: '/results.html?contest=' + contest.id, 'data-action': 'results' }, t('results.button')),
      contest.status === 'finished' || contest.setAside ? null
        : el('a', { class: 'btn btn-small btn-primary', href: '/host.html?contest=' + contest.id, 'data-action': 'host' }, t('contests.host'))));
}

function renderContests() {
  const rows = byId('contest-rows');
  if (!state.contests.length) {
    replaceChildren(rows, el('tr', null, el('td', { colspan: '7', class: 'empty' }, t('contests.empty'))));
    return;
  }
  replaceChildren(rows, state.contests.map(contestRow));
}

async function loadContests() {
  const rows = byId('contest-rows');
  rows.setAttribute('aria-busy', 'true');
  try {
    state.contests = await api.listContests();
  } catch (error) {
    showPageError(error, 'contests.loadFailed');
    return;
  } finally {
    rows.setAttribute('aria-busy', 'false');
  }
  // Newest first: the one being prepared is the one wanted.
  state.contests.sort((a, b) => b.id - a.id);
  renderContests();
}

// view: { contest, joinLink, displayLink? }
function renderDetail(view) {
  state.shown = view;
  const box = byId('contest-detail');
  box.hidden = false;
  byId('detail-title').textContent = view.contest.title;
  byId('detail-pin').textContent = view.contest.pin;
  renderContestLinks(byId('detail-links'), view, { withHost: view.contest.status !== 'finished', onView: (fresh) => { state.shown = fresh; } });
}

async function showContest(id) {
  try {
    renderDetail(await api.getContest(id));
    byId('contest-detail').scrollIntoView({ block: 'start' });
  } catch (error) {
    showPageError(error, 'contests.loadFailed');
  }
}

function fillOwner() {
  const admin = state.account.role === 'admin';
  fillUnitSelect(byId('contest-owner'), state.index, {
    none: admin ? t('contests.wholeOrg') : null,
    selected: byId('contest-owner').value || (state.account.unit ? state.account.unit.id : null),
  });
}

function fillCategories() {
  const names = {};
  state.banks.forEach((bank) => Object.keys(bank.countsByCategory || {}).forEach((name) => { names[name] = true; }));
  replaceChildren(byId('category-options'), Object.keys(names).sort().map((name) => el('option', { value: name })));
}

async function submit(event) {
  event.preventDefault();
  const status = byId('contest-form-status');
  const title = byId('contest-title').value.trim();
  const problems = [];
  if (!title) problems.push(t('contests.titleRequired'));
  const read = editor.read();
  problems.push.apply(problems, read.problems);
  if (problems.length) {
    setNotice(status, problems.join(t('punct.semicolon')), 'error');
    return;
  }
  const settings = {
    title: title,
    mode: byId('contest-mode').value,
    branchScoring: byId('contest-branch-scoring').value,
    multipleChoice: byId('contest-multiple').value,
    membersOnly: byId('contest-members-only').checked,
    rounds: read.rounds,
  };
  const button = byId('contest-submit');
  button.disabled = true;
  setNotice(status, t('contests.creating'));
  try {
    const view = await api.createContest(selectedUnitId(byId('contest-owner'), state.index), settings);
    setNotice(status, t('contests.created', { title: view.contest.title, pin: view.contest.pin, count: view.contest.questionCount }), 'success');
    renderDetail(view);
    await loadContests();
    byId('contest-detail').scrollIntoView({ block: 'start' });
  } catch (error) {
    setNotice(status, t('contests.createFailed', { message: error.message }), 'error');
  } finally {
    button.disabled = false;
  }
}

async function main() {
  state.account = await startConsole('contests');
  editor = createRoundEditor(byId('round-list'), () => state.banks);
  editor.add('everyone');
  byId('add-round').addEventListener('click', () => editor.add('everyone'));
  byId('contest-form').addEventListener('submit', submit);
  onLanguageChange(() => {
    renderContests();
    fillOwner();
    editor.renumber();
    editor.refreshBanks();
    if (state.shown) renderDetail(state.shown);
  });
  loadContests();
  try {
    const results = await Promise.all([api.listUnits(), api.listBanks()]);
    state.index = indexUnits(results[0]);
    state.banks = results[1];
  } catch (error) {
    showPageError(error, 'contests.loadFailed');
    return;
  }
  fillOwner();
  fillCategories();
  editor.refreshBanks();
}

main();
