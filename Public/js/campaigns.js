// The campaigns page (登高): the answer-climbing campaigns this account may see, a form to create one (dates,
// banks, scope, attempts per day, the composite's weights and the ladder of levels), and, for a new or chosen
// campaign, its member link, its display link (shown once), and a live monitor of its boards over
// /ws/campaign ({"type":"watch"}, the console session is the credential).
import * as api from './api.js';
import { byId, el, replaceChildren, setNotice } from './dom.js';
import { onLanguageChange, t } from './i18n.js';
import { startConsole, showPageError } from './shell.js';
import { loadCategories, currentCategories, renderCategoryChoices, chosenCategories } from './member-categories.js';
import { findUnit, indexUnits, fillUnitSelect, selectedUnitId } from './units.js';
import { formatTime } from './format.js';
import { createLevelEditor } from './level-editor.js';
import { createCategoryLadders, describeLadders, wireAddButton } from './category-ladders.js';
import { renderCampaignLinks } from './campaign-links.js';
import { createContestSocket } from './contest-socket.js';

const state = {
  account: null, campaigns: [], banks: [], index: indexUnits([]),
  shown: null,          // { campaign, memberLink, displayLink? } of the campaign in the detail panel
  board: null,          // the last board of the watched campaign
  connection: 'idle',
  refused: null,        // the socket's refusal, if any
};
let editor = null;
let extraLadders = null;

const socket = createContestSocket({
  path: '/ws/campaign',
  welcomeType: 'board',
  hello: () => (state.shown ? { type: 'watch', campaignId: state.shown.campaign.id } : null),
  onMessage: (message) => {
    if (message.type === 'board') {
      if (!state.shown || message.campaign.id !== state.shown.campaign.id) return;
      state.board = message;
      state.refused = null;
      renderMonitor();
    } else if (message.type === 'error' && message.code !== 'already-joined') {
      state.refused = message.message || message.code;
      socket.stop();
      renderConnection();
    }
  },
  onStatus: (name) => {
    state.connection = name;
    renderConnection();
  },
});

// ---- the list -------------------------------------------------------------------------------------------

function ownerName(campaign) {
  if (campaign.ownerUnitId === null || campaign.ownerUnitId === undefined) return t('campaigns.wholeOrg');
  const unit = findUnit(state.index, campaign.ownerUnitId);
  return unit ? unit.name : '#' + campaign.ownerUnitId;
}

function datesText(settings) {
  return t('campaigns.datesRange', { start: settings.startDate, end: settings.endDate });
}

function campaignRow(campaign) {
  const settings = campaign.settings;
  const show = el('button', { type: 'button', class: 'btn btn-small btn-primary', 'data-action': 'show' }, t('campaigns.show'));
  show.addEventListener('click', () => showCampaign(campaign.id));
  return el('tr', { 'data-campaign': campaign.id, 'data-title': campaign.title },
    el('td', { class: 'cell-title' }, campaign.title,
      campaign.setAside
        ? el('span', { class: 'badge status-badge', 'data-status': 'set-aside', title: campaign.setAside },
          t('campaigns.setAside', { reason: campaign.setAside }))
        : null),
    el('td', { 'data-label': t('campaigns.colDates') }, datesText(settings)),
    el('td', { 'data-label': t('campaigns.colOwner') }, ownerName(campaign)),
    el('td', { class: 'num', 'data-label': t('campaigns.colLevels') }, String((settings.levels || []).length)),
    el('td', { class: 'num', 'data-label': t('campaigns.colAttempts') }, String(settings.attemptsPerDay)),
    el('td', { 'data-label': t('campaigns.colCreated') }, formatTime(campaign.createdAt)),
    el('td', { class: 'row-actions' }, show,
      campaign.setAside ? null
        : el('a', { class: 'btn btn-small', href: '/results.html?campaign=' + campaign.id, 'data-action': 'results' }, t('results.button'))));
}

function renderCampaigns() {
  const rows = byId('campaign-rows');
  if (!state.campaigns.length) {
    replaceChildren(rows, el('tr', null, el('td', { colspan: '7', class: 'empty' }, t('campaigns.empty'))));
    return;
  }
  replaceChildren(rows, state.campaigns.map(campaignRow));
  markShown();
}

function markShown() {
  const id = state.shown ? String(state.shown.campaign.id) : null;
  Array.prototype.forEach.call(byId('campaign-rows').querySelectorAll('tr[data-campaign]'), (row) => {
    row.classList.toggle('is-shown', row.getAttribute('data-campaign') === id);
  });
}

async function loadCampaigns() {
  const rows = byId('campaign-rows');
  rows.setAttribute('aria-busy', 'true');
  try {
    state.campaigns = await api.listCampaigns();
  } catch (error) {
    showPageError(error, 'campaigns.loadFailed');
    return;
  } finally {
    rows.setAttribute('aria-busy', 'false');
  }
  state.campaigns.sort((a, b) => b.id - a.id);
  renderCampaigns();
}

// ---- one campaign: links and the live monitor ------------------------------------------------------------

// "面向：农村党员、党务干部" for a campaign limited to member categories; '' for one open to every member.
function categoriesText(settings) {
  const ids = settings.memberCategoryIds || [];
  if (!ids.length) return '';
  const names = ids.map((id) => {
    const category = currentCategories().find((c) => c.id === id);
    return category ? category.name : '#' + id;
  });
  return t('campaigns.forCategories', { names: names.join(t('punct.enumeration')) });
}

function renderDetail(view) {
  const changed = !state.shown || state.shown.campaign.id !== view.campaign.id;
  state.shown = view;
  const c = view.campaign;
  byId('campaign-detail').hidden = false;
  byId('detail-title').textContent = c.title;
  byId('detail-facts').textContent = [datesText(c.settings), ownerName(c), t('campaigns.levelsN', { count: c.settings.levels.length }),
    t('campaigns.attemptsN', { count: c.settings.attemptsPerDay }), c.settings.timeZone, categoriesText(c.settings)]
    .concat(describeLadders(c.settings))
    .filter(Boolean).join(' · ');
  renderCampaignLinks(byId('detail-links'), view, { onView: (fresh) => { state.shown = fresh; } });
  markShown();
  if (changed) {
    state.board = null;
    state.refused = null;
    renderMonitor();
    socket.stop();
    socket.start();
  }
}

async function showCampaign(id) {
  try {
    renderDetail(await api.getCampaign(id));
    writeHash(id);
    byId('campaign-detail').scrollIntoView({ block: 'start' });
  } catch (error) {
    showPageError(error, 'campaigns.loadFailed');
  }
}

function writeHash(id) {
  if (history.replaceState) history.replaceState(null, '', location.pathname + location.search + '#campaign=' + id);
}

function renderConnection() {
  const node = byId('monitor-connection');
  let text = '';
  let kind = '';
  if (state.refused) {
    text = t('campaigns.watchRefused', { message: state.refused });
    kind = 'is-lost';
  } else if (state.connection === 'open' && state.board) {
    text = t('campaigns.live');
    kind = 'is-live';
  } else if (state.connection === 'waiting' || (state.connection === 'connecting' && state.board)) {
    text = t('campaigns.reconnecting');
    kind = 'is-lost';
  } else if (state.connection === 'connecting' || state.connection === 'open') {
    text = t('campaigns.connecting');
  }
  node.textContent = text;
  node.className = 'monitor-connection ' + kind;
}

function percent(rate) {
  return Math.round((rate || 0) * 1000) / 10 + '%';
}

function oneDecimal(value) {
  return (Math.round((value || 0) * 10) / 10).toFixed(1);
}

function minutes(totalSeconds) {
  const s = Math.max(0, totalSeconds || 0);
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return m + ':' + (rest < 10 ? '0' : '') + rest;
}

function stat(label, value, testid) {
  return el('div', { class: 'monitor-stat' }, el('span', null, label), el('b', { 'data-testid': testid }, value));
}

function renderMonitor() {
  renderConnection();
  const b = state.board;
  if (!b) {
    replaceChildren(byId('monitor-stats'), el('p', { class: 'hint' }, t('campaigns.waitingBoard')));
    replaceChildren(byId('monitor-branches'));
    replaceChildren(byId('monitor-top'));
    return;
  }
  const rate = b.rosterCount ? b.participants / b.rosterCount : 0;
  replaceChildren(byId('monitor-stats'),
    stat(t('campaigns.today', { date: b.today }), String(b.participantsToday), 'stat-today'),
    stat(t('campaigns.participants'), String(b.participants), 'stat-participants'),
    stat(t('campaigns.roster'), String(b.rosterCount), 'stat-roster'),
    stat(t('campaigns.rate'), percent(rate), 'stat-rate'));
  replaceChildren(byId('monitor-branches'), b.branches.length ? b.branches.map((row) =>
    el('tr', { 'data-branch': row.id, 'data-rank': row.rank },
      el('td', { class: 'num' }, String(row.rank)),
      el('td', null, row.name),
      el('td', { class: 'rate-cell' },
        el('span', { class: 'mini-bar' }, el('span', { style: { width: Math.min(100, row.participationRate * 100) + '%' } })),
        el('span', null, percent(row.participationRate) + ' (' + t('campaigns.ofRoster', { participants: row.participants, roster: row.roster }) + ')')),
      el('td', { class: 'num' }, oneDecimal(row.meanHeight)),
      el('td', { class: 'num' }, oneDecimal(row.composite))))
    : el('tr', null, el('td', { colspan: '5', class: 'empty' }, t('campaigns.noBranches'))));
  const levels = b.campaign.levels.length;
  replaceChildren(byId('monitor-top'), b.top.length ? b.top.map((row) =>
    el('tr', { 'data-member': row.memberId, 'data-rank': row.rank, 'data-height': row.height },
      el('td', { class: 'num' }, String(row.rank)),
      el('td', null, row.name),
      el('td', null, row.branch),
      el('td', { class: 'num' }, t('campaigns.heightOf', { height: row.height, count: row.levelCount || levels })),
      el('td', { class: 'num' }, percent(row.accuracy)),
      el('td', { class: 'num' }, minutes(row.totalSeconds))))
    : el('tr', null, el('td', { colspan: '6', class: 'empty' }, t('campaigns.nobody'))));
}

// ---- the form -----------------------------------------------------------------------------------------

function fillOwner() {
  const admin = state.account.role === 'admin';
  fillUnitSelect(byId('campaign-owner'), state.index, {
    none: admin ? t('campaigns.wholeOrg') : null,
    selected: byId('campaign-owner').value || (state.account.unit ? state.account.unit.id : null),
  });
}

function fillBanks() {
  const box = byId('campaign-banks');
  const chosen = Array.prototype.map.call(box.querySelectorAll('input:checked'), (input) => input.value);
  if (!state.banks.length) {
    replaceChildren(box, el('p', { class: 'hint' }, t('rounds.noBanks')));
    return;
  }
  replaceChildren(box, el('div', { class: 'check-row' }, state.banks.map((bank) =>
    el('label', { class: 'check' },
      el('input', { type: 'checkbox', name: 'bank', value: bank.name,
        checked: chosen.indexOf(bank.name) >= 0 || (state.banks.length === 1 && !chosen.length) }),
      el('span', null, t('rounds.bankOption', { name: bank.name, count: bank.latest ? bank.latest.questionCount : 0 }))))));
}

function fillCategories() {
  const names = {};
  state.banks.forEach((bank) => Object.keys(bank.countsByCategory || {}).forEach((name) => { names[name] = true; }));
  replaceChildren(byId('category-options'), Object.keys(names).sort().map((name) => el('option', { value: name })));
}

function isoDay(date) {
  const pad = (n) => (n < 10 ? '0' : '') + n;
  return date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate());
}

function defaultDates() {
  const today = new Date();
  const end = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 30);
  if (!byId('campaign-start').value) byId('campaign-start').value = isoDay(today);
  if (!byId('campaign-end').value) byId('campaign-end').value = isoDay(end);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

async function submit(event) {
  event.preventDefault();
  const status = byId('campaign-form-status');
  const problems = [];
  const title = byId('campaign-title').value.trim();
  if (!title) problems.push(t('campaigns.titleRequired'));
  const start = byId('campaign-start').value.trim();
  const end = byId('campaign-end').value.trim();
  if (!DAY.test(start) || !DAY.test(end)) problems.push(t('campaigns.datesRequired'));
  else if (end < start) problems.push(t('campaigns.datesOrder'));
  const banks = Array.prototype.map.call(byId('campaign-banks').querySelectorAll('input:checked'), (input) => input.value);
  if (!banks.length) problems.push(t('campaigns.needBank'));
  const attempts = parseInt(byId('campaign-attempts').value, 10);
  if (!(attempts >= 1 && attempts <= 100)) problems.push(t('campaigns.badAttempts'));
  const participation = parseFloat(byId('weight-participation').value);
  const height = parseFloat(byId('weight-height').value);
  if (!(participation >= 0) || !(height >= 0) || participation + height <= 0) problems.push(t('campaigns.badWeights'));
  const read = editor.read();
  problems.push.apply(problems, read.problems);
  const ladders = extraLadders.read();
  problems.push.apply(problems, ladders.problems);
  if (problems.length) {
    setNotice(status, problems.join(t('punct.semicolon')), 'error');
    return;
  }
  const settings = {
    title: title,
    startDate: start,
    endDate: end,
    timeZone: byId('campaign-zone').value.trim() || 'Asia/Shanghai',
    banks: banks,
    levels: read.levels,
    attemptsPerDay: attempts,
    composite: { participation: participation / 100, height: height / 100 },
  };
  const targeted = chosenCategories(byId('campaign-member-categories'));
  if (targeted.length) {
    settings.memberCategoryIds = currentCategories().filter((c) => targeted.indexOf(c.name) >= 0).map((c) => c.id);
  }
  if (ladders.ladders.length) settings.categoryLadders = ladders.ladders;
  const button = byId('campaign-submit');
  button.disabled = true;
  setNotice(status, t('campaigns.creating'));
  try {
    const view = await api.createCampaign(selectedUnitId(byId('campaign-owner'), state.index), settings);
    setNotice(status, t('campaigns.created', { title: view.campaign.title, count: view.campaign.settings.levels.length }), 'success');
    await loadCampaigns();
    renderDetail(view);
    writeHash(view.campaign.id);
    byId('campaign-detail').scrollIntoView({ block: 'start' });
  } catch (error) {
    setNotice(status, t('campaigns.createFailed', { message: api.errorMessage(error) }), 'error');
  } finally {
    button.disabled = false;
  }
}

// Surveys whose results can seed the ladder: those with a ranking question and at least one response.
async function fillSeedSurveys() {
  const select = byId('seed-survey');
  let surveys = [];
  try {
    surveys = (await api.surveys()).filter((s) => s.responseCount > 0 && s.settings.questions.some((q) => q.kind === 'ranking'));
  } catch (error) {
    surveys = [];
  }
  replaceChildren(select, el('option', { value: '' }, t('campaigns.seedNoSurvey')),
    surveys.map((s) => el('option', { value: s.id }, s.settings.title)));
}

// The survey's first ranking, most wanted first, and (if asked) the weakest categories of the last 30 days with
// enough answers to mean something, matched by the server to the chosen banks' categories.
async function seedLadder() {
  const status = byId('seed-status');
  const banks = Array.prototype.map.call(byId('campaign-banks').querySelectorAll('input:checked'), (input) => input.value);
  if (!banks.length) {
    setNotice(status, t('campaigns.needBank'), 'error');
    return;
  }
  try {
    let wanted = [];
    const surveyId = byId('seed-survey').value;
    if (surveyId) {
      const results = await api.surveyResults(surveyId);
      const ranking = results.questions.find((q) => q.kind === 'ranking');
      if (ranking) wanted = ranking.order.filter((topic) => ranking.points[topic] > 0).map((topic) => ranking.labels[topic]);
    }
    let weak = [];
    if (byId('seed-weak').checked) {
      const unit = state.account.role === 'admin' ? undefined : state.account.unit && state.account.unit.id;
      const report = await api.recentCategoryReport(unit);
      weak = report.categories.organization.filter((row) => row.count >= 10 && row.category)
        .sort((a, b) => a.accuracy - b.accuracy).slice(0, 3).map((row) => row.category);
    }
    const count = parseInt(byId('level-count').value, 10) || 10;
    const seed = await api.campaignSeed(banks, wanted, weak, Math.max(1, Math.min(50, count)));
    editor.load(seed.levels);
    byId('level-count').value = String(seed.levels.length);
    setNotice(status, seed.categories.length
      ? t('campaigns.seeded', { categories: seed.categories.join(t('punct.enumeration')) }) +
        (seed.unmatched.length ? t('campaigns.seedUnmatched', { topics: seed.unmatched.join(t('punct.enumeration')) }) : '')
      : t('campaigns.seedNothing'), seed.categories.length ? 'success' : 'error');
  } catch (error) {
    setNotice(status, api.errorMessage(error), 'error');
  }
}

async function main() {
  state.account = await startConsole('campaigns');
  byId('ladder-seed').addEventListener('click', seedLadder);
  fillSeedSurveys();
  editor = createLevelEditor(byId('level-list'));
  editor.reset(10);
  extraLadders = createCategoryLadders(byId('category-ladder-list'), () => editor.read().levels,
    () => state.banks.map((bank) => bank.name));
  wireAddButton(byId('ladder-add'), extraLadders);
  defaultDates();
  byId('ladder-reset').addEventListener('click', () => {
    const count = parseInt(byId('level-count').value, 10);
    if (!(count >= 1 && count <= 50)) {
      setNotice(byId('campaign-form-status'), t('campaigns.badLevelCount'), 'error');
      return;
    }
    editor.reset(count);
  });
  // A new number of levels grows or shrinks the ladder at once, keeping every level already edited.
  const resize = (event) => {
    const count = parseInt(byId('level-count').value, 10);
    if (count >= 1 && count <= 50) {
      editor.resize(count);
    } else if (event.type === 'change') {
      setNotice(byId('campaign-form-status'), t('campaigns.badLevelCount'), 'error');
    }
  };
  byId('level-count').addEventListener('input', resize);
  byId('level-count').addEventListener('change', resize);
  byId('campaign-form').addEventListener('submit', submit);
  onLanguageChange(() => {
    renderCampaigns();
    fillOwner();
    fillBanks();
    extraLadders.refresh();
    if (state.shown) renderDetail(state.shown);
    renderMonitor();
  });
  try {
    const results = await Promise.all([api.listUnits(), api.listBanks()]);
    state.index = indexUnits(results[0]);
    state.banks = results[1];
  } catch (error) {
    showPageError(error, 'campaigns.loadFailed');
  }
  fillOwner();
  fillBanks();
  fillCategories();
  try {
    await loadCategories();
  } catch (error) {
    showPageError(error, 'campaigns.loadFailed');
  }
  renderCategoryChoices(byId('campaign-member-categories'), []);
  await loadCampaigns();
  const match = /campaign=(\d+)/.exec(location.hash);
  if (match) showCampaign(Number(match[1]));
}

main();
