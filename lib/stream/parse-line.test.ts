import { describe, expect, it } from 'vitest';
import type { CourseEvent } from './events.js';
import { formatLine } from './format-line.js';
import { parseLine } from './parse-line.js';
import type { RejectReason } from './reject-reason.js';

const TWENTY_IDS = [
  'the+shining+1980', 'interstellar+2014', 'monsters_+inc.+2001', 'city+of+god+2002', 'm*a*s*h+1970',
  'ghostbusters+1984', 'alien+1979', 'scrooge+1951', 'chappie+2015', 'gladiator+2000',
  'lourdes+2009', 'taps+1981', 'phantom+1922', 'four+times+2010', 'the+awful+truth+',
  'veer-zaara+2004', 'mr.++mrs.+smith+2005', '61*+2001', 'sherlock_+jr.+1924', 'alien+raiders+2008',
];

const ACCEPTED: ReadonlyArray<readonly [string, string, CourseEvent]> = [
  ['real watch', '2022-03-18T06:12:47,326332,GET /data/m/ghostbusters+1984/54.mpg',
    { kind: 'watch', time: Date.UTC(2022, 2, 18, 6, 12, 47), timestamp: '2022-03-18T06:12:47', user: '326332', movie: 'ghostbusters+1984', minute: 54 }],
  ['real rate', '2022-03-18T05:53:29,162591,GET /rate/the+incredibles+2004=4',
    { kind: 'rate', time: Date.UTC(2022, 2, 18, 5, 53, 29), timestamp: '2022-03-18T05:53:29', user: '162591', movie: 'the+incredibles+2004', rating: 4 }],
  ['real rate 2019', '2019-09-05T19:27:01,118106,GET /rate/grumpier+old+men+1995=3',
    { kind: 'rate', time: Date.UTC(2019, 8, 5, 19, 27, 1), timestamp: '2019-09-05T19:27:01', user: '118106', movie: 'grumpier+old+men+1995', rating: 3 }],
  ['real request, 20 ids, microseconds',
    `2023-03-24T14:14:43.074025,773556,recommendation request 17645-team13.isri.cmu.edu:8082, status 200, result: ${TWENTY_IDS.join(', ')}, 55 ms`,
    { kind: 'request', time: Date.UTC(2023, 2, 24, 14, 14, 43, 74), timestamp: '2023-03-24T14:14:43.074025', user: '773556',
      host: '17645-team13.isri.cmu.edu', port: 8082, status: 200, results: TWENTY_IDS, error: null, latencyMs: 55 }],
  ['real failed request (exception text with commas and ms)',
    '2022-02-09T01:45:32.945123,284507,recommendation request 17645-team17.isri.cmu.edu:8082, status 0, result: java.util.concurrent.TimeoutException: Request timeout to 17645-team17.isri.cmu.edu/128.2.205.118:8082 after 800 ms, 815 ms',
    { kind: 'request', time: Date.UTC(2022, 1, 9, 1, 45, 32, 945), timestamp: '2022-02-09T01:45:32.945123', user: '284507',
      host: '17645-team17.isri.cmu.edu', port: 8082, status: 0, results: [],
      error: 'java.util.concurrent.TimeoutException: Request timeout to 17645-team17.isri.cmu.edu/128.2.205.118:8082 after 800 ms', latencyMs: 815 }],
  ['failed request whose text has ", x ms" inside', '2022-02-09T01:45:32,1,recommendation request h:1, status 503, result: a, 5 ms, b, 9 ms',
    { kind: 'request', time: Date.UTC(2022, 1, 9, 1, 45, 32), timestamp: '2022-02-09T01:45:32', user: '1',
      host: 'h', port: 1, status: 503, results: [], error: 'a, 5 ms, b', latencyMs: 9 }],
  ['request with no results', '2024-01-01T00:00:00,5,recommendation request localhost:8082, status 200, result: , 3 ms',
    { kind: 'request', time: Date.UTC(2024, 0, 1), timestamp: '2024-01-01T00:00:00', user: '5',
      host: 'localhost', port: 8082, status: 200, results: [], error: null, latencyMs: 3 }],
  ['create account', '2026-01-15T10:00:00.123456789,42,GET /create_account',
    { kind: 'create_account', time: Date.UTC(2026, 0, 15, 10, 0, 0, 123), timestamp: '2026-01-15T10:00:00.123456789', user: '42' }],
  ['Java zero-second time HH:MM', '2024-09-10T08:40,148487,GET /data/m/prime+suspect+2+1992/179.mpg',
    { kind: 'watch', time: Date.UTC(2024, 8, 10, 8, 40), timestamp: '2024-09-10T08:40', user: '148487', movie: 'prime+suspect+2+1992', minute: 179 }],
  ['one fraction digit', '2024-02-29T23:59:59.5,0,GET /data/m/a+2000/0.mpg',
    { kind: 'watch', time: Date.UTC(2024, 1, 29, 23, 59, 59, 500), timestamp: '2024-02-29T23:59:59.5', user: '0', movie: 'a+2000', minute: 0 }],
];

describe('parseLine accepts every kind', () => {
  it.each(ACCEPTED)('%s', (_name, line, event) => {
    expect(parseLine(line)).toEqual({ ok: true, event });
    expect(formatLine(event)).toBe(line);
  });

  it('ignores a trailing carriage return', () => {
    const line = '2022-03-18T06:12:47,326332,GET /data/m/ghostbusters+1984/54.mpg';
    expect(parseLine(`${line}\r`)).toEqual(parseLine(line));
  });
});

describe('canonical form', () => {
  const canonical = (line: string): string => {
    const parsed = parseLine(line);
    if (!parsed.ok) throw new Error(`${parsed.reason}: ${parsed.detail}`);
    return formatLine(parsed.event);
  };

  it.each([
    ['percent-encoded plus', '2022-03-18T05:53:29,1,GET /rate/c%2B%2B+2000=4', '2022-03-18T05:53:29,1,GET /rate/c+++2000=4'],
    ['percent-encoded apostrophe, lower-case hex', '2022-03-18T05:53:29,1,GET /data/m/howl%27s+moving+castle+2004/3.mpg', "2022-03-18T05:53:29,1,GET /data/m/howl's+moving+castle+2004/3.mpg"],
    ['encoded ids in results', '2022-03-18T05:53:29,1,recommendation request h:1, status 200, result: a%3a+b+1999, c+2000, 7 ms', '2022-03-18T05:53:29,1,recommendation request h:1, status 200, result: a:+b+1999, c+2000, 7 ms'],
    ['leading zeros', '2022-03-18T05:53:29,007,GET /data/m/x+1999/054.mpg', '2022-03-18T05:53:29,7,GET /data/m/x+1999/54.mpg'],
    ['user zero', '2022-03-18T05:53:29,000,GET /rate/x+1999=05', '2022-03-18T05:53:29,0,GET /rate/x+1999=5'],
  ])('%s', (_name, line, expected) => {
    expect(canonical(line)).toBe(expected);
    expect(canonical(expected)).toBe(expected);
  });
});

const REJECTED: ReadonlyArray<readonly [string, string, RejectReason]> = [
  ['real malformed: space inside the time', '2022-03-28T04:00: 44,45314,GET /rate/my+left+foot+the+story+of+christy+brown+1989=4', 'bad-timestamp'],
  ['empty', '', 'empty'],
  ['blank', '  \t \r', 'empty'],
  ['no commas', 'hello', 'bad-timestamp'],
  ['time with zone', '2022-03-18T06:12:47Z,1,GET /create_account', 'bad-timestamp'],
  ['space instead of T', '2022-03-18 06:12:47,1,GET /create_account', 'bad-timestamp'],
  ['February 30', '2022-02-30T06:12:47,1,GET /create_account', 'bad-timestamp'],
  ['29 February of a common year', '2023-02-29T06:12:47,1,GET /create_account', 'bad-timestamp'],
  ['hour 24', '2022-03-18T24:00:00,1,GET /create_account', 'bad-timestamp'],
  ['dot without fraction', '2022-03-18T06:12:47.,1,GET /create_account', 'bad-timestamp'],
  ['ten fraction digits', '2022-03-18T06:12:47.1234567890,1,GET /create_account', 'bad-timestamp'],
  ['no user', '2022-03-18T06:12:47', 'bad-user'],
  ['negative user', '2022-03-18T06:12:47,-1,GET /create_account', 'bad-user'],
  ['user with letters', '2022-03-18T06:12:47,u42,GET /create_account', 'bad-user'],
  ['empty user', '2022-03-18T06:12:47,,GET /create_account', 'bad-user'],
  ['no action', '2022-03-18T06:12:47,1', 'unknown-kind'],
  ['POST', '2022-03-18T06:12:47,1,POST /rate/x=1', 'unknown-kind'],
  ['create_account with a suffix', '2022-03-18T06:12:47,1,GET /create_account?x', 'unknown-kind'],
  ['space in the movie id (real)', '2024-12-07T15:26:04,191138,GET /rate/the +shawshank+redemption+1994=5', 'bad-movie'],
  ['upper case in the movie id (real)', '2024-12-07T15:10:01,1,GET /rate/tBoy+story+3+2010=4', 'bad-movie'],
  ['empty movie', '2022-03-18T06:12:47,1,GET /data/m//5.mpg', 'bad-movie'],
  ['broken escape', '2022-03-18T06:12:47,1,GET /rate/a%2+1999=4', 'bad-movie'],
  ['truncated escape', '2022-03-18T06:12:47,1,GET /rate/a+1999%2=4', 'bad-movie'],
  ['escape of a separator', '2022-03-18T06:12:47,1,GET /rate/a%2C+1999=4', 'bad-movie'],
  ['escape of a non-ASCII byte', '2022-03-18T06:12:47,1,GET /rate/caf%C3%A9+1999=4', 'bad-movie'],
  ['slash in the movie id', '2022-03-18T06:12:47,1,GET /data/m/a/b+1999/5.mpg', 'bad-movie'],
  ['minute not a number', '2022-03-18T06:12:47,1,GET /data/m/a+1999/x.mpg', 'bad-minute'],
  ['not .mpg', '2022-03-18T06:12:47,1,GET /data/m/a+1999/5.mp4', 'bad-minute'],
  ['no minute', '2022-03-18T06:12:47,1,GET /data/m/a+1999', 'bad-minute'],
  ['rating not an integer', '2022-03-18T06:12:47,1,GET /rate/a+1999=4.5', 'bad-rating'],
  ['rating missing', '2022-03-18T06:12:47,1,GET /rate/a+1999=', 'bad-rating'],
  ['no equals', '2022-03-18T06:12:47,1,GET /rate/a+1999', 'bad-rating'],
  ['rating 0', '2022-03-18T06:12:47,1,GET /rate/a+1999=0', 'rating-out-of-range'],
  ['rating 15 (real)', '2024-12-07T15:37:42,354526,GET /rate/das+boot+1981=15', 'rating-out-of-range'],
  ['no status', '2022-03-18T06:12:47,1,recommendation request h:1, result: a, 5 ms', 'bad-request-line'],
  ['no port', '2022-03-18T06:12:47,1,recommendation request h, status 200, result: a, 5 ms', 'bad-request-line'],
  ['port too big', '2022-03-18T06:12:47,1,recommendation request h:65536, status 200, result: a, 5 ms', 'bad-request-line'],
  ['space in host', '2022-03-18T06:12:47,1,recommendation request a b:1, status 200, result: a, 5 ms', 'bad-request-line'],
  ['status text', '2022-03-18T06:12:47,1,recommendation request h:1, status OK, result: a, 5 ms', 'bad-status'],
  ['status 1000', '2022-03-18T06:12:47,1,recommendation request h:1, status 1000, result: a, 5 ms', 'bad-status'],
  ['no latency', '2022-03-18T06:12:47,1,recommendation request h:1, status 200, result: a', 'bad-latency'],
  ['fractional latency', '2022-03-18T06:12:47,1,recommendation request h:1, status 200, result: a, 5.5 ms', 'bad-latency'],
  ['bad id among the results', '2022-03-18T06:12:47,1,recommendation request h:1, status 200, result: a, B, 5 ms', 'bad-movie'],
  ['line break in error text', '2022-03-18T06:12:47,1,recommendation request h:1, status 0, result: a\nb, 5 ms', 'bad-request-line'],
];

describe('parseLine rejects with a reason', () => {
  it.each(REJECTED)('%s', (_name, line, reason) => {
    const parsed = parseLine(line);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.reason).toBe(reason);
      expect(parsed.detail.length).toBeGreaterThan(0);
    }
  });

  it('names the offending value in the detail', () => {
    expect(parseLine('2022-03-18T06:12:47,1,GET /rate/a+1999=x')).toEqual({
      ok: false,
      reason: 'bad-rating',
      detail: 'rating "x" is not an integer in 1–5',
    });
    expect(parseLine('2022-03-18T06:12:47,1,GET /rate/a+1999=7')).toEqual({
      ok: false,
      reason: 'rating-out-of-range',
      detail: 'rating 7 is not in 1–5',
    });
  });
});

describe('options', () => {
  const line = (rating: number): string => `2026-01-15T10:00:00,42,GET /rate/dune+2021=${rating}`;

  it('accepts 1–10 on the 2026 scale and still rejects 0 and 11', () => {
    const scale = { min: 1, max: 10 };
    for (let rating = 1; rating <= 10; rating++) expect(parseLine(line(rating), { scale }).ok).toBe(true);
    expect(parseLine(line(0), { scale })).toMatchObject({ ok: false, reason: 'rating-out-of-range' });
    expect(parseLine(line(11), { scale })).toMatchObject({ ok: false, reason: 'rating-out-of-range' });
    expect(parseLine(line(10))).toMatchObject({ ok: false, reason: 'rating-out-of-range' });
  });

  it('rejects lines over maxLength before looking at them', () => {
    expect(parseLine(line(4), { maxLength: 20 })).toMatchObject({ ok: false, reason: 'too-long' });
    expect(parseLine('x'.repeat(5_000_000))).toMatchObject({ ok: false, reason: 'too-long' });
  });
});
