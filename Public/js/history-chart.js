// A member's accuracy per category over time, drawn from the history's `categories` lines (GET /api/me/history
// and GET /api/members/:number/history): a heat map with one row per category and one column per month, each
// cell the share of that month's answers in that category that were right — shared by me.html and the roster's
// member dialog so both read the record the same way.
import { heatMap } from './charts.js';
import { t } from './i18n.js';

// The last `limit` months any category has answers in, oldest first ("2026-11").
export function timelineMonths(lines, limit) {
  const months = new Set();
  lines.forEach((line) => line.months.forEach((entry) => months.add(entry.month)));
  return Array.from(months).sort().slice(-limit);
}

// The figure, or null when the member has answered nothing filed under a month.
export function categoryTimeline(lines, options) {
  const opts = options || {};
  const months = timelineMonths(lines || [], opts.months || 12);
  if (!months.length) return null;
  const rows = lines.map((line) => line.category || t('me.noCategory'));
  const cells = lines.map((line) => months.map((month) => {
    const entry = line.months.find((candidate) => candidate.month === month);
    return entry ? entry.accuracy / 100 : null;
  }));
  return heatMap(t('me.historyTimeline'), rows, months, cells, { labelWidth: opts.labelWidth || 120, cellWidth: 68 });
}
