// The transactional outbox's front door. Callers queue a message INSIDE the transaction that caused it,
// so the message exists exactly when the state change that asked for it commits; the dispatcher sends it.
import type { Queryable } from '../db/connect.js';
import { writeOutbound } from '../db/queries/messages.js';
import { MESSAGE_PURPOSES, type MessagePurpose, type OutboundChannel } from './types.js';

/** The channel a NOTIFY on this name wakes the dispatcher through. */
export const OUTBOX_CHANNEL = 'rentline_outbox';

export interface NewOutboundMessage {
  /** Null only for replies to numbers we cannot match to a tenant (they disclose nothing). */
  tenancyRef: string | null;
  tenantNo: number | null;
  conversationId: number | null;
  channel: OutboundChannel;
  /** E.164, without any `whatsapp:` prefix. */
  to: string;
  body: string;
  purpose: MessagePurpose;
  /** WhatsApp template used when the 24-hour window is closed; the body is the SMS fallback text. */
  templateKey?: string | null;
  templateVariables?: Record<string, string> | null;
  notBefore?: Date | null;
  /** The contact rule said no when it was queued: kept as evidence (status `blocked`, this reason), never sent. */
  blockedReason?: string | null;
  now: Date;
}

const E164 = /^\+[1-9]\d{6,14}$/;

function assertValid(message: NewOutboundMessage): void {
  // Programming mistakes, not user input: say which field and what it must be, never the value itself.
  if (!E164.test(message.to))
    throw new Error('enqueueMessage: `to` must be an E.164 number such as +447700900123 (no whatsapp: prefix)');
  if (message.channel !== 'sms' && message.channel !== 'whatsapp')
    throw new Error('enqueueMessage: `channel` must be sms or whatsapp');
  if (!MESSAGE_PURPOSES.includes(message.purpose))
    throw new Error(`enqueueMessage: \`purpose\` must be one of ${MESSAGE_PURPOSES.join(', ')}`);
  if (message.body.trim() === '')
    throw new Error('enqueueMessage: `body` must not be empty (it is also the SMS fallback for templates)');
  if ((message.tenancyRef === null) !== (message.tenantNo === null))
    throw new Error('enqueueMessage: give both tenancyRef and tenantNo, or neither');
}

/** The same checks, for writers that queue many messages in one statement (conversations/bulk-start.ts). */
export const assertValidOutbound: (message: NewOutboundMessage) => void = assertValid;

/**
 * Queues one outbound message (status `queued`, or `blocked` with the rule's reason) and logs it, through
 * the one writer of outbound rows (db/queries/messages.ts); returns the message id. Call inside your
 * transaction: the NOTIFY is delivered at commit (and dropped on rollback).
 */
export async function enqueueMessage(tx: Queryable, message: NewOutboundMessage): Promise<number> {
  assertValid(message);
  const [row] = await writeOutbound(tx, OUTBOX_CHANNEL, [message], message.now);
  if (!row) throw new Error('enqueueMessage: the insert returned no id');
  return row.id;
}

export interface OutboxRow {
  id: number;
  tenancy_ref: string | null;
  tenant_no: number | null;
  channel: OutboundChannel;
  purpose: MessagePurpose;
  status: string;
  blocked_reason: string | null;
  error_code: number | null;
  attempts: number;
  not_before: Date | null;
  created_at: Date;
  sent_at: Date | null;
  body: string;
}

/** Outbound messages, newest first, for the CLI (`kept` ones are how an unconfigured install shows its texts). */
export async function listOutbox(
  sql: Queryable,
  filter: { status?: string[]; limit?: number } = {},
): Promise<OutboxRow[]> {
  const limit = Math.max(1, Math.min(filter.limit ?? 100, 10_000));
  const statuses = filter.status && filter.status.length > 0 ? filter.status : null;
  return sql<OutboxRow[]>`
    select id::int as id, tenancy_ref, tenant_no, channel, purpose, status, blocked_reason, error_code, attempts,
           not_before, created_at, sent_at, body
    from messages
    where direction = 'outbound' ${statuses ? sql`and status = any(${statuses})` : sql``}
    order by created_at desc, id desc
    limit ${limit}`;
}
