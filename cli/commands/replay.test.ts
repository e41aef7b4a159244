import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { NO_DATASETS, sharedDataset } from '../../lib/test-helpers/datasets.js';
import { parseLine } from '../../lib/stream/parse-line.js';
import type { StandInIngress, StandInOptions } from '../../sim/test-helpers/stand-in-ingress.js';
import { defaultStatus, startStandInIngress } from '../../sim/test-helpers/stand-in-ingress.js';
import { runCli } from '../test-helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'movierec-replay-'));
const servers: StandInIngress[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function ingress(options: StandInOptions = {}): Promise<StandInIngress> {
  const server = await startStandInIngress(options);
  servers.push(server);
  return server;
}

const GOOD = [
  '2022-03-18T06:12:47,326332,GET /data/m/ghostbusters+1984/54.mpg',
  '2022-03-18T05:53:29,162591,GET /rate/the+incredibles+2004=4',
  '2023-03-24T14:14:43.074025,773556,recommendation request 17645-team13.isri.cmu.edu:8082, status 200, result: the+shining+1980, interstellar+2014, 55 ms',
  '2022-02-09T01:45:32.945123,284507,recommendation request 17645-team17.isri.cmu.edu:8082, status 0, result: java.util.concurrent.TimeoutException: Request timeout to 17645-team17.isri.cmu.edu/128.2.205.118:8082 after 800 ms, 815 ms',
  '2026-01-05T10:00:00,42,GET /create_account',
];
const MALFORMED = [
  '2022-03-28T04:00: 44,45314,GET /rate/my+left+foot+the+story+of+christy+brown+1989=4', // the real one: a space in the time
  '2022-03-18T06:12:47,abc,GET /data/m/ghostbusters+1984/54.mpg',
  '2022-03-18T06:12:47,7,GET /rate/the+incredibles+2004=9',
  '2022-03-18T06:12:47,7,GET /rate/The+Incredibles+2004=4',
];
const log = join(dir, 'movielog.log');
writeFileSync(log, `${[GOOD[0], MALFORMED[0], GOOD[1], GOOD[2], MALFORMED[1], '', GOOD[3], MALFORMED[2], GOOD[4], MALFORMED[3]].join('\r\n')}\r\n`);
const fileLines = [GOOD[0], MALFORMED[0], GOOD[1], GOOD[2], MALFORMED[1], GOOD[3], MALFORMED[2], GOOD[4], MALFORMED[3]];

describe('movierec replay', () => {
  it('pushes every line in order and counts accepted and rejected lines by reason (--json)', async () => {
    const server = await ingress();
    const result = await runCli('replay', log, '--to', server.url, '--batch', '2', '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['accepted', 'rejected', 'rejectedByReason', 'lines', 'seconds', 'linesPerSecond']),
    );
    expect(report).toMatchObject({ accepted: 5, rejected: 4, lines: 9, blank: 1, skipped: 0, ingest: 'ingested' });
    expect(report.rejectedByReason).toMatchObject({ 'bad-timestamp': 1, 'bad-user': 1, 'rating-out-of-range': 1, 'bad-movie': 1, empty: 0 });
    expect(typeof report.seconds).toBe('number');
    expect(typeof report.linesPerSecond).toBe('number');
    expect(server.lines()).toEqual(fileLines);
    expect(server.calls.produce).toBe(5);
  });

  it('says what it pushed, the rejects by reason, and that ingest caught up', async () => {
    let polls = 0;
    const server = await ingress({ status: () => defaultStatus('day1', ++polls < 3 ? 5 : 0) });
    const result = await runCli('replay', log, '--to', server.url, '--topic', 'day1');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^replayed 9 lines to ${server.url}/streams/day1 in [\\d.]+ s \\([\\d,]+ lines/s\\)$`, 'm'));
    expect(result.stdout).toMatch(/^ {2}accepted {2}5$/m);
    expect(result.stdout).toMatch(/^ {2}rejected {2}4 \(bad-timestamp 1, bad-user 1, bad-movie 1, rating-out-of-range 1\)$/m);
    expect(result.stdout).toMatch(/^ingested: movielog reading day1 has lag 0$/m);
    expect(polls).toBe(3);
    expect(server.lines('day1')).toEqual(fileLines);
  });

  it('reads the status entries the local runtime writes (one topic per KafkaSource entry)', async () => {
    const entry = { kind: 'KafkaSource', name: 'movielog', topic: 'movielog', consumerGroup: 'movierec-ingest', produced: 9, delivered: 9, lag: 0, failures: 0 };
    const ping = { kind: 'PingSource', name: 'retrain', schedule: '0 * * * *' };
    const server = await ingress({ status: () => ({ sources: [ping, entry] }) });
    const result = await runCli('replay', log, '--to', server.url, '--json');
    expect(JSON.parse(result.stdout)).toMatchObject({ ingest: 'ingested' });
  });

  it('stops waiting, with a note, when /status does not report the topic', async () => {
    const server = await ingress({ status: () => undefined });
    const result = await runCli('replay', log, '--to', server.url);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('note: GET /status answered HTTP 404; not waiting for ingest\n');
    const other = await ingress({ status: () => defaultStatus('elsewhere') });
    expect((await runCli('replay', log, '--to', other.url)).stderr).toMatch(/no KafkaSource reading the topic movielog; not waiting/);
  });

  it('fails when ingest is still behind after --wait-seconds', async () => {
    const server = await ingress({ status: () => defaultStatus('movielog', 9) });
    const result = await runCli('replay', log, '--to', server.url, '--wait-seconds', '1');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: ingest is behind: movielog still has lag 9 on movielog after 1 s (all 9 lines were pushed)\n');
  });

  it('retries a produce call the stream refuses for a moment, losing nothing', async () => {
    const server = await ingress({ produce: (call) => (call <= 2 ? 503 : undefined) });
    const result = await runCli('replay', log, '--to', server.url, '--json');
    expect(result.code).toBe(0);
    expect(server.lines()).toEqual(fileLines);
  });

  it('replays a folder file by file, course CSVs as course lines', async () => {
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.log'), `${GOOD[0]}\n${GOOD[1]}\n`);
    writeFileSync(
      join(folder, 'b-ratings.csv'),
      'user_time,user_id,movie_id,movie_title,year,rating\r\n2024-12-07T15:10:01,385785,city+of+god+2002,city of god,2002,4\r\n2024-12-07T15:10:02,7,the +shawshank+redemption+1994,x,1994,5\r\n',
    );
    writeFileSync(join(folder, 'users.csv'), 'user_id,age,occupation,gender\n10,38,executive/managerial,M\n');
    const server = await ingress();
    const result = await runCli('replay', folder, '--to', server.url);
    expect(result.code).toBe(0);
    expect(server.lines()).toEqual([GOOD[0], GOOD[1], '2024-12-07T15:10:01.000,385785,GET /rate/city+of+god+2002=4']);
    expect(result.stdout).toMatch(/skipped {3}1 CSV rows the reader could not read \(first: .*b-ratings\.csv:3: /);
    expect(result.stderr).toMatch(/note: .*users\.csv: format not recognised, not replayed/);
  });

  const ratings = sharedDataset('course-stream', 'ratings.csv');
  it.skipIf(ratings === undefined)(`replays the captured course ratings.csv ${ratings === undefined ? NO_DATASETS : ''}`, async () => {
    const server = await ingress();
    const result = await runCli('replay', ratings ?? '', '--to', server.url, '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { lines: number; accepted: number; skipped: number };
    expect(report.lines + report.skipped).toBe(21_912);
    expect(report.accepted).toBe(report.lines);
    expect(server.lines().every((line) => parseLine(line).ok)).toBe(true);
  });

  it('names the URL in one line when nothing answers there (exit 1)', async () => {
    const dead = await ingress();
    const url = dead.url;
    await dead.close();
    servers.splice(0);
    const result = await runCli('replay', log, '--to', url);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: cannot reach the ingress at ${url}/ (connect ECONNREFUSED); is the system running?\n`);
  });

  it.each([
    ['a missing file', [join(dir, 'nope.log')], new RegExp(`^error: ${join(dir, 'nope.log')}: no such file or folder\\n$`)],
    ['a URL that is not http', [log, '--to', 'ftp://x'], /'ftp:\/\/x' is invalid\. expected an http\(s\) URL/],
    ['a bad topic', [log, '--topic', 'a/b'], /'a\/b' is invalid\. expected a topic name/],
    ['a zero batch', [log, '--batch', '0'], /'0' is invalid\. expected a positive integer/],
  ])('exits 2 naming %s', async (_what, argv, message) => {
    const result = await runCli('replay', ...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('--help explains the command with examples, one per line', async () => {
    const { code, stdout } = await runCli('replay', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: movierec replay [options] <file>');
    expect(stdout.slice(stdout.indexOf('Example'))).toMatch(/^Examples:\n( {2}movierec replay [^\n]+\n?)+$/);
  });
});
