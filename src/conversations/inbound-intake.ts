// Taking a tenant's text in: it is answered only once it is durably stored, and never waits for longer than
// a bounded time for that. Normally its batch (inbound-batcher.ts) commits within milliseconds and the text
// is stored with everything it caused. When that has not happened within `parkAfterMs` (a batch held up by
// a lock, a slow database, a backlog), or the processing failed, the text itself is stored parked in one cheap
// insert (parked-texts.ts) and the webhook answers: Twilio does not retry a webhook that timed out, so a text
// still waiting in memory would be lost with the process. The batch goes on and unparks it when it commits.
// The worker here takes what is left parked (a killed process's texts) through the same batcher: at start all
// of it, then whatever stayed parked past `recoveryGraceMs`. A sender's parked texts are taken before their
// later ones by every batch (receive-batch.ts), and a MessageSid is received once however often it comes.
import { isRetryableTransactionFailure } from '../db/errors.js';
import { createInboundBatcher, type InboundBatcherOptions } from './inbound-batcher.js';
import {
  PARKED_MAX_ATTEMPTS,
  dropReceivedParked,
  dueParkedTexts,
  parkTexts,
  recordParkedFailure,
} from './parked-texts.js';
import { receiveInboundText, type ConversationDeps, type InboundText, type ReceiveResult } from './receive.js';

/** Attempts at receiving one text when the database connection keeps dropping. */
const RECEIVE_ATTEMPTS = 4;
/** Parked texts the worker takes per round. */
const RECOVERY_ROUND = 256;

export interface InboundIntakeOptions {
  /** Group commit of concurrent texts (inbound-batcher.ts), on unless false: each text alone in its own transaction. */
  batching?: InboundBatcherOptions | false;
  /** How long a webhook waits for its text's processing before storing the text parked (default 2 s). */
  parkAfterMs?: number;
  /** How often the worker looks for parked texts (default 5 s). */
  recoveryPollMs?: number;
  /** How long a text stays parked before the worker takes it, while its own batch may still (default 30 s). */
  recoveryGraceMs?: number;
}

type IntakeResult =
  | ReceiveResult
  /** Stored parked: its processing had not committed in time (or failed), and carries on in the background. */
  | { outcome: 'parked'; autoAcceptEscalationId: null };

export interface InboundIntake {
  /** Resolves once the text is durably stored, processed or parked; rejects only if it could not be stored. */
  receive(inbound: InboundText): Promise<IntakeResult>;
  /** Takes every parked text through the batcher (what start does first); resolves with how many it took. */
  recover(): Promise<number>;
  /** Starts the worker: recover(), then a look every recoveryPollMs for texts parked longer than the grace. */
  start(): void;
  /** Stops the worker, letting its round in progress finish. */
  stop(): Promise<void>;
}

export function createInboundIntake(deps: ConversationDeps, options: InboundIntakeOptions = {}): InboundIntake {
  const parkAfterMs = options.parkAfterMs ?? 2000;
  const pollMs = options.recoveryPollMs ?? 5000;
  const graceMs = options.recoveryGraceMs ?? 30_000;
  const receiveOnce =
    options.batching === false
      ? (inbound: InboundText) => receiveInboundText(deps, inbound)
      : createInboundBatcher(deps, options.batching ?? {}).receive;

  // A text whose connection dropped is received again: the MessageSid makes that safe even when the first
  // attempt did commit (it is then a duplicate).
  async function process(inbound: InboundText): Promise<ReceiveResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await receiveOnce(inbound);
      } catch (error) {
        if (attempt >= RECEIVE_ATTEMPTS || !isRetryableTransactionFailure(error)) throw error;
        deps.logger.warn({ attempt }, 'database connection lost while receiving a text; receiving it again');
      }
    }
  }

  async function receive(arrived: InboundText): Promise<IntakeResult> {
    const inbound = { ...arrived, receivedAt: arrived.receivedAt ?? deps.clock.now() };
    const processing = process(inbound);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), parkAfterMs);
    });
    const first = await Promise.race([
      processing.then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      ),
      late,
    ]);
    clearTimeout(timer);
    if (first !== 'late' && 'result' in first) return first.result;
    if (first === 'late') {
      processing.catch((error: unknown) =>
        deps.logger.warn({ err: error }, 'a parked text failed its processing; the worker takes it again'),
      );
    } else {
      deps.logger.warn({ err: first.error }, 'receiving a text failed; it is kept parked for the worker');
    }
    await park(inbound);
    noteParked();
    return { outcome: 'parked', autoAcceptEscalationId: null };
  }

  // Told at most every 10 s, with a count: under a backlog a line per text would add to it.
  let parkedUntold = 0;
  let lastTold = 0;
  function noteParked(): void {
    parkedUntold += 1;
    if (Date.now() - lastTold < 10_000) return;
    deps.logger.warn(
      { texts: parkedUntold, parkAfterMs },
      'texts stored parked: their processing had not committed in time; it carries on in the background',
    );
    parkedUntold = 0;
    lastTold = Date.now();
  }

  // Group commit for parking too: texts parked while an insert is in flight go together in the next one.
  const parking: { inbound: InboundText; resolve: () => void; reject: (error: unknown) => void }[] = [];
  let parkInFlight = false;
  function flushParked(): void {
    if (parkInFlight || parking.length === 0) return;
    parkInFlight = true;
    const group = parking.splice(0, 500);
    parkTexts(
      deps.sql,
      group.map((w) => w.inbound),
      deps.clock.now(),
    )
      .then(
        () => group.forEach((w) => w.resolve()),
        (error: unknown) => group.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        parkInFlight = false;
        flushParked();
      });
  }
  function park(inbound: InboundText): Promise<void> {
    return new Promise((resolve, reject) => {
      parking.push({ inbound, resolve, reject });
      flushParked();
    });
  }

  /** One round: takes up to RECOVERY_ROUND parked texts through the batcher; how many were due. */
  async function recoverRound(parkedBefore: Date | null): Promise<number> {
    const due = await dueParkedTexts(deps.sql, parkedBefore, RECOVERY_ROUND);
    await dropReceivedParked(
      deps.sql,
      due.filter((p) => p.received).map((p) => p.id),
    );
    // Into the batcher in arrival order: its batches keep each sender's texts in that order.
    await Promise.all(
      due
        .filter((p) => !p.received)
        .map(async (p) => {
          try {
            await process(p.inbound);
            // Received now (or by someone else before): a batch taking it one by one leaves the row.
            await dropReceivedParked(deps.sql, [p.id]);
          } catch (error) {
            const attempts = await recordParkedFailure(deps.sql, p.id, error);
            const given = attempts >= PARKED_MAX_ATTEMPTS;
            deps.logger[given ? 'error' : 'warn'](
              { err: error, parkedId: p.id, attempts },
              given
                ? 'a parked text failed every attempt; it is kept in inbound_parked for an operator'
                : 'a parked text failed; the worker takes it again',
            );
          }
        }),
    );
    return due.length;
  }

  async function recover(): Promise<number> {
    let taken = 0;
    for (;;) {
      const n = await recoverRound(null);
      taken += n;
      // A full round may have left more; a short one saw everything (failures wait for the next poll).
      if (n < RECOVERY_ROUND) return taken;
    }
  }

  let timer: NodeJS.Timeout | null = null;
  let round: Promise<unknown> | null = null;
  let stopping = false;
  const run = (work: () => Promise<unknown>) => {
    if (round || stopping) return;
    round = work()
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'the parked-texts worker failed a round'))
      .finally(() => {
        round = null;
      });
  };

  return {
    receive,
    recover,
    start() {
      if (timer) return;
      stopping = false;
      run(recover);
      timer = setInterval(() => run(() => recoverRound(new Date(deps.clock.now().getTime() - graceMs))), pollMs);
      timer.unref();
    },
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = null;
      if (round) await round;
    },
  };
}
