// The organization's participation page (参与统计): a unit, a range of dates and a period; the rate per period as a
// trend, each branch's rate over the range, every unit's figures per period, each branch's 未参与名单 (loaded when
// opened) and the downloads. Everything comes from GET /api/reports/participation.
import * as api from './api.js';
import { categorySection } from './results-items.js';
import { byId, el, replaceChildren } from './dom.js';
import { onLanguageChange, t } from './i18n.js';
import { startConsole, showPageError, clearPageError } from './shell.js';
import { loadCategories, fillCategoryFilter } from './member-categories.js';
import { barChart, lineChart } from './charts.js';

const state = { query: null, report: null, categories: null };

function percent(tally) {
  return tally && typeof tally.rate === 'number' ? (tally.rate * 100).toFixed(1) + '%' : '—';
}

// The address carries the query, so a report can be bookmarked, shared and reloaded as it was.
// Without a range in the address, the last 30 days as the server counts them in the organization's zone
// (`days=30`): a browser in another zone would otherwise ask for a range that ends on its own date. The form then
// shows the dates the report came back with.
function queryFromAddress() {
  const params = new URLSearchParams(location.search);
  const unit = params.get('unit') || '';
  const period = params.get('period') || 'day';
  const category = params.get('category') || '';
  const query = params.get('from') || params.get('to')
    ? { unit, from: params.get('from') || '', to: params.get('to') || '', period, category }
    : { unit, days: '30', period, category };
  return query;
}

function reportUrl(query, extra) {
  return api.participationReportUrl(query, extra);
}

function figure(name, label, value, text, note) {
  return el('div', { class: 'figure', 'data-figure': name, 'data-value': value === null || value === undefined ? '' : String(value) },
    el('dt', null, label), el('dd', null, text, note ? el('span', { class: 'figure-note' }, note) : null));
}

function renderOverall(report) {
  const total = report.overall.total;
  replaceChildren(byId('overall'),
    figure('roster', t('reports.roster'), total.roster, String(total.roster), t('reports.rosterNote', { day: report.to })),
    figure('participants', t('reports.participants'), total.participants, String(total.participants)),
    figure('absent', t('reports.absentCount'), total.absent, String(total.absent)),
    figure('rate', t('reports.rate'), total.rate, percent(total), t('reports.rateNote')));
  byId('reports-meta').textContent = t('reports.meta', { unit: report.unitName, from: report.from, to: report.to, zone: report.timeZone });
}

function renderCharts(report) {
  replaceChildren(byId('trend-chart'), lineChart(t('reports.trend'),
    report.periods.map((period) => ({ label: period.label.length > 8 ? period.label.slice(5) : period.label, value: (period.total.rate || 0) * 100 })),
    { max: 100, format: (value) => value.toFixed(1) + '%', empty: t('reports.nothing') }));
  const branches = report.units.filter((line) => line.branch || line.direct);
  replaceChildren(byId('branch-chart'), barChart(t('reports.branches'),
    branches.map((line) => ({ label: line.name, value: (line.overall.rate || 0) * 100 })),
    { max: 100, format: (value) => value.toFixed(1) + '%', empty: t('reports.nothing'),
      reference: { value: (report.overall.total.rate || 0) * 100, label: t('reports.overallRate') } }));
}

function numCell(text) {
  return el('td', { class: 'num' }, text);
}

function renderUnits(report) {
  // Each period's rate as a column while they fit on a page; beyond that the downloads carry them.
  const periods = report.periods.length <= 12 ? report.periods : [];
  const head = [el('th', { scope: 'col' }, t('results.unit')), el('th', { scope: 'col', class: 'num' }, t('results.colRoster')),
    el('th', { scope: 'col', class: 'num' }, t('results.colParticipants')), el('th', { scope: 'col', class: 'num' }, t('results.colRate'))]
    .concat(periods.map((period) => el('th', { scope: 'col', class: 'num' }, period.label)));
  const rows = report.units.map((line) => el('tr', { 'data-unit': String(line.unitId), 'data-direct': String(line.direct), class: line.branch ? 'is-group' : 'is-unit' },
    el('td', { class: line.depth ? 'depth-' + Math.min(line.depth, 4) : null }, line.name),
    numCell(String(line.overall.roster)), numCell(String(line.overall.participants)), numCell(percent(line.overall)),
    periods.map((period, index) => numCell(percent(line.periods[index])))));
  replaceChildren(byId('unit-table'), el('thead', null, el('tr', null, head)),
    el('tbody', null, rows.length ? rows : el('tr', null, el('td', { colspan: String(head.length), class: 'empty' }, t('results.noRows')))));
}

// Branches by rate, best first, with the change since the range before (上期): a 通报's table.
function renderStandings(report) {
  byId('standings-note').textContent = t('reports.standingsNote', { first: report.previous.first, last: report.previous.last });
  const change = (row) => {
    if (row.rankChange === null || row.rankChange === undefined) return '—';
    return row.rankChange > 0 ? '↑' + row.rankChange : row.rankChange < 0 ? '↓' + (-row.rankChange) : '→';
  };
  const points = (row) => (typeof row.rateChange === 'number' ? (row.rateChange > 0 ? '+' : '') + row.rateChange.toFixed(1) : '—');
  const head = [t('results.colRank'), t('results.branch'), t('results.colRoster'), t('results.colParticipants'), t('results.colRate'),
    t('reports.rankChange'), t('reports.rateChange')];
  const rows = report.standings.map((row, index) => el('tr', {
    'data-unit': String(row.unitId),
    class: index < 3 && row.tally.participants > 0 ? 'is-best' : index >= report.standings.length - 3 ? 'is-worst' : null,
  }, numCell(String(row.rank)), el('td', null, row.name), numCell(String(row.tally.roster)), numCell(String(row.tally.participants)),
  numCell(percent(row.tally)), numCell(change(row)), numCell(points(row))));
  replaceChildren(byId('standings-table'),
    el('thead', null, el('tr', null, head.map((label, index) => el('th', { scope: 'col', class: index === 1 ? null : 'num' }, label)))),
    el('tbody', null, rows.length ? rows : el('tr', null, el('td', { colspan: String(head.length), class: 'empty' }, t('results.noRows')))));
}

// One row per member category: its holders on the roster, those who took part, the rate (over the whole range).
function renderMemberCategories(report) {
  const lines = report.memberCategories || [];
  byId('member-categories-panel').hidden = !lines.length;
  const head = [t('reports.memberCategory'), t('results.colRoster'), t('results.colParticipants'), t('results.colRate')];
  replaceChildren(byId('member-category-table'),
    el('thead', null, el('tr', null, head.map((label, index) => el('th', { scope: 'col', class: index ? 'num' : null }, label)))),
    el('tbody', null, lines.map((line) => el('tr', { 'data-member-category': String(line.id) },
      el('td', null, line.name), numCell(String(line.tally.roster)), numCell(String(line.tally.participants)), numCell(percent(line.tally))))));
}

// One <details> per group with anyone absent; its list is fetched the first time it is opened.
function renderAbsent(report) {
  const groups = report.units.filter((line) => (line.branch || line.direct) && line.overall.absent > 0);
  replaceChildren(byId('absent-list'), groups.length ? groups.map((line) => {
    const list = el('ol', { class: 'absent-members' });
    const details = el('details', { class: 'absent-group', 'data-unit': String(line.unitId) },
      el('summary', null, t('reports.absentGroup', { name: line.name, count: line.overall.absent })), list);
    details.addEventListener('toggle', async () => {
      if (!details.open || details.dataset.loaded) return;
      details.dataset.loaded = 'true';
      try {
        const extra = { absent: String(line.unitId) };
        if (line.direct) extra.direct = 'true';
        const reply = await api.getParticipationReport(state.query, extra);
        replaceChildren(list, reply.members.map((member) => el('li', null, el('span', { class: 'mono' }, member.number), ' ', member.name)));
      } catch (error) {
        delete details.dataset.loaded;
        showPageError(error, 'reports.loadFailed');
      }
    });
    return details;
  }) : el('p', { class: 'empty' }, t('reports.nobodyAbsent')));
}

function renderDownloads(query) {
  // The names the server gives them (Content-Disposition), so the browser saves what it announces.
  const base = 'participation-' + query.from + '-' + query.to + '-' + query.period;
  replaceChildren(byId('downloads'),
    el('a', { class: 'btn btn-primary', href: reportUrl(query, { format: 'xlsx' }), download: base + '.xlsx', 'data-download': 'xlsx' }, t('results.workbook')),
    ['rates', 'trend', 'absent', 'standings'].map((sheet) => el('a', {
      class: 'btn', href: reportUrl(query, { format: 'csv', sheet: sheet }), download: base + '-' + sheet + '.csv', 'data-download': 'csv', 'data-sheet': sheet,
    }, t('results.sheetCsv', { name: t('reports.sheet.' + sheet) }))),
    el('a', {
      class: 'btn', href: api.categoryReportUrl(query, { format: 'csv', sheet: 'categories' }),
      download: 'categories-' + query.from + '-' + query.to + '-categories.csv', 'data-download': 'csv', 'data-sheet': 'categories',
    }, t('results.sheetCsv', { name: t('reports.categories') })));
}

// Branch × category accuracy of every answer given in the range (GET /api/reports/categories).
function renderCategories(matrix) {
  const note = byId('categories-note');
  if (!matrix) {
    note.textContent = '';
    replaceChildren(byId('categories-body'));
    return;
  }
  note.textContent = t('reports.categoriesNote', { answers: matrix.answers, from: matrix.from, to: matrix.to });
  replaceChildren(byId('categories-body'), matrix.answers ? categorySection(matrix.categories) : el('p', { class: 'empty' }, t('reports.noAnswers')));
}

function render() {
  const report = state.report;
  // The 通报 of what is shown: the same unit, range and period.
  byId('reports-bulletin').setAttribute('href', '/bulletin.html' + api.queryString(state.query));
  if (!report) return;
  renderOverall(report);
  renderCharts(report);
  renderStandings(report);
  renderUnits(report);
  renderMemberCategories(report);
  renderAbsent(report);
  renderCategories(state.categories);
  renderDownloads(state.query);
}

async function load() {
  const main = byId('main');
  main.setAttribute('aria-busy', 'true');
  try {
    const [report, categories] = await Promise.all([api.getParticipationReport(state.query), api.getCategoryReport(state.query)]);
    state.report = report;
    state.categories = categories;
    if (state.query.days) {
      // From here on the range is the dates the server counted: the form, the downloads and the address show them.
      state.query = { unit: state.query.unit, from: report.from, to: report.to, period: state.query.period, category: state.query.category };
      byId('query-from').value = report.from;
      byId('query-to').value = report.to;
    }
    clearPageError();
    render();
  } catch (error) {
    showPageError(error, 'reports.loadFailed');
  } finally {
    main.setAttribute('aria-busy', 'false');
  }
}

async function fillUnits(account) {
  const select = byId('query-unit');
  const units = await api.listUnits();
  const options = [];
  if (account.role === 'admin') options.push(el('option', { value: '' }, t('reports.wholeOrganization')));
  units.forEach((unit) => options.push(el('option', { value: String(unit.id) }, unit.path)));
  replaceChildren(select, options);
  if (!state.query.unit && account.role !== 'admin' && account.unit) state.query.unit = String(account.unit.id);
  select.value = state.query.unit;
}

async function main() {
  const account = await startConsole('reports');
  state.query = queryFromAddress();
  await fillUnits(account);
  byId('query-from').value = state.query.from || '';
  byId('query-to').value = state.query.to || '';
  byId('query-period').value = state.query.period;
  try {
    await loadCategories();
    fillCategoryFilter(byId('query-category'));
  } catch (error) {
    showPageError(error, 'reports.loadFailed');
  }
  byId('query-category').value = state.query.category;
  if (byId('query-category').value !== state.query.category) state.query.category = '';
  byId('report-query').addEventListener('submit', (event) => {
    event.preventDefault();
    state.query = {
      unit: byId('query-unit').value, from: byId('query-from').value, to: byId('query-to').value, period: byId('query-period').value,
      category: byId('query-category').value,
    };
    history.replaceState(null, '', '/reports.html' + api.queryString(state.query));
    load();
  });
  byId('reports-print').addEventListener('click', () => window.print());
  onLanguageChange(render);
  await load();
}

main();
