import { createServer } from 'node:http';
import type { OnlineAnswer } from '../online-answer.js';

/**
 * A stand-in for evaluate's `GET /online` (the route another part of the
 * system adds to evaluate), on 127.0.0.1 at a random port, answering
 * whatever `answer` says now: a status and a JSON body, or `hang` to never
 * answer.
 */
export type FakeAnswer = { readonly status: number; readonly body: unknown } | 'hang';

export interface FakeEvaluate {
  readonly url: string;
  /** Paths asked for, in order. */
  readonly asked: string[];
  close(): Promise<void>;
}

export async function startFakeEvaluate(answer: () => FakeAnswer): Promise<FakeEvaluate> {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(req.url ?? '');
    const now = answer();
    if (now === 'hang') return;
    if (req.url !== '/online') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(now.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(now.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    asked,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An answer in the contract's shape: two revisions over `windows` reports, and one canary decision. */
export function onlineAnswer(windows = 3, start = Date.parse('2026-12-04T16:00:00.000Z')): OnlineAnswer {
  const reports: OnlineAnswer['reports'] = [];
  for (let k = 0; k < windows; k++) {
    const to = start + k * 60_000;
    reports.push({
      at: new Date(to + 500).toISOString(),
      from: new Date(to - 600_000).toISOString(),
      to: new Date(to).toISOString(),
      windowMinutes: 10,
      revisions: [
        { revision: 'recommend-00002', modelVersion: 'svd-a', served: 900 + k, hits: 200, hitRate: 200 / (900 + k), watchedMinutes: 9000, ratings: 80, meanRating: 3.7, fallbackShare: 0.05, latencyP50Ms: 3, latencyP95Ms: 9 },
        { revision: 'recommend-00003', modelVersion: 'svd-b', served: 100, hits: 0, hitRate: 0, watchedMinutes: 0, ratings: 0, meanRating: null, fallbackShare: null, latencyP50Ms: null, latencyP95Ms: null },
      ],
    });
  }
  return {
    reports,
    decisions: [
      {
        at: new Date(start + windows * 60_000).toISOString(),
        verdict: 'step-up',
        candidate: { revision: 'recommend-00003', modelVersion: 'svd-b' },
        champion: { revision: 'recommend-00002', modelVersion: 'svd-a' },
        candidatePercent: 10,
        nextPercent: 25,
        evidence: ['candidate hit rate not worse than the champion over 300 served'],
        figures: { candidateHitRate: 0.25, championHitRate: 0.22, served: 300 },
      },
    ],
  };
}
