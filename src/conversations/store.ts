// Persistence for conversations and tenants' contact state (contact-log lines: db/queries/contact-log.ts).
// Every function takes the transaction it runs in, so a state change and the messages it causes commit together.
import { jsonParam } from '../db/params.js';
import type { Queryable } from '../db/connect.js';
import { tenancyJson, type TenancyRow } from '../accounts/queries.js';
import type { Channel, Session } from '../engine/types.js';
import type { LedgerEntry } from '../rent/types.js';
import { insertContactLogs } from '../db/queries/contact-log.js';
import { factsFromJson, holdFactsColumns } from '../db/queries/holds.js';
import { holdsOf, type Hold } from '../rent/holds.js';
import {
  contactTenantFromJson,
  contactTenantJson,
  type ContactTenant,
  type ContactTenantJson,
} from '../db/queries/tenants.js';

interface ConversationRow {
  id: number;
  tenancy_ref: string;
  tenant_no: number;
  flow_id: string;
  channel: Channel;
  session: Session;
  taken_over_by: string | null;
}

export async function openConversation(
  sql: Queryable,
  tenancyRef: string,
  tenantNo: number,
): Promise<ConversationRow | null> {
  const [row] = await sql<ConversationRow[]>`
    select id::int as id, tenancy_ref, tenant_no, flow_id, channel, session, taken_over_by from conversations
    where tenancy_ref = ${tenancyRef} and tenant_no = ${tenantNo} and status = 'active' for update`;
  return row ?? null;
}

export async function conversationById(sql: Queryable, id: number): Promise<ConversationRow | null> {
  const [row] = await sql<ConversationRow[]>`
    select id::int as id, tenancy_ref, tenant_no, flow_id, channel, session, taken_over_by from conversations where id = ${id} for update`;
  return row ?? null;
}

export async function insertConversation(
  sql: Queryable,
  c: { tenancyRef: string; tenantNo: number; channel: Channel; session: Session; now: Date },
): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    insert into conversations (tenancy_ref, tenant_no, flow_id, flow_version, channel, status, session, started_at, updated_at, ended_at)
    values (${c.tenancyRef}, ${c.tenantNo}, ${c.session.flowId}, ${c.session.flowVersion}, ${c.channel}, ${c.session.status},
      ${jsonParam(sql, c.session)}, ${c.now}, ${c.now}, ${c.session.status === 'ended' ? c.now : null})
    returning id::int as id`;
  return (row as { id: number }).id;
}

/**
 * Many conversations in ONE statement (a batch's texts that each start one), as insertConversation writes
 * each; resolves to their ids in input order (ids are drawn in insertion order).
 */
export async function insertConversations(
  sql: Queryable,
  rows: readonly { tenancyRef: string; tenantNo: number; channel: Channel; session: Session }[],
  now: Date,
): Promise<number[]> {
  if (rows.length === 0) return [];
  const inserted = await sql<{ id: number }[]>`
    insert into conversations (tenancy_ref, tenant_no, flow_id, flow_version, channel, status, session, started_at, updated_at, ended_at)
    select c.tenancy_ref, c.tenant_no, c.session->>'flowId', c.session->>'flowVersion', c.channel, c.session->>'status', c.session,
           ${now}::timestamptz, ${now}::timestamptz, case when c.session->>'status' = 'ended' then ${now}::timestamptz end
    from unnest(${rows.map((r) => r.tenancyRef)}::text[], ${rows.map((r) => r.tenantNo)}::smallint[], ${rows.map((r) => r.channel)}::text[],
                ${sql.array(rows.map((r) => JSON.stringify(r.session)))}::jsonb[])
      with ordinality as c(tenancy_ref, tenant_no, channel, session, ord)
    order by c.ord
    returning id::int as id`;
  return inserted.map((r) => r.id).sort((a, b) => a - b);
}

export async function saveSession(sql: Queryable, id: number, session: Session, now: Date): Promise<void> {
  await sql`
    update conversations set session = ${jsonParam(sql, session)}, status = ${session.status}, updated_at = ${now},
      ended_at = case when ${session.status} = 'ended' then ${now}::timestamptz else null end
    where id = ${id}`;
}

/**
 * Serialises everything that moves one tenant's conversation (their texts, officers' decisions, timers)
 * by the mobile number, so two of them never load and save the same session at once.
 */
export function lockConversationsOf(tx: Queryable, mobile: string) {
  return tx`select pg_advisory_xact_lock(hashtextextended(${`conversation:${mobile}`}, 0))`;
}

export interface SenderState {
  tenant: ContactTenant;
  tenancy: TenancyRow;
  ledger: LedgerEntry[];
  open: ConversationRow | null;
  /** Every hold on the sender's tenancy now (an open crisis, Breathing Space, a dispute...). */
  holds: Hold[];
}

/**
 * Everything an inbound text needs, in ONE query: the tenant linked to the number (one with an open
 * conversation first, then the current tenancy), their tenancy, ledger, open conversation and whether a
 * crisis hand-off is open. A webhook's cost is its round trips to Postgres, so this matters.
 */
export async function loadSenderState(
  tx: Queryable,
  mobile: string,
  now: Date,
  timeZone: string,
): Promise<SenderState | null> {
  return (await loadSendersState(tx, [mobile], now, timeZone)).get(mobile) ?? null;
}

type LedgerTuple = [
  date: string,
  type: LedgerEntry['type'],
  amountPence: number,
  account: LedgerEntry['account'],
  description: string,
];
type StateRow = {
  mobile: string;
  tenant: ContactTenantJson;
  tenancy: TenancyRow;
  ledger: LedgerTuple[] | null;
  open: ConversationRow | null;
} & HoldFactsRow;
type HoldFactsRow = { tenants: Parameters<typeof factsFromJson>[0]; crises: Parameters<typeof factsFromJson>[1] };

/**
 * The sender state of many numbers in ONE query (a batch of texts reads all its senders at once). The
 * query is sent at once (execute), so callers can pipeline it behind the senders' locks. A number with no
 * tenant is absent.
 */
export async function loadSendersState(
  tx: Queryable,
  mobiles: readonly string[],
  now: Date,
  timeZone: string,
): Promise<Map<string, SenderState>> {
  const rows = await tx<StateRow[]>`
    select s.mobile, x.*
    from unnest(${mobiles as string[]}::text[]) as s(mobile)
    cross join lateral (
      select
        ${contactTenantJson(tx, 't')} as tenant,
        ${tenancyJson(tx)} as tenancy,
        -- Rows as arrays, not objects: cheaper for Postgres to build and for us to parse, per text.
        (select json_agg(json_build_array(x.date, x.type, x.amount_pence, x.account, x.description) order by x.date, x.transaction_id)
           from transactions x where x.tenancy_ref = t.tenancy_ref) as ledger,
        case when c.id is null then null else json_build_object('id', c.id, 'tenancy_ref', c.tenancy_ref, 'tenant_no', c.tenant_no,
          'flow_id', c.flow_id, 'channel', c.channel, 'session', c.session, 'taken_over_by', c.taken_over_by) end as open,
        -- The whole tenancy's holds: a joint tenant's Breathing Space, dispute or crisis holds this tenant too.
        ${holdFactsColumns(tx)}
      from tenants t
      join tenancies y using (tenancy_ref)
      cross join lateral (select t.tenancy_ref) as h(tenancy_ref)
      left join conversations c on c.tenancy_ref = t.tenancy_ref and c.tenant_no = t.tenant_no and c.status = 'active'
      where t.mobile_e164 = s.mobile
      order by (c.id is not null) desc, (y.end_date is null) desc, y.start_date desc, t.tenancy_ref, t.tenant_no
      limit 1
    ) as x`.execute();
  const states = new Map<string, SenderState>();
  for (const row of rows) {
    const ledger = (row.ledger ?? []).map(([date, type, amountPence, account, description]): LedgerEntry => ({
      date,
      type,
      amountPence,
      account,
      description,
    }));
    const facts = factsFromJson(row.tenants, row.crises);
    states.set(row.mobile, {
      tenant: contactTenantFromJson(row.tenant),
      tenancy: row.tenancy,
      ledger,
      open: row.open,
      holds: holdsOf(facts.tenants, facts.crises, now, timeZone),
    });
  }
  return states;
}

/** A stored inbound text as its tenant's records take it: whose, which message, which conversation, when. */
export interface InboundRecord {
  tenancyRef: string;
  tenantNo: number;
  messageId: number;
  conversationId: number | null;
  channel: Channel;
  now: Date;
  lastWhatsappInboundAt: Date | null;
}

/**
 * Everything an inbound text records besides its effects, as one statement: the tenant's last-inbound
 * times, the message linked to its tenant and conversation, its contact-log line, and the saved session.
 */
export async function recordInbound(
  tx: Queryable,
  r: InboundRecord & {
    save: { id: number; session: Session } | null;
    /** The received line's detail (a text stored while automated replies are paused says so). */
    detail?: Record<string, unknown>;
  },
): Promise<void> {
  const saveId = r.save?.id ?? null;
  const session = r.save?.session ?? null;
  await tx`
    with touched as (
      update tenants set last_inbound_at = ${r.now}, last_whatsapp_inbound_at = ${r.lastWhatsappInboundAt}
      where tenancy_ref = ${r.tenancyRef} and tenant_no = ${r.tenantNo}
    ), linked as (
      update messages set tenancy_ref = ${r.tenancyRef}, tenant_no = ${r.tenantNo}, conversation_id = ${r.conversationId} where id = ${r.messageId}
    ), logged as (
      ${insertContactLogs(tx, [
        {
          at: r.now,
          tenancyRef: r.tenancyRef,
          tenantNo: r.tenantNo,
          event: 'message_received',
          actor: 'tenant',
          channel: r.channel,
          messageId: r.messageId,
          ...(r.detail ? { detail: r.detail } : {}),
        },
      ])}
    ), saved as (
      update conversations set session = ${session === null ? null : jsonParam(tx, session)}, status = ${session?.status ?? 'active'}, updated_at = ${r.now},
        ended_at = case when ${session?.status ?? 'active'} = 'ended' then ${r.now}::timestamptz else null end
      where id = ${saveId}
    )
    select 1`;
}
