// The worker loop under the outbox dispatcher and the Slack poster: a round whose query never settles
// (postgres.js can leave one pending for good after its backend is terminated) must not stop the loop.
// Past the deadline the round is abandoned, its signal aborted and the error reported, and the next poll
// runs a fresh round. A round that renews its deadline (as it renews its claims) is never abandoned.
import { describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/connect.js';
import { createWakeLoop, RoundDeadlineError } from '../../src/db/wake-loop.js';

/** Enough of a pool for the loop: a LISTEN that never completes (polling only). */
const noListen = { listen: () => new Promise(() => {}) } as unknown as Sql;

const until = async (probe: () => boolean, ms = 3000) => {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** A polling-only loop around `round`, its round errors collected in `errors`. */
function probeLoop(
  errors: unknown[],
  options: Pick<Parameters<typeof createWakeLoop>[0], 'pollMs' | 'round' | 'roundDeadlineMs'>,
) {
  return createWakeLoop({
    sql: noListen,
    channel: 'probe',
    onRoundError: (error) => errors.push(error),
    onListenError: () => {},
    ...options,
  });
}

describe('createWakeLoop', () => {
  it('abandons a round that outlives its deadline and runs the next one', async () => {
    const signals: AbortSignal[] = [];
    const errors: unknown[] = [];
    let rounds = 0;
    const loop = probeLoop(errors, {
      pollMs: 20,
      roundDeadlineMs: 60,
      round: async (signal) => {
        rounds += 1;
        signals.push(signal);
        // The first round hangs for ever, as a query on a killed connection can.
        if (rounds === 1) return new Promise<boolean>(() => {});
        return false;
      },
    });
    loop.start();
    await until(() => rounds >= 2);
    await loop.stop();
    expect(errors[0]).toBeInstanceOf(RoundDeadlineError);
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[1]?.aborted).toBe(false);
  });

  it('without a deadline waits for a slow round', async () => {
    const errors: unknown[] = [];
    let rounds = 0;
    let finish: (() => void) | null = null;
    const loop = probeLoop(errors, {
      pollMs: 10,
      round: async () => {
        rounds += 1;
        await new Promise<void>((resolve) => (finish = resolve));
        return false;
      },
    });
    loop.start();
    await new Promise((r) => setTimeout(r, 150));
    expect(rounds).toBe(1);
    (finish as (() => void) | null)?.();
    await loop.stop();
    expect(errors).toEqual([]);
  });

  it('keeps a long round that renews its deadline, and abandons it once it stops renewing', async () => {
    const errors: unknown[] = [];
    const signals: AbortSignal[] = [];
    let renewals = 0;
    let rounds = 0;
    const loop = probeLoop(errors, {
      pollMs: 20,
      roundDeadlineMs: 80,
      round: async (signal, renewDeadline) => {
        rounds += 1;
        signals.push(signal);
        if (rounds > 1) return false;
        // Five steps of 40 ms, renewing after each: 200 ms in all, well past the 80 ms deadline.
        for (let step = 0; step < 5; step += 1) {
          await new Promise((r) => setTimeout(r, 40));
          renewDeadline();
          renewals += 1;
        }
        expect(signal.aborted).toBe(false);
        // Then it stalls.
        return new Promise<boolean>(() => {});
      },
    });
    loop.start();
    await until(() => rounds >= 2);
    await loop.stop();
    expect(renewals).toBe(5);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(RoundDeadlineError);
    expect(signals[0]?.aborted).toBe(true);
  });
});
