// The statements of parked texts (migrations/0080_inbound_parked.sql): texts stored by the webhook in one
// cheap insert because their processing did not commit within its bounded wait (inbound-intake.ts). A batch
// reads its senders' parked texts under their locks and takes them first (receive-batch.ts); the intake's
// worker feeds leftovers (a process killed before its batch committed) back through the batcher.
import type { Queryable } from '../db/connect.js';
import type { PipelinedSql } from '../db/pipelined.js';
import type { Channel } from '../engine/index.js';
import type { InboundText } from './receive.js';

/** Failed attempts after which a parked text is kept for an operator and no longer taken by the worker. */
export const PARKED_MAX_ATTEMPTS = 5;

export interface ParkedText {
  id: number;
  inbound: InboundText;
  /** Already in messages: received by a batch whose commit the parking did not see. */
  received: boolean;
}

interface ParkedRow {
  id: number;
  twilio_sid: string;
  from_address: string;
  to_address: string;
  body: string;
  channel: Channel;
  received_at: Date;
  received: boolean;
}

function parkedOf(row: ParkedRow): ParkedText {
  return {
    id: row.id,
    inbound: {
      messageSid: row.twilio_sid,
      from: row.from_address,
      to: row.to_address,
      body: row.body,
      channel: row.channel,
      receivedAt: row.received_at,
    },
    received: row.received,
  };
}

/**
 * Stores the texts as they arrived, in ONE statement, once per MessageSid (a Twilio retry of a parked text is
 * not a second row): under a backlog many webhooks park at once, and one commit each would add to it.
 */
export async function parkTexts(sql: Queryable, texts: readonly InboundText[], now: Date): Promise<void> {
  if (texts.length === 0) return;
  await sql`
    insert into inbound_parked (twilio_sid, from_address, to_address, body, channel, received_at, parked_at)
    select t.sid, t.from_address, t.to_address, t.body, t.channel, t.received_at, ${now}::timestamptz
    from unnest(${texts.map((t) => t.messageSid)}::text[], ${texts.map((t) => t.from)}::text[], ${texts.map((t) => t.to)}::text[],
                ${texts.map((t) => t.body)}::text[], ${texts.map((t) => t.channel)}::text[],
                ${texts.map((t) => (t.receivedAt ?? now).toISOString())}::timestamptz[])
      with ordinality as t(sid, from_address, to_address, body, channel, received_at, ord)
    order by t.ord
    on conflict (twilio_sid) do nothing`;
}

/** The senders' parked texts in arrival order, read under their locks; the statement is sent at once. */
export async function parkedTextsOf(tx: PipelinedSql, mobiles: readonly string[]): Promise<ParkedText[]> {
  const rows = await tx<ParkedRow[]>`
    select p.id::int as id, p.twilio_sid, p.from_address, p.to_address, p.body, p.channel, p.received_at,
           exists (select 1 from messages m where m.twilio_sid = p.twilio_sid) as received
    from inbound_parked p
    where p.from_address = any(${mobiles as string[]}::text[])
    order by p.received_at, p.id`.execute();
  return rows.map(parkedOf);
}

/** Parked texts now received (or found received): gone with the transaction that received them. */
export function unparkTexts(tx: PipelinedSql, ids: readonly number[]) {
  return tx`delete from inbound_parked where id = any(${ids as number[]}::bigint[])`;
}

/**
 * Parked texts for the worker, oldest first: all of them (at start: a killed process's leftovers), or those
 * parked before `parkedBefore` (a live batch normally takes its own within moments). Given up ones are left.
 */
export async function dueParkedTexts(sql: Queryable, parkedBefore: Date | null, limit: number): Promise<ParkedText[]> {
  const rows = await sql<ParkedRow[]>`
    select p.id::int as id, p.twilio_sid, p.from_address, p.to_address, p.body, p.channel, p.received_at,
           exists (select 1 from messages m where m.twilio_sid = p.twilio_sid) as received
    from inbound_parked p
    where p.attempts < ${PARKED_MAX_ATTEMPTS} ${parkedBefore ? sql`and p.parked_at < ${parkedBefore}` : sql``}
    order by p.received_at, p.id
    limit ${limit}`;
  return rows.map(parkedOf);
}

/** A worker's attempt failed: counted, with the error's kind only (never the text). */
export async function recordParkedFailure(sql: Queryable, id: number, error: unknown): Promise<number> {
  const kind =
    error instanceof Error ? `${error.name}${'code' in error ? ` ${String(error.code)}` : ''}` : typeof error;
  const [row] = await sql<{ attempts: number }[]>`
    update inbound_parked set attempts = attempts + 1, last_error = ${kind} where id = ${id} returning attempts`;
  return row?.attempts ?? 0;
}

/** A parked text already in messages (the worker found it received): nothing left to do. */
export async function dropReceivedParked(sql: Queryable, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`delete from inbound_parked p where p.id = any(${ids as number[]}::bigint[])
    and exists (select 1 from messages m where m.twilio_sid = p.twilio_sid)`;
}
