/**
 * The page's script, part 4: decisions (expandable evidence that stays open
 * across updates), ingest, and the loop that polls `/dashboard/data` every
 * ~2 s and redraws; a failed poll keeps the last picture and says so.
 */
export const LIVE_SCRIPT = String.raw`
var openDecisions = {};
var VERDICT_CLASS = { promote: 'good', 'step-up': 'good', promoted: 'good', hold: 'neutral', 'roll-back': 'bad', 'rolled-back': 'bad', rejected: 'bad' };
var VERDICT_ICON = { good: '▲', neutral: '■', bad: '▼' };

function renderDecisions(data, now) {
  if (data.decisions.length === 0) return [emptyNote('no decisions yet: the offline gate and the canary analysis report here')];
  return [h('ol', { class: 'decisions' }, data.decisions.map(function (d) {
    var cls = VERDICT_CLASS[d.verdict] || 'neutral';
    var details = h('details', { 'data-id': d.id, open: openDecisions[d.id] === true },
      h('summary', null,
        h('time', { datetime: d.at, title: fmtDateTime(d.at) + ' (' + fmtAgo(d.at, now) + ')' }, fmtClock(new Date(d.at).getTime())),
        h('span', { class: 'badge source' }, d.source === 'canary' ? 'canary' : 'offline gate'),
        h('span', { class: 'badge verdict verdict-' + cls }, VERDICT_ICON[cls] + ' ' + d.verdict),
        h('span', { class: 'summary-text' }, d.summary)),
      h('div', { class: 'evidence' },
        h('p', { class: 'models' }, 'candidate ', h('code', null, d.candidate.modelVersion), d.candidate.revision ? ' on ' + d.candidate.revision : '',
          d.champion ? [' · champion ', h('code', null, d.champion.modelVersion), d.champion.revision ? ' on ' + d.champion.revision : ''] : ' · no champion'),
        h('ul', { class: 'evidence-lines' }, d.evidence.map(function (line) { return h('li', null, line); })),
        Object.keys(d.figures).length ? h('dl', { class: 'figures' }, Object.keys(d.figures).map(function (k) {
          return [h('dt', null, k), h('dd', null, fmtNumber(d.figures[k], 4))];
        })) : null));
    details.addEventListener('toggle', function () { openDecisions[d.id] = details.open; });
    return h('li', { class: 'decision decision-' + cls }, details);
  }))];
}

function renderIngest(data) {
  var totals = data.ingest.totals;
  if (totals === null && data.ingest.rates.length === 0) return [emptyNote('ingest: no data yet')];
  var rates = data.ingest.rates;
  var pts = function (pick) { return rates.map(function (r) { return { t: new Date(r.at).getTime(), v: pick(r) }; }); };
  var out = [];
  if (totals !== null) {
    out.push(h('dl', { class: 'totals' },
      h('div', null, h('dt', null, 'records'), h('dd', { 'data-total': 'records' }, fmtNumber(totals.records))),
      h('div', null, h('dt', null, 'duplicates'), h('dd', null, fmtNumber(totals.duplicates))),
      h('div', null, h('dt', null, 'rejected'), h('dd', { 'data-total': 'rejected' }, fmtNumber(totals.rejected))),
      h('div', null, h('dt', null, 'now'), h('dd', null, rates.length ? fmtRate(rates[rates.length - 1].recordsPerSecond) : '–'))));
  }
  out.push(lineChart({ id: 'ingest-rate', title: 'Records per second', legend: true, series: [
    { name: 'records/s', points: pts(function (r) { return r.recordsPerSecond; }) },
    { name: 'rejected/s', points: pts(function (r) { return r.rejectedPerSecond; }) },
  ] }));
  var reasons = totals === null ? [] : Object.keys(totals.rejectsByReason).sort(function (a, b) { return totals.rejectsByReason[b] - totals.rejectsByReason[a]; });
  if (reasons.length === 0) out.push(h('p', { class: 'detail' }, 'no rejects'));
  else out.push(table('rejects by reason', ['Reject reason', 'Lines', 'Share'], reasons.map(function (k) {
    var n = totals.rejectsByReason[k];
    return h('tr', null, h('th', { scope: 'row' }, k), h('td', { class: 'num' }, fmtNumber(n)), h('td', { class: 'num' }, fmtShare(totals.rejected ? n / totals.rejected : null)));
  }), 'rejects'));
  return out;
}

function fill(id, nodes) {
  var el = document.getElementById(id);
  if (el) el.replaceChildren.apply(el, nodes);
}

var lastOk = null;
function render(data) {
  var now = Date.now();
  fill('status', renderHeader(data, now));
  fill('revisions-body', renderRevisions(data));
  fill('online-body', renderOnline(data));
  fill('training-body', renderTraining(data));
  fill('decisions-body', renderDecisions(data, now));
  fill('ingest-body', renderIngest(data));
  document.body.setAttribute('data-generated-at', data.generatedAt);
}

function setLive(ok, text) {
  var el = document.getElementById('live');
  el.className = ok ? 'live live-ok' : 'live live-bad';
  el.textContent = text;
}

function poll() {
  fetch('/dashboard/data', { cache: 'no-store' })
    .then(function (res) { if (!res.ok) throw new Error('HTTP ' + res.status); return res.json(); })
    .then(function (data) {
      render(data);
      lastOk = Date.now();
      setLive(true, 'live · updated ' + fmtClock(lastOk));
    })
    .catch(function () {
      setLive(false, lastOk === null ? 'cannot reach the runtime — retrying' : 'connection lost at ' + fmtClock(lastOk) + ' — retrying');
    })
    .then(function () { setTimeout(poll, POLL_MS); });
}
poll();
`;
