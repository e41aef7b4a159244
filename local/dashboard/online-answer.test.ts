import { afterEach, describe, expect, it } from 'vitest';
import { fetchOnline, OnlineAnswerSchema } from './online-answer.js';
import type { FakeAnswer, FakeEvaluate } from './test-helpers/fake-evaluate.js';
import { onlineAnswer, startFakeEvaluate } from './test-helpers/fake-evaluate.js';

let evaluate: FakeEvaluate | undefined;
afterEach(async () => {
  await evaluate?.close();
  evaluate = undefined;
});

const serve = async (answer: FakeAnswer): Promise<string> => {
  evaluate = await startFakeEvaluate(() => answer);
  return evaluate.url;
};

describe('fetchOnline', () => {
  it('asks evaluate for /online and returns the answer once it passes the contract', async () => {
    const body = onlineAnswer(4);
    const result = await fetchOnline(await serve({ status: 200, body }));
    expect(result).toEqual({ ok: true, answer: body });
    expect(evaluate?.asked).toEqual(['/online']);
  });

  it.each([
    ['no evaluate at all', undefined, 'evaluate is not running'],
    ['a failing evaluate', { status: 500, body: { error: 'internal error' } }, 'evaluate answered 500'],
    ['an evaluate without the route', { status: 404, body: {} }, 'evaluate answered 404'],
    ['an answer of another shape', { status: 200, body: { reports: [{ at: 'yesterday' }], decisions: [] } }, 'evaluate answered something other than the online contract'],
    ['an unknown verdict', { status: 200, body: { ...onlineAnswer(1), decisions: [{ ...onlineAnswer(1).decisions[0], verdict: 'maybe' }] } }, 'evaluate answered something other than the online contract'],
  ] as const)('says why there is no data for %s, without throwing', async (_what, answer, reason) => {
    const url = answer === undefined ? undefined : await serve(answer);
    expect(await fetchOnline(url)).toEqual({ ok: false, reason });
  });

  it('gives up on an evaluate that does not answer within the timeout', async () => {
    expect(await fetchOnline(await serve('hang'), 100)).toEqual({ ok: false, reason: 'evaluate did not answer within 100 ms' });
  });

  it('says so when nothing listens at the URL', async () => {
    const url = await serve({ status: 200, body: {} });
    await evaluate?.close();
    evaluate = undefined;
    expect(await fetchOnline(url)).toEqual({ ok: false, reason: 'evaluate did not answer' });
  });

  it('caps what it accepts at the contract limits (≤200 reports, ≤50 decisions)', () => {
    const one = onlineAnswer(1);
    expect(OnlineAnswerSchema.safeParse({ ...one, decisions: Array.from({ length: 51 }, () => one.decisions[0]) }).success).toBe(false);
    expect(OnlineAnswerSchema.safeParse({ ...one, reports: Array.from({ length: 200 }, () => one.reports[0]) }).success).toBe(true);
  });
});
