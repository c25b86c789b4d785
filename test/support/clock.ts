// A clock fixed at one instant, for tests and benchmarks: `set` moves it, `advance` moves it on.
import type { Clock } from '../../src/lib/clock.js';

export function fixedClock(at: Date | string): Clock & { set(to: Date | string): void; advance(ms: number): void } {
  let current = new Date(at);
  return {
    now: () => new Date(current),
    set: (to) => {
      current = new Date(to);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}
