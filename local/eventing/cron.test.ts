import { describe, expect, it } from 'vitest';
import type { CronSchedule } from './cron.js';
import { nextFire, parseCron } from './cron.js';

const parse = (text: string): CronSchedule => {
  const parsed = parseCron(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.schedule;
};
const on = (bits: readonly boolean[]) => bits.flatMap((bit, i) => (bit ? [i] : []));
const utc = (text: string) => Date.parse(`${text}Z`);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString().slice(0, 16));

describe('parseCron', () => {
  it.each([
    ['*', 'minutes', Array.from({ length: 60 }, (_, i) => i)],
    ['1,15,30', 'minutes', [1, 15, 30]],
    ['10-13', 'minutes', [10, 11, 12, 13]],
    ['*/20', 'minutes', [0, 20, 40]],
    ['10-50/20', 'minutes', [10, 30, 50]],
    ['5/25', 'minutes', [5, 30, 55]],
    ['0-4,58-59', 'minutes', [0, 1, 2, 3, 4, 58, 59]],
  ])('minute field %s', (field, key, expected) => {
    expect(on(parse(`${field} * * * *`)[key as 'minutes'])).toEqual(expected);
  });

  it('reads month and weekday names, and 7 as Sunday', () => {
    const schedule = parse('0 0 * JAN-MAR,dec MON-FRI,7');
    expect(on(schedule.months)).toEqual([1, 2, 3, 12]);
    expect(on(schedule.weekdays)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('expands descriptors', () => {
    expect(parse('@hourly')).toMatchObject({ text: '@hourly' });
    expect(on(parse('@daily').hours)).toEqual([0]);
    expect(on(parse('@weekly').weekdays)).toEqual([0]);
  });

  it.each([
    ['*/5 * * *', /expected 5 fields .* got 4/],
    ['0 0 * * * *', /got 6/],
    ['61 * * * *', /^minute: 61 is out of range 0-59/],
    ['* 24 * * *', /^hour: 24 is out of range 0-23/],
    ['* * 0 * *', /^day-of-month: 0 is out of range 1-31/],
    ['* * * 13 *', /^month: 13 is out of range 1-12/],
    ['* * * * 8', /^day-of-week: 8 is out of range 0-7/],
    ['* * * FOO *', /^month: "FOO" is not a number or a name/],
    ['30-10 * * * *', /^minute: range 30-10 runs backwards/],
    ['*/0 * * * *', /^minute: step "0" is not a positive number/],
    ['1-2-3 * * * *', /^minute: "1-2-3" is not a range/],
    ['1,,2 * * * *', /^minute: "" is not a value/],
    ['0 0 30 2 *', /never fires/],
    ['@fortnightly', /unknown descriptor/],
    ['CRON_TZ=Europe/Paris 0 * * * *', /UTC/],
  ])('refuses %j and says why', (text, reason) => {
    const parsed = parseCron(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});

describe('nextFire (UTC)', () => {
  it.each([
    ['*/5 * * * *', '2026-11-26T10:02:30', '2026-11-26T10:05'],
    ['*/5 * * * *', '2026-11-26T10:05:00', '2026-11-26T10:10'],
    ['0 */6 * * *', '2026-11-26T05:59:59', '2026-11-26T06:00'],
    ['0 */6 * * *', '2026-11-26T18:00:00', '2026-11-27T00:00'],
    ['30 2 1 * *', '2026-12-31T23:00:00', '2027-01-01T02:30'],
    ['0 0 29 2 *', '2026-03-01T00:00:00', '2028-02-29T00:00'],
    // Both day fields restricted: the 13th or a Friday (2026-11-27 is a Friday).
    ['0 0 13 * 5', '2026-11-26T00:00:00', '2026-11-27T00:00'],
    // The day-of-month field starts with *: every other day AND a Monday.
    ['0 0 */2 * 1', '2026-11-26T00:00:00', '2026-12-07T00:00'],
  ])('%s after %s is %s', (text, after, expected) => {
    expect(iso(nextFire(parse(text), utc(after)))).toBe(expected);
  });
});
