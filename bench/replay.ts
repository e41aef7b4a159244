/**
 * `movierec replay` end to end: a course log file pushed through the ingress
 * (`POST /streams/movielog`), the KafkaSource dispatcher, ingest (group
 * commit, fsync) into the events store of a running `movierec up --no-sim`.
 * Timed from the replay's start until /status shows the KafkaSource's lag at
 * 0, then the store is read back to check every line landed.
 * Usage: node dist/bench/replay.js [lines=1000000]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSynthetic, syntheticRecords } from '../lib/data/synthetic.js';
import { EventsReader } from '../lib/events/events-reader.js';
import { FsEventsStorage } from '../lib/events/fs-events-storage.js';
import { createLogger } from '../lib/ops/logger.js';
import { recordLine } from '../lib/stream/record-line.js';
import { startSystem } from '../local/system.js';
import { isMain } from './stats.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ReplayBench {
  readonly lines: number;
  readonly seconds: number;
  readonly linesPerSecond: number;
  readonly stored: number;
}

async function writeLog(path: string, lines: number): Promise<void> {
  const world = generateSynthetic({ users: Math.max(100, Math.round(lines / 50)), movies: 5000, interactions: lines, seed: 7 });
  const out = createWriteStream(path);
  let chunk: string[] = [];
  for (const record of syntheticRecords(world)) {
    chunk.push(recordLine(record));
    if (chunk.length === 10_000) {
      if (!out.write(`${chunk.join('\n')}\n`)) await once(out, 'drain');
      chunk = [];
    }
  }
  out.end(chunk.length > 0 ? `${chunk.join('\n')}\n` : '');
  await once(out, 'close');
}

export async function benchReplay(lines = 1_000_000, log: (line: string) => void = () => undefined): Promise<ReplayBench> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-replay-'));
  try {
    const file = join(dir, 'movielog.log');
    log(`replay: writing ${lines.toLocaleString('en-US')} course lines …`);
    await writeLog(file, lines);
    const logStream = createWriteStream(join(dir, 'system.log'));
    const system = await startSystem({ port: 0, dataDir: join(dir, 'data'), speed: 1, env: {}, sim: null, logger: createLogger({ out: logStream }) });
    try {
      log(`replay: pushing into ${system.url} …`);
      const started = performance.now();
      const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), 'replay', file, '--to', system.url, '--json', '--wait-seconds', '600'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
      const code = await new Promise<number | null>((done) => child.once('exit', done));
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) throw new Error(`replay exited ${code}: ${out}`);
      let stored = 0;
      await new EventsReader(new FsEventsStorage(join(dir, 'data', 'events'))).scan({}, () => {
        stored += 1;
      });
      const pushed = Number((JSON.parse(out) as { lines: number }).lines);
      return { lines: pushed, seconds, linesPerSecond: pushed / seconds, stored };
    } finally {
      await system.stop();
      logStream.end();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const lines = Number(process.argv[2] ?? 1_000_000);
  const result = await benchReplay(lines, (line) => console.error(line));
  console.log('| benchmark | result | target |');
  console.log('|---|---|---|');
  console.log(
    `| replay ${result.lines.toLocaleString('en-US')} lines end to end into the events store | ${Math.round(result.linesPerSecond).toLocaleString('en-US')} lines/s (${result.seconds.toFixed(1)} s; ${result.stored.toLocaleString('en-US')} records stored) | ≥ 50,000 lines/s |`,
  );
}
