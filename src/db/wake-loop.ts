// A background worker loop shared by the outbox dispatcher and the Slack poster: it runs rounds while
// there is work, wakes at once on a NOTIFY (sent in the same transaction that queued the work), and polls
// as a safety net in case a notification is missed. stop() waits for the round in progress.
//
// A round may have a deadline: its claims' lease. postgres.js can leave a query unsettled for good when its
// backend is terminated (seen with pg_terminate_backend at random: a plain pool query still pending minutes
// after the kills stopped), and a vendor call can hang too, and a loop that runs one round at a time would
// then never run another while /healthz stays green. Past the deadline the round is abandoned: its signal
// is aborted (a round checks it before any effect outside the database, such as a send) and the next poll
// starts a fresh round. What the abandoned round had claimed is taken back when its lease runs out, as
// after a crash. A round that renews its claims as it goes (the Slack poster) renews its deadline with
// them, so only a round that has stopped making progress is abandoned.
import type { Sql } from './connect.js';

interface WakeLoop {
  start(): void;
  stop(): Promise<void>;
  /** True once stop() was called: rounds should stop starting new work. */
  isStopping(): boolean;
}

interface WakeLoopOptions {
  sql: Sql;
  channel: string;
  pollMs: number;
  /**
   * One round of work; resolves true when it did something, so another round follows at once. `signal` is
   * aborted when the round is abandoned at its deadline: check it before anything that cannot be undone.
   * `renewDeadline` gives the round its full deadline again from now (call it when the claims are renewed).
   */
  round: (signal: AbortSignal, renewDeadline: () => void) => Promise<boolean>;
  /**
   * How long a round may go without renewing before it is abandoned; none when absent. The claims' lease:
   * a round past it has had its claims taken back anyway.
   */
  roundDeadlineMs?: number;
  onRoundError: (error: unknown) => void;
  onListenError: (error: unknown) => void;
}

/** A round that outlived its deadline (reported through onRoundError). */
export class RoundDeadlineError extends Error {
  constructor(ms: number) {
    super(`a round took longer than ${ms} ms and was abandoned`);
    this.name = 'RoundDeadlineError';
  }
}

/**
 * The round's result, or a RoundDeadlineError (and the signal aborted) once `ms` have passed since the round
 * started or last renewed its deadline.
 */
function withDeadline(
  round: (signal: AbortSignal, renewDeadline: () => void) => Promise<boolean>,
  ms: number | undefined,
): Promise<boolean> {
  const controller = new AbortController();
  if (ms === undefined) return round(controller.signal, () => {});
  let timer: NodeJS.Timeout | undefined;
  let settled = false;
  let expire: () => void = () => {};
  const deadline = new Promise<never>((_, reject) => {
    expire = () => {
      controller.abort();
      reject(new RoundDeadlineError(ms));
    };
  });
  const arm = () => {
    if (settled) return;
    clearTimeout(timer);
    timer = setTimeout(expire, ms);
    timer.unref();
  };
  arm();
  const running = round(controller.signal, arm);
  // An abandoned round that fails later has no one to tell.
  running.catch(() => {});
  return Promise.race([running, deadline]).finally(() => {
    settled = true;
    clearTimeout(timer);
  });
}

export function createWakeLoop(options: WakeLoopOptions): WakeLoop {
  let timer: NodeJS.Timeout | null = null;
  let listener: { unlisten(): Promise<void> } | null = null;
  let loop: Promise<void> | null = null;
  let wanted = false;
  let stopping = false;

  async function drain(): Promise<void> {
    while (wanted && !stopping) {
      wanted = false;
      try {
        if (await withDeadline(options.round, options.roundDeadlineMs)) wanted = true;
      } catch (error) {
        options.onRoundError(error);
      }
    }
  }

  function trigger(): void {
    if (stopping) return;
    wanted = true;
    loop ??= drain().finally(() => {
      loop = null;
    });
  }

  return {
    isStopping: () => stopping,
    start() {
      if (timer) return;
      stopping = false;
      timer = setInterval(trigger, options.pollMs);
      timer.unref();
      options.sql
        .listen(options.channel, trigger)
        .then((meta) => {
          if (stopping) {
            void meta.unlisten();
            return;
          }
          listener = meta;
          // Work queued before LISTEN took effect sent its NOTIFY to no one: look once more now.
          trigger();
        })
        .catch(options.onListenError);
      trigger();
    },
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = null;
      const current = listener;
      listener = null;
      if (current) await current.unlisten().catch(() => {});
      if (loop) await loop;
    },
  };
}
