// The outbox dispatcher: claims due messages, re-checks every guard against the tenant as they are NOW,
// sends through the Sender (Twilio) at a bounded rate, and records each outcome with a contact-log entry.
// Exactly once: claims commit before any send; a claim whose dispatcher died is taken back after its lease
// and, before sending again, Twilio is asked whether the message already went out.
import type { Sql } from '../db/connect.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { decideContact } from '../rent/contact-rule.js';
import type { Policy } from '../rent/policy.js';
import { createWakeLoop } from '../db/wake-loop.js';
import { OUTBOX_CHANNEL } from './queue.js';
import { createTokenBucket, forEachLimited } from './rate-limit.js';
import { contactRequestFor, loadRecipientState, overtakenBy } from './recipient.js';
import { routeMessage, type Route } from './routing.js';
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

export type { Sender, SendRequest, SentMessage } from './types.js';
export { SendError } from './types.js';

export interface DispatcherDeps {
  sql: Sql;
  /** null = no Twilio credentials: messages pass their guards, then are kept (status `kept`) for the CLI. */
  sender: Sender | null;
  clock: Clock;
  logger: Logger;
  policy: Policy;
  /** Sends in flight at once (default 4). */
  concurrency?: number;
  /** Sends started per second at most (default 20). */
  ratePerSecond?: number;
  /** Messages claimed per round (default 50). */
  batchSize?: number;
  /** A claim older than this belongs to a dead dispatcher and is taken back (default 60 s). */
  leaseMs?: number;
  /** How often start() looks for due work besides NOTIFY wake-ups (default 5 s). */
  pollMs?: number;
  /** Send attempts before a temporarily failing message is given up as `failed` (default 5). */
  maxAttempts?: number;
  /** First retry delay, doubled each attempt up to an hour (default 30 s). */
  retryBaseMs?: number;
  /** WhatsApp template key → approved ContentSid. */
  whatsappTemplates?: Record<string, string>;
  smsFrom: string | null;
  whatsappFrom: string | null;
  statusCallbackUrl: string | null;
  /**
   * True for a message that may go outside the contact window: the demo simulator's "send held texts
   * now", for demo tenancies only. Nothing else uses it; every other guard still applies.
   */
  contactWindowWaived?: (message: ClaimedMessage) => boolean;
}

export interface DispatchCounts {
  sent: number;
  held: number;
  blocked: number;
  failed: number;
  retried: number;
  kept: number;
}

export interface Dispatcher {
  runOnce(): Promise<DispatchCounts>;
  /** LISTEN rentline_outbox plus a poll timer; also reconciles claims left by a dead dispatcher at once. */
  start(): void;
  /** Lets in-flight sends finish, puts claimed-but-unstarted messages back, and stops. */
  stop(): Promise<void>;
}

type Outcome = keyof DispatchCounts | 'lost';

/** Twilio may list a message a little before our claim time says (clock skew between us and them). */
const FIND_SLACK_MS = 10 * 60 * 1000;
const MAX_BACKOFF_MS = 60 * 60 * 1000;

function zeroCounts(): DispatchCounts {
  return { sent: 0, held: 0, blocked: 0, failed: 0, retried: 0, kept: 0 };
}

/** One tenant's (or one number's) messages go in id order, one at a time; different tenants in parallel. */
function groupByRecipient(messages: ClaimedMessage[]): ClaimedMessage[][] {
  const groups = new Map<string, ClaimedMessage[]>();
  for (const m of messages) {
    const key = m.tenancy_ref === null ? `number:${m.to_address}` : `tenant:${m.tenancy_ref}:${m.tenant_no}`;
    const group = groups.get(key);
    if (group) group.push(m);
    else groups.set(key, [m]);
  }
  return [...groups.values()];
}

function twilioAddress(channel: string, e164: string): string {
  return channel === 'whatsapp' ? `whatsapp:${e164}` : e164;
}

export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const { sql, sender, clock, logger, policy } = deps;
  const concurrency = deps.concurrency ?? 4;
  const batchSize = deps.batchSize ?? 50;
  const leaseMs = deps.leaseMs ?? 60_000;
  const pollMs = deps.pollMs ?? 5_000;
  const maxAttempts = deps.maxAttempts ?? 5;
  const retryBaseMs = deps.retryBaseMs ?? 30_000;
  const templates = deps.whatsappTemplates ?? {};
  const bucket = createTokenBucket({ ratePerSecond: deps.ratePerSecond ?? 20 });

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

  /** Guards, routing and the "about to send" mark, in one transaction with the tenant row locked. */
  async function decide(m: ClaimedMessage): Promise<Decision> {
    const now = clock.now();
    return sql.begin(async (tx): Promise<Decision> => {
      const stop = async (done: Promise<boolean>, outcome: Outcome): Promise<Decision> => ({
        go: false,
        outcome: (await done) ? outcome : 'lost',
      });
      const state = await loadRecipientState(tx, m, now, policy.time_zone);
      if (!state.found) return stop(markBlocked(tx, m, 'tenant_not_found', now), 'blocked');
      const overtaken = overtakenBy(m, state);
      if (overtaken) return stop(markBlocked(tx, m, overtaken, now), 'blocked');
      // A message never goes to a number that is no longer the named tenant's (re-imported, or now a landline).
      if (m.tenancy_ref !== null && state.mobileE164 !== m.to_address)
        return stop(markBlocked(tx, m, 'number_not_linked', now), 'blocked');
      // Opted out of the channel the message was written for: honoured, never routed around by the SMS fallback.
      const asWritten = decideContact(contactRequestFor(m, m.channel, state, now), policy);
      if (asWritten.verdict === 'block' && asWritten.reason === 'opted_out')
        return stop(markBlocked(tx, m, 'opted_out', now), 'blocked');
      const route = routeMessage({
        channel: m.channel,
        to: m.to_address,
        body: m.body,
        templateKey: m.template_key,
        templateVariables: m.template_variables,
        lastWhatsappInboundAt: state.lastWhatsappInboundAt,
        now,
        smsFrom: deps.smsFrom,
        whatsappFrom: deps.whatsappFrom,
        whatsappTemplates: templates,
      });
      // The one contact rule, again at send time, with the tenancy's holds as they are now (the simulator's
      // "send held texts now" waives only the contact window).
      const request = contactRequestFor(m, route.channel, state, now);
      const verdict = decideContact(
        deps.contactWindowWaived?.(m) ? { ...request, contactWindowWaived: true } : request,
        policy,
      );
      if (verdict.verdict === 'hold') return stop(markHeld(tx, m, verdict.reason, verdict.until, now), 'held');
      if (verdict.verdict === 'block' || verdict.verdict === 'route_to_person')
        return stop(markBlocked(tx, m, verdict.reason, now), 'blocked');
      // A sender may serve only some tenancies (the simulator's phone: the demo ones); the rest are kept.
      const chosen = sender !== null && (sender.handles?.(m.tenancy_ref) ?? true) ? sender : null;
      if (chosen === null || route.from === null) return stop(markKept(tx, m, route, now), 'kept');
      const cleared = await markCleared(tx, m, route, now);
      if (!cleared) return { go: false, outcome: 'lost' };
      return {
        go: true,
        sender: chosen,
        route,
        from: route.from,
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

  async function dispatchOne(m: ClaimedMessage): Promise<Outcome> {
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
    const { route } = decision;
    const request: SendRequest = {
      messageId: m.id,
      to: route.to,
      from: decision.from,
      body: route.body,
      contentSid: route.contentSid,
      contentVariables: route.contentVariables,
      statusCallback: deps.statusCallbackUrl,
    };
    await bucket.take();
    let sent: SentMessage;
    try {
      sent = await decision.sender.send(request);
    } catch (error) {
      return handleSendError(m, decision, error);
    }
    const detail = {
      ...(route.contentSid ? { template: m.template_key } : {}),
      ...(route.fallback ? { fallback: 'sms', reason: route.fallback } : {}),
    };
    const recorded = await recordSent(sql, m, sent, clock.now(), detail);
    logger.info({ messageId: m.id, sid: sent.sid, status: 'sent', channel: route.channel }, 'message sent');
    return recorded ? 'sent' : 'lost';
  }

  async function runBatch(): Promise<{ counts: DispatchCounts; claimed: number }> {
    const counts = zeroCounts();
    if (worker.isStopping()) return { counts, claimed: 0 };
    const now = clock.now();
    const requeued = await requeueExpiredClaims(sql, now, leaseMs);
    if (requeued > 0) logger.warn({ count: requeued }, 'took back claims from a dispatcher that stopped mid-send');
    const claimed = await claimDueMessages(sql, now, batchSize);
    const unstarted = new Set(claimed);
    await forEachLimited(groupByRecipient(claimed), concurrency, async (group) => {
      for (const m of group) {
        if (worker.isStopping()) return;
        unstarted.delete(m);
        try {
          const outcome = await dispatchOne(m);
          if (outcome === 'lost')
            logger.warn({ messageId: m.id }, 'another dispatcher took this message over; left it to them');
          else counts[outcome] += 1;
        } catch (error) {
          // Left in `sending`: the lease runs out and the message is reconciled, never lost or doubled.
          logger.error(
            { messageId: m.id, err: { name: (error as Error).name, code: (error as { code?: unknown }).code } },
            'dispatch failed; the message will be reconciled',
          );
        }
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
    round: async () => (await runBatch()).claimed > 0,
    onRoundError: (error) =>
      logger.error(
        { err: { name: (error as Error).name, code: (error as { code?: unknown }).code } },
        'outbox round failed; will retry on the next poll',
      ),
    onListenError: (error) =>
      logger.error({ err: { name: (error as Error).name } }, 'cannot LISTEN for new messages; polling only'),
  });

  return {
    runOnce: async () => (await runBatch()).counts,
    start: () => worker.start(),
    stop: () => worker.stop(),
  };
}
