// Pacing for outbound sends: a token bucket (Twilio queues, then drops, traffic above a sender's rate)
// and a small worker pool bounding how many sends are in flight at once. Real time, not the app clock:
// these pace the network, while the app clock decides what is due.

export interface TokenBucket {
  /** Resolves when one send may start; callers are served in the order they asked. */
  take(): Promise<void>;
  /**
   * Returns `n` tokens taken for sends that did not happen after all (the dispatcher takes a wave's tokens
   * before its guards run, so nothing waits between a message's check and its send), up to the burst.
   */
  giveBack(n: number): void;
}

export interface TokenBucketOptions {
  ratePerSecond: number;
  /** Sends allowed back to back after a quiet spell; defaults to one second's worth. */
  burst?: number;
  monotonicNow?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createTokenBucket(options: TokenBucketOptions): TokenBucket {
  if (!(options.ratePerSecond > 0)) throw new Error('ratePerSecond must be greater than 0');
  const rate = options.ratePerSecond;
  const capacity = Math.max(1, options.burst ?? Math.ceil(rate));
  const clock = options.monotonicNow ?? (() => performance.now());
  const sleep = options.sleep ?? realSleep;
  let tokens = capacity;
  let last = clock();
  let queue: Promise<void> = Promise.resolve();

  function refill(): void {
    const at = clock();
    tokens = Math.min(capacity, tokens + ((at - last) / 1000) * rate);
    last = at;
  }

  async function takeOne(): Promise<void> {
    refill();
    if (tokens < 1) {
      await sleep(Math.ceil(((1 - tokens) / rate) * 1000));
      refill();
    }
    tokens -= 1;
  }

  return {
    take() {
      const turn = queue.then(takeOne);
      queue = turn.catch(() => {});
      return turn;
    },
    giveBack(n) {
      if (n > 0) tokens = Math.min(capacity, tokens + n);
    },
  };
}

/** Runs `work` over `items` with at most `concurrency` running at once; resolves when all are done. */
export async function forEachLimited<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(workers);
}
