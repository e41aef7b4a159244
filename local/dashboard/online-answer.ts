import { z } from 'zod';
import { OnlineReportSchema } from '../../lib/metrics/online-report-schema.js';
import { CanaryDecisionRecordSchema } from '../../lib/rollout/canary-record.js';

/**
 * What evaluate's `GET /online` answers: its latest online reports (oldest
 * first) and canary decisions (newest last), with the schemas evaluate
 * itself stores them by (lib/metrics, lib/rollout). The dashboard trusts nothing of
 * it until these schemas pass; an evaluate that is down, slow or answers
 * something else is "no data yet", never an error on the page.
 */

export { OnlineReportSchema } from '../../lib/metrics/online-report-schema.js';
export type { CanaryDecisionRecord } from '../../lib/rollout/canary-record.js';

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
