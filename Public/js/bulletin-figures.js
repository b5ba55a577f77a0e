// What a 通报 picks out of a report, as pure functions over the API's JSON (no DOM), so the browser suite can
// check them on made-up rows: the best and worst units (ties kept together), the rows that fit on one page, the
// hardest questions and the weakest categories.

function finite(value) {
  return typeof value === 'number' && isFinite(value);
}

// Values this close are one value: rates are exact fractions and means sums over counts, so a real difference
// is far larger than the rounding of a division.
const TIE = 1e-9;

/// The rows with the highest and the lowest `value(row)` among those that have one:
/// { best: { value, rows }, worst: { value, rows }, count, level } where `level` is true when every counted row
/// has the same value (nobody is best or worst then), and best/worst are null when fewer than two rows count.
export function extremes(rows, value) {
  const counted = rows.filter((row) => finite(value(row)));
  if (counted.length < 2) return { best: null, worst: null, count: counted.length, level: false };
  const values = counted.map(value);
  const top = Math.max(...values);
  const bottom = Math.min(...values);
  const level = top - bottom <= TIE;
  return {
    best: { value: top, rows: counted.filter((row) => top - value(row) <= TIE) },
    worst: { value: bottom, rows: counted.filter((row) => value(row) - bottom <= TIE) },
    count: counted.length,
    level: level,
  };
}

/// Rows ordered by `value(row)`, highest first (rows without a value last, each group in the order given), and cut
/// to `cap`: when there are more, the first cap/2 and the last cap/2 of the rows that have a value are kept (or,
/// when too few have one, the first `cap`). → { rows, total, cut, half } with `cut` true when rows were left out
/// and `half` the number kept at each end (0 when the first `cap` were kept).
export function bestAndWorst(rows, value, cap) {
  const withValue = rows.filter((row) => finite(value(row)));
  const without = rows.filter((row) => !finite(value(row)));
  const ordered = withValue.map((row, index) => ({ row: row, index: index }))
    .sort((a, b) => (value(b.row) - value(a.row)) || (a.index - b.index)).map((entry) => entry.row).concat(without);
  if (ordered.length <= cap) return { rows: ordered, total: ordered.length, cut: false, half: 0 };
  const half = Math.floor(cap / 2);
  if (withValue.length < 2 * half) return { rows: ordered.slice(0, cap), total: ordered.length, cut: true, half: 0 };
  return {
    rows: ordered.slice(0, half).concat(ordered.slice(withValue.length - half, withValue.length)),
    total: ordered.length, cut: true, half: half,
  };
}

/// The `count` questions with the lowest facility index (those nobody answered are left out), lowest first; among
/// equal ones the one more people saw first (a 0% over twenty says more than a 0% over one), then the activity's
/// order. → { questions, total } with `total` the questions that have a facility index.
export function hardestQuestions(questions, count) {
  const rated = questions.map((question, index) => ({ question: question, index: index }))
    .filter((entry) => finite(entry.question.facilityIndex));
  rated.sort((a, b) => (a.question.facilityIndex - b.question.facilityIndex) || ((b.question.count || 0) - (a.question.count || 0))
    || (a.index - b.index));
  return { questions: rated.slice(0, count).map((entry) => entry.question), total: rated.length };
}

/// The organization's `count` categories of lowest accuracy, lowest first. → { categories, total }.
export function weakestCategories(organization, count) {
  const rated = organization.map((total, index) => ({ total: total, index: index })).filter((entry) => finite(entry.total.accuracy));
  rated.sort((a, b) => (a.total.accuracy - b.total.accuracy) || (a.index - b.index));
  return { categories: rated.slice(0, count).map((entry) => entry.total), total: rated.length };
}

/// The branches that have weakest categories (the API names them once a category has enough answers), cut to
/// `cap`. → { units, total }.
export function branchWeakest(weakest, cap) {
  const named = weakest.filter((unit) => unit.categories && unit.categories.length);
  return { units: named.slice(0, cap), total: named.length };
}
