import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { CloudEvent } from 'cloudevents';
import { EventsReader } from '../lib/events/events-reader.js';
import { FsEventsStorage } from '../lib/events/fs-events-storage.js';
import { encodeBatch } from '../lib/messaging/cloud-event-batch.js';
import { encodeEvent } from '../lib/messaging/cloud-event-codec.js';
import { KAFKA_RECORD_TYPE } from '../lib/messaging/event-types.js';
import { isMain } from './stats.js';

/**
 * ingest over HTTP as a Service runs it: the functions-framework CLI on the
 * compiled function (`dist/`), a real events folder under the OS temp dir
 * (fsync included), KafkaSource record events in binary mode, one per
 * request at several concurrencies, then local-runtime batches. Every event
 * has a fresh id, so each is a real durable append. Afterwards the store is
 * read back: every acknowledged event must be there.
 */

export interface IngestScenario {
  readonly name: string;
  readonly connections: number;
  /** Events per request: 1 is a binary-mode event, more a CloudEvents batch. */
  readonly batch: number;
  readonly seconds: number;
}

export interface IngestHttpRow extends IngestScenario {
  readonly requestsPerSecond: number;
  readonly eventsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly acknowledged: number;
  readonly failed: number;
}

export interface IngestHttpResult {
  readonly rows: IngestHttpRow[];
  /** Records the store holds afterwards; at least the events acknowledged (in-flight ones at the end may add some). */
  readonly stored: number;
}

export const SCENARIOS: readonly IngestScenario[] = [
  { name: 'one event per request', connections: 1, batch: 1, seconds: 5 },
  { name: 'one event per request', connections: 32, batch: 1, seconds: 5 },
  { name: 'one event per request', connections: 256, batch: 1, seconds: 5 },
  { name: 'batches (local KafkaSource)', connections: 4, batch: 500, seconds: 5 },
];

const ROOT = resolve(import.meta.dirname, '../..');
const FRAMEWORK = resolve(ROOT, 'node_modules/@google-cloud/functions-framework/build/src/main.js');
const SOURCE = resolve(ROOT, 'dist/functions/ingest/index.js');
const KAFKA_SOURCE = '/apis/v1/namespaces/movierec/kafkasources/movielog#movielog';

let offset = 0;
/** The next record of a plausible stream: watch lines of many users and movies. */
function nextRecord(): CloudEvent<string> {
  const i = offset++;
  const line = `2026-11-26T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},${100_000 + (i % 50_000)},GET /data/m/movie+${i % 2_000}+1999/${i % 120}.mpg`;
  return new CloudEvent<string>({ specversion: '1.0', id: `partition:0/offset:${i}`, source: KAFKA_SOURCE, type: KAFKA_RECORD_TYPE, datacontenttype: 'text/plain', data: line });
}

function nextMessage(batch: number): { headers: Record<string, string>; body: string } {
  if (batch === 1) return encodeEvent(nextRecord(), 'binary');
  return encodeBatch(Array.from({ length: batch }, nextRecord));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

async function untilHealthy(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (child.exitCode !== null) throw new Error(`ingest exited with ${child.exitCode}`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return;
    await new Promise((done) => setTimeout(done, 20));
  }
  throw new Error('ingest never became healthy');
}

async function run(url: string, scenario: IngestScenario): Promise<IngestHttpRow> {
  const result = await autocannon({
    url: `${url}/`,
    connections: scenario.connections,
    duration: scenario.seconds,
    method: 'POST',
    requests: [
      {
        setupRequest: (request) => {
          const message = nextMessage(scenario.batch);
          return { ...request, method: 'POST', headers: message.headers, body: message.body };
        },
      },
    ],
  });
  return {
    ...scenario,
    requestsPerSecond: result.requests.average,
    eventsPerSecond: result.requests.average * scenario.batch,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    acknowledged: result['2xx'] * scenario.batch,
    failed: result.non2xx + result.errors,
  };
}

export async function benchIngestHttp(scenarios: readonly IngestScenario[] = SCENARIOS, log: (line: string) => void = () => undefined): Promise<IngestHttpResult> {
  const events = await mkdtemp(join(tmpdir(), 'movierec-bench-ingest-'));
  const port = await freePort();
  const child = spawn(process.execPath, [FRAMEWORK, '--target=ingest', `--source=${SOURCE}`, `--port=${port}`], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', EVENTS_URI: events, LOG_LEVEL: 'ERROR', APPENDED_EVERY_MS: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((done) => child.once('exit', done));
  try {
    const url = `http://127.0.0.1:${port}`;
    await untilHealthy(url, child);
    const rows: IngestHttpRow[] = [];
    for (const scenario of scenarios) {
      log(`ingest-http: ${scenario.name}, ${scenario.connections} connection(s), ${scenario.seconds} s …`);
      rows.push(await run(url, scenario));
    }
    child.kill('SIGTERM');
    await exited;
    let stored = 0;
    await new EventsReader(new FsEventsStorage(events)).scan({}, () => (stored += 1));
    const acknowledged = rows.reduce((sum, row) => sum + row.acknowledged, 0);
    if (stored < acknowledged) throw new Error(`the store holds ${stored} records but ${acknowledged} were acknowledged`);
    return { rows, stored };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(events, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const result = await benchIngestHttp(SCENARIOS, (line) => console.error(line));
  console.log('| scenario | connections | events/request | requests/s | events/s | p50 ms | p99 ms | failed |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const row of result.rows) {
    const cells = [row.name, row.connections, row.batch, row.requestsPerSecond.toFixed(0), row.eventsPerSecond.toFixed(0), row.p50Ms.toFixed(1), row.p99Ms.toFixed(1), row.failed];
    console.log(`| ${cells.join(' | ')} |`);
  }
  const acknowledged = result.rows.reduce((sum, row) => sum + row.acknowledged, 0);
  console.log(`\n${acknowledged} events acknowledged, ${result.stored} records in the store afterwards (every acknowledged one present).`);
}
