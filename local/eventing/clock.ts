/**
 * Time for the schedulers, injectable: tests drive a manual clock, the
 * runtime uses the system's. `ScheduleClock` runs `speed` times faster than
 * its base from the moment it is made, so with speed 60 a schedule minute
 * lasts one real second.
 */

export interface Clock {
  now(): number;
  /** Call `fn` after `ms`; returns a cancel function. */
  setTimer(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const timer = setTimeout(fn, Math.max(0, ms));
    timer.unref();
    return () => clearTimeout(timer);
  },
};

export class ScheduleClock {
  private readonly origin: number;

  constructor(
    private readonly base: Clock,
    readonly speed: number,
  ) {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number (got ${speed})`);
    this.origin = base.now();
  }

  /** Schedule time (ms since the epoch). */
  now(): number {
    return this.origin + (this.base.now() - this.origin) * this.speed;
  }

  /** Real milliseconds until schedule time `at`. */
  realDelay(at: number): number {
    return Math.max(0, (at - this.now()) / this.speed);
  }

  /** The real time at which schedule time `at` arrives. */
  realTime(at: number): number {
    return this.origin + (at - this.origin) / this.speed;
  }
}
