import { Agent, request } from 'node:http';

/** One answer of the load: when it was asked and answered (ms, performance.now), its status and `X-Revision`. */
export interface LoadSample {
  readonly start: number;
  readonly end: number;
  readonly status: number;
  readonly revision: string | null;
  /** Set when no HTTP answer came back (connection refused, reset…). */
  readonly error: string | null;
}

export interface PacedLoad {
  readonly samples: LoadSample[];
  /** Stop issuing requests and wait for the ones in flight. */
  stop(): Promise<{ readonly seconds: number; readonly perSecond: number }>;
}

/**
 * TEST HELPER — constant load at `ratePerSecond` on `GET <url><path(i)>`
 * over keep-alive connections: a tick every 5 ms issues what is due
 * (`elapsed · rate`) whatever the answers take, with at most `maxInFlight`
 * outstanding — a server slower than the rate gets what it can take instead
 * of an ever-growing queue (the achieved rate says so). Every answer is kept
 * with its timing, status and revision.
 */
export function startPacedLoad(url: string, ratePerSecond: number, path: (i: number) => string, maxInFlight = 48): PacedLoad {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const samples: LoadSample[] = [];
  const inFlight = new Set<Promise<void>>();
  const began = performance.now();
  let sent = 0;

  const one = (i: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const start = performance.now();
      const req = request({ host: target.hostname, port: Number(target.port), path: path(i), agent, timeout: 30_000 }, (res) => {
        res.resume();
        res.once('end', () => {
          const revision = res.headers['x-revision'];
          samples.push({ start, end: performance.now(), status: res.statusCode ?? 0, revision: typeof revision === 'string' ? revision : null, error: null });
          resolve();
        });
      });
      req.once('timeout', () => req.destroy(new Error('timeout')));
      req.once('error', (error) => {
        samples.push({ start, end: performance.now(), status: 0, revision: null, error: error.message });
        resolve();
      });
      req.end();
    });

  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - began) / 1000) * ratePerSecond);
    while (sent < due && inFlight.size < maxInFlight) {
      const task = one(sent++);
      inFlight.add(task);
      void task.then(() => inFlight.delete(task));
    }
  }, 5);

  return {
    samples,
    async stop() {
      clearInterval(timer);
      const seconds = (performance.now() - began) / 1000;
      await Promise.all([...inFlight]);
      agent.destroy();
      return { seconds, perSecond: samples.length / seconds };
    },
  };
}
