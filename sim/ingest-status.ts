import { z } from 'zod';
import { describeFetchFailure, IngressError } from './ingress-error.js';

/**
 * Whether the system has ingested a topic, from the ingress's `GET /status`
 * (local/API.md): its `sources[]` lists each KafkaSource with the topics it
 * reads and its `lag` (records produced but not yet delivered to ingest with
 * a 2xx). Entries of other kinds, or of a shape this does not know, are
 * passed over; a topic counts as ingested when every KafkaSource reading it
 * reports lag 0.
 */
const KafkaSourceSchema = z.object({
  kind: z.literal('KafkaSource'),
  name: z.string().optional(),
  topics: z.array(z.string()).optional(),
  topic: z.string().optional(),
  lag: z.number().min(0),
});

const StatusSchema = z.object({ sources: z.array(z.unknown()) });

export type TopicLag =
  | { readonly reported: true; readonly lag: number; readonly sources: readonly string[] }
  | { readonly reported: false; readonly why: string };

export interface StatusOptions {
  readonly fetch: typeof globalThis.fetch;
  readonly ingressUrl: string;
  readonly timeoutMs: number;
}

/** The lag of the KafkaSources reading `topic`; throws IngressError (retriable) when the ingress does not answer. */
export async function topicLag(options: StatusOptions, topic: string): Promise<TopicLag> {
  const url = new URL('/status', options.ingressUrl).href;
  let response: Response;
  let text: string;
  try {
    response = await options.fetch(url, { signal: AbortSignal.timeout(options.timeoutMs) });
    text = await response.text();
  } catch (error) {
    throw new IngressError(url, describeFetchFailure(error), { retriable: true, cause: error });
  }
  if (!response.ok) return { reported: false, why: `GET /status answered HTTP ${response.status}` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { reported: false, why: 'GET /status did not answer JSON' };
  }
  const status = StatusSchema.safeParse(json);
  if (!status.success) return { reported: false, why: 'GET /status lists no sources' };
  let lag = 0;
  const sources: string[] = [];
  for (const entry of status.data.sources) {
    const source = KafkaSourceSchema.safeParse(entry);
    if (!source.success) continue;
    const topics = source.data.topics ?? (source.data.topic === undefined ? [] : [source.data.topic]);
    if (!topics.includes(topic)) continue;
    lag += source.data.lag;
    sources.push(source.data.name ?? `KafkaSource#${sources.length + 1}`);
  }
  if (sources.length === 0) return { reported: false, why: `GET /status lists no KafkaSource reading the topic ${topic}` };
  return { reported: true, lag, sources };
}

export type IngestWait =
  | { readonly outcome: 'ingested'; readonly sources: readonly string[] }
  | { readonly outcome: 'unreported'; readonly why: string }
  | { readonly outcome: 'timed-out'; readonly lag: number; readonly sources: readonly string[] };

export interface WaitOptions extends StatusOptions {
  readonly topic: string;
  readonly waitMs: number;
  readonly intervalMs?: number;
  /** Told each lag seen (for a progress line). */
  readonly onLag?: (lag: number) => void;
}

/** Poll `GET /status` until the topic's lag is 0, it is not reported, or `waitMs` has passed. */
export async function waitForIngest(options: WaitOptions): Promise<IngestWait> {
  const deadline = performance.now() + options.waitMs;
  const interval = options.intervalMs ?? 250;
  for (;;) {
    const lag = await topicLag(options, options.topic);
    if (!lag.reported) return { outcome: 'unreported', why: lag.why };
    options.onLag?.(lag.lag);
    if (lag.lag === 0) return { outcome: 'ingested', sources: lag.sources };
    if (performance.now() + interval > deadline) return { outcome: 'timed-out', lag: lag.lag, sources: lag.sources };
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
