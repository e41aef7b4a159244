/**
 * Small waiting tools for the channel's loops: a `Signal` wakes everyone
 * waiting right now (a pulse), a `Latch` stays set once set, and
 * `sleepUnless` waits a delay unless a latch is set first.
 */

export class Signal {
  private resolve: () => void = () => undefined;
  private pending: Promise<void> = this.renew();

  private renew(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.resolve = resolve;
    });
  }

  /** Resolves at the next `notify`. */
  wait(): Promise<void> {
    return this.pending;
  }

  notify(): void {
    const resolve = this.resolve;
    this.pending = this.renew();
    resolve();
  }
}

export class Latch {
  private resolve: () => void = () => undefined;
  private done = false;
  readonly promise: Promise<void> = new Promise<void>((resolve) => {
    this.resolve = resolve;
  });

  get isSet(): boolean {
    return this.done;
  }

  set(): void {
    this.done = true;
    this.resolve();
  }
}

/** Wait `ms`; true when the time passed, false when `latch` was (or got) set first. The timer never keeps the process alive. */
export function sleepUnless(ms: number, latch: Latch): Promise<boolean> {
  if (latch.isSet) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(true), Math.max(0, ms));
    timer.unref();
    void latch.promise.then(() => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}
