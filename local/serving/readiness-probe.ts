import { request } from 'node:http';
import { connect } from 'node:net';

/**
 * Knative's readiness probes, one attempt each: an HTTP GET that counts as
 * ready on 200, or (when the container declares no probe) a TCP connect.
 */

const ATTEMPT_TIMEOUT_MS = 1000;

/** One probe attempt against `http://host:port`: true when it says ready. */
export type Probe = () => Promise<boolean>;

export function httpProbe(host: string, port: number, path: string): Probe {
  return () =>
    new Promise((resolveProbe) => {
      const req = request({ host, port, path, method: 'GET', agent: false, timeout: ATTEMPT_TIMEOUT_MS }, (res) => {
        res.resume();
        resolveProbe(res.statusCode === 200);
      });
      req.once('timeout', () => req.destroy());
      req.once('error', () => resolveProbe(false));
      req.end();
    });
}

export function tcpProbe(host: string, port: number): Probe {
  return () =>
    new Promise((resolveProbe) => {
      const socket = connect({ host, port, timeout: ATTEMPT_TIMEOUT_MS });
      const done = (ready: boolean) => {
        socket.destroy();
        resolveProbe(ready);
      };
      socket.once('connect', () => done(true));
      socket.once('timeout', () => done(false));
      socket.once('error', () => done(false));
    });
}

export interface ProbeLoopOptions {
  readonly probe: Probe;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Stop early: returns a reason (e.g. the process exited) or undefined to go on. */
  readonly abandon: () => string | undefined;
}

/** Probe until ready: resolves 'ready', or the reason it gave up ('timeout' or what `abandon` said). */
export async function probeUntilReady(options: ProbeLoopOptions): Promise<'ready' | { readonly gaveUp: string }> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const before = options.abandon();
    if (before !== undefined) return { gaveUp: before };
    if (await options.probe()) {
      const after = options.abandon();
      return after === undefined ? 'ready' : { gaveUp: after };
    }
    if (Date.now() >= deadline) return { gaveUp: `not ready within ${options.timeoutMs} ms` };
    await new Promise((resolveWait) => setTimeout(resolveWait, options.intervalMs));
  }
}
