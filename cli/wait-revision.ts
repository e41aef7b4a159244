import { MovierecError } from '../lib/errors.js';
import type { RevisionState, ServingPlatform } from '../lib/rollout/platform.js';
import type { Io } from './io.js';
import { interactive } from './io.js';

export interface WaitOptions {
  readonly revision: string;
  /** The share it should serve once ready. */
  readonly percent: number;
  readonly timeoutMs: number;
  readonly everyMs?: number;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Poll `describe` until `revision` is ready and serves `percent`; a spinner
 * with its phase on a terminal. A revision that leaves the service before it
 * was ready failed (the platform keeps the reason: `/status` locally, the
 * Revision's conditions in a cluster); past `timeoutMs` it is a clear error.
 */
export async function waitForRevision(io: Io, platform: ServingPlatform, options: WaitOptions): Promise<RevisionState> {
  const started = Date.now();
  const everyMs = options.everyMs ?? 250;
  const tty = interactive(io);
  let frame = 0;
  let last: RevisionState | undefined;
  const clear = () => {
    if (tty) io.stderr.write('\r\x1b[2K');
  };
  try {
    for (;;) {
      const state = await platform.describe();
      const revision = state.revisions.find((r) => r.name === options.revision);
      if (revision === undefined) {
        throw new MovierecError(
          last?.ready === true
            ? `${options.revision} left the service (drained: another change replaced it)`
            : `${options.revision} failed before it was ready and takes no traffic (its reason: movierec status / GET /status, or the Revision's conditions in a cluster)`,
        );
      }
      last = revision;
      if (revision.ready && revision.percent === options.percent) return revision;
      const seconds = (Date.now() - started) / 1000;
      if (Date.now() - started >= options.timeoutMs) {
        throw new MovierecError(
          `${options.revision} is ${revision.ready ? `ready but serves ${revision.percent} %, not ${options.percent} %` : 'not ready'} after ${Math.round(seconds)} s; it keeps starting in the background (movierec status shows it)`,
        );
      }
      if (tty) {
        const phase = revision.ready ? `ready, ${revision.percent} % of ${options.percent} %` : 'starting (loading its model)';
        io.stderr.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${options.revision}: ${phase} · ${seconds.toFixed(0)} s`);
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  } finally {
    clear();
  }
}
