import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExitInfo, RevisionProcess } from '../function-process.js';
import { FunctionProcessError } from '../serving-errors.js';

/**
 * A plain HTTP server standing in for a `recommend` revision's process: it
 * answers `/recommend/:id` with its own name, becomes ready when the test
 * says so, and can hold requests open until released.
 */
export interface FakeRevision {
  readonly process: RevisionProcess;
  /** Requests it received, in order (paths). */
  readonly received: string[];
  /** Requests it holds open. */
  readonly held: number;
  /** Hold every request from now on until `release`. */
  hold(): void;
  /** Answer the held requests and stop holding. */
  release(): void;
  markReady(): void;
  /** Exit on its own (an unexpected exit). */
  crash(): Promise<void>;
  readonly stopped: boolean;
}

export async function startFakeRevision(label: string): Promise<FakeRevision> {
  const received: string[] = [];
  let holding = false;
  const held: Array<() => void> = [];
  let stopped = false;
  let resolveExit: (exit: ExitInfo) => void = () => undefined;
  const exited = new Promise<ExitInfo>((resolve) => (resolveExit = resolve));
  let resolveReady: () => void = () => undefined;
  let rejectReady: (error: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => undefined);

  const answer = (res: ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Revision': label, 'X-Model-Version': `model-${label}` });
    res.end(`answer from ${label}`);
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    received.push(req.url ?? '/');
    if (holding) held.push(() => answer(res));
    else answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const shut = async (expected: boolean): Promise<ExitInfo> => {
    if (!stopped) {
      stopped = true;
      rejectReady(new FunctionProcessError(label, 'exited before ready', undefined));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      resolveExit({ code: expected ? 0 : 1, signal: null, expected });
    }
    return exited;
  };

  return {
    process: {
      url: `http://127.0.0.1:${port}`,
      pid: null,
      exited,
      waitReady: () => ready,
      stop: () => shut(true),
    },
    received,
    get held() {
      return held.length;
    },
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      for (const send of held.splice(0)) send();
    },
    markReady: () => resolveReady(),
    crash: async () => {
      await shut(false);
    },
    get stopped() {
      return stopped;
    },
  };
}
