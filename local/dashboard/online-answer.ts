import { z } from 'zod';
import type { OnlineReport, OnlineRevisionStats } from '../../lib/metrics/online-stats.js';

/**
 * What evaluate's `GET /online` answers: its latest online reports (oldest
 * first) and canary decisions (newest last). The dashboard trusts nothing of
 * it until these schemas pass; an evaluate that is down, slow or answers
 * something else is "no data yet", never an error on the page.
 */

const count = z.number().int().nonnegative();
const share = z.number().min(0).max(1).nullable();
const millis = z.number().nonnegative().nullable();

export const OnlineRevisionStatsSchema = z.object({
  revision: z.string().min(1),
  modelVersion: z.string().min(1),
  served: count,
  hits: count,
  hitRate: share,
  watchedMinutes: z.number().nonnegative(),
  ratings: count,
  meanRating: z.number().nullable(),
  fallbackShare: share,
  latencyP50Ms: millis,
  latencyP95Ms: millis,
}) satisfies z.ZodType<OnlineRevisionStats>;

export const OnlineReportSchema = z.object({
  at: z.iso.datetime({ offset: true }),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  windowMinutes: z.number().positive(),
  revisions: z.array(OnlineRevisionStatsSchema),
}) satisfies z.ZodType<OnlineReport>;

export const CANARY_VERDICTS = ['promote', 'hold', 'roll-back', 'step-up'] as const;
export type CanaryVerdict = (typeof CANARY_VERDICTS)[number];

const RevisionModelSchema = z.object({ revision: z.string().min(1), modelVersion: z.string().min(1) });

/** One decision of the canary analysis, with the figures and the sentences that justify it. */
export const CanaryDecisionRecordSchema = z.object({
  at: z.iso.datetime({ offset: true }),
  verdict: z.enum(CANARY_VERDICTS),
  candidate: RevisionModelSchema,
  champion: RevisionModelSchema,
  candidatePercent: z.number().min(0).max(100),
  nextPercent: z.number().min(0).max(100).nullable(),
  evidence: z.array(z.string()),
  figures: z.record(z.string(), z.number().nullable()),
});
export type CanaryDecisionRecord = z.infer<typeof CanaryDecisionRecordSchema>;

export const OnlineAnswerSchema = z.object({
  reports: z.array(OnlineReportSchema).max(200),
  decisions: z.array(CanaryDecisionRecordSchema).max(50),
});
export type OnlineAnswer = z.infer<typeof OnlineAnswerSchema>;

export type OnlineFetch =
  | { readonly ok: true; readonly answer: OnlineAnswer }
  | { readonly ok: false; readonly reason: string };

/**
 * Ask evaluate (at `url`, its process URL) for `GET /online`, within
 * `timeoutMs`. Never throws: no URL, no answer, a non-2xx or a body that is
 * not the contract all come back as `{ ok: false, reason }`.
 */
export async function fetchOnline(url: string | undefined, timeoutMs = 800, fetcher: typeof fetch = fetch): Promise<OnlineFetch> {
  if (url === undefined) return { ok: false, reason: 'evaluate is not running' };
  let body: unknown;
  try {
    const response = await fetcher(`${url.replace(/\/+$/, '')}/online`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) {
      await response.body?.cancel();
      return { ok: false, reason: `evaluate answered ${response.status}` };
    }
    body = await response.json();
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return { ok: false, reason: timedOut ? `evaluate did not answer within ${timeoutMs} ms` : 'evaluate did not answer' };
  }
  const parsed = OnlineAnswerSchema.safeParse(body);
  if (!parsed.success) return { ok: false, reason: 'evaluate answered something other than the online contract' };
  return { ok: true, answer: parsed.data };
}
