// The Slack outbox's lanes: work that Slack must show in order shares a lane, and a lane is taken strictly
// in the order its rows were queued. Top-level cards and digests share the escalation channel's lane (the
// order officers read the channel in), but urgent hand-offs (a crisis, a person asked for) have a lane of
// their own, and so have held accounts' tasks; a card's thread (tenants' texts mirrored into it, the card
// for the tenant's answer to a counter-offer) is a lane of its own, opened only once the card it hangs from
// is in Slack; a card's re-renders are a lane per card, after its post. A row whose lane has an earlier row
// still waiting (backing off after a failure, being sent by another poster, or waiting for its parent) is
// not claimed, so one failing card holds back the cards raised after it and nothing overtakes it within its
// lane. Across lanes, an urgent hand-off's work (its card, its re-renders, the tenant's texts in its thread)
// is claimed first, held accounts' tasks last (they are on the worklist too), the rest in queue order
// between: on a pilot's first day the daily job raises thousands of held-account cards at once, and Slack
// takes about one post a second, so a crisis card, or a tenant's offer, queued behind them in one lane would
// have waited well over an hour.
import type { Queryable, Sql } from '../db/connect.js';

export interface Job {
  id: number;
  kind: 'post_card' | 'update_card' | 'mirror_message' | 'post_digest';
  /** Null only for post_digest, which belongs to no escalation. */
  escalation_id: number;
  message_id: number | null;
  attempts: number;
  lane: string;
}

interface ClaimOptions {
  now: Date;
  leaseMs: number;
  batchSize: number;
  /** Only rows of tenancies whose ref starts so (the simulator's Slack); the others are not in its lanes. */
  prefix: string | null;
}

/**
 * Claims, committing at once, the leading rows of every lane that nothing earlier holds back, up to
 * `batchSize` in all, in queue order. Claims are taken one at a time (a transaction-level advisory lock),
 * and each statement after the lock sees every claim, retry and release committed before it: two posters'
 * claims could otherwise both read a lane as free, then split its rows between them (each locking some)
 * and post them side by side out of turn, or retry a row whose backoff had just begun.
 */
export async function claimInLaneOrder(sql: Sql, options: ClaimOptions): Promise<Job[]> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtextextended('rentline:slack_outbox_claim', 0))`;
    return claimIn(tx, options);
  });
}

async function claimIn(sql: Queryable, options: ClaimOptions): Promise<Job[]> {
  const { now, batchSize, prefix } = options;
  await sql`update slack_outbox set status = 'queued', claimed_at = null where status = 'sending' and claimed_at < ${new Date(now.getTime() - options.leaseMs)}`;
  return sql<Job[]>`
    with open as materialized (
      select o.id, o.kind, o.status, o.not_before, o.escalation_id,
        case
          when o.kind = 'update_card' then 'card:' || o.escalation_id
          when o.kind = 'mirror_message' then 'thread:' || o.escalation_id
          when o.kind = 'post_card' and e.slack_thread_of is not null then 'thread:' || e.slack_thread_of
          when o.kind = 'post_card' and e.urgency = 'urgent' then 'urgent'
          when o.kind = 'post_card' and e.reason = 'held_contact' then 'held'
          else 'channel'
        end as lane,
        -- The card that must be in Slack first: a thread's root, or the card being re-rendered.
        case when o.kind = 'post_card' then e.slack_thread_of else o.escalation_id end as after_card,
        -- An urgent hand-off's work (its card, re-renders, the tenant's texts in its thread) goes first;
        -- held accounts' tasks (also on the worklist) last.
        case when e.urgency = 'urgent' then 0 when e.reason = 'held_contact' then 2 else 1 end as priority
      from slack_outbox o left join escalations e on e.id = o.escalation_id
      where o.status in ('queued', 'sending')
        and (${prefix}::text is null or starts_with(e.tenancy_ref, ${prefix}))
    ),
    ranked as (
      select o.id, o.lane, o.priority,
        row_number() over lane_order as place,
        count(*) filter (
          where o.status = 'sending'
             or o.not_before > ${now}
             or exists (select 1 from open p where p.kind = 'post_card' and p.escalation_id = o.after_card)
        ) over lane_order as held_back
      from open o
      window lane_order as (partition by o.lane order by o.id)
    ),
    candidates as materialized (
      select id, lane from ranked where held_back = 0 and place <= ${batchSize}
      order by priority, id
      limit ${batchSize}
    ),
    locked as (
      select o.id from slack_outbox o
      where o.id in (select id from candidates) and o.status = 'queued'
      for update of o skip locked
    )
    update slack_outbox s set status = 'sending', claimed_at = ${now}, attempts = s.attempts + 1
    from candidates c
    where s.id = c.id and s.id in (select id from locked)
    returning s.id::int as id, s.kind, s.escalation_id::int as escalation_id, s.message_id::int as message_id,
      s.attempts, c.lane`;
}

/** Hands back claimed rows that were not tried (their lane stopped this round), as if never claimed. */
export async function releaseUntried(sql: Sql, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    update slack_outbox set status = 'queued', claimed_at = null, attempts = attempts - 1
    where id = any(${ids}::bigint[]) and status = 'sending'`;
}
