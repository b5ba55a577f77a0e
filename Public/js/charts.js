// Small dependency-free SVG charts, drawn through DOM APIs (no markup strings, no style attributes: the
// Content-Security-Policy refuses them). Every chart is a <figure class="chart"> holding an <svg role="img"> with a
// <title> and an aria-label, and its numbers as text beside the bars, so a print shows them and a screen reader
// reads them. Colors come from theme.css through classes in css/charts.css.
//
//   histogram(title, bins, options)      bins: [{ label, count }]               → one <rect class="bar"> per bin
//   barChart(title, rows, options)       rows: [{ label, value }], values 0…max  → one <rect class="bar"> per row,
//                                        options.reference: { value, label } draws a dashed line (e.g. the mean)
//   lineChart(title, points, options)    points: [{ label, value }]             → one <circle class="point"> per point
//   stackedBars(title, rows, series, options)  rows: [{ label, values }], values: shares 0…1 per series,
//                                        series: [labels] → one <rect class="segment segment-i"> per non-zero share,
//                                        and a legend
//   heatMap(title, rows, columns, cells, options)  cells[r][c] in 0…1 or null   → one <rect class="cell"> per cell,
//                                        and a legend from 0 to 1
// options: { format(value) → text (default: the number), max (bar/line: the axis top), unit (axis caption),
//            empty (text shown when there is nothing to draw), height/width (px of the drawing),
//            rowHeight/labelWidth (bar charts: px per bar, px for the labels) }
// Each returns the <figure>; the caller places it. Values that are not finite are drawn as 0 and written "—".

const SVG = 'http://www.w3.org/2000/svg';

function svgEl(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  Object.keys(attributes || {}).forEach((name) => {
    const value = attributes[name];
    if (value !== null && value !== undefined) node.setAttribute(name, String(value));
  });
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function finite(value) {
  return typeof value === 'number' && isFinite(value);
}

function defaultFormat(value) {
  if (!finite(value)) return '—';
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function frame(title, width, height, kind) {
  const figure = document.createElement('figure');
  figure.className = 'chart chart-' + kind;
  const svg = svgEl('svg', {
    viewBox: '0 0 ' + width + ' ' + height, width: width, height: height, role: 'img', 'aria-label': title,
    class: 'chart-svg', 'data-chart': kind,
  });
  svg.appendChild(svgEl('title', null, title));
  figure.appendChild(svg);
  const caption = document.createElement('figcaption');
  caption.className = 'chart-caption';
  caption.textContent = title;
  figure.appendChild(caption);
  return { figure: figure, svg: svg };
}

function emptyFigure(title, text, kind) {
  const chart = frame(title, 320, 60, kind);
  chart.svg.appendChild(svgEl('text', { x: 160, y: 34, class: 'chart-empty', 'text-anchor': 'middle' }, text || '—'));
  chart.figure.classList.add('is-empty');
  return chart.figure;
}

// Vertical bars, one per bin, each labelled below and with its count above.
export function histogram(title, bins, options) {
  const opts = options || {};
  const format = opts.format || defaultFormat;
  if (!bins || !bins.length) return emptyFigure(title, opts.empty, 'histogram');
  const width = opts.width || Math.max(480, Math.min(1100, bins.length * 72 + 60));
  const height = opts.height || 260;
  const left = 40, right = 12, top = 24, bottom = 48;
  const plotW = width - left - right, plotH = height - top - bottom;
  const max = Math.max(1, opts.max || 0, ...bins.map((bin) => (finite(bin.count) ? bin.count : 0)));
  const chart = frame(title, width, height, 'histogram');
  const svg = chart.svg;
  svg.appendChild(svgEl('line', { x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH, class: 'axis' }));
  const step = plotW / bins.length;
  bins.forEach((bin, index) => {
    const count = finite(bin.count) ? bin.count : 0;
    const h = (count / max) * plotH;
    const x = left + index * step + step * 0.1;
    const group = svgEl('g', { class: 'bin' });
    const rect = svgEl('rect', { x: x, y: top + plotH - h, width: step * 0.8, height: Math.max(h, 0), class: 'bar' });
    rect.appendChild(svgEl('title', null, bin.label + '：' + format(bin.count)));
    group.appendChild(rect);
    group.appendChild(svgEl('text', { x: x + step * 0.4, y: top + plotH - h - 6, class: 'value', 'text-anchor': 'middle' }, format(bin.count)));
    group.appendChild(svgEl('text', { x: x + step * 0.4, y: top + plotH + 18, class: 'label', 'text-anchor': 'middle' }, bin.label));
    svg.appendChild(group);
  });
  if (opts.unit) svg.appendChild(svgEl('text', { x: left + plotW / 2, y: height - 6, class: 'axis-caption', 'text-anchor': 'middle' }, opts.unit));
  return chart.figure;
}

// Horizontal bars, one per row: its label on the left, its value written at the bar's end, and an optional
// dashed reference line across all of them (a mean, a target).
export function barChart(title, rows, options) {
  const opts = options || {};
  const format = opts.format || defaultFormat;
  if (!rows || !rows.length) return emptyFigure(title, opts.empty, 'bars');
  const rowH = opts.rowHeight || 30;
  const labelW = opts.labelWidth || 240;
  const width = opts.width || 1100;
  const top = opts.reference ? 26 : 8;
  const height = top + rows.length * rowH + 12;
  const valueW = 90;
  const plotW = width - labelW - valueW - 12;
  const values = rows.map((row) => (finite(row.value) ? row.value : 0));
  const max = Math.max(opts.max || 0, ...values, opts.reference && finite(opts.reference.value) ? opts.reference.value : 0) || 1;
  const chart = frame(title, width, height, 'bars');
  const svg = chart.svg;
  rows.forEach((row, index) => {
    const y = top + index * rowH;
    const w = (values[index] / max) * plotW;
    const group = svgEl('g', { class: 'row' });
    group.appendChild(svgEl('text', { x: labelW - 8, y: y + rowH / 2 + 5, class: 'label', 'text-anchor': 'end' }, row.label));
    const rect = svgEl('rect', { x: labelW, y: y + 5, width: Math.max(w, 0), height: rowH - 10, class: 'bar' });
    rect.appendChild(svgEl('title', null, row.label + '：' + format(row.value)));
    group.appendChild(rect);
    group.appendChild(svgEl('text', { x: labelW + Math.max(w, 0) + 6, y: y + rowH / 2 + 5, class: 'value' }, format(row.value)));
    svg.appendChild(group);
  });
  if (opts.reference && finite(opts.reference.value)) {
    const x = labelW + (opts.reference.value / max) * plotW;
    svg.appendChild(svgEl('line', { x1: x, y1: top - 4, x2: x, y2: height - 6, class: 'reference' }));
    svg.appendChild(svgEl('text', { x: x, y: 16, class: 'reference-label', 'text-anchor': 'middle' },
      (opts.reference.label || '') + ' ' + format(opts.reference.value)));
  }
  return chart.figure;
}

// Horizontal bars of shares that add up to 1 (e.g. performance bands), one row per group, each segment's share
// written on it when it is wide enough; a legend of the series above.
export function stackedBars(title, rows, series, options) {
  const opts = options || {};
  const format = opts.format || ((value) => (finite(value) ? (value * 100).toFixed(0) + '%' : '—'));
  if (!rows || !rows.length) return emptyFigure(title, opts.empty, 'stacked');
  const rowH = 30, legendH = 28;
  const labelW = opts.labelWidth || 240;
  const width = opts.width || 1100;
  const plotW = width - labelW - 24;
  const height = legendH + rows.length * rowH + 8;
  const chart = frame(title, width, height, 'stacked');
  const svg = chart.svg;
  series.forEach((name, index) => {
    const x = labelW + index * 150;
    svg.appendChild(svgEl('rect', { x: x, y: 6, width: 14, height: 14, class: 'segment segment-' + index }));
    svg.appendChild(svgEl('text', { x: x + 20, y: 18, class: 'legend' }, name));
  });
  rows.forEach((row, rowIndex) => {
    const y = legendH + rowIndex * rowH;
    const group = svgEl('g', { class: 'row' });
    group.appendChild(svgEl('text', { x: labelW - 8, y: y + rowH / 2 + 5, class: 'label', 'text-anchor': 'end' }, row.label));
    let x = labelW;
    (row.values || []).forEach((value, index) => {
      const share = finite(value) && value > 0 ? value : 0;
      if (share === 0) return;
      const w = share * plotW;
      const rect = svgEl('rect', { x: x, y: y + 4, width: w, height: rowH - 8, class: 'segment segment-' + index });
      rect.appendChild(svgEl('title', null, row.label + ' · ' + series[index] + '：' + format(value)));
      group.appendChild(rect);
      if (w >= 36) {
        group.appendChild(svgEl('text', { x: x + w / 2, y: y + rowH / 2 + 5, class: 'segment-value' + (index < 2 ? ' on-dark' : ''), 'text-anchor': 'middle' }, format(value)));
      }
      x += w;
    });
    svg.appendChild(group);
  });
  return chart.figure;
}

// A trend: points joined by a line, each point's value written above it, every label below (thinned when many).
export function lineChart(title, points, options) {
  const opts = options || {};
  const format = opts.format || defaultFormat;
  if (!points || !points.length) return emptyFigure(title, opts.empty, 'line');
  const width = opts.width || 1100;
  const height = opts.height || 260;
  const left = 16, right = 16, top = 28, bottom = 40;
  const plotW = width - left - right, plotH = height - top - bottom;
  const values = points.map((point) => (finite(point.value) ? point.value : 0));
  const max = Math.max(opts.max || 0, ...values) || 1;
  const chart = frame(title, width, height, 'line');
  const svg = chart.svg;
  const step = points.length > 1 ? plotW / (points.length - 1) : 0;
  const xy = values.map((value, index) => [left + (points.length > 1 ? index * step : plotW / 2), top + plotH - (value / max) * plotH]);
  svg.appendChild(svgEl('line', { x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH, class: 'axis' }));
  svg.appendChild(svgEl('polyline', { points: xy.map((p) => p[0].toFixed(1) + ',' + p[1].toFixed(1)).join(' '), class: 'trend' }));
  const every = Math.max(1, Math.ceil(points.length / 12));
  points.forEach((point, index) => {
    const group = svgEl('g', { class: 'point-group' });
    const circle = svgEl('circle', { cx: xy[index][0], cy: xy[index][1], r: 4, class: 'point' });
    circle.appendChild(svgEl('title', null, point.label + '：' + format(point.value)));
    group.appendChild(circle);
    if (index % every === 0 || index === points.length - 1) {
      group.appendChild(svgEl('text', { x: xy[index][0], y: xy[index][1] - 8, class: 'value', 'text-anchor': 'middle' }, format(point.value)));
      group.appendChild(svgEl('text', { x: xy[index][0], y: top + plotH + 18, class: 'label', 'text-anchor': 'middle' }, point.label));
    }
    svg.appendChild(group);
  });
  return chart.figure;
}

// Rows × columns of shares 0…1 (null: no data, drawn hatched-grey and written "—"); the darker, the higher. A
// legend from 0 to 1 sits below. Each cell carries its value as text.
export function heatMap(title, rows, columns, cells, options) {
  const opts = options || {};
  const format = opts.format || ((value) => (finite(value) ? Math.round(value * 100) + '%' : '—'));
  if (!rows || !rows.length || !columns || !columns.length) return emptyFigure(title, opts.empty, 'heat');
  const labelW = opts.labelWidth || 180;
  const cellW = opts.cellWidth || 72, cellH = 32, headH = 40, legendH = 44;
  // Wide enough for the legend too (five swatches and the top label), even with a single column.
  const width = Math.max(labelW + columns.length * cellW + 8, labelW + 5 * 36 + 56);
  const height = headH + rows.length * cellH + legendH;
  const chart = frame(title, width, height, 'heat');
  const svg = chart.svg;
  columns.forEach((column, c) => {
    svg.appendChild(svgEl('text', { x: labelW + c * cellW + cellW / 2, y: headH - 10, class: 'label', 'text-anchor': 'middle' }, column));
  });
  rows.forEach((row, r) => {
    const y = headH + r * cellH;
    svg.appendChild(svgEl('text', { x: labelW - 8, y: y + cellH / 2 + 5, class: 'label', 'text-anchor': 'end' }, row));
    columns.forEach((column, c) => {
      const value = cells[r] ? cells[r][c] : null;
      const level = finite(value) ? Math.max(0, Math.min(4, Math.floor(Math.max(0, Math.min(1, value)) * 5 - 1e-9))) : null;
      const rect = svgEl('rect', {
        x: labelW + c * cellW + 1, y: y + 1, width: cellW - 2, height: cellH - 2,
        class: 'cell ' + (level === null ? 'level-none' : 'level-' + level),
      });
      rect.appendChild(svgEl('title', null, row + ' · ' + column + '：' + format(value)));
      svg.appendChild(rect);
      svg.appendChild(svgEl('text', {
        x: labelW + c * cellW + cellW / 2, y: y + cellH / 2 + 5, 'text-anchor': 'middle',
        class: 'cell-value' + (level !== null && level >= 3 ? ' on-dark' : ''),
      }, format(value)));
    });
  });
  const legendY = headH + rows.length * cellH + 14;
  const legend = svgEl('g', { class: 'legend' });
  for (let level = 0; level < 5; level += 1) {
    legend.appendChild(svgEl('rect', { x: labelW + level * 36, y: legendY, width: 34, height: 12, class: 'cell level-' + level }));
  }
  legend.appendChild(svgEl('text', { x: labelW - 8, y: legendY + 11, class: 'label', 'text-anchor': 'end' }, format(0)));
  legend.appendChild(svgEl('text', { x: labelW + 5 * 36 + 6, y: legendY + 11, class: 'label' }, format(1)));
  svg.appendChild(legend);
  return chart.figure;
}
