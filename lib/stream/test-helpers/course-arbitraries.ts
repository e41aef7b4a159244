import fc from 'fast-check';
import type { RatingScale } from '../../data/records.js';
import type { CourseEvent, CreateAccountEvent, RateEvent, RequestEvent, WatchEvent } from '../events.js';

/**
 * fast-check arbitraries for well-formed course events (test-only). Expected
 * values are computed independently of the parser (times via `Date`), so a
 * round trip through `formatLine` and `parseLine` checks the parser too.
 */
export const SLUG_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789!$&'()*+-.:;@_~";
const HOST_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_';

export const slugArb = fc.string({ unit: fc.constantFrom(...SLUG_CHARS), minLength: 1, maxLength: 40 });

/** A slug with some characters percent-encoded (either hex case), and its canonical spelling. */
export const encodedSlugArb = slugArb.chain((slug) =>
  fc
    .array(fc.constantFrom('keep', 'upper', 'lower'), { minLength: slug.length, maxLength: slug.length })
    .map((choices) => ({
      canonical: slug,
      encoded: Array.from(slug, (char, k) => {
        if (choices[k] === 'keep') return char;
        const hex = char.charCodeAt(0).toString(16).padStart(2, '0');
        return `%${choices[k] === 'upper' ? hex.toUpperCase() : hex}`;
      }).join(''),
    })),
);

export const userArb = fc.oneof(
  fc.nat({ max: 2_000_000 }).map(String),
  fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }).map(String),
);

/** A course timestamp in one of its three shapes, with its instant in ms. */
export const timestampArb = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    fraction: fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 9 }),
    shape: fc.constantFrom('minutes', 'seconds', 'fraction'),
  })
  .filter(({ year, month, day }) => day <= daysIn(year, month))
  .map(({ year, month, day, hour, minute, second, fraction, shape }) => {
    const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
    const minutes = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}`;
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    const seconds = shape === 'minutes' ? 0 : second;
    const millis = shape === 'fraction' ? Number(fraction.padEnd(3, '0').slice(0, 3)) : 0;
    date.setUTCHours(hour, minute, seconds, millis);
    const text = shape === 'minutes' ? minutes : shape === 'seconds' ? `${minutes}:${pad(second)}` : `${minutes}:${pad(second)}.${fraction}`;
    return { text, time: date.getTime() };
  });

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : MONTH_DAYS[month - 1];
}

const headArb = fc.record({ stamp: timestampArb, user: userArb }).map(({ stamp, user }) => ({ time: stamp.time, timestamp: stamp.text, user }));

export const watchArb: fc.Arbitrary<WatchEvent> = fc
  .record({ head: headArb, movie: slugArb, minute: fc.nat({ max: 999_999 }) })
  .map(({ head, movie, minute }) => ({ kind: 'watch', ...head, movie, minute }));

export function rateArb(scale: RatingScale): fc.Arbitrary<RateEvent> {
  return fc
    .record({ head: headArb, movie: slugArb, rating: fc.integer({ min: scale.min, max: scale.max }) })
    .map(({ head, movie, rating }) => ({ kind: 'rate', ...head, movie, rating }));
}

const addressArb = fc.record({
  host: fc.string({ unit: fc.constantFrom(...HOST_CHARS), minLength: 1, maxLength: 30 }),
  port: fc.nat({ max: 65_535 }),
  latencyMs: fc.nat({ max: 999_999_999 }),
});

export const servedArb: fc.Arbitrary<RequestEvent> = fc
  .record({ head: headArb, address: addressArb, results: fc.array(slugArb, { maxLength: 20 }) })
  .map(({ head, address, results }) => ({ kind: 'request', ...head, ...address, status: 200, results, error: null }));

/** A failed request: any status but 200, any error text without line breaks (commas, "ms", lone surrogates included). */
export const failedArb: fc.Arbitrary<RequestEvent> = fc
  .record({
    head: headArb,
    address: addressArb,
    status: fc.nat({ max: 999 }).filter((status) => status !== 200),
    error: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.constantFrom('java.util.concurrent.TimeoutException: Request timeout to h/1.2.3.4:8082 after 800 ms', 'a, 5 ms', ''),
    ).filter((text) => !/[\r\n]/.test(text)),
  })
  .map(({ head, address, status, error }) => ({ kind: 'request', ...head, ...address, status, results: [], error }));

export const createAccountArb: fc.Arbitrary<CreateAccountEvent> = headArb.map((head) => ({ kind: 'create_account', ...head }));

export function eventArb(scale: RatingScale): fc.Arbitrary<CourseEvent> {
  return fc.oneof(watchArb, rateArb(scale), servedArb, failedArb, createAccountArb);
}
