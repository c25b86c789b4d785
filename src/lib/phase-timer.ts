// Where a long job spends its time, phase by phase: the daily job's benchmark and `rentline run daily`
// print it, so a slow morning can be traced to the statement that grew. Phases run side by side (two sweep
// batches at once) add up, so a total can exceed the wall-clock time; it is the work, not the wait.
export interface PhaseTimer {
  /** Runs `work`, adding its time to `phase`. */
  time<T>(phase: string, work: () => Promise<T>): Promise<T>;
  /** Adds `ms` measured elsewhere (synchronous work) to `phase`. */
  add(phase: string, ms: number): void;
  /** Milliseconds per phase, in the order first seen. */
  totals(): Record<string, number>;
}

export function phaseTimer(): PhaseTimer {
  const totals = new Map<string, number>();
  const add = (phase: string, ms: number) => totals.set(phase, (totals.get(phase) ?? 0) + ms);
  return {
    add,
    async time(phase, work) {
      const started = performance.now();
      try {
        return await work();
      } finally {
        add(phase, performance.now() - started);
      }
    },
    totals: () => Object.fromEntries([...totals].map(([phase, ms]) => [phase, Math.round(ms)])),
  };
}

/** A timer that keeps nothing, for runs nobody is measuring. */
export const untimed: PhaseTimer = { time: (_phase, work) => work(), add: () => {}, totals: () => ({}) };
