// The Slack outbox poster: claims queued card work (post, re-render, mirror a tenant's text into a thread)
// lane by lane in the order it was queued (src/slack/poster-lanes.ts), calls Slack, and records the
// outcome. A failure holds its lane back, retried with capped backoff and honouring rate limits, so after
// an outage the cards arrive in the order they were raised and thread replies after their card. A card
// Slack will not take (its own fault, or failing on while Slack answers everything else) is given up
// after bounded retries: a plain notice takes its place in the channel, so officers see that it exists
// and why, and the lane moves on. The rows are written by triggers (migrations/0005) in the same
// transaction as the change they follow. Without Slack credentials the poster is not started and the work
// waits in the table.
import type { webApi } from '@slack/bolt';
import { createWakeLoop } from '../db/wake-loop.js';
import type { Sql } from '../db/connect.js';
import type { Clock } from '../lib/clock.js';
import { errorFields, type Logger } from '../lib/logger.js';
import type { Policy } from '../rent/policy.js';
import { buildEscalationCard, buildMirroredMessage } from './blocks/card.js';
import type { KpiMessage } from './blocks/kpis.js';
import { findCardRow, loadCardModel } from './card-model.js';
import { recordCardPosted } from '../db/queries/escalations.js';
import { SLACK_OUTBOX_CHANNEL } from './ids.js';
import { claimInLaneOrder, releaseUntried, type Job } from './poster-lanes.js';
import { REFUSED_EVERYTHING, REFUSED_MESSAGE } from './poster-errors.js';

interface PosterDeps {
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
  /** Failed tries of one row, while Slack answers otherwise, before it is given up (default 8). */
  maxAttempts?: number;
  retryBaseMs?: number;
  /** The longest wait between two tries of a lane's first row (default 30 s): how late a lane resumes after Slack is back. */
  retryMaxMs?: number;
  /** Only cards of tenancies whose ref starts so (the simulator's Slack: the demo landlord's); the rest wait. */
  tenancyRefPrefix?: string;
}

type Outcome = 'sent' | 'deferred' | 'retried' | 'failed' | 'skipped';
type PosterCounts = Record<Outcome, number>;

/** What the wake loop gives a round: its abandonment signal and the renewal of its deadline. */
interface RoundControl {
  signal: AbortSignal;
  renewDeadline: () => void;
}

export interface SlackPoster {
  runOnce(control?: RoundControl): Promise<PosterCounts>;
  /** Runs rounds until nothing is due (tests). */
  drain(): Promise<PosterCounts>;
  start(): void;
  stop(): Promise<void>;
}

const DEFER_MS = 2_000;
/** Lanes worked side by side in one round (each lane itself strictly one row after another). */
const LANES_AT_ONCE = 4;
/** The metadata event type every card carries, so a retry can tell whether Slack already has it. */
const CARD_EVENT = 'rentline_escalation';

/** Not an error: the job waits (its card is not posted yet, or there is no channel to post to). */
class Deferred extends Error {}

/** The round was abandoned at its deadline: it makes no further Slack call and writes nothing more. */
class RoundAbandoned extends Error {
  constructor() {
    super('the Slack outbox round was abandoned at its deadline; its claims are taken back after their lease');
    this.name = 'RoundAbandoned';
  }
}

function zero(): PosterCounts {
  return { sent: 0, deferred: 0, retried: 0, failed: 0, skipped: 0 };
}

export function createSlackPoster(deps: PosterDeps): SlackPoster {
  const { sql, client, clock, logger } = deps;
  const batchSize = deps.batchSize ?? 20;
  const leaseMs = deps.leaseMs ?? 60_000;
  const maxAttempts = deps.maxAttempts ?? 8;
  const retryBaseMs = deps.retryBaseMs ?? 5_000;
  const retryMaxMs = deps.retryMaxMs ?? 30_000;
  const prefix = deps.tenancyRefPrefix ?? null;
  const cardContext = () => ({ policy: deps.policy, now: clock.now(), timeZone: deps.timeZone });

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
    const [row] = await sql<{ payload: KpiMessage }[]>`select payload from slack_outbox where id = ${job.id}`;
    if (!row) return 'skipped';
    await client.chat.postMessage({
      channel: deps.channel,
      text: row.payload.text,
      blocks: row.payload.blocks,
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

  async function renewClaims(ids: number[]): Promise<void> {
    await sql`update slack_outbox set claimed_at = ${clock.now()} where id = any(${ids}::bigint[]) and status = 'sending'`;
  }

  /** Whether Slack answers at all: a row failing on while it does is the row's own problem. */
  async function slackAnswers(): Promise<boolean> {
    try {
      return (await client.auth.test()).ok === true;
    } catch {
      return false;
    }
  }

  /**
   * In place of a card Slack will not take, a short notice with no blocks: officers see that the case
   * exists, why its card is missing and where to act on it, and its thread can still follow it.
   */
  async function postNoticeInstead(job: Job, reason: string): Promise<boolean> {
    const loaded = await loadCardModel(sql, job.escalation_id, cardContext());
    if (!loaded || loaded.row.slack_ts) return false;
    const { row } = loaded;
    const root = row.slack_thread_of === null ? null : await placeOf(row.slack_thread_of).catch(() => null);
    const channel = root?.channel ?? deps.channel;
    if (!channel) return false;
    try {
      const posted = await client.chat.postMessage({
        channel,
        text:
          `Rentline could not post the card for escalation ${row.id} (tenancy ${loaded.model.tenancyRef}, ${loaded.model.reason}): ` +
          `Slack said ${reason}. Open it with \`/rent ${loaded.model.tenancyRef}\` or decide it with ` +
          `\`npm run rentline -- decide ${row.id} …\`; \`npm run rentline -- escalations\` lists it.`,
        unfurl_links: false,
        unfurl_media: false,
        ...(root ? { thread_ts: root.ts } : {}),
        metadata: { event_type: CARD_EVENT, event_payload: { escalation_id: row.id } },
      });
      await sql`update escalations set slack_channel = ${posted.channel ?? channel}, slack_ts = ${posted.ts ?? null}
                where id = ${row.id} and slack_ts is null`;
      return true;
    } catch {
      return false;
    }
  }

  async function giveUp(job: Job, slackError: string): Promise<Outcome> {
    const noticed = job.kind === 'post_card' && (await postNoticeInstead(job, slackError));
    const reason = `given up after ${job.attempts} attempt(s): ${slackError}${noticed ? '; a notice was posted in its place' : ''}`;
    logger.error(
      { source: 'slack', job: job.id, kind: job.kind, escalationId: job.escalation_id, slackError, noticed },
      'Slack would not take this outbox row; given up so later ones are not held back',
    );
    await finish(job, 'failed', reason);
    return 'failed';
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
      const log = { source: 'slack', job: job.id, kind: job.kind, escalationId: job.escalation_id, slackError };
      if (REFUSED_MESSAGE.has(slackError)) return giveUp(job, slackError);
      if (REFUSED_EVERYTHING.has(slackError)) {
        logger.error(log, 'Slack refuses the app or the channel; cards wait until it is fixed');
        await requeue(job, retryMaxMs, slackError, false);
        return 'retried';
      }
      logger.warn({ ...log, attempt: job.attempts }, 'Slack call failed');
      // Bounded: a row that keeps failing while Slack answers is given up; while Slack is down it waits.
      if (job.attempts >= maxAttempts && (await slackAnswers())) return giveUp(job, slackError);
      await requeue(job, Math.min(retryMaxMs, retryBaseMs * 2 ** (job.attempts - 1)), slackError, true);
      return 'retried';
    }
  }

  async function runOnce(control?: RoundControl): Promise<PosterCounts> {
    const abandoned = () => control?.signal.aborted === true;
    const counts = zero();
    const jobs = (await claimInLaneOrder(sql, { now: clock.now(), leaseMs, batchSize, prefix })).sort(
      (a, b) => a.id - b.id,
    );
    const lanes = new Map<string, Job[]>();
    for (const job of jobs) lanes.set(job.lane, [...(lanes.get(job.lane) ?? []), job]);
    const unfinished = new Set(jobs.map((j) => j.id));
    const untried: number[] = [];
    // The claims' lease runs again from now for every row still to do, every third of a lease, so a long
    // round is never taken back from under this poster and sent twice by another; the round's deadline is
    // renewed with them.
    let renewedAt = performance.now();
    async function keepClaims(): Promise<void> {
      if (performance.now() - renewedAt < leaseMs / 3) return;
      renewedAt = performance.now();
      await renewClaims([...unfinished]);
      control?.renewDeadline();
    }
    // Each lane in order, a few lanes side by side. A lane whose row failed or must wait stops there: the
    // rows behind it go back untried, in their place.
    async function runLane(lane: Job[]): Promise<void> {
      for (const [index, job] of lane.entries()) {
        // A round abandoned meanwhile (a statement that never settled) has had its claims taken back.
        if (abandoned()) throw new RoundAbandoned();
        await keepClaims();
        if (abandoned()) throw new RoundAbandoned();
        const outcome = await runJob(job);
        unfinished.delete(job.id);
        counts[outcome] += 1;
        if (outcome === 'retried' || outcome === 'deferred') {
          for (const behind of lane.slice(index + 1)) {
            untried.push(behind.id);
            unfinished.delete(behind.id);
          }
          return;
        }
      }
    }
    const queue = [...lanes.values()];
    // Every lane finishes (or fails) before the round ends, so no round's work outlives it.
    const settled = await Promise.allSettled(
      Array.from({ length: Math.min(LANES_AT_ONCE, queue.length) }, async () => {
        for (let lane = queue.shift(); lane; lane = queue.shift()) await runLane(lane);
      }),
    );
    if (abandoned()) throw new RoundAbandoned();
    await releaseUntried(sql, untried);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return counts;
  }

  const worker = createWakeLoop({
    sql,
    channel: SLACK_OUTBOX_CHANNEL,
    pollMs: deps.pollMs ?? 3_000,
    // A round that stops making progress (a statement on a killed connection that never settles) is
    // abandoned once its claims' lease, renewed with them, has run out: the next poll runs a fresh round.
    roundDeadlineMs: leaseMs,
    round: async (signal, renewDeadline) => {
      const counts = await runOnce({ signal, renewDeadline });
      return counts.sent + counts.skipped + counts.failed > 0;
    },
    onRoundError: (error) =>
      logger.error(
        { source: 'slack', err: errorFields(error) },
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
        if (counts.sent + counts.skipped + counts.failed === 0) break;
      }
      return total;
    },
    start: () => worker.start(),
    stop: () => worker.stop(),
  };
}
