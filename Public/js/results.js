// The results page of one contest (?contest=ID) or campaign (?campaign=ID): headline figures, participation per
// unit as a chart and a table, the score or height histogram, per-branch figures, performance bands, the branches'
// rank table with its change, the top of the standings and the spreadsheet downloads. Everything comes from GET /api/contests/:id/report or /api/campaigns/:id/report.
import * as api from './api.js';
import { byId, el, replaceChildren } from './dom.js';
import { lang, onLanguageChange, t } from './i18n.js';
import { startConsole, showPageError, clearPageError } from './shell.js';
import { barChart, histogram, lineChart, stackedBars } from './charts.js';
import { renderItems } from './results-items.js';
import { loadCategories, fillCategoryFilter } from './member-categories.js';

// memberCategory: the member category (分层分类) id the figures are narrowed to, '' for everyone.
const state = { kind: null, id: null, report: null, memberCategory: '' };

function percent(share) {
  return typeof share === 'number' && isFinite(share) ? (share * 100).toFixed(1) + '%' : '—';
}

function decimal(value, digits) {
  return typeof value === 'number' && isFinite(value) ? value.toFixed(digits === undefined ? 1 : digits) : '—';
}

function whole(value) {
  return typeof value === 'number' && isFinite(value) ? String(value) : '—';
}

// Which activity the address names: { kind: 'contest'|'campaign', id } or null.
function target() {
  const params = new URLSearchParams(location.search);
  for (const kind of ['contest', 'campaign']) {
    const value = params.get(kind);
    if (value && /^[0-9]+$/.test(value)) return { kind: kind, id: value };
  }
  return null;
}

function figure(name, label, value, text, note) {
  return el('div', { class: 'figure', 'data-figure': name, 'data-value': value === null || value === undefined ? '' : String(value) },
    el('dt', null, label),
    el('dd', null, text, note ? el('span', { class: 'figure-note' }, note) : null));
}

function contestFigures(h) {
  return [
    figure('players', t('results.players'), h.players, whole(h.players),
      t('results.playersNote', { members: h.members, guests: h.guests })),
    figure('questions', t('results.questions'), h.questions, whole(h.questions)),
    figure('meanScore', t('results.meanScore'), h.meanScore, decimal(h.meanScore), t('results.overPlayers')),
    figure('medianScore', t('results.medianScore'), h.medianScore, decimal(h.medianScore), t('results.overPlayers')),
    figure('roster', t('results.roster'), h.roster, whole(h.roster), t('results.rosterAtStart')),
    figure('rosterParticipants', t('results.rosterParticipants'), h.rosterParticipants, whole(h.rosterParticipants)),
    figure('participationRate', t('results.participationRate'), h.participationRate, percent(h.participationRate), t('results.overRoster')),
    figure('meanScoreOverRoster', t('results.meanScoreRoster'), h.meanScoreOverRoster, decimal(h.meanScoreOverRoster), t('results.overRosterZero')),
  ];
}

function campaignFigures(h) {
  return [
    figure('roster', t('results.roster'), h.roster, whole(h.roster)),
    figure('participants', t('results.participants'), h.participants, whole(h.participants)),
    figure('coverageRate', t('results.coverageRate'), h.coverageRate, percent(h.coverageRate), t('results.coverageNote')),
    figure('latestDayRate', t('results.latestDayRate'), h.latestDayRate, percent(h.latestDayRate),
      h.latestDay ? t('results.latestDayNote', { day: h.latestDay, participants: h.latestDayParticipants, roster: h.latestDayRoster }) : null),
    figure('meanHeightOverParticipants', t('results.meanHeight'), h.meanHeightOverParticipants, decimal(h.meanHeightOverParticipants, 2), t('results.overParticipants')),
    figure('medianHeightOverParticipants', t('results.medianHeight'), h.medianHeightOverParticipants, decimal(h.medianHeightOverParticipants), t('results.overParticipants')),
    figure('meanHeightOverRoster', t('results.meanHeightRoster'), h.meanHeightOverRoster, decimal(h.meanHeightOverRoster, 2), t('results.overRosterZero')),
    // With category ladders: the default ladder's levels, each ladder's named beside (heights are compared as a
    // share of each member's own ladder in the bands and the composite).
    figure('levels', t('results.levels'), h.levels, whole(h.levels),
      (h.ladderLevels || []).length > 1 ? t('results.laddersNote', { levels: h.ladderLevels.join(t('punct.enumeration')) }) : null),
  ];
}

function table(node, head, rows) {
  replaceChildren(node,
    el('thead', null, el('tr', null, head.map((cell) => el('th', { scope: 'col', class: cell.num ? 'num' : null }, cell.label)))),
    el('tbody', null, rows.length ? rows : el('tr', null, el('td', { colspan: String(head.length), class: 'empty' }, t('results.noRows')))));
}

function numCell(text) {
  return el('td', { class: 'num' }, text);
}

function renderParticipation(report) {
  const p = report.participation;
  const groups = p.groups;
  byId('participation-note').textContent = t(state.kind === 'contest' ? 'results.participationNoteContest' : 'results.participationNoteCampaign');
  replaceChildren(byId('participation-chart'), barChart(t('results.participationChart'),
    groups.map((group) => ({ label: group.name, value: group.rate * 100 })),
    { max: 100, format: (value) => decimal(value) + '%', reference: { value: p.total.rate * 100, label: t('results.totalRate') } }));
  const line = (row, className, depth) => el('tr', { class: className, 'data-unit': row.id === null ? 'total' : String(row.id) },
    el('td', { class: depth ? 'depth-' + Math.min(depth, 4) : null }, row.name === '合计' ? t('results.total') : row.name),
    numCell(whole(row.roster)), numCell(whole(row.participants)), numCell(percent(row.rate)));
  table(byId('participation-table'),
    [{ label: t('results.unit') }, { label: t('results.colRoster'), num: true }, { label: t('results.colParticipants'), num: true },
      { label: t('results.colRate'), num: true }],
    p.units.map((unit) => line(unit, 'is-unit', unit.depth))
      .concat(groups.map((group) => line(group, 'is-group', 0)))
      .concat([line(p.total, 'is-total', 0)]));
}

function renderHistogram(report) {
  const contest = state.kind === 'contest';
  byId('histogram-title').textContent = t(contest ? 'results.scoreHistogram' : 'results.heightHistogram');
  const bins = report.histogram.map((bin) => ({
    label: contest ? (bin.from === bin.to ? String(bin.from) : bin.from + '–' + bin.to) : t('results.heightLabel', { height: bin.from }),
    count: bin.count,
  }));
  const participants = contest ? report.headline.players : report.headline.participants;
  replaceChildren(byId('histogram-chart'), histogram(t(contest ? 'results.scoreHistogram' : 'results.heightHistogram'),
    participants > 0 ? bins : [], { empty: t('results.nobody'), unit: t(contest ? 'results.scoreAxis' : 'results.heightAxis') }));
}

function renderBranches(report) {
  if (state.kind === 'contest') {
    byId('branches-title').textContent = t('results.branchScores');
    table(byId('branch-table'),
      [{ label: t('results.branch') }, { label: t('results.colPlayers'), num: true }, { label: t('results.colMembers'), num: true },
        { label: t('results.colMean'), num: true }, { label: t('results.colMedian'), num: true }],
      report.branches.map((branch) => el('tr', { 'data-unit': String(branch.id) },
        el('td', null, branch.name), numCell(whole(branch.players)), numCell(whole(branch.members)),
        numCell(decimal(branch.meanScore)), numCell(decimal(branch.medianScore)))));
    return;
  }
  byId('branches-title').textContent = t('results.branchHeights');
  table(byId('branch-table'),
    [{ label: t('results.colRank'), num: true }, { label: t('results.branch') }, { label: t('results.colRoster'), num: true },
      { label: t('results.colParticipants'), num: true }, { label: t('results.colRate'), num: true },
      { label: t('results.colMeanRoster'), num: true }, { label: t('results.colMeanParticipants'), num: true },
      { label: t('results.colMedianParticipants'), num: true }, { label: t('results.colComposite'), num: true }],
    report.groups.map((group) => el('tr', { 'data-unit': String(group.id) },
      numCell(group.rank === null || group.rank === undefined ? '—' : String(group.rank)), el('td', null, group.name),
      numCell(whole(group.roster)), numCell(whole(group.participants)), numCell(percent(group.rate)),
      numCell(decimal(group.meanHeightOverRoster, 2)), numCell(decimal(group.meanHeightOverParticipants, 2)),
      numCell(decimal(group.medianHeightOverParticipants)), numCell(decimal(group.composite)))));
}

// A server text written "中文 (English)": the part in the page's language.
function localized(text) {
  const match = /^(.*?) \((.*)\)$/.exec(text || '');
  if (!match) return text || '';
  return lang() === 'en' ? match[2] : match[1];
}

function renderBands(report) {
  const bands = report.bands;
  const names = bands.bands.map((band) => localized(band.name));
  byId('bands-note').textContent = t(state.kind === 'contest' ? 'results.bandsNoteContest' : 'results.bandsNoteCampaign');
  const lines = bands.groups.filter((line) => line.players > 0).concat([bands.overall]);
  const label = (line) => (line.id === null || line.id === undefined ? t('results.total') : line.name + (line.direct ? t('results.directMark') : ''));
  replaceChildren(byId('bands-chart'), stackedBars(t('results.bands'),
    bands.overall.players > 0 ? lines.map((line) => ({ label: label(line), values: line.shares })) : [],
    names, { empty: t('results.nobody') }));
  table(byId('bands-table'),
    [{ label: t('results.branch') }, { label: t('results.colPlayers'), num: true }]
      .concat(names.map((name) => ({ label: name, num: true }))),
    (bands.overall.players > 0 ? lines : []).map((line) => el('tr', {
      'data-unit': line.id === undefined ? 'total' : String(line.id), class: line.id === undefined ? 'is-total' : null,
      'data-counts': line.counts.join(','),
    },
    el('td', null, label(line)), numCell(whole(line.players)),
    line.counts.map((count, index) => numCell(count + ' · ' + percent(line.shares[index]))))));
}

function movementCell(line) {
  const move = line.movement || '';
  const kind = line.isNew ? 'new' : move.startsWith('▲') ? 'up' : move.startsWith('▼') ? 'down' : move === '—' ? 'same' : 'none';
  const text = line.isNew ? t('results.rankNew') : move;
  return el('td', { class: 'num rank-move rank-' + kind, 'data-movement': move }, text || '—');
}

function renderRanks(report) {
  const ranks = report.ranks;
  const contest = state.kind === 'contest';
  byId('ranks-note').textContent = t(contest ? 'results.ranksNoteContest' : 'results.ranksNoteCampaign') + t('punct.semicolon') +
    (ranks.previous ? t('results.ranksAgainst', { previous: localized(ranks.previous) }) : t('results.ranksNoPrevious'));
  table(byId('ranks-table'),
    [{ label: t('results.colRank'), num: true }, { label: t('results.branch') },
      { label: t(contest ? 'results.colMean' : 'results.colComposite'), num: true },
      { label: t('results.colPreviousRank'), num: true }, { label: t('results.colMove'), num: true }],
    ranks.lines.map((line) => el('tr', { 'data-unit': String(line.id) },
      numCell(String(line.rank)), el('td', null, line.name), numCell(decimal(line.value, 2)),
      numCell(line.previousRank === null || line.previousRank === undefined ? '—' : String(line.previousRank)),
      movementCell(line))));
}

function renderTop(report) {
  if (state.kind === 'contest') {
    table(byId('top-table'),
      [{ label: t('results.colRank'), num: true }, { label: t('results.colName') }, { label: t('results.branch') },
        { label: t('results.colScore'), num: true }, { label: t('results.colCorrect'), num: true }, { label: t('results.colAnswered'), num: true }],
      report.top.map((row) => el('tr', null, numCell(String(row.rank)),
        el('td', null, row.name, row.guest ? ' ' + t('results.guestMark') : ''), el('td', null, row.branch),
        numCell(whole(row.score)), numCell(whole(row.correct)), numCell(whole(row.answered)))));
    return;
  }
  table(byId('top-table'),
    [{ label: t('results.colRank'), num: true }, { label: t('results.colName') }, { label: t('results.colNumber') }, { label: t('results.unit') },
      { label: t('results.colHeight'), num: true }, { label: t('results.colCorrect'), num: true }, { label: t('results.colAnswered'), num: true }],
    report.top.map((row) => el('tr', null, numCell(String(row.rank)), el('td', null, row.name), el('td', { class: 'mono' }, row.number),
      el('td', null, row.unit), numCell(whole(row.height)), numCell(whole(row.correct)), numCell(whole(row.answered)))));
}

// A contest's 投票 questions: how the room answered each, as bars of voters per option.
function renderPolls(report) {
  const polls = state.kind === 'contest' ? report.polls || [] : [];
  byId('polls-panel').hidden = polls.length === 0;
  replaceChildren(byId('polls'), polls.map((poll) => el('div', { class: 'poll-result', 'data-poll': String(poll.number) },
    el('h3', null, t('results.pollTitle', { number: poll.number, prompt: poll.prompt })),
    barChart(poll.prompt, poll.options.map((option, index) => ({ label: option, value: poll.counts[index] || 0 })), {
      format: (value) => t('results.pollShare', { count: value, percent: poll.voters ? Math.round((100 * value) / poll.voters) : 0 }),
    }),
    el('p', { class: 'results-note' }, t(poll.multiple ? 'results.pollVotersMultiple' : 'results.pollVoters', { count: poll.voters })))));
}

function renderTrend(report) {
  const panel = byId('trend-panel');
  panel.hidden = state.kind !== 'campaign';
  if (panel.hidden) return;
  replaceChildren(byId('trend-chart'), lineChart(t('results.trend'),
    report.trend.map((day) => ({ label: day.day.slice(5), value: day.rate * 100 })),
    { max: 100, format: (value) => decimal(value) + '%', empty: t('results.notOpenYet') }));
}

// One row per member category: its roster, participants, rate and mean score (a campaign's: mean height).
function renderMemberCategories(report) {
  const split = report.memberCategories;
  const contest = state.kind === 'contest';
  table(byId('member-category-table'),
    [{ label: t('reports.memberCategory') }, { label: t('results.colRoster'), num: true }, { label: t('results.colParticipants'), num: true },
      { label: t('results.colRate'), num: true }, { label: t(contest ? 'results.colMean' : 'results.colMeanParticipants'), num: true }],
    split.rows.map((row) => el('tr', { 'data-member-category': String(row.categoryId) },
      el('td', null, row.name), numCell(whole(row.roster)), numCell(whole(row.participants)), numCell(percent(row.rate)),
      numCell(decimal(row.meanScore, 2)))));
}

function renderDownloads(report) {
  const base = state.kind === 'contest' ? 'contest-' : 'campaign-';
  const links = [el('a', { class: 'btn btn-primary', href: report.downloads.workbook, download: base + state.id + '-results.xlsx', 'data-download': 'xlsx' },
    t('results.workbook'))];
  report.downloads.sheets.forEach((sheet) => {
    links.push(el('a', { class: 'btn', href: sheet.csv, download: base + state.id + '-results-' + sheet.sheet + '.csv', 'data-download': 'csv', 'data-sheet': sheet.sheet },
      t('results.sheetCsv', { name: sheet.name })));
  });
  replaceChildren(byId('downloads'), links);
}

function render() {
  const report = state.report;
  if (!report) return;
  const contest = state.kind === 'contest';
  document.title = t('results.pageTitleOf', { title: report.title });
  byId('results-kind').textContent = t(contest ? 'results.kindContest' : 'results.kindCampaign');
  byId('results-title').textContent = report.title;
  const status = contest ? t('contests.status.' + report.status) : t('results.campaignStatus.' + report.status);
  byId('results-meta').textContent = t('results.meta', { status: status, zone: report.timeZone, at: report.generatedAt }) +
    (contest && report.startedAt ? t('punct.semicolon') + t('results.startedAt', { at: report.startedAt }) : '') +
    (!contest ? t('punct.semicolon') + t('results.dates', { start: report.startDate, end: report.endDate }) : '') +
    (report.memberCategory ? t('punct.semicolon') + t('results.onlyMemberCategory', { name: report.memberCategory.name }) : '');
  const back = byId('results-back');
  back.setAttribute('href', contest ? '/contests.html' : '/campaigns.html');
  const nobody = (contest ? report.headline.players : report.headline.participants) === 0;
  byId('results-nobody').hidden = !nobody;
  replaceChildren(byId('headline'), contest ? contestFigures(report.headline) : campaignFigures(report.headline));
  renderParticipation(report);
  renderTrend(report);
  renderHistogram(report);
  renderBranches(report);
  renderBands(report);
  renderRanks(report);
  renderPolls(report);
  renderTop(report);
  renderMemberCategories(report);
  renderDownloads(report);
}

async function load() {
  const main = byId('main');
  main.setAttribute('aria-busy', 'true');
  try {
    state.report = await api.getReport(state.kind, state.id, state.memberCategory);
    clearPageError();
    render();
    await renderItems(byId('extra-sections'), state.kind, state.id, state.memberCategory);
  } catch (error) {
    showPageError(error, 'results.loadFailed');
  } finally {
    main.setAttribute('aria-busy', 'false');
  }
}

async function main() {
  const wanted = target();
  state.kind = wanted ? wanted.kind : null;
  state.id = wanted ? wanted.id : null;
  await startConsole(state.kind === 'campaign' ? 'campaigns' : 'contests');
  if (!wanted) {
    showPageError({ message: t('results.noTarget') });
    byId('main').setAttribute('aria-busy', 'false');
    return;
  }
  byId('results-bulletin').setAttribute('href', '/bulletin.html?' + state.kind + '=' + state.id);
  byId('results-print').addEventListener('click', () => window.print());
  byId('results-refresh').addEventListener('click', load);
  state.memberCategory = new URLSearchParams(location.search).get('memberCategory') || '';
  const picker = byId('results-member-category');
  try {
    await loadCategories();
    fillCategoryFilter(picker);
  } catch (error) {
    showPageError(error, 'results.loadFailed');
  }
  picker.value = state.memberCategory;
  if (picker.value !== state.memberCategory) state.memberCategory = '';
  picker.addEventListener('change', () => {
    state.memberCategory = picker.value;
    const params = new URLSearchParams(location.search);
    if (state.memberCategory) params.set('memberCategory', state.memberCategory); else params.delete('memberCategory');
    history.replaceState(null, '', '/results.html?' + params.toString());
    load();
  });
  onLanguageChange(render);
  await load();
}

main();
