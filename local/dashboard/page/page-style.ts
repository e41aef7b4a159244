/** The page's CSS: a light, dense layout for a laptop screen; focus rings and contrast kept; no web fonts. */
export const PAGE_STYLE = String.raw`
:root { --bg: #f3f4f6; --card: #fff; --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --accent: #0072B2;
  --good: #00704a; --bad: #b03a00; --neutral: #57606a; --warn: #8a6100; }
* { box-sizing: border-box; }
html { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); }
body { margin: 0; }
header.top { display: flex; flex-wrap: wrap; align-items: center; gap: 10px 16px; padding: 10px 20px; background: #1f2937; color: #fff; }
header.top h1 { margin: 0; font-size: 18px; letter-spacing: .02em; }
header.top h1 small { font-weight: 400; color: #cbd5e1; margin-left: 6px; font-size: 13px; }
#status { display: flex; flex-wrap: wrap; gap: 6px; }
.pill { display: inline-block; padding: 2px 10px; border-radius: 999px; background: #374151; color: #f9fafb; font-size: 12.5px; }
.pill-ok { background: #00704a; } .pill-warn { background: #8a6100; } .pill-bad { background: #b03a00; }
.live { margin-left: auto; font-size: 12.5px; }
.live::before { content: "●"; margin-right: 6px; }
.live-ok::before { color: #56B4E9; } .live-bad { color: #ffd8c2; } .live-bad::before { color: #D55E00; }
main { display: grid; grid-template-columns: repeat(12, 1fr); gap: 14px; padding: 14px 20px 24px; max-width: 1600px; margin: 0 auto; }
section.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px 14px; min-width: 0; }
section.card > h2 { margin: 0 0 10px; font-size: 15px; display: flex; align-items: baseline; gap: 8px; }
section.card > h2 .detail { font-weight: 400; }
h3 { font-size: 13px; margin: 12px 0 4px; }
.span-7 { grid-column: span 7; } .span-5 { grid-column: span 5; grid-row: span 2; } .span-12 { grid-column: span 12; }
@media (max-width: 1100px) { .span-7, .span-5 { grid-column: span 12; grid-row: auto; } }
.empty { color: var(--muted); font-style: italic; margin: 12px 0; }
.detail { color: var(--muted); font-size: 12.5px; font-style: normal; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eaeef2; vertical-align: middle; white-space: nowrap; }
thead th { color: var(--muted); font-weight: 600; font-size: 12px; border-bottom: 1px solid var(--line); background: var(--card); }
.scroll thead th { position: sticky; top: 0; }
tbody th { font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.mono, code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 12px; }
.scroll { max-height: 300px; overflow: auto; margin-top: 6px; border-top: 1px solid #eaeef2; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.swatch { vertical-align: middle; margin-right: 2px; }
.tag { display: inline-block; padding: 0 8px; border-radius: 4px; font-size: 12px; border: 1px solid currentColor; }
.tag-champion { color: #005a8e; } .tag-candidate { color: #8a5a00; }
.state-ready { color: var(--good); } .state-failed { color: var(--bad); white-space: normal; } .state-starting, .state-draining { color: var(--warn); }
.traffic-bar { display: flex; height: 28px; border-radius: 6px; overflow: hidden; background: #eaeef2; margin-bottom: 10px; }
.traffic-bar .segment { display: flex; align-items: center; justify-content: center; min-width: 3px; color: #fff; font-size: 12px; font-weight: 600; overflow: hidden; white-space: nowrap; border-right: 2px solid #fff; }
.traffic-bar .segment:last-child { border-right: 0; }
.traffic-bar .segment span { padding: 0 6px; text-shadow: 0 0 3px rgba(0,0,0,.6); }
.charts { display: grid; gap: 12px; }
.charts.three { grid-template-columns: repeat(3, minmax(0, 1fr)); }
.charts.two { grid-template-columns: repeat(2, minmax(0, 1fr)); }
@media (max-width: 900px) { .charts.three, .charts.two { grid-template-columns: 1fr; } }
figure.chart-box { margin: 0; min-width: 0; }
figure.chart-box figcaption { font-size: 12.5px; font-weight: 600; color: var(--muted); margin-bottom: 2px; }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart text { font-size: 11px; fill: #57606a; }
svg.chart .grid { stroke: #eaeef2; } svg.chart .axis { stroke: #8c959f; }
svg.chart .chart-empty { font-size: 13px; font-style: italic; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 0; margin: 4px 0 6px; font-size: 12.5px; }
.totals { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; margin: 0 0 8px; }
.totals div { background: #f6f8fa; border-radius: 6px; padding: 6px 10px; }
.totals dt { font-size: 12px; color: var(--muted); } .totals dd { margin: 0; font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; }
ol.decisions { list-style: none; margin: 0; padding: 0; max-height: 360px; overflow: auto; }
li.decision { border-left: 4px solid var(--neutral); margin: 0 0 6px; background: #f9fafb; border-radius: 0 6px 6px 0; }
li.decision-good { border-left-color: #009E73; } li.decision-bad { border-left-color: #D55E00; }
li.decision summary { cursor: pointer; padding: 6px 10px; display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; }
li.decision summary time { font-variant-numeric: tabular-nums; color: var(--muted); }
.badge { font-size: 11.5px; padding: 1px 7px; border-radius: 4px; background: #eaeef2; }
.verdict-good { background: #d8f3e8; color: var(--good); } .verdict-bad { background: #fbe3d6; color: var(--bad); } .verdict-neutral { background: #e5e7eb; }
.summary-text { font-weight: 600; }
.gate-good { color: var(--good); } .gate-bad { color: var(--bad); }
.evidence { padding: 0 12px 10px 26px; }
.evidence .models { margin: 2px 0 6px; color: var(--muted); }
.evidence-lines { margin: 0 0 6px; padding-left: 18px; }
dl.figures { display: grid; grid-template-columns: max-content max-content; gap: 2px 12px; margin: 0; font-size: 12.5px; }
dl.figures dt { color: var(--muted); } dl.figures dd { margin: 0; font-variant-numeric: tabular-nums; }
a:focus, summary:focus-visible { outline: 3px solid #56B4E9; outline-offset: 2px; }
`;
