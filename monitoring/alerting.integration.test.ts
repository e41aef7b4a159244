// Integration: the real Debian Prometheus scrapes ingest (functions-framework CLI on dist/ — run `npm run build`
// first) every second and evaluates the real rules file; the real Alertmanager routes with the real
// alertmanager.yml to a local HTTP receiver standing in for Slack. Malformed lines make IngestRejectRatioHigh
// fire; good lines make it resolve. Only timings are changed for the test, and visibly so: every `for:` is
// shortened to 1s, Alertmanager's group_wait / group_interval to 1s, scrape and evaluation to 1s.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import type { CloudEvent } from 'cloudevents';
import { encodeBatch } from '../lib/messaging/cloud-event-batch.js';
import type { IngestProcess } from '../functions/ingest/test-helpers/ingest-process.js';
import { crash, startIngest, untilHealthy } from '../functions/ingest/test-helpers/ingest-process.js';
import { MALFORMED, kafkaEvent } from '../functions/ingest/test-helpers/ingest-fixtures.js';
import { DashboardSchema, dashboardQueries } from './dashboard-file.js';
import { RulesFileSchema } from './rules-file.js';
import type { Running, WebhookReceiver } from './test-helpers/monitoring-processes.js';
import { startAlertmanager, startPrometheus, startWebhookReceiver, until } from './test-helpers/monitoring-processes.js';

const HERE = import.meta.dirname;
const ALERT = 'IngestRejectRatioHigh';

/** What Alertmanager's slack_configs POST: the fields the test reads. */
const SlackMessageSchema = z.object({
  channel: z.string(),
  username: z.string(),
  attachments: z.array(z.object({ title: z.string(), text: z.string(), color: z.string() })).min(1),
});
type SlackMessage = z.infer<typeof SlackMessageSchema>;

let events: { dir: string };
let ingest: IngestProcess | undefined;
let receiver: WebhookReceiver | undefined;
let alertmanager: Running | undefined;
let prometheus: Running | undefined;

/** The real rules with every `for:` shortened to 1s (the only change). */
async function shortenedRules(): Promise<unknown> {
  const rules = RulesFileSchema.parse(parse(await readFile(resolve(HERE, 'prometheus/rules.yml'), 'utf8')));
  return { groups: rules.groups.map((group) => ({ ...group, rules: group.rules.map((rule) => ({ ...rule, for: '1s' })) })) };
}

/** The parts of alertmanager.yml the test changes; everything else is kept as is. */
const AlertmanagerConfigSchema = z.looseObject({
  global: z.looseObject({ slack_api_url_file: z.string() }),
  route: z.looseObject({ routes: z.array(z.looseObject({})).default([]) }),
  templates: z.array(z.string()),
});

/** The real routing with the webhook URL file pointing at the receiver, templates from the repo, and 1s timings. */
async function testRouting(urlFile: string): Promise<unknown> {
  const real = AlertmanagerConfigSchema.parse(parse(await readFile(resolve(HERE, 'alertmanager/alertmanager.yml'), 'utf8')));
  const fast = { group_wait: '1s', group_interval: '1s', repeat_interval: '1h' };
  return {
    ...real,
    global: { ...real.global, slack_api_url_file: urlFile },
    route: { ...real.route, ...fast, routes: real.route.routes.map((route) => ({ ...route, ...fast })) },
    templates: real.templates.map((pattern) => resolve(HERE, 'alertmanager', pattern)),
  };
}

beforeAll(async () => {
  events = { dir: await mkdtemp(join(tmpdir(), 'movierec-alerting-')) };
  receiver = await startWebhookReceiver();
  const urlFile = join(events.dir, 'slack-webhook-url');
  await writeFile(urlFile, receiver.url);
  ingest = await startIngest({ EVENTS_URI: join(events.dir, 'events'), LOG_LEVEL: 'ERROR', APPENDED_EVERY_MS: '0', K_REVISION: 'ingest-00001' });
  await untilHealthy(ingest);
  alertmanager = await startAlertmanager(await testRouting(urlFile));
  prometheus = await startPrometheus(
    {
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: ['rules.yml'],
      alerting: { alertmanagers: [{ static_configs: [{ targets: [alertmanager.url.replace('http://', '')] }] }] },
      scrape_configs: [{ job_name: 'movierec-functions', honor_labels: true, static_configs: [{ targets: [ingest.url.replace('http://', '')] }] }],
    },
    { 'rules.yml': await shortenedRules() },
  );
});

afterAll(async () => {
  await prometheus?.stop();
  await alertmanager?.stop();
  if (ingest !== undefined) await crash(ingest);
  await receiver?.close();
  await rm(events.dir, { recursive: true, force: true });
});

let offset = 0;
const good = (i: number) => `2022-03-18T06:${String(i % 60).padStart(2, '0')}:00,${1000 + i},GET /data/m/movie+${i % 37}+1999/${i % 90}.mpg`;

async function deliver(lines: readonly string[]): Promise<void> {
  const batch: Array<CloudEvent<string>> = lines.map((line) => kafkaEvent(offset++, line));
  const { headers, body } = encodeBatch(batch);
  const response = await fetch(`${ingest?.url}/`, { method: 'POST', headers, body });
  expect(response.status).toBe(204);
}

const messages = (): SlackMessage[] => (receiver?.received ?? []).map((body) => SlackMessageSchema.parse(body));
const about = (status: 'FIRING' | 'RESOLVED') => messages().filter((m) => m.attachments[0].title.startsWith(`[${status}`) && m.attachments[0].title.includes(ALERT));

describe('alerting (Prometheus → Alertmanager → Slack webhook)', () => {
  it('delivers IngestRejectRatioHigh firing when ingest rejects lines, and resolved once good lines dominate', async () => {
    // Prometheus scrapes ingest before anything is sent, so the counters start at 0.
    await until(() => scrapedUp(), 'Prometheus to scrape ingest', 20_000);
    await deliver([...Array.from({ length: 5 }, (_, i) => good(i)), ...Array.from({ length: 20 }, () => MALFORMED)]);
    await until(() => about('FIRING').length > 0, `a firing ${ALERT} at the receiver; got ${JSON.stringify(receiver?.received)}`, 25_000);
    const [firing] = about('FIRING');
    expect(firing).toMatchObject({ channel: '#movierec-alerts', username: 'alertmanager' });
    expect(firing.attachments[0]).toMatchObject({ title: `[FIRING:1] ${ALERT} (ingest-00001)`, color: 'warning' });
    expect(firing.attachments[0].text).toMatch(/^\*warning\* ingest rejects [0-9.]+% of lines on revision ingest-00001\n/);

    await deliver(Array.from({ length: 2000 }, (_, i) => good(100 + i)));
    await until(() => about('RESOLVED').length > 0, `a resolved ${ALERT} at the receiver`, 25_000);
    expect(about('RESOLVED')[0].attachments[0]).toMatchObject({ title: `[RESOLVED] ${ALERT} (ingest-00001)`, color: 'good' });
    expect(about('RESOLVED')[0].attachments[0].text).toContain('(resolved)');
  });
});

describe('the Grafana dashboard against the same Prometheus', () => {
  it('runs every query without an error, and the ingest ones find series', async () => {
    const dashboard = DashboardSchema.parse(JSON.parse(await readFile(resolve(HERE, 'grafana/movierec.json'), 'utf8')));
    const AnswerSchema = z.object({ status: z.string(), error: z.string().optional(), data: z.object({ result: z.array(z.unknown()) }).optional() });
    const answers = await Promise.all(
      dashboardQueries(dashboard).map(async (expr) => {
        // Grafana's own variables, as Grafana would fill them in.
        const query = expr.replaceAll('$__rate_interval', '1m').replaceAll('$revision', '.*');
        const response = await fetch(`${prometheus?.url}/api/v1/query?query=${encodeURIComponent(query)}`);
        return { expr, ...AnswerSchema.parse(await response.json()) };
      }),
    );
    expect(answers.filter((a) => a.status !== 'success').map((a) => [a.expr, a.error])).toEqual([]);
    const ingestRate = answers.find((a) => a.expr.startsWith('sum by (kind, outcome) (rate(movierec_ingest_lines_total'));
    expect(ingestRate?.data?.result.length).toBeGreaterThan(0);
  });
});

async function scrapedUp(): Promise<boolean> {
  const query = encodeURIComponent('movierec_ingest_lines_total{kind="rejects",outcome="rejected"}');
  const answer = await fetch(`${prometheus?.url}/api/v1/query?query=${query}`).then((r) => r.json() as Promise<unknown>, () => undefined);
  const parsed = z.object({ data: z.object({ result: z.array(z.unknown()) }) }).safeParse(answer);
  return parsed.success && parsed.data.data.result.length > 0;
}
