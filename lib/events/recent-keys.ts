import { InvalidArgumentError } from '../errors.js';

/**
 * A bounded set of the most recently seen keys (least recently seen goes
 * first when full). Membership is exact for the last `capacity` distinct
 * keys; an older key may have been forgotten. A JS Set holds at most 2^24
 * entries, so capacity is capped there.
 */
export class RecentKeys {
  private readonly keys = new Set<string>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 2 ** 24) {
      throw new InvalidArgumentError(`recent-keys capacity must be an integer in 1..2^24, got ${capacity}`);
    }
  }

  get size(): number {
    return this.keys.size;
  }

  /** Whether `key` was seen recently; a hit makes it the most recent again. */
  has(key: string): boolean {
    if (!this.keys.has(key)) return false;
    this.keys.delete(key);
    this.keys.add(key);
    return true;
  }

  add(key: string): void {
    this.keys.delete(key);
    this.keys.add(key);
    if (this.keys.size > this.capacity) {
      const oldest = this.keys.values().next();
      if (oldest.done !== true) this.keys.delete(oldest.value);
    }
  }

  /** Adds `key` and answers whether it was already there. */
  seen(key: string): boolean {
    const had = this.has(key);
    if (!had) this.add(key);
    return had;
  }
}
