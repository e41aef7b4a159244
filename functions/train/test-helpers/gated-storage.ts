import type { EventsStorage, SegmentAppender, SegmentInfo } from '../../../lib/events/events-storage.js';

/** A real events storage whose reads wait until the test opens the gate: holds a run in progress. */
export class GatedStorage implements EventsStorage {
  private open!: () => void;
  private readonly gate = new Promise<void>((resolve) => {
    this.open = resolve;
  });
  /** How many list calls reached the gate. */
  waiting = 0;
  private failure: Error | undefined;

  constructor(private readonly inner: EventsStorage) {}

  get location(): string {
    return this.inner.location;
  }

  release(): void {
    this.open();
  }

  /** From now on, a list fails with `error` once through the gate (the run reading the store throws). */
  failReads(error: Error): void {
    this.failure = error;
  }

  async list(prefix?: string): Promise<SegmentInfo[]> {
    this.waiting += 1;
    await this.gate;
    if (this.failure !== undefined) throw this.failure;
    return this.inner.list(prefix);
  }

  create(key: string): Promise<SegmentAppender> {
    return this.inner.create(key);
  }

  read(key: string): Promise<Uint8Array | undefined> {
    return this.inner.read(key);
  }

  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }
}
