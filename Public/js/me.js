// The member's own page on the phone: who they are and where, the answer-climbing campaigns they may take
// part in (each a big link to climb.html; live contests are joined from the hall's QR code), and signing out.
import * as api from './api.js';
import { byId, el, replaceChildren, setNotice } from './dom.js';
import { onLanguageChange, t } from './i18n.js';
import { startMemberPage, showView } from './member-page.js';
import { unitPath } from './format.js';
import { categoryTimeline } from './history-chart.js';

const state = { loaded: false, member: null, reason: 'none', error: null, campaigns: null, campaignsError: null, surveys: [], history: null, historyError: null };

function renderCampaigns() {
  const list = byId('campaign-list');
  const campaigns = state.campaigns || [];
  // Surveys still waiting for this member's answer come first: they close, climbing goes on.
  const surveys = state.surveys.filter((s) => s.open && !s.answered);
  list.hidden = !campaigns.length && !surveys.length;
  replaceChildren(list, surveys.map((s) =>
    el('li', null, el('a', { class: 'campaign-link', href: '/survey.html#survey=' + s.id, 'data-survey': s.id },
      el('b', null, s.title),
      el('span', null, t(s.anonymous ? 'me.surveyAnonymous' : 'me.survey')),
      el('span', { class: 'campaign-go' }, t('me.surveyGo'))))),
  campaigns.map((c) =>
    el('li', null, el('a', { class: 'campaign-link', href: '/climb.html#campaign=' + c.id, 'data-campaign': c.id },
      el('b', null, c.title),
      el('span', null, t('me.campaignDates', { start: c.startDate, end: c.endDate })),
      el('span', { class: 'campaign-go' }, t('me.climbGo'))))));
  byId('no-activities').hidden = state.campaigns === null || campaigns.length > 0 || surveys.length > 0;
  setNotice(byId('campaigns-error'), state.campaignsError ? t('me.campaignsFailed', { message: state.campaignsError.message }) : '', 'error');
}

// The member's own record: contests joined, campaigns climbed, and accuracy per category (GET /api/me/history).
function renderHistory() {
  const history = state.history;
  const body = byId('history-body');
  setNotice(byId('history-error'), state.historyError ? t('me.historyFailed', { message: state.historyError.message }) : '', 'error');
  if (!history) {
    replaceChildren(body);
    return;
  }
  const items = [];
  history.campaigns.forEach((c) => items.push(el('li', { 'data-campaign': String(c.campaignId) },
    el('b', null, c.title), el('span', null, t('me.historyCampaign', { height: c.height, attempts: c.attempts, correct: c.correct, answered: c.answered })))));
  history.contests.forEach((c) => items.push(el('li', { 'data-contest': String(c.contestId) },
    el('b', null, c.title), el('span', null, t('me.historyContest', { at: c.joinedAt, score: c.score, correct: c.correct, answered: c.answered })))));
  const categories = history.categories.map((line) => el('li', { 'data-category': line.category },
    el('b', null, line.category || t('me.noCategory')),
    el('span', null, t('me.historyCategory', { accuracy: line.accuracy.toFixed(0), answered: line.answered }))));
  // Six months fit a phone's width with readable cells; the roster's dialog shows twelve.
  const timeline = categoryTimeline(history.categories, { months: 6, labelWidth: 96 });
  replaceChildren(body, items.length
    ? [el('ul', { class: 'history-list' }, items), categories.length ? el('h3', null, t('me.historyCategories')) : null,
      categories.length ? el('ul', { class: 'history-list' }, categories) : null,
      timeline ? el('div', { class: 'history-chart', 'data-testid': 'history-chart' }, timeline) : null]
    : el('p', { class: 'lead' }, t('me.historyEmpty')));
}

async function loadHistory() {
  try {
    state.history = await api.myHistory();
    state.historyError = null;
  } catch (error) {
    state.history = null;
    state.historyError = error.status === 401 ? null : error;
  }
}

async function loadSurveys() {
  try {
    state.surveys = await api.mySurveys();
  } catch (error) {
    state.surveys = []; // the campaigns' notice already tells of a network failure
  }
}

async function loadCampaigns() {
  try {
    state.campaigns = await api.myCampaigns();
    state.campaignsError = null;
  } catch (error) {
    state.campaigns = [];
    state.campaignsError = error.status === 401 ? null : error;
  }
}

function render() {
  if (!state.loaded) return;
  if (state.member) {
    const member = state.member;
    byId('member-name').textContent = member.name;
    byId('member-number').textContent = member.number;
    byId('member-branch').textContent = unitPath(member.unit);
    document.title = t('me.pageTitleNamed', { name: member.name });
    renderCampaigns();
    renderHistory();
    showView('member');
  } else if (state.error) {
    setNotice(byId('me-error'), t('me.error', { message: state.error.message }), 'error');
    showView('error');
  } else {
    const reason = byId('signed-out-reason');
    reason.textContent = t(state.reason === 'expired' ? 'me.expired' : state.reason === 'signedOut' ? 'me.signedOut' : 'me.notSignedIn');
    reason.setAttribute('data-reason', state.reason);
    byId('signed-out-title').textContent = t(state.reason === 'expired' ? 'me.expiredTitle' : 'me.signedOutTitle');
    showView('signed-out');
  }
}

async function load() {
  showView('loading');
  state.error = null;
  try {
    const body = await api.getMe();
    state.member = body.member;
  } catch (error) {
    state.member = null;
    if (error.status === 401) {
      // A phone that had a member session here before (see below) lost it: signed out elsewhere, or the
      // link was revoked.
      state.reason = hadSession() ? 'expired' : 'none';
    } else if (error.status === 403) {
      location.replace('/'); // an organizer's session: their place is the console
      return;
    } else {
      state.error = error;
    }
  }
  rememberSession(!!state.member);
  // The campaigns come with the page, so it shows whole at once.
  if (state.member) await Promise.all([loadCampaigns(), loadHistory(), loadSurveys()]);
  state.loaded = true;
  render();
}

// Whether this phone was signed in as a member before, to tell "expired" from "never signed in".
function hadSession() {
  try {
    return window.localStorage.getItem('dengao.member') === '1';
  } catch (error) {
    return false;
  }
}

function rememberSession(on) {
  try {
    if (on) window.localStorage.setItem('dengao.member', '1');
  } catch (error) {
    // nothing to remember with
  }
}

function forgetSession() {
  try {
    window.localStorage.removeItem('dengao.member');
  } catch (error) {
    // nothing to forget
  }
}

async function signOut() {
  const button = byId('sign-out');
  // One tap would otherwise end it, and only the invitation link (often on paper, or with the organizer) lets a
  // member back in: ask first, and say so.
  if (!window.confirm(t('me.confirmSignOut'))) return;
  button.disabled = true;
  try {
    await api.logout();
  } catch (error) {
    if (error.status !== 401) {
      setNotice(byId('sign-out-status'), t('me.signOutFailed', { message: error.message }), 'error');
      button.disabled = false;
      return;
    }
  }
  forgetSession();
  state.member = null;
  state.reason = 'signedOut';
  button.disabled = false;
  render();
}

function main() {
  startMemberPage();
  // No login page for members: a lost session shows the signed-out view here instead.
  api.setUnauthorizedHandler(() => {});
  onLanguageChange(render);
  byId('sign-out').addEventListener('click', signOut);
  byId('retry').addEventListener('click', load);
  load();
}

main();
