/**
 * The page's script, part 1: DOM building (text only: data never becomes
 * markup), number and time formats, and the colour-blind-safe palette
 * (Okabe & Ito) with a dash pattern per series, so colour is never the only
 * cue. Plain browser JavaScript as a string; no backticks inside.
 */
export const HELPERS_SCRIPT = String.raw`
var SVG_NS = 'http://www.w3.org/2000/svg';
var PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000'];
var DASHES = ['', '7 4', '2 3', '10 3 2 3', '4 2', '1 3', '12 4'];

function append(el, children) {
  for (var i = 0; i < children.length; i++) {
    var c = children[i];
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (typeof c === 'string' || typeof c === 'number') el.appendChild(document.createTextNode(String(c)));
    else el.appendChild(c);
  }
  return el;
}
function setAttrs(el, attrs) {
  if (!attrs) return el;
  Object.keys(attrs).forEach(function (k) {
    var v = attrs[k];
    if (v === null || v === undefined || v === false) return;
    if (k === 'style' && typeof v === 'object') Object.keys(v).forEach(function (p) { el.style.setProperty(p, v[p]); });
    else el.setAttribute(k, v === true ? '' : String(v));
  });
  return el;
}
function h(tag, attrs) {
  return append(setAttrs(document.createElement(tag), attrs), Array.prototype.slice.call(arguments, 2));
}
function s(tag, attrs) {
  return append(setAttrs(document.createElementNS(SVG_NS, tag), attrs), Array.prototype.slice.call(arguments, 2));
}

function fmtNumber(v, digits) {
  if (v === null || v === undefined || !isFinite(v)) return '–';
  if (Number.isInteger(v) && Math.abs(v) >= 1) return v.toLocaleString('en-US');
  var d = digits === undefined ? 3 : digits;
  var a = Math.abs(v);
  if (a >= 100) return Math.round(v).toLocaleString('en-US');
  if (a >= 10) return v.toFixed(1);
  if (a === 0) return '0';
  return Number(v.toPrecision(d)).toString();
}
function fmtShare(v) {
  if (v === null || v === undefined || !isFinite(v)) return '–';
  if (v === 0) return '0 %';
  return (v * 100).toFixed(v >= 0.1 ? 1 : 2) + ' %';
}
function fmtRate(v) { return fmtNumber(v, 3) + '/s'; }
function fmtMs(v) { return v === null || v === undefined ? '–' : fmtNumber(v, 3) + ' ms'; }
function pad2(n) { return n < 10 ? '0' + n : String(n); }
function fmtClock(ms) {
  var d = new Date(ms);
  return pad2(d.getHours()) + ':' + pad2(d.getMinutes()) + ':' + pad2(d.getSeconds());
}
function fmtDateTime(iso) {
  var d = new Date(iso);
  return d.getFullYear() + '-' + pad2(d.getMonth() + 1) + '-' + pad2(d.getDate()) + ' ' + fmtClock(d.getTime());
}
function fmtAgo(iso, now) {
  var sec = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (sec < 60) return sec + ' s ago';
  if (sec < 3600) return Math.round(sec / 60) + ' min ago';
  if (sec < 86400) return Math.round(sec / 3600) + ' h ago';
  return Math.round(sec / 86400) + ' d ago';
}

/** One colour and dash per name, kept across updates so a revision keeps its colour. */
var styleIndex = {};
var styleCount = 0;
/** Series that are not revisions keep one look wherever they appear. */
var FIXED_STYLES = {
  'records/s': { color: '#0072B2', dash: '' }, 'rejected/s': { color: '#D55E00', dash: '7 4' },
  svd: { color: '#009E73', dash: '' }, svdpp: { color: '#CC79A7', dash: '7 4' }, als: { color: '#D55E00', dash: '2 3' },
  baseline: { color: '#56B4E9', dash: '10 3 2 3' }, popularity: { color: '#000000', dash: '4 2' },
};
function styleOf(name) {
  if (Object.prototype.hasOwnProperty.call(FIXED_STYLES, name)) return FIXED_STYLES[name];
  if (!(name in styleIndex)) styleIndex[name] = styleCount++;
  var k = styleIndex[name];
  return { color: PALETTE[k % PALETTE.length], dash: DASHES[k % DASHES.length] };
}
function swatch(name) {
  var st = styleOf(name);
  return s('svg', { class: 'swatch', width: 22, height: 10, viewBox: '0 0 22 10', 'aria-hidden': 'true' },
    s('line', { x1: 1, y1: 5, x2: 21, y2: 5, stroke: st.color, 'stroke-width': 3, 'stroke-dasharray': st.dash || null }));
}
function emptyNote(text, detail) {
  return h('p', { class: 'empty' }, text, detail ? h('span', { class: 'detail' }, ' (' + detail + ')') : null);
}
`;
