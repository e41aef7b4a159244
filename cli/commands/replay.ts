import { stat } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { InvalidArgumentError as CommanderArgumentError, Option } from 'commander';
import type { RatingScale } from '../../lib/data/records.js';
import { InvalidArgumentError, MovierecError } from '../../lib/errors.js';
import { parseLine } from '../../lib/stream/parse-line.js';
import { emptyReasonCounts, REJECT_REASONS } from '../../lib/stream/reject-reason.js';
import { waitForIngest } from '../../sim/ingest-status.js';
import { describeFetchFailure } from '../../sim/ingress-error.js';
import type { SourceCounts } from '../../sim/log-source.js';
import { lineBatches, openLogSource } from '../../sim/log-source.js';
import { postLines, streamUrl } from '../../sim/post-lines.js';
import type { Io } from '../io.js';
import { interactive, printJson, say } from '../io.js';
import { nonNegativeInt, positiveInt, ratingScale } from '../options.js';

interface ReplayFlags {
  to: string;
  topic: string;
  batch: number;
  waitSeconds: number;
  scale: RatingScale;
  json?: boolean;
}

const ATTEMPTS = 5;
const TIMEOUT_MS = 60_000;

function ingressUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new CommanderArgumentError('expected an http(s) URL');
  return url.href;
}

function topicName(value: string): string {
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(value)) throw new CommanderArgumentError('expected a topic name: letters, digits, . _ -');
  return value;
}

export function registerReplay(program: Command, io: Io): void {
  program
    .command('replay')
    .summary("push a course log (a file, a folder, or the course CSVs) into a running system's raw stream")
    .description(
      "Read a course log file (or every file of a folder; ratings.csv / watches.csv are turned into course lines) and push every line, in order, to the ingress's POST /streams/<topic> in batches. Lines are counted as ingest counts them (lib/stream's parser): accepted, and rejected by reason — ingest keeps rejects with their reason, so every line is pushed. Then wait until GET /status shows the KafkaSource reading the topic with lag 0, so done means ingested.",
    )
    .argument('<file>', 'a course log file, a folder of them, or the course ratings.csv / watches.csv')
    .addOption(new Option('--to <url>', 'the ingress of the running system').argParser(ingressUrl).default('http://127.0.0.1:8080'))
    .addOption(new Option('--topic <name>', 'the raw stream topic').argParser(topicName).default('movielog'))
    .addOption(new Option('--batch <n>', 'lines per produce call').argParser(positiveInt).default(5000))
    .addOption(new Option('--wait-seconds <n>', 'how long to wait for ingest to catch up (0: do not wait)').argParser(nonNegativeInt).default(60))
    .addOption(new Option('--scale <min-max>', 'the rating scale lines are counted against').argParser(ratingScale).default({ min: 1, max: 5 }, '1-5'))
    .option('--json', 'print one JSON object on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  movierec replay captured/movielog.log\n  movierec replay ../shared/datasets/course-stream --to http://127.0.0.1:8080 --json\n  movierec replay day-1.log --topic movielog --batch 10000 --wait-seconds 0',
    )
    .action(async (file: string, flags: ReplayFlags) => runReplay(io, file, flags));
}

async function runReplay(io: Io, file: string, flags: ReplayFlags): Promise<void> {
  const exists = await stat(file).then(() => true, () => false);
  if (!exists) throw new InvalidArgumentError(`${file}: no such file or folder`);
  const source = await openLogSource(file);
  await checkReachable(flags.to);

  const counts: SourceCounts = { blank: 0, skipped: 0, samples: [] };
  const rejectedByReason = emptyReasonCounts();
  const parseOptions = { scale: flags.scale };
  const post = { fetch: globalThis.fetch, ingressUrl: flags.to, topic: flags.topic, timeoutMs: TIMEOUT_MS };
  const bar = progressBar(io, source.totalBytes);
  let lines = 0;
  let accepted = 0;
  let inFlight: Promise<void> = Promise.resolve();
  let failure: unknown;
  const settle = async (): Promise<void> => {
    await inFlight;
    if (failure !== undefined) throw failure;
  };
  const started = performance.now();
  try {
    for await (const batch of lineBatches(source, flags.batch, counts)) {
      for (const line of batch.lines) {
        const parsed = parseLine(line, parseOptions);
        if (parsed.ok) accepted += 1;
        else rejectedByReason[parsed.reason] += 1;
      }
      const body = batch.lines.join('\n');
      // One produce call at a time keeps the lines in order; the next batch is read and counted meanwhile.
      await settle();
      inFlight = postWithRetry(post, body, batch.lines.length).catch((error: unknown) => {
        failure = error;
      });
      lines += batch.lines.length;
      const seconds = (performance.now() - started) / 1000;
      bar?.update(batch.bytes, { lines: lines.toLocaleString('en-US'), rate: Math.round(lines / Math.max(seconds, 1e-3)).toLocaleString('en-US') });
    }
    await settle();
  } finally {
    bar?.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  const rejected = lines - accepted;
  const linesPerSecond = seconds > 0 ? Math.round(lines / seconds) : 0;

  const ingest = flags.waitSeconds === 0 ? ({ outcome: 'not-waited' } as const) : await waitForIngest({ ...post, topic: flags.topic, waitMs: flags.waitSeconds * 1000, timeoutMs: 10_000 });
  if (ingest.outcome === 'timed-out') {
    throw new MovierecError(`ingest is behind: ${ingest.sources.join(', ')} still has lag ${ingest.lag} on ${flags.topic} after ${flags.waitSeconds} s (all ${lines} lines were pushed)`);
  }
  if (flags.json) {
    printJson(io, { accepted, rejected, rejectedByReason, lines, seconds, linesPerSecond, skipped: counts.skipped, blank: counts.blank, ingest: ingest.outcome });
    return;
  }
  const n = (x: number): string => x.toLocaleString('en-US');
  say(io, `replayed ${n(lines)} lines to ${streamUrl(flags.to, flags.topic)} in ${seconds.toFixed(2)} s (${n(linesPerSecond)} lines/s)`);
  say(io, `  accepted  ${n(accepted)}`);
  const reasons = REJECT_REASONS.filter((r) => rejectedByReason[r] > 0).map((r) => `${r} ${n(rejectedByReason[r])}`);
  say(io, `  rejected  ${n(rejected)}${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}`);
  if (counts.blank > 0) say(io, `  blank     ${n(counts.blank)} (not lines of the stream: not pushed)`);
  if (counts.skipped > 0) say(io, `  skipped   ${n(counts.skipped)} CSV rows the reader could not read (first: ${counts.samples[0]})`);
  for (const path of source.ignored) io.stderr.write(`note: ${path}: format not recognised, not replayed\n`);
  if (ingest.outcome === 'ingested') say(io, `ingested: ${ingest.sources.join(', ')} reading ${flags.topic} has lag 0`);
  if (ingest.outcome === 'unreported') io.stderr.write(`note: ${ingest.why}; not waiting for ingest\n`);
}

/** Fail fast, naming the URL, when nothing answers there (any HTTP answer will do). */
async function checkReachable(to: string): Promise<void> {
  try {
    const response = await fetch(new URL('/status', to), { signal: AbortSignal.timeout(10_000) });
    await response.arrayBuffer();
  } catch (error) {
    throw new MovierecError(`cannot reach the ingress at ${to} (${describeFetchFailure(error)}); is the system running?`, { cause: error });
  }
}

async function postWithRetry(options: Parameters<typeof postLines>[0], body: string, count: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await postLines(options, body, count);
    } catch (error) {
      if (!(error instanceof MovierecError) || !error.retriable || attempt === ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** (attempt - 1)));
    }
  }
}

function progressBar(io: Io, totalBytes: number): SingleBar | undefined {
  if (!interactive(io)) return undefined;
  const bar = new SingleBar({
    format: 'replay     [{bar}] {percentage}% | {lines} lines | {rate} lines/s | {duration_formatted} elapsed | ETA {eta_formatted}',
    barCompleteChar: '█',
    barIncompleteChar: '░',
    barsize: 24,
    hideCursor: true,
    etaBuffer: 20,
    stream: io.stderr as NodeJS.WritableStream,
  });
  bar.start(Math.max(1, totalBytes), 0, { lines: '0', rate: '—' });
  return bar;
}
