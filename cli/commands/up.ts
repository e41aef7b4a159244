import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InvalidArgumentError as CommanderArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { createLogger } from '../../lib/ops/logger.js';
import type { RunningSystem } from '../../local/system.js';
import { startSystem } from '../../local/system.js';
import type { Io } from '../io.js';
import { say } from '../io.js';
import type { LiveSample } from '../live-line.js';
import { liveLine } from '../live-line.js';
import { nonNegativeInt, port, positiveInt, positiveNumber } from '../options.js';

interface UpFlags {
  port: number;
  dataDir: string;
  sim: boolean;
  simUsers: number;
  simMovies: number;
  sessions: number;
  speed: number;
  seed: number;
  retrainEvery: number;
  onlineWindow: number;
  manifests?: string;
}

/** Where `up` waits for Ctrl-C; tests and embedders can pass their own. */
export interface UpSignals {
  once(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

export function registerUp(program: Command, io: Io, signals: UpSignals = process): void {
  program
    .command('up')
    .summary('run the whole system on this machine: the four functions, eventing, an ingress and a simulated audience')
    .description(
      'Start the system the knative/ manifests describe, on one machine: ingest, train and evaluate as functions-framework processes, a recommend process per revision, an ingress that splits /recommend traffic between ready revisions, Knative-style eventing (KafkaSource, Broker, Triggers, PingSources with retries and a dead-letter store) over an in-memory channel — or Kafka when KAFKA_BROKERS is set — and a simulated audience writing course log lines. Prints the ingress URL, the dashboard URL (the ingress root) and a live line; Ctrl-C stops every process cleanly. Function logs go to <data-dir>/logs/.',
    )
    .addOption(new Option('-p, --port <n>', 'ingress port (0 picks a free one)').argParser(port).default(8080))
    .option('-d, --data-dir <dir>', 'events store, models, logs and dead letters', '.movierec')
    .option('--no-sim', 'no simulated audience: feed the stream yourself (movierec replay)')
    .addOption(new Option('--sim-users <n>', 'users in the simulated world').argParser(positiveInt).default(2000))
    .addOption(new Option('--sim-movies <n>', 'movies in the simulated world').argParser(positiveInt).default(500))
    .addOption(new Option('--sessions <n>', 'audience sessions per second, before --speed').argParser(positiveNumber).default(4))
    .addOption(new Option('--speed <x>', 'run the audience and the PingSource schedules this many times faster').argParser(positiveNumber).default(10))
    .addOption(new Option('--seed <n>', 'seed of the simulated world').argParser(nonNegativeInt).default(1))
    .addOption(
      new Option('--retrain-every <records>', 'retrain after this many new watch and rate records (params.yaml has the cluster value)')
        .argParser(positiveInt)
        .default(100_000),
    )
    .addOption(
      new Option('--online-window <minutes>', "online evaluation's attribution window (the cluster's is 30; the simulated audience watches at once)")
        .argParser(onlineWindow)
        .default(1),
    )
    .option('--manifests <dir>', 'a kustomize folder to run instead of the packaged knative/base')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  movierec up',
        '  movierec up --port 9090 --sim-users 20000 --speed 60',
        '  movierec up --online-window 0.25   # canary decisions within a minute or so',
        '  movierec up --no-sim   # then: movierec replay movielog.txt',
        '  KAFKA_BROKERS=127.0.0.1:9092 movierec up',
        '',
        'While it runs:',
        '  open http://127.0.0.1:8080/          # the live dashboard',
        '  curl http://127.0.0.1:8080/recommend/42',
        '  curl http://127.0.0.1:8080/status',
      ].join('\n'),
    )
    .action(async (flags: UpFlags) => runUp(io, flags, signals));
}

/** 0.1 to 10080 minutes, as evaluate's ONLINE_WINDOW_MINUTES takes it. */
function onlineWindow(value: string): number {
  const n = positiveNumber(value);
  if (n < 0.1 || n > 10_080) throw new CommanderArgumentError('expected minutes from 0.1 to 10080');
  return n;
}

async function runUp(io: Io, flags: UpFlags, signals: UpSignals): Promise<void> {
  const dataDir = resolve(flags.dataDir);
  await mkdir(join(dataDir, 'logs'), { recursive: true });
  const logFile = join(dataDir, 'logs', 'movierec-up.log');
  const logStream = createWriteStream(logFile, { flags: 'a' });
  const logger = createLogger({ out: logStream, level: 'INFO' });
  say(io, `movierec: starting (data in ${dataDir}, logs in ${join(dataDir, 'logs')})`);
  let system: RunningSystem;
  try {
    system = await startSystem({
      port: flags.port,
      dataDir,
      ...(flags.manifests === undefined ? {} : { manifests: resolve(flags.manifests) }),
      speed: flags.speed,
      // The channel reads KAFKA_BROKERS, and a Service's secretKeyRef env var (SLACK_WEBHOOK_URL) its value under
      // its own name; only lib/ops/config and this entry point touch the process environment.
      env: process.env,
      sim: flags.sim
        ? { users: flags.simUsers, movies: flags.simMovies, seed: flags.seed, sessionsPerSecond: flags.sessions, speed: flags.speed }
        : null,
      functionEnv: {
        NEW_DATA_THRESHOLD: String(flags.retrainEvery),
        APPENDED_EVERY_MS: '5000',
        // Windows close in seconds here, not hours: the audience's lines reach the store within a second or two.
        ONLINE_WINDOW_MINUTES: String(flags.onlineWindow),
        ONLINE_SETTLE_SECONDS: '5',
      },
      logger,
    });
  } catch (error) {
    await new Promise<void>((done) => logStream.end(done));
    throw error;
  }
  say(io, `movierec: up at ${system.url}   (try: curl ${system.url}/recommend/42   ·   ${system.url}/status)`);
  say(io, `movierec: dashboard: ${system.url}/`);
  say(io, 'Ctrl-C stops everything.');

  const tty = io.stdout.isTTY === true;
  let previous: LiveSample | null = null;
  let lastPrinted = 0;
  const tick = async (): Promise<void> => {
    const line = liveLine(await system.status(), previous, Date.now());
    previous = line.sample;
    if (tty) io.stdout.write(`\r\x1b[2K${line.text.slice(0, Math.max(20, (io.stdout.columns ?? 120) - 1))}`);
    else if (Date.now() - lastPrinted >= 10_000) {
      lastPrinted = Date.now();
      say(io, line.text);
    }
  };
  const timer = setInterval(() => {
    tick().catch((error: unknown) => logger.warning('live line failed', { error }));
  }, 1000);

  await new Promise<void>((done) => {
    signals.once('SIGINT', done);
    signals.once('SIGTERM', done);
  });
  clearInterval(timer);
  if (tty) io.stdout.write('\n');
  say(io, 'movierec: stopping…');
  await system.stop();
  await new Promise<void>((done) => logStream.end(done));
  say(io, 'movierec: stopped');
}
