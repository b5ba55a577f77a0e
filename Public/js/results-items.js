// The results page's item analysis (题目分析) and weak categories (薄弱分类) of one contest or campaign, from
// GET /api/contests/:id/items or /api/campaigns/:id/items: the test's figures, a row per question with its
// statistics, options and flags (each linking to its bank to be corrected), a contest's 抢答 buzzes and false starts
// and 风险 stakes where a question has them, the branch × category heat map with
// each branch's weakest categories, and the sheets to download. docs/statistics.md defines every figure.
import * as api from './api.js';
import { el, replaceChildren } from './dom.js';
import { t } from './i18n.js';
import { heatMap } from './charts.js';

function fixed(value, digits) {
  return typeof value === 'number' && isFinite(value) ? value.toFixed(digits === undefined ? 1 : digits) : '—';
}

function figure(name, label, value, digits) {
  return el('div', { class: 'figure', 'data-figure': name, 'data-value': value === null || value === undefined ? '' : String(value) },
    el('dt', null, label), el('dd', null, typeof value === 'number' && digits === 0 ? String(value) : fixed(value, digits)));
}

function testFigures(test) {
  return el('dl', { class: 'figures', 'data-testid': 'item-test' },
    figure('count', t('items.count'), test.count, 0),
    figure('mean', t('items.mean'), test.mean),
    figure('median', t('items.median'), test.median),
    figure('standardDeviation', t('items.sd'), test.standardDeviation),
    figure('skewness', t('items.skewness'), test.skewness, 3),
    figure('kurtosis', t('items.kurtosis'), test.kurtosis, 3),
    figure('coefficientOfInternalConsistency', t('items.cic'), test.coefficientOfInternalConsistency),
    figure('errorRatio', t('items.errorRatio'), test.errorRatio),
    figure('standardError', t('items.standardError'), test.standardError));
}

function options(line) {
  if (!line.options.length) return el('span', { class: 'muted' }, '—');
  return el('ul', { class: 'option-stats' }, line.options.map((option) => el('li', { class: option.isKey ? 'is-key' : null, 'data-option': String(option.option) },
    el('b', null, option.label), ' ', t('items.optionLine', {
      count: option.count, share: fixed(option.share), r: fixed(option.pointBiserial, 2),
    }))));
}

// 抢答 or 风险 figures of a contest question ('—' for a 必答 one).
function playCell(line) {
  if (line.buzz) {
    const b = line.buzz;
    return el('td', { 'data-buzz': [b.buzzes, b.falseStarts, b.correct, b.wrong, b.timedOut].join(',') }, t('items.buzzLine', {
      buzzes: b.buzzes, falseStarts: b.falseStarts, correct: b.correct, wrong: b.wrong, timedOut: b.timedOut, accuracy: fixed(b.winnerAccuracy),
    }));
  }
  if (line.stakes) {
    const s = line.stakes;
    return el('td', { 'data-stakes': s.levels.map((level) => level.stake + ':' + level.count).join(',') }, t('items.stakeLine', {
      levels: s.levels.map((level) => t('items.stakeLevel', { stake: level.stake, count: level.count })).join(' '),
      defaulted: s.defaulted, mean: fixed(s.meanStake), won: s.pointsWon, lost: s.pointsLost,
    }));
  }
  return el('td', null, '—');
}

function questionRow(line, withPlay) {
  const flags = line.flags.map((flag) => el('span', { class: 'flag flag-' + flag, 'data-flag': flag }, t('items.flag.' + flag)));
  const stem = line.stem ? (line.stem.length > 60 ? line.stem.slice(0, 60) + '…' : line.stem) : '';
  return el('tr', { 'data-question': String(line.questionId), class: line.flags.length ? 'is-flagged' : null },
    el('td', null, line.place, line.link ? el('div', null, el('a', { href: line.link, class: 'bank-link' }, t('items.toBank'))) : null),
    el('td', null, stem, el('div', { class: 'muted' }, (line.category || t('items.noCategory')) + ' · ' + t('items.key', { answer: line.answer || '—' }))),
    el('td', { class: 'num' }, String(line.count)),
    el('td', { class: 'num' }, fixed(line.facilityIndex)),
    el('td', { class: 'num' }, fixed(line.discriminationIndex)),
    el('td', { class: 'num' }, fixed(line.discriminativeEfficiency)),
    el('td', { class: 'num' }, line.medianElapsedMilliseconds === null || line.medianElapsedMilliseconds === undefined ? '—' : fixed(line.medianElapsedMilliseconds / 1000)),
    el('td', null, options(line)),
    el('td', null, line.mostChosenWrongOption || '—'),
    el('td', null, flags.length ? flags : '—'),
    withPlay ? playCell(line) : null);
}

function questionTable(report) {
  const withPlay = report.questions.some((line) => line.buzz || line.stakes);
  const head = ['items.colQuestion', 'items.colStem', 'items.colCount', 'items.colFacility', 'items.colDiscrimination',
    'items.colEfficiency', 'items.colMedianTime', 'items.colOptions', 'items.colWrong', 'items.colFlags']
    .concat(withPlay ? ['items.colPlay'] : []);
  return el('div', { class: 'table-wrap' }, el('table', { class: 'data-table results-table item-table', 'data-testid': 'item-table' },
    el('thead', null, el('tr', null, head.map((key) => el('th', { scope: 'col' }, t(key))))),
    el('tbody', null, report.questions.length ? report.questions.map((line) => questionRow(line, withPlay))
      : el('tr', null, el('td', { colspan: String(head.length), class: 'empty' }, t('items.none'))))));
}

// The heat map, the organization's accuracy per category and each branch's weakest (also the reports page's, over a
// period).
export function categorySection(matrix) {
  const categories = matrix.organization.map((total) => total.category);
  const cellOf = {};
  matrix.cells.forEach((cell) => { cellOf[cell.unitId + '\u0000' + cell.category] = cell; });
  const chart = heatMap(t('items.heatTitle'), matrix.units.map((unit) => unit.name),
    categories.map((category) => category || t('items.noCategory')),
    matrix.units.map((unit) => categories.map((category) => {
      const cell = cellOf[unit.unitId + '\u0000' + category];
      return cell ? cell.accuracy / 100 : null;
    })), { empty: t('items.none') });
  const organization = el('p', { class: 'results-note', 'data-testid': 'category-organization' }, t('items.organization') + t('punct.colon') +
    matrix.organization.map((total) => (total.category || t('items.noCategory')) + ' ' + fixed(total.accuracy) + '%').join(t('punct.semicolon')));
  const weakest = el('ul', { class: 'weakest', 'data-testid': 'weakest' }, matrix.weakest.filter((unit) => unit.categories.length)
    .map((unit) => el('li', { 'data-unit': String(unit.unitId) }, el('b', null, unit.name), t('punct.colon'),
      unit.categories.map((category) => category || t('items.noCategory')).join(t('punct.enumeration')))));
  return [el('div', { class: 'chart-slot', 'data-testid': 'category-chart' }, chart), organization,
    matrix.weakest.some((unit) => unit.categories.length) ? weakest : el('p', { class: 'muted' }, t('items.noWeakest'))];
}

function downloads(report, kind, id) {
  const base = kind + '-' + id + '-items';
  return el('div', { class: 'download-list', 'data-testid': 'item-downloads' },
    el('a', { class: 'btn', href: report.downloads.workbook, download: base + '.xlsx', 'data-download': 'xlsx' }, t('items.workbook')),
    report.downloads.sheets.map((sheet) => el('a', {
      class: 'btn', href: sheet.csv, download: base + '-' + sheet.sheet + '.csv', 'data-download': 'csv', 'data-sheet': sheet.sheet,
    }, t('results.sheetCsv', { name: sheet.name }))));
}

// Fills `slot` with the two sections; the caller shows an error if the request fails.
export async function renderItems(slot, kind, id, memberCategory) {
  const report = await api.getItemReport(kind, id, memberCategory);
  replaceChildren(slot,
    el('section', { class: 'panel', id: 'items-panel', 'aria-labelledby': 'items-title' },
      el('h2', { id: 'items-title' }, t('items.title')),
      el('p', { class: 'results-note' }, t('items.note')),
      testFigures(report.test), questionTable(report), downloads(report, kind, id)),
    el('section', { class: 'panel', id: 'categories-panel', 'aria-labelledby': 'categories-title' },
      el('h2', { id: 'categories-title' }, t('items.categoriesTitle')),
      el('p', { class: 'results-note' }, t('items.categoriesNote')),
      categorySection(report.categories)));
  return report;
}
