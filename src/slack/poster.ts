// The Slack outbox poster: claims queued card work (post, re-render, mirror a tenant's text into a thread)
// with SKIP LOCKED, calls Slack, and records the outcome, retrying with backoff and honouring rate limits.
// The rows are written by triggers (migrations/0005) in the same transaction as the change they follow.
// Without Slack credentials the poster is not started and the work waits in the table.
import type { webApi } from '@slack/bolt';
import { createWakeLoop } from '../db/wake-loop.js';
import type { Sql } from '../db/connect.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { Policy } from '../rent/policy.js';
import { buildEscalationCard, buildMirroredMessage } from './blocks/card.js';
import { findCardRow, loadCardModel } from './card-model.js';
import { recordCardPosted } from '../db/queries/escalations.js';
import { SLACK_OUTBOX_CHANNEL } from './ids.js';

export interface PosterDeps {
  sql: Sql;
  client: webApi.WebClient;
  /** Where new top-level cards go (SLACK_ESCALATION_CHANNEL); null: cards wait until it is set. */
  channel: string | null;
  clock: Clock;
  logger: Logger;
  policy: Policy;
  timeZone: string;
  batchSize?: number;
  pollMs?: number;
  leaseMs?: number;
  maxAttempts?: number;
  retryBaseMs?: number;
  /** Only cards of tenancies whose ref starts so (the simulator's Slack: the demo landlord's); the rest wait. */
  tenancyRefPrefix?: string;
}

interface Job {
  id: number;
  kind: 'post_card' | 'update_card' | 'mirror_message' | 'post_digest';
  /** Null only for post_digest, which belongs to no escalation. */
  escalation_id: number;
  message_id: number | null;
  attempts: number;
}

type Outcome = 'sent' | 'deferred' | 'retried' | 'failed' | 'skipped';
export type PosterCounts = Record<Outcome, number>;

export interface SlackPoster {
  runOnce(): Promise<PosterCounts>;
  /** Runs rounds until nothing is due (tests). */
  drain(): Promise<PosterCounts>;
  start(): void;
  stop(): Promise<void>;
}

/** Slack errors that will not get better by trying again. */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_blocks',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'msg_too_long',
  'message_not_found',
  'cant_update_message',
  'no_text',
]);
const DEFER_MS = 2_000;
/** The metadata event type every card carries, so a retry can tell whether Slack already has it. */
const CARD_EVENT = 'rentline_escalation';

/** Not an error: the job waits (its card is not posted yet, or there is no channel to post to). */
class Deferred extends Error {}

function zero(): PosterCounts {
  return { sent: 0, deferred: 0, retried: 0, failed: 0, skipped: 0 };
}

export function createSlackPoster(deps: PosterDeps): SlackPoster {
  const { sql, client, clock, logger } = deps;
  const batchSize = deps.batchSize ?? 20;
  const leaseMs = deps.leaseMs ?? 60_000;
  const maxAttempts = deps.maxAttempts ?? 8;
  const retryBaseMs = deps.retryBaseMs ?? 5_000;
  const prefix = deps.tenancyRefPrefix ?? null;
  const cardContext = () => ({ policy: deps.policy, now: clock.now(), timeZone: deps.timeZone });

  async function claim(): Promise<Job[]> {
    const now = clock.now();
    await sql`update slack_outbox set status = 'queued', claimed_at = null where status = 'sending' and claimed_at < ${new Date(now.getTime() - leaseMs)}`;
    return sql<Job[]>`
      update slack_outbox set status = 'sending', claimed_at = ${now}, attempts = attempts + 1
      where id in (select o.id from slack_outbox o where o.status = 'queued' and (o.not_before is null or o.not_before <= ${now})
                     and (${prefix}::text is null or exists (select 1 from escalations e where e.id = o.escalation_id and starts_with(e.tenancy_ref, ${prefix})))
                   order by o.id limit ${batchSize} for update skip locked)
      returning id::int as id, kind, escalation_id::int as escalation_id, message_id::int as message_id, attempts`;
  }

  async function postPending(escalationId: number): Promise<boolean> {
    const [row] =
      await sql`select 1 from slack_outbox where escalation_id = ${escalationId} and kind = 'post_card' and status in ('queued', 'sending') limit 1`;
    return Boolean(row);
  }

  /** The card's place in Slack, or Deferred while its post is still waiting. */
  async function placeOf(escalationId: number): Promise<{ channel: string; ts: string } | null> {
    const row = await findCardRow(sql, escalationId);
    if (row?.slack_channel && row.slack_ts) return { channel: row.slack_channel, ts: row.slack_ts };
    if (await postPending(escalationId)) throw new Deferred('waiting for the card to be posted');
    return null;
  }

  /**
   * The card for this escalation if Slack already shows it, found by the metadata every card carries, among
   * the channel's (or the thread's) latest messages. A failed look is no reason to hold a card back: it
   * returns null, and the card is posted.
   */
  async function findPostedCard(
    channel: string,
    threadTs: string | null,
    escalationId: number,
  ): Promise<{ channel: string; ts: string } | null> {
    try {
      const page = threadTs
        ? await client.conversations.replies({ channel, ts: threadTs, include_all_metadata: true, limit: 200 })
        : await client.conversations.history({ channel, include_all_metadata: true, limit: 200 });
      const found = page.messages?.find(
        (m) =>
          m.metadata?.event_type === CARD_EVENT &&
          Number((m.metadata.event_payload as Record<string, unknown> | undefined)?.escalation_id) === escalationId,
      );
      return found?.ts ? { channel, ts: found.ts } : null;
    } catch (error) {
      logger.warn(
        { escalationId, err: { message: (error as Error).message } },
        'could not check Slack for an earlier post of this card; posting it',
      );
      return null;
    }
  }

  async function postCard(job: Job): Promise<Outcome> {
    const loaded = await loadCardModel(sql, job.escalation_id, cardContext());
    if (!loaded) return 'skipped';
    const { model, row } = loaded;
    if (row.slack_ts) return 'skipped';
    const root = row.slack_thread_of === null ? null : await placeOf(row.slack_thread_of);
    const channel = root?.channel ?? deps.channel;
    if (!channel) throw new Deferred('waiting for SLACK_ESCALATION_CHANNEL to be set');
    const card = buildEscalationCard(model, { timeZone: deps.timeZone });
    // A retry may follow an attempt that posted the card but stopped before recording where: find it first.
    const posted =
      (job.attempts > 1 ? await findPostedCard(channel, root?.ts ?? null, row.id) : null) ??
      (await client.chat.postMessage({
        channel,
        text: card.text,
        blocks: card.blocks,
        unfurl_links: false,
        unfurl_media: false,
        ...(root ? { thread_ts: root.ts } : {}),
        metadata: { event_type: CARD_EVENT, event_payload: { escalation_id: row.id } },
      }));
    // The offer is kept as first shown: a counter-offer later overwrites the arrangement's terms.
    await recordCardPosted(sql, row.id, {
      channel: posted.channel ?? channel,
      ts: posted.ts ?? null,
      offer: model.offer,
    });
    return 'sent';
  }

  async function updateCard(job: Job): Promise<Outcome> {
    const place = await placeOf(job.escalation_id);
    if (!place) return 'skipped';
    const loaded = await loadCardModel(sql, job.escalation_id, cardContext());
    if (!loaded) return 'skipped';
    const card = buildEscalationCard(loaded.model, { timeZone: deps.timeZone });
    await client.chat.update({ channel: place.channel, ts: place.ts, text: card.text, blocks: card.blocks });
    return 'sent';
  }

  async function mirrorMessage(job: Job): Promise<Outcome> {
    const place = await placeOf(job.escalation_id);
    if (!place || job.message_id === null) return 'skipped';
    const [message] = await sql<{ body: string; created_at: Date; first_name: string | null }[]>`
      select m.body, m.created_at, t.first_name from messages m
      left join tenants t on t.tenancy_ref = m.tenancy_ref and t.tenant_no = m.tenant_no
      where m.id = ${job.message_id}`;
    if (!message) return 'skipped';
    const text = buildMirroredMessage(message.first_name ?? 'Tenant', message.body, message.created_at, deps.timeZone);
    await client.chat.postMessage({
      channel: place.channel,
      thread_ts: place.ts,
      text: text.text,
      blocks: text.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
    return 'sent';
  }

  /** A digest (migrations/0050): its text and blocks were built by the job that queued it. */
  async function postDigest(job: Job): Promise<Outcome> {
    if (!deps.channel) throw new Deferred('waiting for SLACK_ESCALATION_CHANNEL to be set');
    const [row] = await sql<
      { payload: { text: string; blocks: unknown[] } }[]
    >`select payload from slack_outbox where id = ${job.id}`;
    if (!row) return 'skipped';
    await client.chat.postMessage({
      channel: deps.channel,
      text: row.payload.text,
      blocks: row.payload.blocks as never,
      unfurl_links: false,
      unfurl_media: false,
    });
    return 'sent';
  }

  async function finish(job: Job, status: 'sent' | 'failed', error: string | null): Promise<void> {
    await sql`update slack_outbox set status = ${status}, sent_at = ${status === 'sent' ? clock.now() : null}, last_error = ${error}, claimed_at = null where id = ${job.id}`;
  }

  async function requeue(job: Job, delayMs: number, error: string | null, countAttempt: boolean): Promise<void> {
    const notBefore = new Date(clock.now().getTime() + delayMs);
    await sql`
      update slack_outbox set status = 'queued', claimed_at = null, not_before = ${notBefore}, last_error = ${error},
        attempts = attempts - ${countAttempt ? 0 : 1}
      where id = ${job.id}`;
  }

  async function runJob(job: Job): Promise<Outcome> {
    try {
      const outcome =
        job.kind === 'post_card'
          ? await postCard(job)
          : job.kind === 'update_card'
            ? await updateCard(job)
            : job.kind === 'post_digest'
              ? await postDigest(job)
              : await mirrorMessage(job);
      await finish(job, 'sent', outcome === 'skipped' ? 'nothing to do' : null);
      return outcome;
    } catch (error) {
      if (error instanceof Deferred) {
        await requeue(job, DEFER_MS, error.message, false);
        return 'deferred';
      }
      const e = error as { code?: string; data?: { error?: string }; retryAfter?: number; name?: string };
      const slackError = e.data?.error ?? e.code ?? e.name ?? 'unknown';
      if (e.retryAfter !== undefined) {
        await requeue(job, e.retryAfter * 1000, 'rate_limited', false);
        return 'deferred';
      }
      logger.warn(
        {
          source: 'slack',
          job: job.id,
          kind: job.kind,
          escalationId: job.escalation_id,
          slackError,
          attempt: job.attempts,
        },
        'Slack call failed',
      );
      if (PERMANENT.has(slackError) || job.attempts >= maxAttempts) {
        await finish(job, 'failed', slackError);
        return 'failed';
      }
      await requeue(job, Math.min(3_600_000, retryBaseMs * 2 ** (job.attempts - 1)), slackError, true);
      return 'retried';
    }
  }

  async function runOnce(): Promise<PosterCounts> {
    const counts = zero();
    // In id order: a card is posted before its re-renders and its thread replies.
    for (const job of await claim()) counts[await runJob(job)] += 1;
    return counts;
  }

  const worker = createWakeLoop({
    sql,
    channel: SLACK_OUTBOX_CHANNEL,
    pollMs: deps.pollMs ?? 3_000,
    round: async () => {
      const counts = await runOnce();
      return counts.sent + counts.skipped + counts.failed + counts.retried > 0;
    },
    onRoundError: (error) =>
      logger.error(
        { source: 'slack', err: { name: (error as Error).name } },
        'Slack outbox round failed; will retry on the next poll',
      ),
    onListenError: () => logger.error({ source: 'slack' }, 'cannot LISTEN for Slack work; polling only'),
  });

  return {
    runOnce,
    async drain() {
      const total = zero();
      for (let round = 0; round < 50; round += 1) {
        const counts = await runOnce();
        for (const k of Object.keys(total) as Outcome[]) total[k] += counts[k];
        if (counts.sent + counts.skipped + counts.failed + counts.retried + counts.deferred === 0) break;
        if (counts.sent + counts.skipped + counts.failed + counts.retried === 0) break;
      }
      return total;
    },
    start: () => worker.start(),
    stop: () => worker.stop(),
  };
}
