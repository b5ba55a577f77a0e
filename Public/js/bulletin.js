// The printable 通报: one A4 page for a contest (?contest=ID), a campaign (?campaign=ID) or a unit over a range
// (?unit=&from=&to=&period=, the participation page's query). It composes the existing reports — …/report and
// …/items for an activity, /api/reports/participation for a range — into headline figures, participation per unit
// (an SVG bar chart), the best and worst units, the weakest categories and the hardest questions. Long lists are
// cut so the page stays one page; the downloads carry everything.
import * as api from './api.js';
import { byId, el, replaceChildren } from './dom.js';
import { lang, onLanguageChange, t } from './i18n.js';
import { startConsole, showPageError, clearPageError } from './shell.js';
import { barChart, lineChart } from './charts.js';
import { bestAndWorst, branchWeakest, extremes, hardestQuestions, weakestCategories } from './bulletin-figures.js';

// What fits on one A4 page beside everything else.
const CHART_ROWS = 10;
const NAMED_UNITS = 5;
// A range's page also carries its trend and the range's weak categories: fewer names and slimmer charts keep it one page.
const NAMED_UNITS_RANGE = 3;
const HARDEST = 5;
const HARDEST_RANGE = 3;
const WEAKEST = 3;
const BRANCH_WEAKEST = 6;
const LABEL_CHARS = 18;

const state = { mode: null, id: null, query: null, report: null, items: null };

function finite(value) {
  return typeof value === 'number' && isFinite(value);
}

// A chart's value (a percentage) as text; a missing one is "—", not "—%".
function chartPercent(value) {
  return finite(value) ? value.toFixed(1) + '%' : '—';
}

function percent(share) {
  return finite(share) ? (share * 100).toFixed(1) + '%' : '—';
}

function decimal(value, digits) {
  return finite(value) ? value.toFixed(digits === undefined ? 1 : digits) : '—';
}

function whole(value) {
  return finite(value) ? String(value) : '—';
}

function points(change) {
  return finite(change) ? (change > 0 ? '+' : '') + change.toFixed(1) : '—';
}

// Which 通报 the address asks for: an activity, or a range (the participation page's defaults when parts are missing).
function target() {
  const params = new URLSearchParams(location.search);
  for (const kind of ['contest', 'campaign']) {
    const value = params.get(kind);
    if (value !== null) return /^[0-9]+$/.test(value) ? { mode: kind, id: value } : null;
  }
  // Without a range, the last 30 days in the organization's zone, counted by the server (`days=30`), not by a
  // browser that may keep another zone's date.
  const unit = params.get('unit') || '';
  const period = params.get('period') || 'day';
  const query = params.get('from') || params.get('to')
    ? { unit, from: params.get('from') || '', to: params.get('to') || '', period }
    : { unit, days: '30', period };
  return { mode: 'period', query };
}

// Today's date (and time) in a zone, as the API writes local times: "YYYY-MM-DD HH:MM:SS".
function localNow(zone) {
  const parts = {};
  new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date()).forEach((part) => { parts[part.type] = part.value; });
  return parts.year + '-' + parts.month + '-' + parts.day + ' ' + parts.hour + ':' + parts.minute + ':' + parts.second;
}

// The date of issue as each language writes it on a document: 2026年12月6日, 2026-12-06.
function issuedLine(localTime, zone) {
  const day = localTime.slice(0, 10);
  const [year, month, date] = day.split('-').map(Number);
  const written = new Intl.DateTimeFormat(lang() === 'zh' ? 'zh-CN' : 'en-CA', {
    timeZone: 'UTC', year: 'numeric', month: lang() === 'zh' ? 'long' : '2-digit', day: lang() === 'zh' ? 'numeric' : '2-digit',
  }).format(new Date(Date.UTC(year, month - 1, date)));
  return el('span', { 'data-issued': day }, t('bulletin.issued', { date: written, zone: zone }));
}

function figure(name, label, value, text, note) {
  return el('div', { class: 'figure', 'data-figure': name, 'data-value': finite(value) ? String(value) : '' },
    el('dt', null, label), el('dd', null, text, note ? el('span', { class: 'figure-note' }, note) : null));
}

function contestFigures(h) {
  return [
    figure('rosterParticipants', t('results.rosterParticipants'), h.rosterParticipants, whole(h.rosterParticipants),
      t('bulletin.ofRoster', { roster: h.roster })),
    figure('participationRate', t('results.participationRate'), h.participationRate, percent(h.participationRate), t('results.overRoster')),
    figure('meanScore', t('results.meanScore'), h.meanScore, decimal(h.meanScore), t('results.overPlayers')),
    figure('meanScoreOverRoster', t('results.meanScoreRoster'), h.meanScoreOverRoster, decimal(h.meanScoreOverRoster), t('results.overRosterZero')),
    figure('players', t('results.players'), h.players, whole(h.players), t('results.playersNote', { members: h.members, guests: h.guests })),
    figure('roster', t('results.roster'), h.roster, whole(h.roster), t('results.rosterAtStart')),
    figure('medianScore', t('results.medianScore'), h.medianScore, decimal(h.medianScore), t('results.overPlayers')),
    figure('questions', t('results.questions'), h.questions, whole(h.questions)),
  ];
}

function campaignFigures(h) {
  return [
    figure('participants', t('results.participants'), h.participants, whole(h.participants), t('bulletin.ofRoster', { roster: h.roster })),
    figure('coverageRate', t('results.coverageRate'), h.coverageRate, percent(h.coverageRate), t('results.coverageNote')),
    figure('meanHeightOverParticipants', t('results.meanHeight'), h.meanHeightOverParticipants, decimal(h.meanHeightOverParticipants, 2), t('results.overParticipants')),
    figure('meanHeightOverRoster', t('results.meanHeightRoster'), h.meanHeightOverRoster, decimal(h.meanHeightOverRoster, 2), t('results.overRosterZero')),
    figure('roster', t('results.roster'), h.roster, whole(h.roster)),
    figure('latestDayRate', t('results.latestDayRate'), h.latestDayRate, percent(h.latestDayRate),
      h.latestDay ? t('results.latestDayNote', { day: h.latestDay, participants: h.latestDayParticipants, roster: h.latestDayRoster }) : null),
    figure('medianHeightOverParticipants', t('results.medianHeight'), h.medianHeightOverParticipants, decimal(h.medianHeightOverParticipants), t('results.overParticipants')),
    figure('levels', t('results.levels'), h.levels, whole(h.levels)),
  ];
}

function periodFigures(report) {
  const total = report.overall.total;
  const before = report.previous.total;
  const change = finite(total.rate) && finite(before.rate) ? (total.rate - before.rate) * 100 : null;
  return [
    figure('participants', t('reports.participants'), total.participants, whole(total.participants), t('bulletin.ofRoster', { roster: total.roster })),
    figure('rate', t('reports.rate'), total.rate, percent(total.rate), t('reports.rateNote')),
    figure('roster', t('reports.roster'), total.roster, whole(total.roster), t('reports.rosterNote', { day: report.to })),
    figure('absent', t('reports.absentCount'), total.absent, whole(total.absent)),
    figure('previousRate', t('bulletin.previousRate'), before.rate, percent(before.rate),
      t('bulletin.previousRange', { first: report.previous.first, last: report.previous.last })),
    figure('rateChange', t('bulletin.rateChange'), change, points(change), t('bulletin.points')),
    figure('meanResult', t('bulletin.meanResult'), null, '—', t('bulletin.noScoresForPeriod')),
  ];
}

// A unit's path cut to what the chart's label column holds, keeping its own name (the last part) whole where it
// fits: "机关第二…/第3党支部". The best and worst lines and the downloads carry the full names.
function shortName(name) {
  if (name.length <= LABEL_CHARS) return name;
  const parts = name.split('/');
  const own = parts.pop();
  if (!parts.length || own.length >= LABEL_CHARS - 3) return own.slice(0, LABEL_CHARS - 1) + '…';
  return parts.join('/').slice(0, LABEL_CHARS - own.length - 2) + '…/' + own;
}

// Participation per unit as bars, best first; beyond CHART_ROWS the best and the worst halves.
function participationChart(rows, title) {
  const picked = bestAndWorst(rows, (row) => row.rate, CHART_ROWS);
  const chart = barChart(title, picked.rows.map((row) => ({
    label: t('bulletin.unitLabel', { name: shortName(row.name), participants: row.participants, roster: row.roster }),
    value: finite(row.rate) ? row.rate * 100 : null,
  })), { max: 100, width: 900, labelWidth: 330, rowHeight: state.mode === 'period' ? 16 : 24, format: chartPercent, empty: t('results.noRows') });
  chart.setAttribute('data-units', picked.rows.map((row) => String(row.id)).join(','));
  replaceChildren(byId('participation-chart'), chart);
  const note = !picked.cut ? '' : picked.half ? t('bulletin.cut', { total: picked.total, shown: picked.half })
    : t('bulletin.cutFirst', { total: picked.total, shown: picked.rows.length });
  byId('participation-note').textContent = note;
}

function namesOf(rows) {
  const cap = state.mode === 'period' ? NAMED_UNITS_RANGE : NAMED_UNITS;
  const names = rows.slice(0, cap).map((row) => row.name).join(t('punct.enumeration'));
  return rows.length > cap ? t('bulletin.andMore', { names: names, count: rows.length }) : names;
}

// One line per measure: who is highest and who is lowest (everyone tied at the top or bottom is named).
function extremeLine(measure, label, rows, value, format, extra) {
  const found = extremes(rows, value);
  const item = el('li', { 'data-extreme': measure, 'data-count': String(found.count) }, el('b', null, label), t('punct.colon'));
  if (!found.best) {
    item.appendChild(document.createTextNode(t('bulletin.tooFew')));
    return item;
  }
  if (found.level) {
    item.appendChild(el('span', { 'data-side': 'level', 'data-units': found.best.rows.map((row) => row.id).join(',') },
      t('bulletin.level', { value: format(found.best.value) })));
    return item;
  }
  const side = (name, end) => el('span', { 'data-side': name, 'data-units': end.rows.map((row) => row.id).join(','), 'data-value': String(end.value) },
    t('bulletin.' + name, { names: namesOf(end.rows), value: format(end.value) }),
    extra ? extra(end.rows) : null);
  item.appendChild(side('best', found.best));
  item.appendChild(document.createTextNode(t('punct.semicolon')));
  item.appendChild(side('worst', found.worst));
  return item;
}

// Each period standing as a row: { id, name, rate, participants, roster, rateChange, rankChange }.
function periodRows(report) {
  return report.standings.map((row) => ({
    id: row.unitId, name: row.name, rate: row.tally.rate, participants: row.tally.participants, roster: row.tally.roster,
    rateChange: row.rateChange, rankChange: row.rankChange,
  }));
}

function changeNote(rows) {
  if (rows.length !== 1 || !finite(rows[0].rateChange)) return null;
  return t('bulletin.changeNote', { points: points(rows[0].rateChange) });
}

function renderExtremes() {
  const report = state.report;
  const lines = [];
  if (state.mode === 'contest') {
    const groups = report.participation.groups;
    lines.push(extremeLine('rate', t('results.participationRate'), groups, (row) => row.rate, percent));
    lines.push(extremeLine('mean', t('bulletin.meanScoreByBranch'), report.branches, (row) => row.meanScore, decimal));
  } else if (state.mode === 'campaign') {
    lines.push(extremeLine('rate', t('results.coverageRate'), report.participation.groups, (row) => row.rate, percent));
    lines.push(extremeLine('mean', t('results.meanHeightRoster'), report.groups, (row) => row.meanHeightOverRoster, (value) => decimal(value, 2)));
  } else {
    const rows = periodRows(report);
    lines.push(extremeLine('rate', t('reports.rate'), rows, (row) => row.rate, percent, changeNote));
    lines.push(extremeLine('change', t('bulletin.changeMeasure'), rows, (row) => row.rateChange, points));
    lines.push(el('li', { 'data-extreme': 'mean' }, el('b', null, t('bulletin.meanResult')), t('punct.colon'), t('bulletin.noScoresForPeriod')));
  }
  replaceChildren(byId('extremes'), lines);
}

// "党史与革命传统 v1 第12题" → "党史与革…v1 第12题": the bank's name cut, its version and place kept.
function shortPlace(place) {
  const parts = /^(.+)( v\d+ 第\d+题)$/.exec(place);
  return parts && parts[1].length > 4 ? parts[1].slice(0, 4) + '…' + parts[2] : place;
}

function hardestTable(items) {
  const hardest = hardestQuestions(items.questions, state.mode === 'period' ? HARDEST_RANGE : HARDEST);
  if (!hardest.questions.length) return [el('h3', null, t('bulletin.hardest')), el('p', { class: 'muted' }, t('items.none'))];
  const head = ['items.colQuestion', 'items.colStem', 'bulletin.colCategory', 'items.colFacility', 'items.colCount', 'items.colDiscrimination', 'items.colFlags'];
  const rows = hardest.questions.map((line) => {
    const stem = line.stem ? (line.stem.length > 40 ? line.stem.slice(0, 40) + '…' : line.stem) : '';
    return el('tr', { 'data-question': String(line.questionId), 'data-facility': String(line.facilityIndex) },
      el('td', { class: 'mono', title: line.place }, shortPlace(line.place)), el('td', { class: 'stem', title: line.stem || null }, stem),
      el('td', null, line.category || t('items.noCategory')),
      el('td', { class: 'num' }, decimal(line.facilityIndex)), el('td', { class: 'num' }, whole(line.count)), el('td', { class: 'num' }, decimal(line.discriminationIndex)),
      el('td', null, line.flags.length ? line.flags.map((flag) => el('span', { class: 'flag', 'data-flag': flag }, t('items.flag.' + flag))) : '—'));
  });
  return [
    el('h3', null, t('bulletin.hardest')),
    el('table', { class: 'data-table bulletin-table', 'data-testid': 'hardest' },
      el('thead', null, el('tr', null, head.map((key, index) => el('th', { scope: 'col', class: index >= 3 && index <= 5 ? 'num' : null }, t(key))))),
      el('tbody', null, rows)),
    hardest.total > hardest.questions.length
      ? el('p', { class: 'bulletin-note' }, t('bulletin.hardestCut', { total: hardest.total, shown: hardest.questions.length })) : null,
  ];
}

function weakCategories(matrix) {
  const organization = weakestCategories(matrix.organization, WEAKEST);
  const branches = branchWeakest(matrix.weakest, BRANCH_WEAKEST);
  const category = (name) => name || t('items.noCategory');
  if (!organization.categories.length) return [el('h3', null, t('bulletin.weakest')), el('p', { class: 'muted' }, t('items.none'))];
  return [
    el('h3', null, t('bulletin.weakest')),
    el('p', { class: 'bulletin-weakest', 'data-testid': 'weakest-organization' }, el('b', null, t('bulletin.organizationWeakest')), t('punct.colon'),
      organization.categories.map((total, index) => el('span', { 'data-category': total.category || '' }, index ? t('punct.semicolon') : null,
        category(total.category), ' ', t('bulletin.accuracy', { accuracy: decimal(total.accuracy), count: total.count })))),
    branches.units.length
      ? el('ul', { class: 'bulletin-branch-weakest', 'data-testid': 'weakest-branches' }, branches.units.map((unit) =>
        el('li', { 'data-unit': String(unit.unitId) }, el('b', null, unit.name), t('punct.colon'), unit.categories.map(category).join(t('punct.enumeration')))))
      : el('p', { class: 'muted' }, t('items.noWeakest')),
    branches.total > branches.units.length
      ? el('p', { class: 'bulletin-note' }, t('bulletin.branchesCut', { total: branches.total, shown: branches.units.length })) : null,
  ];
}

// For a range, both come from every answer given in it across activities (GET /api/reports/categories), so the
// questions carry facility and its flags only: there is no common test to discriminate on.
function renderWeak() {
  const note = state.mode === 'period'
    ? el('p', { class: 'bulletin-note', 'data-testid': 'weak-period' }, t('bulletin.weakPeriod', { answers: state.items.answers })) : null;
  replaceChildren(byId('weak'), note, weakCategories(state.items.categories), hardestTable(state.items));
}

function renderHead() {
  const report = state.report;
  const kind = byId('bulletin-kind');
  if (state.mode === 'period') {
    kind.textContent = t('bulletin.kindPeriod');
    byId('bulletin-title').textContent = t('bulletin.periodTitle', { unit: report.unitName });
    byId('bulletin-meta').textContent = t('bulletin.periodMeta', { from: report.from, to: report.to, period: t('reports.period.' + report.period) });
    replaceChildren(byId('bulletin-issued'), issuedLine(localNow(report.timeZone), report.timeZone));
    document.title = t('bulletin.pageTitleOf', { title: t('bulletin.periodTitle', { unit: report.unitName }) });
    return;
  }
  const contest = state.mode === 'contest';
  kind.textContent = t(contest ? 'bulletin.kindContest' : 'bulletin.kindCampaign');
  byId('bulletin-title').textContent = report.title;
  const status = contest ? t('contests.status.' + report.status) : t('results.campaignStatus.' + report.status);
  byId('bulletin-meta').textContent = contest
    ? status + (report.startedAt ? t('punct.semicolon') + t('results.startedAt', { at: report.startedAt }) : '')
    : t('results.dates', { start: report.startDate, end: report.endDate }) + t('punct.semicolon') + status;
  replaceChildren(byId('bulletin-issued'), issuedLine(report.generatedAt, report.timeZone));
  document.title = t('bulletin.pageTitleOf', { title: report.title });
}

function renderParticipation() {
  const report = state.report;
  const trend = byId('trend-chart');
  if (state.mode === 'period') {
    participationChart(periodRows(report), t('bulletin.chartPeriod'));
    trend.hidden = report.periods.length < 2;
    replaceChildren(trend, trend.hidden ? null : lineChart(t('reports.trend'),
      report.periods.map((period) => ({ label: period.label.length > 8 ? period.label.slice(5) : period.label, value: finite(period.total.rate) ? period.total.rate * 100 : null })),
      { max: 100, width: 900, height: 84, format: chartPercent }));
    return;
  }
  trend.hidden = true;
  participationChart(report.participation.groups, t(state.mode === 'contest' ? 'bulletin.chartContest' : 'bulletin.chartCampaign'));
}

function renderFoot() {
  const notes = [t(state.mode === 'period' ? 'reports.rule' : state.mode === 'contest' ? 'results.participationNoteContest' : 'results.participationNoteCampaign'),
    t('bulletin.fullLists')];
  replaceChildren(byId('bulletin-foot'), notes.map((note) => el('p', null, note)));
}

function render() {
  if (!state.report) return;
  const report = state.report;
  const nobody = state.mode === 'contest' ? report.headline.players === 0
    : state.mode === 'campaign' ? report.headline.participants === 0 : report.overall.total.participants === 0;
  byId('bulletin-nobody').hidden = !nobody;
  renderHead();
  replaceChildren(byId('headline'), state.mode === 'contest' ? contestFigures(report.headline)
    : state.mode === 'campaign' ? campaignFigures(report.headline) : periodFigures(report));
  renderParticipation();
  renderExtremes();
  renderWeak();
  renderFoot();
  fitToPage();
}

// One A4 page whatever the data: the sheet is laid out on screen at the printed width in mm and pt, so its height
// here is its printed height; when it is taller than A4's printable 273 mm (297 mm less two 12 mm margins), the
// print shrinks it to fit (a CSS zoom set through the CSSOM — the CSP refuses style attributes) rather than spill a
// line or two onto a second page. Long names or many weak categories cost a little size, never a page.
const MM = 96 / 25.4;
function fitToPage() {
  const sheet = byId('bulletin');
  const padding = 24 * MM; // the on-screen sheet's 12 mm above and below, not printed
  const content = sheet.scrollHeight - padding;
  const printable = 273 * MM;
  const scale = content > printable ? Math.floor((printable / content) * 0.98 * 1000) / 1000 : 1;
  sheet.style.setProperty('--print-scale', String(scale));
  sheet.setAttribute('data-print-scale', String(scale));
}

function links() {
  const back = byId('bulletin-back');
  const download = byId('bulletin-download');
  if (state.mode === 'period') {
    back.setAttribute('href', '/reports.html' + api.queryString(state.query));
    back.textContent = t('bulletin.back');
    download.setAttribute('href', api.participationReportUrl(state.query, { format: 'xlsx' }));
    download.setAttribute('download', 'participation-' + state.query.from + '-' + state.query.to + '-' + state.query.period + '.xlsx');
    return;
  }
  back.setAttribute('href', '/results.html?' + state.mode + '=' + state.id);
  back.textContent = t('bulletin.backResults');
  if (state.report) {
    download.setAttribute('href', state.report.downloads.workbook);
    download.setAttribute('download', state.mode + '-' + state.id + '-results.xlsx');
  }
}

async function load() {
  const main = byId('main');
  main.setAttribute('aria-busy', 'true');
  try {
    if (state.mode === 'period') {
      const both = await Promise.all([api.getParticipationReport(state.query), api.getCategoryReport(state.query)]);
      state.report = both[0];
      state.items = both[1];
      // The range the server counted: the links and the download name carry its dates.
      state.query = { unit: state.query.unit, from: state.report.from, to: state.report.to, period: state.query.period };
    } else {
      const both = await Promise.all([api.getReport(state.mode, state.id), api.getItemReport(state.mode, state.id)]);
      state.report = both[0];
      state.items = both[1];
    }
    clearPageError();
    links();
    render();
  } catch (error) {
    showPageError(error, 'bulletin.loadFailed');
  } finally {
    main.setAttribute('aria-busy', 'false');
  }
}

async function main() {
  const wanted = target();
  await startConsole(wanted && wanted.mode === 'period' ? 'reports' : wanted && wanted.mode === 'campaign' ? 'campaigns' : 'contests');
  if (!wanted) {
    showPageError({ message: t('bulletin.noTarget') });
    byId('main').setAttribute('aria-busy', 'false');
    return;
  }
  state.mode = wanted.mode;
  state.id = wanted.id || null;
  state.query = wanted.query || null;
  links();
  byId('bulletin-print').addEventListener('click', () => window.print());
  // Measured again just before printing: web fonts or a language switch may have changed the height since.
  window.addEventListener('beforeprint', () => { if (state.report) fitToPage(); });
  onLanguageChange(() => { links(); render(); });
  await load();
}

main();
