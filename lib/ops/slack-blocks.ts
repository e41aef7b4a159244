import type { Notice, NoticeKind } from './notifier.js';

/**
 * A Notice as a Slack Block Kit message (https://api.slack.com/block-kit):
 * a header with the title, a section of fields for the model versions, one
 * for the metrics (at most 10 fields per section, so longer lists are split),
 * the evidence as bullets, and a context line naming the kind. `text` is the
 * plain fallback Slack shows in notifications and where blocks cannot render.
 * Slack's limits are kept: header ≤ 150 characters, field ≤ 2000, section
 * text ≤ 3000, ≤ 50 blocks.
 */

export interface SlackText {
  readonly type: 'plain_text' | 'mrkdwn';
  readonly text: string;
}

export type SlackBlock =
  | { readonly type: 'header'; readonly text: SlackText }
  | { readonly type: 'section'; readonly text?: SlackText; readonly fields?: readonly SlackText[] }
  | { readonly type: 'context'; readonly elements: readonly SlackText[] };

export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

const ICONS: Record<NoticeKind, string> = {
  promoted: ':white_check_mark:',
  'rolled-back': ':leftwards_arrow_with_hook:',
  'canary-started': ':hatching_chick:',
  'training-failed': ':x:',
  'quality-alert': ':warning:',
};

const MAX_FIELDS = 10;
const MAX_BLOCKS = 50;

/** Slack's three control characters in mrkdwn text: &, <, >. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function formatValue(value: number | string): string {
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toPrecision(4);
}

function fieldSections(entries: ReadonlyArray<readonly [string, string]>): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  for (let start = 0; start < entries.length; start += MAX_FIELDS) {
    const fields = entries
      .slice(start, start + MAX_FIELDS)
      .map(([name, value]): SlackText => ({ type: 'mrkdwn', text: clip(`*${escapeMrkdwn(name)}*\n${value}`, 2000) }));
    blocks.push({ type: 'section', fields });
  }
  return blocks;
}

export function slackMessage(notice: Notice): SlackMessage {
  const title = `${ICONS[notice.kind]} ${notice.title}`;
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: clip(title, 150) } }];
  const models = Object.entries(notice.models ?? {}).map(([role, version]) => [role, `\`${escapeMrkdwn(version)}\``] as const);
  blocks.push(...fieldSections(models));
  const metrics = Object.entries(notice.metrics ?? {}).map(([name, value]) => [name, escapeMrkdwn(formatValue(value))] as const);
  blocks.push(...fieldSections(metrics));
  const evidence = notice.evidence ?? [];
  if (evidence.length > 0) {
    const text = clip(evidence.map((sentence) => `• ${escapeMrkdwn(sentence)}`).join('\n'), 3000);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
  }
  const kept = blocks.slice(0, MAX_BLOCKS - 1);
  kept.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `movierec · ${notice.kind}` }] });
  const versions = Object.entries(notice.models ?? {}).map(([role, version]) => `${role} ${version}`);
  return { text: versions.length > 0 ? `${title} (${versions.join(', ')})` : title, blocks: kept };
}
