/**
 * The page's script, part 3: one function per section, each turning its part
 * of `/dashboard/data` into DOM (a table next to every chart, so the figures
 * are there for screen readers and for copying).
 */
export const SECTIONS_SCRIPT = String.raw`
function table(caption, headers, rows, cls) {
  return h('table', { class: cls || null },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', null, h('tr', null, headers.map(function (x) { return h('th', { scope: 'col' }, x); }))),
    h('tbody', null, rows));
}

function renderHeader(data, now) {
  var f = data.system.functions;
  var ready = f.filter(function (x) { return x.ready; }).length;
  var serving = data.revisions.filter(function (r) { return r.ready && r.percent > 0; }).length;
  var health = ready === f.length && serving > 0 ? 'ok' : ready === f.length ? 'warn' : 'bad';
  var healthText = health === 'ok' ? 'serving' : health === 'warn' ? 'waiting for the first model…' : 'degraded';
  return [
    h('span', { class: 'pill pill-' + health, 'data-testid': 'health' }, healthText),
    h('span', { class: 'pill', title: f.map(function (x) { return x.name + (x.ready ? ' ready' : ' not ready') + (x.restarts ? ', ' + x.restarts + ' restarts' : ''); }).join('; ') },
      'functions ' + ready + '/' + f.length + ' ready'),
    h('span', { class: 'pill' }, 'channel ' + data.system.channel),
    h('span', { class: 'pill' }, data.system.models + ' model' + (data.system.models === 1 ? '' : 's') + ' trained'),
    h('span', { class: 'pill' }, 'audience ' + (data.system.audience ? 'on' : 'off')),
  ];
}

function renderRevisions(data) {
  var revs = data.revisions;
  if (revs.length === 0) return [emptyNote('waiting for the first model…')];
  var live = revs.filter(function (r) { return r.percent > 0; });
  var bar = h('div', { class: 'traffic-bar', role: 'img',
      'aria-label': 'traffic split: ' + (live.length ? live.map(function (r) { return r.name + ' ' + r.percent + ' %'; }).join(', ') : 'none') },
    live.map(function (r) {
      var st = styleOf(r.name);
      return h('div', { class: 'segment', 'data-revision': r.name, style: { width: r.percent + '%', 'background-color': st.color }, title: r.name + ' ' + r.percent + ' %' },
        r.percent >= 12 ? h('span', null, r.name + ' · ' + r.percent + ' %') : r.percent >= 5 ? h('span', null, r.percent + ' %') : null);
    }));
  var rows = revs.map(function (r) {
    var state = r.ready ? '✓ ready' : r.phase === 'failed' ? '✗ failed' + (r.reason ? ': ' + r.reason : '') : '… ' + r.phase;
    return h('tr', { 'data-revision': r.name },
      h('th', { scope: 'row' }, swatch(r.name), ' ', r.name),
      h('td', null, r.tag ? h('span', { class: 'tag tag-' + r.tag }, r.tag) : '–'),
      h('td', { class: 'num', 'data-col': 'percent' }, r.percent + ' %'),
      h('td', { class: 'state-' + r.phase }, state),
      h('td', { class: 'mono', 'data-col': 'model' }, r.modelVersion || 'loading…'));
  });
  return [bar, table('recommend revisions', ['Revision', 'Tag', 'Traffic', 'State', 'Model version'], rows, 'revisions')];
}

function onlineSeries(reports, pick) {
  var byName = {};
  var order = [];
  reports.forEach(function (rep) {
    var t = new Date(rep.to).getTime();
    rep.revisions.forEach(function (r) {
      if (!(r.revision in byName)) { byName[r.revision] = []; order.push(r.revision); }
      byName[r.revision].push({ t: t, v: pick(r) });
    });
  });
  return order.map(function (n) { return { name: n, points: byName[n] }; });
}

function renderOnline(data) {
  var reps = data.online.reports;
  if (!data.online.available || reps.length === 0) return [emptyNote('online evaluation: no data yet', data.online.reason)];
  var names = onlineSeries(reps, function () { return 0; }).map(function (x) { return x.name; });
  var last = reps[reps.length - 1];
  var charts = h('div', { class: 'charts three' },
    lineChart({ id: 'online-hit-rate', title: 'Hit rate', series: onlineSeries(reps, function (r) { return r.hitRate; }), format: fmtShare }),
    lineChart({ id: 'online-latency', title: 'p95 latency (ms)', series: onlineSeries(reps, function (r) { return r.latencyP95Ms; }) }),
    lineChart({ id: 'online-served', title: 'Recommendations served per window', series: onlineSeries(reps, function (r) { return r.served; }) }));
  var rows = last.revisions.map(function (r) {
    return h('tr', null, h('th', { scope: 'row' }, swatch(r.revision), ' ', r.revision), h('td', { class: 'mono' }, r.modelVersion),
      h('td', { class: 'num' }, fmtNumber(r.served)), h('td', { class: 'num' }, fmtShare(r.hitRate)), h('td', { class: 'num' }, fmtMs(r.latencyP95Ms)),
      h('td', { class: 'num' }, fmtNumber(r.meanRating)), h('td', { class: 'num' }, fmtShare(r.fallbackShare)));
  });
  return [legend(names), charts,
    h('h3', null, 'Latest window ', h('span', { class: 'detail' }, fmtDateTime(last.from) + ' – ' + fmtClock(new Date(last.to).getTime()) + ', attribution ' + last.windowMinutes + ' min')),
    table('latest online window by revision', ['Revision', 'Model', 'Served', 'Hit rate', 'p95 latency', 'Mean rating', 'Fallback'], rows)];
}

function metricKey(metrics, re) {
  var keys = Object.keys(metrics);
  for (var i = 0; i < keys.length; i++) if (re.test(keys[i])) return keys[i];
  return null;
}
var RMSE_RE = /^rmse$/i, NDCG_RE = /^ndcg(at|@)?\d*$/i, HIT_RE = /^hit_?rate(at|@)?\d*$/i;

function renderTraining(data) {
  var runs = data.training;
  if (runs.length === 0) return [emptyNote('waiting for the first model…')];
  var serving = {};
  data.revisions.forEach(function (r) { if (r.modelVersion) serving[r.modelVersion] = r.name + ' ' + r.percent + ' %'; });
  var gate = {};
  data.decisions.slice().reverse().forEach(function (d) { if (d.source === 'offline') gate[d.candidate.modelVersion] = d.verdict; });
  var byAlg = function (re) {
    var out = {};
    runs.forEach(function (m) {
      var k = metricKey(m.metrics, re);
      (out[m.algorithm] = out[m.algorithm] || []).push({ t: new Date(m.createdAt).getTime(), v: k === null ? null : m.metrics[k] });
    });
    return Object.keys(out).map(function (a) { return { name: a, points: out[a] }; });
  };
  var ndcgKey = metricKey(runs[0].metrics, NDCG_RE);
  var hitKey = metricKey(runs[0].metrics, HIT_RE);
  var rows = runs.map(function (m) {
    var get = function (re) { var k = metricKey(m.metrics, re); return k === null ? null : m.metrics[k]; };
    return h('tr', { 'data-version': m.version },
      h('th', { scope: 'row', class: 'mono' }, m.version),
      h('td', null, m.algorithm), h('td', null, fmtDateTime(m.createdAt)),
      h('td', { class: 'num' }, fmtNumber(get(RMSE_RE), 4)), h('td', { class: 'num' }, fmtNumber(get(NDCG_RE), 3)),
      h('td', { class: 'num' }, fmtNumber(get(HIT_RE), 3)), h('td', { class: 'num' }, fmtNumber(m.counts.ratings)),
      h('td', null, gate[m.version] ? h('span', { class: 'gate gate-' + (VERDICT_CLASS[gate[m.version]] || 'neutral') }, gate[m.version]) : ''),
      h('td', null, serving[m.version] || ''));
  });
  return [
    h('div', { class: 'charts two' },
      lineChart({ id: 'training-rmse', title: 'RMSE (lower is better)', series: byAlg(RMSE_RE), zero: false, legend: true, width: 680 }),
      lineChart({ id: 'training-ndcg', title: (ndcgKey || 'NDCG') + ' (higher is better)', series: byAlg(NDCG_RE), legend: true, width: 680 })),
    h('div', { class: 'scroll' }, table('models trained, newest first',
      ['Version', 'Algorithm', 'Trained', 'RMSE', ndcgKey || 'NDCG', hitKey || 'Hit rate', 'Ratings', 'Offline gate', 'Serving'], rows, 'training')),
  ];
}
`;
