import { CHARTS_SCRIPT } from './page-charts.js';
import { HELPERS_SCRIPT } from './page-helpers.js';
import { LIVE_SCRIPT } from './page-live.js';
import { SECTIONS_SCRIPT } from './page-sections.js';
import { PAGE_STYLE } from './page-style.js';

/** How often the page asks for `/dashboard/data`. */
export const POLL_MS = 2000;

/** The page's whole script, for embedding (and for a syntax check in the tests). */
export function dashboardScript(pollMs = POLL_MS): string {
  return `'use strict';\nvar POLL_MS = ${pollMs};\n${HELPERS_SCRIPT}\n${CHARTS_SCRIPT}\n${SECTIONS_SCRIPT}\n${LIVE_SCRIPT}`;
}

/**
 * The dashboard: one self-contained HTML document (inline CSS and script,
 * SVG charts drawn by the script), served at the ingress root. It shows its
 * skeleton at once and fills itself from `/dashboard/data`.
 */
export function dashboardPage(pollMs = POLL_MS): string {
  const section = (id: string, span: number, title: string, note: string): string =>
    `<section class="card span-${span}" id="${id}" aria-labelledby="${id}-title">` +
    `<h2 id="${id}-title">${title} <span class="detail">${note}</span></h2>` +
    `<div id="${id}-body" aria-live="off"><p class="empty">loading…</p></div></section>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>movierec · dashboard</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header class="top">
<h1>movierec<small>live dashboard</small></h1>
<div id="status" role="group" aria-label="system status"></div>
<p id="live" class="live" role="status" aria-live="polite">connecting…</p>
</header>
<main>
${section('revisions', 7, 'Revisions', 'recommend traffic split')}
${section('ingest', 5, 'Ingest', 'stream in, by second')}
${section('decisions', 7, 'Decisions', 'canary analysis and offline gate, newest first — open one for its evidence')}
${section('online', 12, 'Online metrics', 'per revision, per evaluation window')}
${section('training', 12, 'Training history', 'offline metrics of the newest models')}
</main>
<script>${dashboardScript(pollMs)}</script>
</body>
</html>
`;
}
