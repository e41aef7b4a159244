import { SingleBar } from 'cli-progress';
import type { EpochReport } from '../lib/models/model.js';
import type { Io } from './io.js';
import { interactive } from './io.js';

/** Progress of a fit, epoch by epoch: a bar with the loss and an ETA on a terminal, nothing otherwise. */
export interface EpochProgress {
  readonly onEpoch: (report: EpochReport) => void;
  stop(): void;
}

export function epochProgress(io: Io, label: string, total: number): EpochProgress {
  if (!interactive(io)) return { onEpoch: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: `${label.padEnd(10)} [{bar}] epoch {value}/{total} | loss {loss} | {duration_formatted} elapsed | ETA {eta_formatted}`,
    barCompleteChar: '█',
    barIncompleteChar: '░',
    barsize: 24,
    hideCursor: true,
    etaBuffer: 5,
    stream: io.stderr as NodeJS.WritableStream,
  });
  bar.start(total, 0, { loss: '—' });
  return {
    onEpoch: (report) => {
      const loss = Number.isFinite(report.loss) ? report.loss.toFixed(4) : '—';
      bar.setTotal(report.epochs);
      bar.update(report.epoch, { loss });
    },
    stop: () => bar.stop(),
  };
}

/** Progress of a count of things (segments, users…): a bar on a terminal, nothing otherwise. */
export interface CountProgress {
  /** Set the total (when known late) and the count done. */
  update(done: number, total: number): void;
  stop(): void;
}

export function countProgress(io: Io, label: string, unit: string): CountProgress {
  if (!interactive(io)) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: `${label.padEnd(10)} [{bar}] {value}/{total} ${unit} | {duration_formatted} elapsed | ETA {eta_formatted}`,
    barCompleteChar: '█',
    barIncompleteChar: '░',
    barsize: 24,
    hideCursor: true,
    stream: io.stderr as NodeJS.WritableStream,
  });
  bar.start(1, 0);
  return {
    update: (done, total) => {
      bar.setTotal(Math.max(1, total));
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}
