// What the per-sender reply limit (rent/reply-limit.ts, docs/rules.md#reply-limit) reads and writes. Counted
// in the database, under the senders' advisory locks that every inbound path takes first, so two replicas
// and the batched and one-text paths all count the same replies. The reads go through the tenants' own
// indexes (messages by tenant and time, contact log by tenancy and time): nothing new to index on the
// busiest table.
import type { Queryable } from '../db/connect.js';
import { loggedSince } from '../db/queries/contact-log.js';
import type { PipelinedSql } from '../db/pipelined.js';
import type { SenderActivity } from '../rent/reply-limit.js';
import { recordInbound, type InboundRecord } from './store.js';

/** The contact-log event of a pause an officer was told of; the window's "told once" reads it back. */
export const PAUSE_TOLD_EVENT = 'automated_replies_paused';

/** Contact-log detail of a text received while replies are paused: kept as evidence, not mirrored to Slack. */
export const PAUSED_TEXT_DETAIL = { automated_replies_paused: true } as const;

export const NO_ACTIVITY: SenderActivity = { repliesInWindow: 0, textsInWindow: 0, pauseToldInWindow: false };

/**
 * Every sender's activity since `since`, in ONE statement sent at once (execute), so it can be pipelined
 * behind the senders' locks. Counted over every tenant the number belongs to; a number with none is absent.
 */
export function readSendersActivity(
  tx: Queryable | PipelinedSql,
  mobiles: readonly string[],
  since: Date,
): Promise<Map<string, SenderActivity>> {
  const rows = tx<{ mobile: string; replies: number; texts: number; told: boolean }[]>`
    select s.mobile, sum(x.replies)::int as replies, sum(x.texts)::int as texts, bool_or(x.told) as told
    from unnest(${mobiles as string[]}::text[]) as s(mobile)
    join tenants t on t.mobile_e164 = s.mobile
    cross join lateral (
      select
        count(*) filter (where m.direction = 'outbound' and m.purpose = 'reply' and m.to_address = s.mobile) as replies,
        count(*) filter (where m.direction = 'inbound' and m.from_address = s.mobile) as texts,
        ${loggedSince(tx, { tenancyRef: tx`t.tenancy_ref`, tenantNo: tx`t.tenant_no`, event: PAUSE_TOLD_EVENT, since })} as told
      from messages m
      where m.tenancy_ref = t.tenancy_ref and m.tenant_no = t.tenant_no and m.created_at > ${since}::timestamptz
    ) as x
    group by s.mobile`.execute();
  return rows.then(
    (found) =>
      new Map(
        found.map((r) => [r.mobile, { repliesInWindow: r.replies, textsInWindow: r.texts, pauseToldInWindow: r.told }]),
      ),
  );
}

/**
 * A text received while replies are paused, as recordInbound (store.ts) records any text but with the session
 * left as it was: the tenant's last-inbound times, the message linked to its tenant and conversation, and its
 * received line, marked so it is not mirrored to Slack (unless `mirrored`: the text that raised the pause).
 */
export async function recordPausedText(tx: Queryable, r: InboundRecord & { mirrored: boolean }): Promise<void> {
  await recordInbound(tx, { ...r, save: null, ...(r.mirrored ? {} : { detail: PAUSED_TEXT_DETAIL }) });
}
