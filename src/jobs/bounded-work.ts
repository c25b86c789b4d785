// A few pieces of asynchronous work in flight at once, fed by a producer that should wait rather than run
// ahead: the daily sweep hands over a batch, and `add` returns as soon as fewer than `limit` batches are
// being worked, so the sweep reads the next while earlier ones are started, yet memory holds `limit`
// batches at most. The first failure is kept and thrown from the next `add` or from `drain`, once the
// work already in flight has settled (nothing is left running behind the caller's back).

export interface BoundedWork {
  /** Starts `work`; resolves once fewer than `limit` pieces are in flight. */
  add(work: () => Promise<void>): Promise<void>;
  /** Waits for every piece in flight; throws the first failure. */
  drain(): Promise<void>;
}

export function boundedWork(limit: number): BoundedWork {
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  const settleAll = async () => {
    while (inFlight.size > 0) await Promise.race(inFlight);
    if (failure) throw failure.error;
  };
  return {
    async add(work) {
      if (failure) return settleAll();
      const piece: Promise<void> = work()
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => inFlight.delete(piece));
      inFlight.add(piece);
      while (inFlight.size >= limit && !failure) await Promise.race(inFlight);
      if (failure) await settleAll();
    },
    drain: settleAll,
  };
}
