import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { CloudEvent } from 'cloudevents';
import { EventsReader } from '../lib/events/events-reader.js';
import { FsEventsStorage } from '../lib/events/fs-events-storage.js';
import { encodeBatch } from '../lib/messaging/cloud-event-batch.js';
import type { HttpMessage } from '../lib/messaging/cloud-event-codec.js';
import { encodeEvent } from '../lib/messaging/cloud-event-codec.js';
import { KAFKA_RECORD_TYPE } from '../lib/messaging/event-types.js';
import { isMain } from './stats.js';
import { cpuSeconds } from './cpu-seconds.js';
import { freePort } from '../lib/ops/free-port.js';

/**
 * ingest over HTTP as a Service runs it: the functions-framework CLI on the
 * compiled function (`dist/`), a real events folder under the OS temp dir
 * (fsync included), KafkaSource record events in binary mode, one per
 * request at several concurrencies, then local-runtime batches. Every event
 * has a fresh id, so each is a real durable append. Afterwards the store is
 * read back: every acknowledged event must be there.
 *
 * The load generator (autocannon, in this process) shares the machine with
 * the function, so each row also says how much CPU each side used (Linux
 * `/proc`; a core is 100 %) and how much went to everything else running.
 * `--pin` puts this process on CPU 0 and the function on CPU 1 (`taskset`),
 * so neither steals the other's core.
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
  /** CPU used during the run, % of one core: the function's process, this process (the load generator), everything else. */
  readonly cpu?: CpuShares;
}

export interface CpuShares {
  readonly ingest: number;
  readonly load: number;
  readonly other: number;
  /** The function's CPU time per event (µs): what contention for the cores does not change much. */
  readonly ingestMicrosPerEvent: number;
}

export interface IngestHttpOptions {
  /** Pin this process to CPU 0 and the function to CPU 1 (Linux, `taskset`). */
  readonly pin?: boolean;
  readonly log?: (line: string) => void;
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
/** The next line of a plausible stream: watch lines of many users and movies. */
function nextLine(i: number): string {
  return `2026-11-26T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},${100_000 + (i % 50_000)},GET /data/m/movie+${i % 2_000}+1999/${i % 120}.mpg`;
}

function recordEvent(i: number, time: string): CloudEvent<string> {
  const id = `partition:0/offset:${i}`;
  return new CloudEvent<string>({ specversion: '1.0', id, time, source: KAFKA_SOURCE, type: KAFKA_RECORD_TYPE, datacontenttype: 'text/plain', data: nextLine(i) });
}

/**
 * Messages for `batch` events each, cheap enough not to load the generator:
 * the SDK encodes one template event, and every message is that encoding
 * with a fresh id, time and line — checked once against the SDK's own
 * encoding of the same events, so the function sees exactly what
 * `encodeEvent` / `encodeBatch` would send.
 */
function messages(batch: number): () => HttpMessage {
  const now = new Date().toISOString();
  const template = recordEvent(0, now);
  const binary = encodeEvent(template, 'binary');
  const structured = template.toJSON();
  const make = (first: number, time: string): HttpMessage => {
    if (batch === 1) return { headers: { ...binary.headers, 'ce-id': `partition:0/offset:${first}`, 'ce-time': time }, body: nextLine(first) };
    const events = Array.from({ length: batch }, (_, k) => ({ ...structured, id: `partition:0/offset:${first + k}`, time, data: nextLine(first + k) }));
    return { headers: encodeBatch([]).headers, body: JSON.stringify(events) };
  };
  const sdk = (first: number, time: string): HttpMessage => {
    const events = Array.from({ length: batch }, (_, k) => recordEvent(first + k, time));
    return batch === 1 ? encodeEvent(events[0], 'binary') : encodeBatch(events);
  };
  if (JSON.stringify(make(offset, now)) !== JSON.stringify(sdk(offset, now))) throw new Error('the bench encodes events differently from the SDK');
  return () => {
    const first = offset;
    offset += batch;
    return make(first, new Date().toISOString());
  };
}

function cpuMeter(child: ChildProcess): (events: number) => CpuShares | undefined {
  const started = { at: performance.now(), self: process.cpuUsage(), child: cpuSeconds(child.pid), all: cpuSeconds() };
  return (events) => {
    const seconds = (performance.now() - started.at) / 1000;
    const self = process.cpuUsage(started.self);
    const child0 = started.child;
    const all0 = started.all;
    const childNow = cpuSeconds(child.pid);
    const allNow = cpuSeconds();
    if (child0 === undefined || all0 === undefined || childNow === undefined || allNow === undefined) return undefined;
    const load = (self.user + self.system) / 1e6;
    const ingest = childNow - child0;
    const share = (cpu: number) => Math.round((100 * cpu) / seconds);
    return {
      ingest: share(ingest),
      load: share(load),
      other: share(Math.max(0, allNow - all0 - ingest - load)),
      ingestMicrosPerEvent: events > 0 ? Math.round((ingest * 1e6) / events) : Number.NaN,
    };
  };
}

async function untilHealthy(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (child.exitCode !== null) throw new Error(`ingest exited with ${child.exitCode}`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return;
    await new Promise((done) => setTimeout(done, 20));
  }
  throw new Error('ingest never became healthy');
}

async function run(url: string, scenario: IngestScenario, child: ChildProcess): Promise<IngestHttpRow> {
  const next = messages(scenario.batch);
  const meter = cpuMeter(child);
  const result = await autocannon({
    url: `${url}/`,
    connections: scenario.connections,
    duration: scenario.seconds,
    method: 'POST',
    requests: [
      {
        setupRequest: (request) => {
          const message = next();
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
    cpu: meter((result['2xx'] + result.non2xx) * scenario.batch),
  };
}

export async function benchIngestHttp(scenarios: readonly IngestScenario[] = SCENARIOS, options: IngestHttpOptions = {}): Promise<IngestHttpResult> {
  const log = options.log ?? (() => undefined);
  const events = await mkdtemp(join(tmpdir(), 'movierec-bench-ingest-'));
  const port = await freePort();
  if (options.pin === true) execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  const node = [process.execPath, FRAMEWORK, '--target=ingest', `--source=${SOURCE}`, `--port=${port}`];
  const [command, ...args] = options.pin === true ? ['taskset', '-c', '1', ...node] : node;
  const child = spawn(command, args, {
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
      rows.push(await run(url, scenario, child));
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
  const pin = process.argv.includes('--pin');
  const result = await benchIngestHttp(SCENARIOS, { pin, log: (line) => console.error(line) });
  const cpu = (value: number | undefined) => (value === undefined ? '–' : `${value}`);
  console.log(pin ? 'load generator on CPU 0, ingest on CPU 1\n' : '');
  console.log('| scenario | connections | events/request | requests/s | events/s | p50 ms | p99 ms | failed | CPU % ingest | CPU % load | CPU % other | ingest CPU µs/event |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of result.rows) {
    const cells = [
      row.name,
      row.connections,
      row.batch,
      row.requestsPerSecond.toFixed(0),
      row.eventsPerSecond.toFixed(0),
      row.p50Ms.toFixed(1),
      row.p99Ms.toFixed(1),
      row.failed,
      cpu(row.cpu?.ingest),
      cpu(row.cpu?.load),
      cpu(row.cpu?.other),
      cpu(row.cpu?.ingestMicrosPerEvent),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  const acknowledged = result.rows.reduce((sum, row) => sum + row.acknowledged, 0);
  console.log(`\n${acknowledged} events acknowledged, ${result.stored} records in the store afterwards (every acknowledged one present).`);
}
