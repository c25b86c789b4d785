// Operator listings: `outbox` (what is waiting to be sent, or was kept with no Twilio credentials),
// `escalations` (open ones, kept when Slack is not configured) and `evidence <ref>` (the contact log as CSV).
import { parseArgs } from 'node:util';
import { spreadsheetCell } from '../lib/csv.js';
import type { Queryable } from '../db/connect.js';
import { tenancyContactLog } from '../db/queries/contact-log.js';
import { listOutbox } from '../outbox/queue.js';
import { UsageError, type WithRuntime } from './shared.js';

function listOptions(args: string[]) {
  const { values } = parseArgs({ args, options: { all: { type: 'boolean' }, limit: { type: 'string' } } });
  return { all: values.all ?? false, limit: Number(values.limit ?? 50) };
}

export async function outboxCommand(args: string[], withRuntime: WithRuntime): Promise<number> {
  return withRuntime(async (rt) => {
    await printOutbox(rt.db.sql, listOptions(args));
    return 0;
  });
}

export async function escalationsCommand(args: string[], withRuntime: WithRuntime): Promise<number> {
  return withRuntime(async (rt) => {
    await printEscalations(rt.db.sql, listOptions(args));
    return 0;
  });
}

export async function evidenceCommand(args: string[], withRuntime: WithRuntime): Promise<number> {
  const [ref] = args;
  if (!ref) throw new UsageError('evidence needs a tenancy reference');
  return withRuntime(async (rt) => ((await printEvidence(rt.db.sql, ref)) > 0 ? 0 : 1));
}

function table(rows: readonly object[]): void {
  if (rows.length === 0) {
    console.log('(none)');
    return;
  }
  console.table(rows);
}

async function printOutbox(sql: Queryable, options: { all: boolean; limit: number }): Promise<void> {
  const rows = await listOutbox(sql, {
    ...(options.all ? {} : { status: ['queued', 'held', 'kept', 'blocked', 'failed', 'sending'] }),
    limit: options.limit,
  });
  table(rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() })));
}

async function printEscalations(sql: Queryable, options: { all: boolean; limit: number }): Promise<void> {
  const rows = await sql<
    {
      id: number;
      created_at: Date;
      tenancy_ref: string;
      reason: string;
      urgency: string;
      status: string;
      decided_by: string | null;
      summary: string;
    }[]
  >`
    select id::int as id, created_at, tenancy_ref, reason, urgency, status, decided_by, summary from escalations
    where ${options.all} or status = 'pending'
    order by (urgency = 'urgent') desc, created_at limit ${options.limit}`;
  table(rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() })));
}

/** The contact log of one tenancy, oldest first, with each message's text: the pre-action protocol evidence. */
async function printEvidence(sql: Queryable, tenancyRef: string): Promise<number> {
  const lines = await tenancyContactLog(sql, tenancyRef);
  console.log(
    ['at', 'tenant_no', 'event', 'actor', 'channel', 'direction', 'message_status', 'message_text', 'detail'].join(','),
  );
  for (const l of lines) {
    const row = [
      l.at,
      l.tenantNo,
      l.event,
      l.actor,
      l.channel,
      l.message?.direction,
      l.message?.status,
      l.message?.body,
      l.detail,
    ];
    console.log(row.map(spreadsheetCell).join(','));
  }
  return lines.length;
}
