// Pacing: the token bucket spaces sends at the configured rate after its burst, and the worker pool never
// has more than its limit in flight.
import { describe, expect, it } from 'vitest';
import { createTokenBucket, forEachLimited } from '../../src/outbox/rate-limit.js';

describe('createTokenBucket', () => {
  it('lets a burst through at once, then one send per 1/rate seconds', async () => {
    let now = 0;
    const waits: number[] = [];
    const bucket = createTokenBucket({
      ratePerSecond: 2,
      monotonicNow: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    });
    const started: number[] = [];
    await Promise.all(Array.from({ length: 5 }, () => bucket.take().then(() => started.push(now))));
    expect(started).toEqual([0, 0, 500, 1000, 1500]);
    expect(waits).toEqual([500, 500, 500]);
  });

  it('takes back tokens given back (sends that did not happen), never beyond the burst', async () => {
    let now = 0;
    const bucket = createTokenBucket({
      ratePerSecond: 2,
      monotonicNow: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    await bucket.take();
    await bucket.take();
    bucket.giveBack(1);
    await bucket.take();
    expect(now).toBe(0); // the token given back served the third send at once
    bucket.giveBack(10);
    const started: number[] = [];
    await Promise.all(Array.from({ length: 3 }, () => bucket.take().then(() => started.push(now))));
    expect(started).toEqual([0, 0, 500]); // capped at the burst of 2
  });

  it('refuses a rate that is not positive', () => {
    expect(() => createTokenBucket({ ratePerSecond: 0 })).toThrow(/greater than 0/);
  });
});

describe('forEachLimited', () => {
  it('never runs more than the limit at once, and runs everything', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await forEachLimited([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running -= 1;
      done.push(n);
    });
    expect(peak).toBe(3);
    expect(done.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
