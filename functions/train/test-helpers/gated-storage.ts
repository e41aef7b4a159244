import type { EventsStorage, SegmentAppender, SegmentInfo } from '../../../lib/events/events-storage.js';

/** A real events storage whose reads wait until the test opens the gate: holds a run in progress. */
export class GatedStorage implements EventsStorage {
  private open!: () => void;
  private readonly gate = new Promise<void>((resolve) => {
    this.open = resolve;
  });
  /** How many list calls reached the gate. */
  waiting = 0;

  constructor(private readonly inner: EventsStorage) {}

  get location(): string {
    return this.inner.location;
  }

  release(): void {
    this.open();
  }

  async list(prefix?: string): Promise<SegmentInfo[]> {
    this.waiting += 1;
    await this.gate;
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
