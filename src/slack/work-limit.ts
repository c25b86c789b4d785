// Bounds the work listeners do after acknowledging Slack. Under a burst of clicks, unbounded background
// decisions starve the event loop and delay the acks of requests still arriving; with a few at a time the
// acks go out at once and the decisions queue (they are durable: the click is acknowledged, the claim is
// atomic, and a crash before the decision simply leaves the case pending on a card that still works).
export type WorkLimit = <T>(work: () => Promise<T>) => Promise<T>;

export function workLimit(concurrency: number): WorkLimit {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    // Let the ack's HTTP response be written before any work competes with it for the event loop.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await work();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}
