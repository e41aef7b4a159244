import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CourseEventSchema } from './events.js';
import { formatLine } from './format-line.js';
import { parseLine } from './parse-line.js';
import { isRejectReason } from './reject-reason.js';
import { encodedSlugArb, eventArb, timestampArb, userArb } from './test-helpers/course-arbitraries.js';

const RUNS = { numRuns: 300 };
const SCALE_2026 = { min: 1, max: 10 };

/** A well-formed line with a few characters replaced, inserted or deleted somewhere. */
const mutatedLineArb = fc
  .record({
    event: eventArb(SCALE_2026),
    at: fc.nat(),
    cut: fc.nat({ max: 4 }),
    insert: fc.string({ unit: fc.oneof(fc.constantFrom(...',%/=: .\r\n0123456789+'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 4 }),
  })
  .map(({ event, at, cut, insert }) => {
    const line = formatLine(event);
    const k = at % (line.length + 1);
    return line.slice(0, k) + insert + line.slice(k + cut);
  });

/** Whatever parseLine returns must be one of its two shapes, with a known reason. */
function checkShape(line: string): void {
  const parsed = parseLine(line, { scale: SCALE_2026 });
  if (parsed.ok) {
    expect(CourseEventSchema.safeParse(parsed.event).success).toBe(true);
    // Accepted lines are canonicalised: formatting and re-parsing is stable.
    expect(parseLine(formatLine(parsed.event), { scale: SCALE_2026 })).toEqual(parsed);
  } else {
    expect(isRejectReason(parsed.reason)).toBe(true);
    expect(typeof parsed.detail).toBe('string');
  }
}

describe('parseLine never throws', () => {
  it('on arbitrary strings, lone surrogates included', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), checkShape), RUNS);
  });

  it('on arbitrary bytes decoded as UTF-8 and as Latin-1', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        checkShape(Buffer.from(bytes).toString('utf8'));
        checkShape(Buffer.from(bytes).toString('latin1'));
      }),
      RUNS,
    );
  });

  it('on well-formed lines with random damage', () => {
    fc.assert(fc.property(mutatedLineArb, checkShape), { numRuns: 1000 });
  });

  it('on huge inputs when the length limit is lifted', () => {
    const huge = `2022-03-18T06:12:47,1,recommendation request h:1, status 200, result: ${'a+1999, '.repeat(200_000)}5 ms`;
    expect(parseLine(huge, { maxLength: Number.POSITIVE_INFINITY }).ok).toBe(true);
    expect(parseLine(`${huge.slice(0, -3)}`, { maxLength: Number.POSITIVE_INFINITY })).toMatchObject({ reason: 'bad-latency' });
  });
});

describe('round trip', () => {
  it('format → parse gives the same event, and parse → format the same line, for every kind', () => {
    fc.assert(
      fc.property(eventArb(SCALE_2026), (event) => {
        const line = formatLine(event);
        const parsed = parseLine(line, { scale: SCALE_2026 });
        expect(parsed).toEqual({ ok: true, event });
        if (parsed.ok) expect(formatLine(parsed.event)).toBe(line);
        expect(CourseEventSchema.safeParse(event).success).toBe(true);
      }),
      RUNS,
    );
  });

  it('percent-encoded ids parse to the decoded slug', () => {
    fc.assert(
      fc.property(timestampArb, userArb, encodedSlugArb, (stamp, user, { canonical, encoded }) => {
        const parsed = parseLine(`${stamp.text},${user},GET /rate/${encoded}=3`);
        expect(parsed).toMatchObject({ ok: true, event: { movie: canonical } });
        if (parsed.ok) expect(formatLine(parsed.event)).toBe(`${stamp.text},${user},GET /rate/${canonical}=3`);
      }),
      RUNS,
    );
  });
});
