import { z } from 'zod';
import { describeFetchFailure, IngressError, isRetriableStatus } from './ingress-error.js';

/**
 * One produce call to the ingress (local/API.md): `POST /streams/<topic>`
 * with course log lines, `\n`-separated, answered 202
 * `{ "accepted": n, "offset": last }` once the channel holds them.
 * Throws IngressError: retriable for no answer, 408, 429 and 5xx; not for
 * another status, or an answer that does not account for every line.
 */
const ProduceAnswerSchema = z.object({ accepted: z.number().int().min(0) });

export interface PostLinesOptions {
  readonly fetch: typeof globalThis.fetch;
  /** The ingress base URL, e.g. http://127.0.0.1:8080. */
  readonly ingressUrl: string;
  readonly topic: string;
  readonly timeoutMs: number;
}

/** `<ingress>/streams/<topic>` */
export function streamUrl(ingressUrl: string, topic: string): string {
  return new URL(`/streams/${encodeURIComponent(topic)}`, ingressUrl).href;
}

/** POST `body` (`count` lines joined by `\n`); resolves once the ingress has accepted all of them. */
export async function postLines(options: PostLinesOptions, body: string, count: number): Promise<void> {
  const url = streamUrl(options.ingressUrl, options.topic);
  let response: Response;
  let text: string;
  try {
    response = await options.fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    throw new IngressError(url, describeFetchFailure(error), { retriable: true, cause: error });
  }
  if (!response.ok) {
    const detail = text.replace(/\s+/g, ' ').trim().slice(0, 200);
    throw new IngressError(url, `HTTP ${response.status}${detail === '' ? '' : ` ${detail}`}`, {
      status: response.status,
      retriable: isRetriableStatus(response.status),
    });
  }
  const answer = ProduceAnswerSchema.safeParse(parseJson(text));
  if (!answer.success) throw new IngressError(url, `unexpected answer to a produce call: ${JSON.stringify(text.slice(0, 120))}`);
  if (answer.data.accepted !== count) {
    throw new IngressError(url, `the ingress accepted ${answer.data.accepted} of ${count} lines`, { status: response.status });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
