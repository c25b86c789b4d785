// Many tenants' texts in ONE transaction (group commit): the batch's senders are locked together, its
// MessageSids already stored found with one read and its senders' state read with one query; each text is
// then stepped in memory in arrival order, and the plain steps (the text itself, replies, timers, log lines:
// nearly every text) are written with ONE set-based statement (receive-batch-store.ts). A batch costs about the statements ONE text
// costs on its own, which is where the webhook's throughput went.
//
// The per-sender reply limit (docs/rules.md#reply-limit) reads every sender's count in one more statement
// beside the state read and is applied in memory text by text; a text past it that only needs keeping is
// written in the same set-based statement, and the one that tells officers takes the one-text path.
//
// Results match receiveInboundText (receive.ts) one text after another: a sender's second text in a batch
// sees the first's session. A text from a tenant with no conversation open starts one in sets too (the
// batch's new conversations in one more statement): after a conversation ends, every tenant's next text
// does that, and taken one by one those texts made a batch hold its senders' locks for dozens of round trips.
// Anything rarer (unknown numbers, hand-offs to people, offers, escalations, opt-outs, disputes, a
// conversation that expired) goes through the same per-text code as receive.ts,
// inside this transaction, after re-reading the sender's state — and so does every later text from that
// sender in the batch. Differences: one clock reading per batch, and message ids are drawn batch-wise (a
// batch's texts and its replies each in order, but not interleaved as one by one); the rows are the same.
// A stepped text is stored already linked to its tenant and conversation, where the one-text path stores it
// first and links it after: one row version instead of two, on the busiest table.
import type { TransactionSql } from '../db/connect.js';
import { pipelinedTransaction } from '../db/pipelined.js';
import { startSession, step } from '../engine/index.js';
import type { Session } from '../engine/index.js';
import { afterText, decideAutomatedReply, replyWindowStart, type SenderActivity } from '../rent/reply-limit.js';
import { contextFrom } from './context.js';
import { humanOnlyReason, isConsentWord } from './hand-off.js';
import { NO_ACTIVITY, readSendersActivity } from './reply-activity.js';
import {
  isExpiryOnly,
  processStoredText,
  readSenderActivity,
  repliesIn,
  type ConversationDeps,
  type InboundText,
  type ReceiveOutcome,
  type ReceiveResult,
} from './receive.js';
import {
  SET_WRITTEN_EFFECTS,
  insertInboundTexts,
  lockSenders,
  storedMessageSids,
  writeSteppedTexts,
  type SteppedText,
} from './receive-batch-store.js';
import { parkedTextsOf, unparkTexts, type ParkedText } from './parked-texts.js';
import { insertConversations, loadSenderState, loadSendersState, type SenderState } from './store.js';

/**
 * A text whose state is known and whose step writes only what writeSteppedTexts writes (or that is only kept,
 * past the reply limit): the rows to write, and the sender's state and reply-limit activity as the next text
 * will find them (state null: it changed in a way only a re-read gives).
 */
function stepInMemory(
  deps: ConversationDeps,
  inbound: InboundText,
  state: SenderState,
  activity: SenderActivity,
  now: Date,
): {
  write: SteppedText;
  /** The session of the conversation the text starts (write.conversationId is then filled once it is inserted). */
  starts?: Session;
  outcome: ReceiveOutcome;
  next: SenderState | null;
  activity: SenderActivity;
} | null {
  const { tenant, open } = state;
  const lastWhatsappInboundAt = inbound.channel === 'whatsapp' ? now : tenant.last_whatsapp_inbound_at;
  const base = {
    inbound,
    tenancyRef: tenant.tenancy_ref,
    tenantNo: tenant.tenant_no,
    channel: inbound.channel,
    mobile: inbound.from,
    lastWhatsappInboundAt,
  };
  const nextTenant = { ...tenant, last_whatsapp_inbound_at: lastWhatsappInboundAt };
  if (open?.taken_over_by) {
    // STOP or START to a taken-over conversation writes the tenant's consent: the one-text path does that.
    if (isConsentWord(inbound.body)) return null;
    return {
      write: { ...base, conversationId: open.id, session: null, effects: [] },
      outcome: 'taken_over',
      next: { ...state, tenant: nextTenant },
      activity: afterText(activity, { verdict: 'answer' }, 0),
    };
  }
  const humanReason = humanOnlyReason(tenant.tenant_no, inbound.channel, state.holds, now, deps.policy);
  if (humanReason) return null;
  const ctx = contextFrom(nextTenant, state.tenancy, state.ledger, {
    channel: inbound.channel,
    now,
    policy: deps.policy,
    timeZone: deps.timeZone,
  });
  const input = { kind: 'text' as const, text: inbound.body };
  const continued = open ? step(deps.flows, open.session, input, ctx) : null;
  const starts = !open || !continued || isExpiryOnly(continued.effects);
  const started = starts ? startSession(deps.flows, 'tenant_initiated', ctx, input) : null;
  // The reply limit as receive.ts applies it: a text that would start a conversation counts that start's replies.
  const wanted = repliesIn(continued?.effects ?? []) + repliesIn(started?.effects ?? []);
  const limit = decideAutomatedReply(activity, wanted, deps.policy);
  if (limit.verdict === 'pause') {
    // Telling officers (a hand-off) and STOP or START are written by the one-text path.
    if (limit.tellOfficer || isConsentWord(inbound.body)) return null;
    return {
      write: { ...base, conversationId: open?.id ?? null, session: null, effects: [], repliesPaused: true },
      outcome: 'paused',
      next: { ...state, tenant: nextTenant },
      activity: afterText(activity, limit, 0),
    };
  }
  if (started && !open && started.effects.every((e) => SET_WRITTEN_EFFECTS.has(e.type))) {
    // No conversation open (the last one ended): the text starts one, inserted with the batch's other starts
    // before the writes (its id is known only then). The sender's next text re-reads it.
    return {
      write: { ...base, conversationId: null, session: null, effects: started.effects },
      starts: started.session,
      outcome: 'started',
      next: null,
      activity: afterText(activity, limit, repliesIn(started.effects)),
    };
  }
  if (starts || !open || !continued || !continued.effects.every((e) => SET_WRITTEN_EFFECTS.has(e.type))) return null;
  // The next text reads the session back from jsonb in the one-text path; a JSON round trip gives the same value.
  const saved = JSON.parse(JSON.stringify(continued.session)) as Session;
  const next = saved.status === 'active' ? { ...state, tenant: nextTenant, open: { ...open, session: saved } } : null;
  return {
    write: { ...base, conversationId: open.id, session: continued.session, effects: continued.effects },
    outcome: 'stepped',
    next,
    activity: afterText(activity, limit, repliesIn(continued.effects)),
  };
}

/** A text that cannot be stepped in memory: re-read its sender (earlier writes count) and take the one-text path. */
async function receiveStoredText(
  tx: TransactionSql,
  deps: ConversationDeps,
  inbound: InboundText,
  messageId: number,
  now: Date,
): Promise<ReceiveResult> {
  const [state, activity] = await Promise.all([
    loadSenderState(tx, inbound.from, now, deps.timeZone),
    readSenderActivity(tx, inbound.from, now, deps.policy),
  ]);
  return processStoredText(tx, deps, inbound, messageId, state, activity, now);
}

/**
 * The texts to take, in order: the senders' parked texts that came before this batch's first text from them
 * (a killed process's leftovers, or texts parked while queued behind this batch) and then the batch's own;
 * and the parked rows this transaction settles (those taken, and the batch's own texts that were parked).
 */
function withEarlierParked(
  texts: readonly InboundText[],
  parked: readonly ParkedText[],
): { all: InboundText[]; earlier: number; settled: number[] } {
  if (parked.length === 0) return { all: [...texts], earlier: 0, settled: [] };
  const inBatch = new Set(texts.map((t) => t.messageSid));
  // Parked texts are in arrival order (received_at, then the order they were parked in).
  const position = new Map(parked.map((p, i) => [p.inbound.messageSid, i]));
  const first = new Map<string, InboundText>();
  for (const t of texts) if (!first.has(t.from)) first.set(t.from, t);
  const before = (p: ParkedText, i: number): boolean => {
    const next = first.get(p.inbound.from) as InboundText;
    const at = position.get(next.messageSid);
    // The sender's first text here was parked too: those parked before it came before it.
    if (at !== undefined) return i < at;
    return (p.inbound.receivedAt?.getTime() ?? 0) <= (next.receivedAt?.getTime() ?? Infinity);
  };
  const earlier = parked.filter((p, i) => !inBatch.has(p.inbound.messageSid) && before(p, i));
  const taken = new Set(earlier);
  return {
    all: [...earlier.map((p) => p.inbound), ...texts],
    earlier: earlier.length,
    settled: parked.filter((p) => taken.has(p) || inBatch.has(p.inbound.messageSid)).map((p) => p.id),
  };
}

/**
 * Receives the texts (in arrival order) in one transaction and returns one result per text, in order, once
 * it has committed. Throws if anything fails; nothing is then stored (the caller retries texts alone).
 */
export async function receiveInboundBatch(
  deps: ConversationDeps,
  texts: readonly InboundText[],
): Promise<ReceiveResult[]> {
  if (texts.length === 0) return [];
  const now = deps.clock.now();
  const senders = [...new Set(texts.map((t) => t.from))];
  let results: ReceiveResult[] = [];
  let earlierCount = 0;

  // When every text was stepped in memory COMMIT travels with the writes (tx.commit()): a batch is two round
  // trips. A failed statement makes that COMMIT a rollback, and its error rejects the batch all the same.
  await pipelinedTransaction(deps.sql, async (tx) => {
    // Sent in this order on one connection: the locks before the reads, or two batches could read one session
    // (or both find a MessageSid new). All are small, so postgres.js writes them to the socket at once: each
    // write is a costly syscall here.
    // Postgres re-plans a prepared statement while its custom plans look cheaper, and these many-CTE, unnest
    // statements cost more to plan than to run (a lone text's batch took twice as long). Their generic plans
    // are index lookups per row whatever the batch size, so they are used from the first execution.
    const generic = tx`set local plan_cache_mode = force_generic_plan`.execute();
    const locked = lockSenders(tx, senders).execute();
    const read = loadSendersState(tx, senders, now, deps.timeZone);
    const counted = readSendersActivity(tx, senders, replyWindowStart(now, deps.policy));
    const stored = storedMessageSids(
      tx,
      texts.map((t) => t.messageSid),
    ).execute();
    const parkedRead = parkedTextsOf(tx, senders);
    const [, , states, activities, storedRows, parked] = await Promise.all([
      generic,
      locked,
      read,
      counted,
      stored,
      parkedRead,
    ]);
    const alreadyStored = new Set(storedRows.map((r) => r.twilio_sid));
    for (const p of parked) if (p.received) alreadyStored.add(p.inbound.messageSid);
    const { all, earlier, settled } = withEarlierParked(texts, parked);
    earlierCount = earlier;
    results = all.map(() => ({ outcome: 'duplicate', autoAcceptEscalationId: null }));
    // A MessageSid twice in one batch is one text delivered twice: the first is received, the rest are duplicates.
    const firstBySid = new Map<string, number>();
    all.forEach((t, i) => {
      if (!firstBySid.has(t.messageSid)) firstBySid.set(t.messageSid, i);
    });
    const unique = [...firstBySid.values()];

    const stepped: SteppedText[] = [];
    const starting: { write: SteppedText; session: Session }[] = [];
    const oneByOne: number[] = [];
    /** Senders whose remaining texts need a fresh read after the writes before them. */
    const reread = new Set<string>();
    for (const index of unique) {
      const inbound = all[index] as InboundText;
      if (alreadyStored.has(inbound.messageSid)) continue; // stored by an earlier request: a duplicate
      const state = states.get(inbound.from);
      const activity = activities.get(inbound.from) ?? NO_ACTIVITY;
      const planned = !reread.has(inbound.from) && state ? stepInMemory(deps, inbound, state, activity, now) : null;
      if (!planned) {
        reread.add(inbound.from);
        oneByOne.push(index);
        continue;
      }
      stepped.push(planned.write);
      if (planned.starts) starting.push({ write: planned.write, session: planned.starts });
      results[index] = { outcome: planned.outcome, autoAcceptEscalationId: null };
      activities.set(inbound.from, planned.activity);
      if (planned.next) states.set(inbound.from, planned.next);
      else reread.add(inbound.from);
    }
    // ONE more round trip when texts start conversations: their ids are what the writes link to.
    const startedIds = await insertConversations(
      tx,
      starting.map(({ write, session }) => ({ ...write, session })),
      now,
    );
    starting.forEach(({ write }, i) => (write.conversationId = startedIds[i] as number));
    const written = writeSteppedTexts(tx, stepped, now);
    const unparked = settled.length > 0 ? unparkTexts(tx, settled).execute() : Promise.resolve();
    if (oneByOne.length === 0) {
      await Promise.all([written, unparked, tx.commit()]);
      return;
    }
    await Promise.all([written, unparked]);
    // The rest are stored as the one-text path stores them, then each is taken through it. A sender's
    // in-memory texts come before their first one-by-one text, so this reads what it would have.
    const rows = await insertInboundTexts(
      tx,
      oneByOne.map((i) => all[i] as InboundText),
      now,
    );
    const storedIds = new Map(rows.map((r) => [r.twilio_sid, r.id]));
    for (const index of oneByOne) {
      const inbound = all[index] as InboundText;
      const messageId = storedIds.get(inbound.messageSid);
      if (messageId !== undefined) results[index] = await receiveStoredText(tx, deps, inbound, messageId, now);
    }
  });
  return results.slice(earlierCount);
}
