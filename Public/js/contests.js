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
import { loadCategories, currentCategories, renderCategoryChoices, chosenCategories } from './member-categories.js';

// editing: the contest whose settings the form holds for saving (null: the form creates a new one).
const state = { account: null, contests: [], banks: [], index: indexUnits([]), shown: null, editing: null };
let editor = null;

function statusLabel(status) {
  return t('contests.status.' + status);
}

// " · 面向：离退休党员" after the title of a contest for member categories; nothing for one open to every member.
function categoriesNote(settings) {
  const ids = settings.memberCategoryIds || [];
  if (!ids.length) return null;
  const names = ids.map((id) => (currentCategories().find((c) => c.id === id) || { name: '#' + id }).name);
  return el('span', { class: 'hint', 'data-testid': 'contest-categories' },
    ' · ' + t('campaigns.forCategories', { names: names.join(t('punct.enumeration')) }));
}

function contestRow(contest) {
  const rounds = (contest.settings.rounds || []).map((round) => round.title || kindLabel(round.kind)).join(' / ');
  const show = el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'show' },
    contest.status === 'finished' ? t('results.button') : t('contests.show'));
  show.addEventListener('click', () => showContest(contest.id));
  const action = (name, label, handler, extra) => {
    const button = el('button', { type: 'button', class: 'btn btn-small' + (extra || ''), 'data-action': name }, label);
    button.addEventListener('click', () => handler(contest));
    return button;
  };
  // Only a contest nobody joined can be changed or deleted (the server decides; it refuses once joined).
  const unplayed = contest.status === 'ready' && !contest.setAside;
  return el('tr', { 'data-contest': contest.id, 'data-title': contest.title },
    el('td', { class: 'cell-title' }, contest.title, categoriesNote(contest.settings)),
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
      unplayed ? action('edit', t('contests.edit'), startEditing) : null,
      contest.setAside ? null : action('copy', t('contests.copy'), startCopy),
      unplayed ? action('delete', t('contests.delete'), deleteContest, ' btn-danger') : null,
      contest.setAside || contest.status === 'finished' ? null
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
  if (view.contest.status === 'finished') {
    // Over: its join code leads nowhere (the PIN may already name another contest); its results are what is wanted.
    replaceChildren(byId('detail-links'),
      el('p', { class: 'notice', 'data-testid': 'finished-note' }, t('contests.finishedNote')),
      el('p', null, el('a', { class: 'btn btn-primary', href: '/results.html?contest=' + encodeURIComponent(view.contest.id),
        'data-testid': 'detail-results' }, t('contests.resultsLink'))));
    return;
  }
  renderContestLinks(byId('detail-links'), view, { withHost: true, onView: (fresh) => { state.shown = fresh; } });
}

// Puts a contest's settings into the form: for saving over it (editing) or as a new one (copying).
function fillForm(contest, title) {
  const settings = contest.settings || {};
  byId('contest-title').value = title;
  byId('contest-mode').value = settings.mode || 'individual';
  byId('contest-branch-scoring').value = settings.branchScoring || 'sum';
  byId('contest-multiple').value = settings.multipleChoice || 'allOrNothing';
  byId('contest-members-only').checked = !!settings.membersOnly;
  const held = settings.memberCategoryIds || [];
  renderCategoryChoices(byId('contest-member-categories'),
    currentCategories().filter((c) => held.indexOf(c.id) >= 0).map((c) => c.name));
  byId('contest-owner').value = contest.ownerUnitId === null || contest.ownerUnitId === undefined ? '' : String(contest.ownerUnitId);
  editor.load(settings.rounds);
}

function renderFormMode() {
  const editing = state.editing;
  byId('create-title').textContent = editing ? t('contests.editTitle', { title: editing.title }) : t('contests.create');
  byId('contest-submit').textContent = editing ? t('contests.save') : t('contests.submit');
  byId('contest-cancel-edit').hidden = !editing;
}

function startEditing(contest) {
  state.editing = contest;
  fillForm(contest, contest.title);
  renderFormMode();
  setNotice(byId('contest-form-status'), '');
  byId('contest-form').scrollIntoView({ block: 'start' });
  byId('contest-title').focus();
}

function startCopy(contest) {
  state.editing = null;
  fillForm(contest, t('contests.copyOf', { title: contest.title }).slice(0, 60));
  renderFormMode();
  setNotice(byId('contest-form-status'), t('contests.copied', { title: contest.title }), 'success');
  byId('contest-form').scrollIntoView({ block: 'start' });
  byId('contest-title').focus();
}

// Back to an empty form for a new contest (after creating one, or when an edit is cancelled).
function resetForm() {
  state.editing = null;
  byId('contest-form').reset();
  fillOwner();
  editor.load([]);
  renderFormMode();
}

async function deleteContest(contest) {
  if (!window.confirm(t('contests.confirmDelete', { title: contest.title, pin: contest.pin }))) return;
  const status = byId('contest-list-status');
  try {
    await api.deleteContest(contest.id);
    setNotice(status, t('contests.deleted', { title: contest.title }), 'success');
    if (state.shown && state.shown.contest.id === contest.id) {
      state.shown = null;
      byId('contest-detail').hidden = true;
    }
    if (state.editing && state.editing.id === contest.id) resetForm();
  } catch (error) {
    setNotice(status, t('contests.deleteFailed', { message: error.message }), 'error');
  }
  await loadContests();
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
  // A contest for some categories is for members only: a guest names no category.
  const targeted = chosenCategories(byId('contest-member-categories'));
  if (targeted.length) {
    settings.memberCategoryIds = currentCategories().filter((c) => targeted.indexOf(c.name) >= 0).map((c) => c.id);
    settings.membersOnly = true;
  }
  const button = byId('contest-submit');
  button.disabled = true;
  const editing = state.editing;
  setNotice(status, t(editing ? 'contests.saving' : 'contests.creating'));
  try {
    const owner = selectedUnitId(byId('contest-owner'), state.index);
    const view = editing ? await api.editContest(editing.id, owner, settings) : await api.createContest(owner, settings);
    const figures = { title: view.contest.title, pin: view.contest.pin, count: view.contest.questionCount };
    // The form is for the next contest now; the notice says what was just made.
    resetForm();
    setNotice(status, t(editing ? 'contests.saved' : 'contests.created', figures), 'success');
    renderDetail(view);
    await loadContests();
    byId('contest-detail').scrollIntoView({ block: 'start' });
  } catch (error) {
    setNotice(status, t(editing ? 'contests.saveFailed' : 'contests.createFailed', { message: error.message }), 'error');
  } finally {
    button.disabled = false;
  }
}

async function main() {
  state.account = await startConsole('contests');
  editor = createRoundEditor(byId('round-list'), () => state.banks);
  editor.add('everyone');
  renderFormMode();
  byId('add-round').addEventListener('click', () => editor.add('everyone'));
  byId('contest-form').addEventListener('submit', submit);
  byId('contest-cancel-edit').addEventListener('click', () => {
    resetForm();
    setNotice(byId('contest-form-status'), '');
  });
  onLanguageChange(() => {
    renderContests();
    renderFormMode();
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
  try {
    await loadCategories();
  } catch (error) {
    showPageError(error, 'contests.loadFailed');
  }
  renderCategoryChoices(byId('contest-member-categories'), []);
  renderContests();
  byId('contest-member-categories').addEventListener('change', () => {
    if (chosenCategories(byId('contest-member-categories')).length) byId('contest-members-only').checked = true;
  });
}

main();
