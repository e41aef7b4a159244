import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A STAND-IN for the local runtime's ingress (local/API.md), used by the
 * sim/ and `movierec replay` tests while the real ingress is written in
 * parallel. It implements just the documented routes those two use, on
 * 127.0.0.1 and a free port:
 *
 * - `POST /streams/:topic` — body: `\n`-separated course log lines, one
 *   record each (a trailing `\r` dropped, blank lines skipped, as the real
 *   route does); answers 202 `{ "accepted": n, "offset": last }` and keeps
 *   the lines per topic, in arrival order.
 * - `GET /recommend/:userId` — answers what `recommend` says (default: 503
 *   `no model serving yet`, as the ingress does with no ready revision).
 * - `GET /status` — `status()` as JSON (default: one KafkaSource `movielog`
 *   reading the `movielog` topic with lag 0); 404 when `status` returns undefined.
 *
 * `produce(call, topic, lines)` may return a status to fail a produce call
 * with (failure injection); the lines of a failed call are not kept.
 */
export interface Answer {
  readonly status: number;
  readonly body: string;
  /** Answer this much later (for timeouts). */
  readonly delayMs?: number;
}

export interface StandInOptions {
  readonly recommend?: (user: string) => Answer;
  readonly produce?: (call: number, topic: string, lines: readonly string[]) => number | undefined;
  readonly status?: () => unknown;
}

export interface StandInIngress {
  readonly url: string;
  /** The lines received on a topic, in order. */
  lines(topic?: string): string[];
  /** Calls per route. */
  readonly calls: { produce: number; recommend: number; status: number };
  close(): Promise<void>;
}

export function defaultStatus(topic = 'movielog', lag = 0): unknown {
  return {
    functions: [],
    revisions: [],
    sources: [{ kind: 'KafkaSource', name: 'movielog', topics: [topic], produced: 0, delivered: 0, lag, failures: 0 }],
    events: { delivered: 0, retried: 0, deadLettered: 0, last: [] },
  };
}

export async function startStandInIngress(options: StandInOptions = {}): Promise<StandInIngress> {
  const topics = new Map<string, string[]>();
  const calls = { produce: 0, recommend: 0, status: 0 };
  const recommend: (user: string) => Answer = options.recommend ?? (() => ({ status: 503, body: 'no model serving yet' }));
  const status = options.status ?? (() => defaultStatus());
  const timers = new Set<NodeJS.Timeout>();

  const send = (res: ServerResponse, code: number, body: string, type = 'text/plain; charset=utf-8'): void => {
    res.writeHead(code, { 'Content-Type': type });
    res.end(body);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const produce = /^\/streams\/([^/]+)$/.exec(url.pathname);
    const rec = /^\/recommend\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'POST' && produce !== null) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      const topic = decodeURIComponent(produce[1]);
      const lines: string[] = [];
      for (const raw of Buffer.concat(chunks).toString('utf8').split('\n')) {
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (line.trim() !== '') lines.push(line);
      }
      calls.produce += 1;
      const failWith = options.produce?.(calls.produce, topic, lines);
      if (failWith !== undefined) return send(res, failWith, 'injected failure');
      const kept = topics.get(topic) ?? [];
      for (const line of lines) kept.push(line);
      topics.set(topic, kept);
      return send(res, 202, JSON.stringify({ accepted: lines.length, offset: kept.length - 1 }), 'application/json');
    }
    if (req.method === 'GET' && rec !== null) {
      calls.recommend += 1;
      const answer = recommend(decodeURIComponent(rec[1]));
      if (answer.delayMs === undefined) return send(res, answer.status, answer.body);
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) send(res, answer.status, answer.body);
      }, answer.delayMs);
      timers.add(timer);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/status') {
      calls.status += 1;
      const body = status();
      return body === undefined ? send(res, 404, 'not found') : send(res, 200, JSON.stringify(body), 'application/json');
    }
    send(res, 404, 'not found');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, 'stand-in failed'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    lines: (topic = 'movielog') => [...(topics.get(topic) ?? [])],
    calls,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Resolve once `condition()` holds, checking every few ms; reject after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 10_000, what = 'the condition'): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
