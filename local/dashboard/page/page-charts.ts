/**
 * The page's script, part 2: a small SVG line chart. Series are
 * `{ name, points: [{ t: epoch ms, v: number | null }] }`; a null breaks the
 * line. Each series is one `<g class="series" data-series="name">`; the
 * figure's caption is the title and its `aria-label` reads the latest values.
 */
export const CHARTS_SCRIPT = String.raw`
var CH = 190, ML = 52, MR = 14, MT = 12, MB = 28;

function niceStep(range, ticks) {
  var raw = range / Math.max(1, ticks);
  var mag = Math.pow(10, Math.floor(Math.log10(raw)));
  var n = raw / mag;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * mag;
}

function lineChart(opts) {
  var CW = opts.width || 460;
  var fmt = opts.format || function (v) { return fmtNumber(v); };
  var series = opts.series.filter(function (sr) { return sr.points.some(function (p) { return p.v !== null && isFinite(p.v); }); });
  var all = [];
  series.forEach(function (sr) { sr.points.forEach(function (p) { if (p.v !== null && isFinite(p.v)) all.push(p); }); });
  var latest = series.map(function (sr) {
    var last = null;
    sr.points.forEach(function (p) { if (p.v !== null) last = p.v; });
    return sr.name + ' ' + (last === null ? 'no value' : fmt(last));
  });
  var svg = s('svg', { viewBox: '0 0 ' + CW + ' ' + CH, role: 'img', class: 'chart',
    'aria-label': opts.title + (latest.length ? ': latest ' + latest.join(', ') : ': no data yet') });
  svg.appendChild(s('title', null, opts.title));
  var figure = h('figure', { class: 'chart-box', 'data-chart': opts.id }, h('figcaption', null, opts.title), svg);
  if (all.length === 0) {
    svg.appendChild(s('text', { x: CW / 2, y: CH / 2, 'text-anchor': 'middle', class: 'chart-empty' }, opts.empty || 'no data yet'));
    return figure;
  }
  var t0 = Infinity, t1 = -Infinity, lo = Infinity, hi = -Infinity;
  all.forEach(function (p) { t0 = Math.min(t0, p.t); t1 = Math.max(t1, p.t); lo = Math.min(lo, p.v); hi = Math.max(hi, p.v); });
  if (opts.zero !== false) lo = Math.min(0, lo);
  if (hi === lo) { hi = lo + (lo === 0 ? 1 : Math.abs(lo) * 0.1); }
  var step = niceStep(hi - lo, 4);
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  if (t1 === t0) { t0 -= 30000; t1 += 30000; }
  var x = function (t) { return ML + (t - t0) / (t1 - t0) * (CW - ML - MR); };
  var y = function (v) { return MT + (hi - v) / (hi - lo) * (CH - MT - MB); };

  var axes = s('g', { class: 'axes', 'aria-hidden': 'true' });
  for (var v = lo; v <= hi + step / 2; v += step) {
    axes.appendChild(s('line', { x1: ML, x2: CW - MR, y1: y(v), y2: y(v), class: 'grid' }));
    axes.appendChild(s('text', { x: ML - 6, y: y(v) + 4, 'text-anchor': 'end' }, fmt(v)));
  }
  for (var k = 0; k <= 3; k++) {
    var t = t0 + (t1 - t0) * k / 3;
    axes.appendChild(s('text', { x: x(t), y: CH - 8, 'text-anchor': k === 0 ? 'start' : k === 3 ? 'end' : 'middle' }, fmtClock(t)));
  }
  axes.appendChild(s('line', { x1: ML, x2: ML, y1: MT, y2: CH - MB, class: 'axis' }));
  axes.appendChild(s('line', { x1: ML, x2: CW - MR, y1: CH - MB, y2: CH - MB, class: 'axis' }));
  svg.appendChild(axes);

  series.forEach(function (sr) {
    var st = styleOf(sr.name);
    var d = '', pen = false, shown = [];
    sr.points.slice().sort(function (a, b) { return a.t - b.t; }).forEach(function (p) {
      if (p.v === null || !isFinite(p.v)) { pen = false; return; }
      d += (pen ? 'L' : 'M') + x(p.t).toFixed(1) + ' ' + y(p.v).toFixed(1);
      pen = true;
      shown.push(p);
    });
    var g = s('g', { class: 'series', 'data-series': sr.name },
      s('path', { d: d, fill: 'none', stroke: st.color, 'stroke-width': 2.2, 'stroke-dasharray': st.dash || null, 'stroke-linejoin': 'round' }));
    var marks = shown.length <= 30 ? shown : shown.slice(-1);
    marks.forEach(function (p) {
      g.appendChild(s('circle', { cx: x(p.t).toFixed(1), cy: y(p.v).toFixed(1), r: 3, fill: st.color },
        s('title', null, sr.name + ' ' + fmtClock(p.t) + ': ' + fmt(p.v))));
    });
    svg.appendChild(g);
  });
  if (opts.legend) figure.appendChild(legend(series.map(function (sr) { return sr.name; })));
  return figure;
}

function legend(names) {
  return h('ul', { class: 'legend' }, names.map(function (n) { return h('li', null, swatch(n), n); }));
}
`;
