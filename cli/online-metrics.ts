import { z } from 'zod';

/**
 * evaluate's latest online evaluation (`GET /online`, the OnlineReport of
 * lib/metrics/online-stats.ts) for `movierec status`: tried at an explicit
 * URL, else at the local runtime's ingress, else at evaluate's own URL as the
 * runtime's `/status` lists it. Only the fields status shows are required.
 */

const OnlineRevisionSchema = z.looseObject({
  revision: z.string(),
  served: z.number(),
  hitRate: z.number().nullable(),
  latencyP95Ms: z.number().nullable(),
});
export const OnlineReportViewSchema = z.looseObject({ at: z.string(), revisions: z.array(OnlineRevisionSchema) });
export type OnlineReportView = z.infer<typeof OnlineReportViewSchema>;

const StatusFunctionsSchema = z.looseObject({ functions: z.array(z.looseObject({ name: z.string(), url: z.string().optional() })) });

export type OnlineLookup = { readonly report: OnlineReportView; readonly from: string } | { readonly note: string };

async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return JSON.parse(text);
}

export async function fetchOnline(where: { readonly online?: string; readonly ingress: string | null }, timeoutMs = 3000): Promise<OnlineLookup> {
  const candidates: string[] = [];
  if (where.online !== undefined) candidates.push(where.online);
  else if (where.ingress !== null) {
    candidates.push(`${where.ingress}/online`);
    const status = StatusFunctionsSchema.safeParse(await getJson(`${where.ingress}/status`, timeoutMs).catch(() => undefined));
    const evaluate = status.success ? status.data.functions.find((f) => f.name === 'evaluate')?.url : undefined;
    if (evaluate !== undefined) candidates.push(`${evaluate.replace(/\/+$/, '')}/online`);
  } else return { note: 'online metrics: not shown for a cluster without --online URL (evaluate’s GET /online)' };
  const tried: string[] = [];
  for (const url of candidates) {
    try {
      const parsed = OnlineReportViewSchema.safeParse(await getJson(url, timeoutMs));
      if (parsed.success) return { report: parsed.data, from: url };
      tried.push(`${url}: not an online report`);
    } catch (error) {
      tried.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { note: `online metrics: not available (${tried.join('; ')})` };
}
