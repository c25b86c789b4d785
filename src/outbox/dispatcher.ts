// The outbox dispatcher: claims due messages, re-checks every guard against the tenant as they are NOW,
// sends through the Sender (Twilio) at a bounded rate, and records each outcome with a contact-log entry.
// Exactly once: claims commit before any send; a claim whose dispatcher died is taken back after its lease
// and, before sending again, Twilio is asked whether the message already went out.
// Throughput: the claimed messages of named tenants go in WAVES. A wave's rate tokens are taken first;
// then one transaction locks the wave's tenant rows, runs every message's guards (judgeMessage, one by one,
// with its tenant's state as it is now) and writes the outcomes; the sends go at once, side by side; and
// the accepted ones are recorded in one transaction. Per wave that is two transactions, not two per
// message: at ~200 replies a second on two cores shared with the webhook, the per-message round trips and
// commits were what the dispatcher could not keep up with. Anything else (a number we could not match, a
// claim to reconcile, a tenant row another transaction holds) goes one message at a time, as before.
import type { TransactionSql } from '../db/connect.js';
import { errorFields } from '../lib/logger.js';
import { createWakeLoop } from '../db/wake-loop.js';
import { judgeMessage, type GuardContext, type Judgement } from './guards.js';
import { OUTBOX_CHANNEL } from './queue.js';
import { createTokenBucket, forEachLimited } from './rate-limit.js';
import { loadRecipientState, loadRecipientStates } from './recipient.js';
import type { Route } from './routing.js';
import { markClearedMany, recordSentMany, type SentInWave } from './store-waves.js';
import { planDispatch } from './waves.js';
import {
  claimDueMessages,
  knownSidsFor,
  markBlocked,
  markCleared,
  markFailed,
  markHeld,
  markKept,
  markOptedOut,
  markRetry,
  recordSent,
  releaseClaims,
  requeueExpiredClaims,
  restoreArrearsMark,
  type ClaimedMessage,
} from './store.js';
import { SendError, type Sender, type SendRequest, type SentMessage } from './types.js';
import type { Dispatcher, DispatchCounts, DispatcherDeps } from './dispatcher-deps.js';

export type { Sender, SendRequest, SentMessage } from './types.js';
export type { Dispatcher, DispatchCounts, DispatcherDeps } from './dispatcher-deps.js';
export { SendError } from './types.js';

type Outcome = keyof DispatchCounts | 'lost';
/** A message's dispatch threw: it stays `sending` and is reconciled after its lease. */
type Failed = { failed: unknown };
const failed = (error: unknown): Failed => ({ failed: error });

/** A message left unsent because its round was abandoned at the deadline (reconciled after its lease). */
class RoundAbandoned extends Error {
  override name = 'RoundAbandoned';
}

/** Messages decided and sent together at most. */
const MAX_WAVE = 16;

/** Twilio may list a message a little before our claim time says (clock skew between us and them). */
const FIND_SLACK_MS = 10 * 60 * 1000;
const MAX_BACKOFF_MS = 60 * 60 * 1000;

function zeroCounts(): DispatchCounts {
  return { sent: 0, held: 0, blocked: 0, failed: 0, retried: 0, kept: 0 };
}

function twilioAddress(channel: string, e164: string): string {
  return channel === 'whatsapp' ? `whatsapp:${e164}` : e164;
}

export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const { sql, sender, clock, logger, policy } = deps;
  const concurrency = Math.max(1, deps.concurrency ?? 32);
  // Two waves side by side when the limit allows (one deciding or recording while the other sends).
  const waveSize = Math.min(MAX_WAVE, Math.max(1, Math.floor(concurrency / 2)));
  const workers = Math.max(1, Math.floor(concurrency / waveSize));
  const batchSize = deps.batchSize ?? 200;
  const leaseMs = deps.leaseMs ?? 60_000;
  const pollMs = deps.pollMs ?? 5_000;
  const maxAttempts = deps.maxAttempts ?? 5;
  const retryBaseMs = deps.retryBaseMs ?? 30_000;
  const templates = deps.whatsappTemplates ?? {};
  const bucket = createTokenBucket({ ratePerSecond: deps.ratePerSecond ?? 20 });
  const guards: GuardContext = {
    policy,
    sender,
    smsFrom: deps.smsFrom,
    whatsappFrom: deps.whatsappFrom,
    whatsappTemplates: templates,
    ...(deps.contactWindowWaived ? { contactWindowWaived: deps.contactWindowWaived } : {}),
  };

  function backoff(attempt: number): number {
    return Math.min(MAX_BACKOFF_MS, retryBaseMs * 2 ** Math.max(0, attempt - 1));
  }

  /** After a crash or a broken connection: did Twilio take this message already? */
  async function findEarlierSend(m: ClaimedMessage, since: Date): Promise<SentMessage | null> {
    if (!sender?.find) return null;
    const from = new Date(since.getTime() - FIND_SLACK_MS);
    const templated = m.channel === 'whatsapp' && m.template_key !== null;
    return sender.find({
      to: twilioAddress(m.channel, m.to_address),
      body: templated ? null : m.body,
      since: from,
      excludeSids: await knownSidsFor(sql, m.to_address, from),
    });
  }

  type Decision =
    | { go: false; outcome: Outcome }
    | { go: true; sender: Sender; route: Route; from: string; clearedAt: Date; previousArrearsAt: Date | null };

  /** Writes a judgement that is not a send (held, blocked, kept); the outcome, or 'lost' if the claim was taken over. */
  async function settle(
    tx: TransactionSql,
    m: ClaimedMessage,
    judgement: Exclude<Judgement, { kind: 'go' }>,
    now: Date,
  ): Promise<Outcome> {
    switch (judgement.kind) {
      case 'held':
        return (await markHeld(tx, m, judgement.reason, judgement.until, now)) ? 'held' : 'lost';
      case 'blocked':
        return (await markBlocked(tx, m, judgement.reason, now)) ? 'blocked' : 'lost';
      case 'kept':
        return (await markKept(tx, m, judgement.route, now)) ? 'kept' : 'lost';
    }
  }

  /** Guards, routing and the "about to send" mark, in one transaction with the tenant row locked. */
  async function decide(m: ClaimedMessage): Promise<Decision> {
    const now = clock.now();
    return sql.begin(async (tx): Promise<Decision> => {
      const state = await loadRecipientState(tx, m, now, policy.time_zone);
      const judgement = judgeMessage(m, state, now, guards);
      if (judgement.kind !== 'go') return { go: false, outcome: await settle(tx, m, judgement, now) };
      const cleared = await markCleared(tx, m, judgement.route, now);
      if (!cleared) return { go: false, outcome: 'lost' };
      return {
        go: true,
        sender: judgement.sender,
        route: judgement.route,
        from: judgement.from,
        clearedAt: now,
        previousArrearsAt: cleared.previousArrearsAt,
      };
    });
  }

  async function handleSendError(
    m: ClaimedMessage,
    decision: Extract<Decision, { go: true }>,
    error: unknown,
  ): Promise<Outcome> {
    const failure =
      error instanceof SendError ? error : new SendError('retry', 'the sender failed unexpectedly', null, null, true);
    const now = clock.now();
    const attempt = m.attempts + 1;
    logger.warn(
      { messageId: m.id, kind: failure.kind, errorCode: failure.code, httpStatus: failure.status, attempt },
      'send failed',
    );
    return sql.begin(async (tx): Promise<Outcome> => {
      if (!failure.uncertain) await restoreArrearsMark(tx, m, decision.clearedAt, decision.previousArrearsAt);
      if (failure.kind === 'opted_out') {
        await markOptedOut(tx, m, decision.route.channel, now);
        return (await markBlocked(tx, m, 'opted_out', now, failure.code)) ? 'blocked' : 'lost';
      }
      if (failure.kind === 'permanent')
        return (await markFailed(tx, m, now, failure.code, 'rejected_by_twilio')) ? 'failed' : 'lost';
      if (attempt >= maxAttempts)
        return (await markFailed(tx, m, now, failure.code, 'too_many_attempts')) ? 'failed' : 'lost';
      const notBefore = new Date(now.getTime() + backoff(attempt));
      return (await markRetry(tx, m, now, notBefore, failure.code, failure.uncertain)) ? 'retried' : 'lost';
    });
  }

  function requestFor(m: ClaimedMessage, decision: Extract<Decision, { go: true }>): SendRequest {
    const { route } = decision;
    return {
      messageId: m.id,
      to: route.to,
      from: decision.from,
      body: route.body,
      contentSid: route.contentSid,
      contentVariables: route.contentVariables,
      statusCallback: deps.statusCallbackUrl,
    };
  }

  function sentDetail(m: ClaimedMessage, route: Route): Record<string, unknown> {
    return {
      ...(route.contentSid ? { template: m.template_key } : {}),
      ...(route.fallback ? { fallback: 'sms', reason: route.fallback } : {}),
    };
  }

  async function dispatchOne(m: ClaimedMessage, abandoned: () => boolean = () => false): Promise<Outcome> {
    if (m.unconfirmed_since !== null) {
      const earlier = await findEarlierSend(m, m.unconfirmed_since);
      if (earlier) {
        logger.info(
          { messageId: m.id, sid: earlier.sid },
          'found an unrecorded earlier send; recording it instead of sending again',
        );
        return (await recordSent(sql, m, earlier, clock.now(), { recovered: true })) ? 'sent' : 'lost';
      }
    }
    const decision = await decide(m);
    if (!decision.go) return decision.outcome;
    await bucket.take();
    // Cleared but abandoned: left `sending` and unconfirmed, so its reconciliation asks Twilio first.
    if (abandoned()) throw new RoundAbandoned();
    let sent: SentMessage;
    try {
      sent = await decision.sender.send(requestFor(m, decision));
    } catch (error) {
      return handleSendError(m, decision, error);
    }
    const recorded = await recordSent(sql, m, sent, clock.now(), sentDetail(m, decision.route));
    logger.info({ messageId: m.id, sid: sent.sid, status: 'sent', channel: decision.route.channel }, 'message sent');
    return recorded ? 'sent' : 'lost';
  }

  /**
   * A wave's guards and "about to send" marks in one transaction, the tenant rows locked (those another
   * transaction holds are left out: `alone`, decided one by one afterwards).
   */
  async function decideWave(wave: ClaimedMessage[]): Promise<{
    go: { m: ClaimedMessage; decision: Extract<Decision, { go: true }> }[];
    done: Map<ClaimedMessage, Outcome>;
    alone: ClaimedMessage[];
  }> {
    const now = clock.now();
    return sql.begin(async (tx) => {
      const states = await loadRecipientStates(tx, wave, now, policy.time_zone);
      const done = new Map<ClaimedMessage, Outcome>();
      const alone: ClaimedMessage[] = [];
      const passed: { m: ClaimedMessage; judgement: Extract<Judgement, { kind: 'go' }> }[] = [];
      for (const m of wave) {
        const state = states.get(m.id);
        if (!state) alone.push(m);
        else {
          // Every message's own check, with its own tenant's state as it is now.
          const judgement = judgeMessage(m, state, now, guards);
          if (judgement.kind === 'go') passed.push({ m, judgement });
          else done.set(m, await settle(tx, m, judgement, now));
        }
      }
      const cleared = await markClearedMany(
        tx,
        passed.map((p) => ({ m: p.m, route: p.judgement.route })),
        now,
      );
      const go: { m: ClaimedMessage; decision: Extract<Decision, { go: true }> }[] = [];
      for (const { m, judgement } of passed) {
        const mark = cleared.get(m.id);
        if (!mark) done.set(m, 'lost');
        else
          go.push({
            m,
            decision: {
              go: true,
              sender: judgement.sender,
              route: judgement.route,
              from: judgement.from,
              clearedAt: now,
              previousArrearsAt: mark.previousArrearsAt,
            },
          });
      }
      return { go, done, alone };
    });
  }

  /** One wave of named tenants' messages (one each): see the header. Reports each message's outcome. */
  async function dispatchWave(
    wave: ClaimedMessage[],
    report: (m: ClaimedMessage, outcome: Outcome | Failed) => void,
    abandoned: () => boolean,
  ): Promise<void> {
    // The tokens first, so that nothing waits between a message's check and its send; unused ones go back.
    for (let i = 0; i < wave.length; i++) await bucket.take();
    let decided: Awaited<ReturnType<typeof decideWave>>;
    try {
      decided = await decideWave(wave);
    } catch (error) {
      bucket.giveBack(wave.length);
      for (const m of wave) report(m, failed(error));
      return;
    }
    bucket.giveBack(wave.length - decided.go.length);
    for (const [m, outcome] of decided.done) report(m, outcome);
    if (abandoned()) {
      bucket.giveBack(decided.go.length);
      for (const { m } of decided.go) report(m, failed(new RoundAbandoned()));
      return;
    }
    const accepted: (SentInWave & { channel: string })[] = [];
    await Promise.all(
      decided.go.map(async ({ m, decision }) => {
        try {
          const sent = await decision.sender.send(requestFor(m, decision));
          accepted.push({ m, sent, detail: sentDetail(m, decision.route), channel: decision.route.channel });
        } catch (error) {
          report(m, await handleSendError(m, decision, error).catch(failed));
        }
      }),
    );
    try {
      const recorded = await recordSentMany(sql, accepted, clock.now());
      for (const { m, sent, channel } of accepted) {
        if (recorded.has(m.id))
          logger.info({ messageId: m.id, sid: sent.sid, status: 'sent', channel }, 'message sent');
        report(m, recorded.has(m.id) ? 'sent' : 'lost');
      }
    } catch (error) {
      for (const { m } of accepted) report(m, failed(error));
    }
    // Tenants whose row was busy (or is gone): one at a time, each waiting for its own row's lock.
    await Promise.all(decided.alone.map(async (m) => report(m, await dispatchOne(m).catch(failed))));
  }

  async function runBatch(signal?: AbortSignal): Promise<{ counts: DispatchCounts; claimed: number }> {
    const counts = zeroCounts();
    if (worker.isStopping()) return { counts, claimed: 0 };
    // Abandoned at its deadline (wake-loop.ts): nothing more is sent; its claims wait out their lease. A
    // stopping dispatcher starts no new unit but finishes the sends it has cleared, as before.
    const abandoned = () => signal?.aborted === true;
    const halted = () => worker.isStopping() || abandoned();
    const now = clock.now();
    const requeued = await requeueExpiredClaims(sql, now, leaseMs);
    if (requeued > 0) logger.warn({ count: requeued }, 'took back claims from a dispatcher that stopped mid-send');
    const claimed = await claimDueMessages(sql, now, batchSize);
    const unstarted = new Set(claimed);
    const report = (m: ClaimedMessage, outcome: Outcome | Failed) => {
      if (typeof outcome !== 'string') {
        // Left in `sending`: the lease runs out and the message is reconciled, never lost or doubled.
        logger.error(
          { messageId: m.id, err: errorFields(outcome.failed) },
          'dispatch failed; the message will be reconciled',
        );
      } else if (outcome === 'lost')
        logger.warn({ messageId: m.id }, 'another dispatcher took this message over; left it to them');
      else counts[outcome] += 1;
    };
    const units = planDispatch(claimed, waveSize);
    await forEachLimited(units, workers, async (unit) => {
      if (halted()) return;
      if ('wave' in unit) {
        for (const m of unit.wave) unstarted.delete(m);
        return dispatchWave(unit.wave, report, abandoned);
      }
      for (const m of unit.group) {
        if (halted()) return;
        unstarted.delete(m);
        report(m, await dispatchOne(m, abandoned).catch(failed));
      }
    });
    if (unstarted.size > 0) await releaseClaims(sql, [...unstarted], clock.now());
    return { counts, claimed: claimed.length };
  }

  const worker = createWakeLoop({
    sql,
    channel: OUTBOX_CHANNEL,
    pollMs,
    // Anything claimed: go again, for more due work and for follow-on lines of the tenants just served.
    round: async (signal) => (await runBatch(signal)).claimed > 0,
    roundDeadlineMs: leaseMs,
    onRoundError: (error) =>
      logger.error({ err: errorFields(error) }, 'outbox round failed; will retry on the next poll'),
    onListenError: (error) => logger.error({ err: errorFields(error) }, 'cannot LISTEN for new messages; polling only'),
  });

  return {
    runOnce: async () => (await runBatch()).counts,
    start: () => worker.start(),
    stop: () => worker.stop(),
  };
}
