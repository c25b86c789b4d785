// A background worker loop shared by the outbox dispatcher and the Slack poster: it runs rounds while
// there is work, wakes at once on a NOTIFY (sent in the same transaction that queued the work), and polls
// as a safety net in case a notification is missed. stop() waits for the round in progress.
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
  /** One round of work; resolves true when it did something, so another round follows at once. */
  round: () => Promise<boolean>;
  onRoundError: (error: unknown) => void;
  onListenError: (error: unknown) => void;
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
        if (await options.round()) wanted = true;
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
