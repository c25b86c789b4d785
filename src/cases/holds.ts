// Officers set and clear holds where they work (Slack, the CLI, the API), all through these use-cases:
// mark or clear `vulnerable` (with a review date), clear a dispute (its hand-off is settled with it),
// resolve a crisis (handing a conversation back never does). Each runs in one transaction, is logged in
// the contact log with the officer and the note, and re-renders the tenancy's open Slack cards. The next
// job run then treats the tenancy afresh (docs/rules.md, "Holds").
import type { Sql, TransactionSql } from '../db/connect.js';
import { appendContactLog, appendContactLogs, type ContactLogKind } from '../db/queries/contact-log.js';
import { closePendingEscalations, resolveCrises } from '../db/queries/escalations.js';

export type HoldChange =
  | { outcome: 'changed'; tenants: number[] }
  | { outcome: 'unchanged' }
  | { outcome: 'not_found' }
  | { outcome: 'no_such_tenant' };

interface OfficerNote {
  tenancyRef: string;
  /** How the officer is named in the contact log: `officer:U123` (Slack), `cli:Sam`, `api:Sam`. */
  actor: string;
  note: string | null;
  now: Date;
}

async function tenancyExists(tx: TransactionSql, ref: string): Promise<boolean> {
  const [row] = await tx`select 1 from tenancies where tenancy_ref = ${ref} for update`;
  return Boolean(row);
}

async function log(
  tx: TransactionSql,
  input: OfficerNote,
  tenantNo: number | null,
  event: ContactLogKind,
  detail: Record<string, unknown>,
): Promise<void> {
  await appendContactLog(tx, {
    at: input.now,
    tenancyRef: input.tenancyRef,
    tenantNo,
    event,
    actor: input.actor,
    detail: { ...detail, note: input.note },
  });
}

/** Cards of the tenancy still open in Slack show the change (escalations whose status changed re-render anyway). */
async function rerenderCards(tx: TransactionSql, ref: string, now: Date): Promise<void> {
  const cards = await tx`
    insert into slack_outbox (kind, escalation_id, created_at)
    select 'update_card', e.id, ${now}::timestamptz from escalations e
    where e.tenancy_ref = ${ref} and e.slack_ts is not null
      and (e.status = 'pending' or (e.reason = 'crisis' and e.crisis_resolved_at = ${now}))
    returning id`;
  if (cards.length > 0) await tx`select pg_notify('rentline_slack', '')`;
}

/**
 * Marks (or clears) a tenant vulnerable. `tenantNo` null: the lead tenant when marking, every tenant when
 * clearing. The officer's decision stands over the housing system's flag on later imports.
 */
export async function setVulnerable(
  sql: Sql,
  input: OfficerNote & { tenantNo: number | null; vulnerable: boolean; reviewOn: string | null },
): Promise<HoldChange> {
  if (input.reviewOn !== null && !/^\d{4}-\d{2}-\d{2}$/.test(input.reviewOn))
    throw new Error('the review date must be YYYY-MM-DD, for example 2027-03-01');
  return sql.begin(async (tx): Promise<HoldChange> => {
    if (!(await tenancyExists(tx, input.tenancyRef))) return { outcome: 'not_found' };
    const tenantNo = input.tenantNo ?? (input.vulnerable ? 1 : null);
    const rows = await tx<{ tenant_no: number; vulnerable: boolean }[]>`
      select tenant_no, vulnerable from tenants where tenancy_ref = ${input.tenancyRef} ${tenantNo === null ? tx`` : tx`and tenant_no = ${tenantNo}`} for update`;
    if (rows.length === 0) return { outcome: 'no_such_tenant' };
    // Marking again updates the review date and note; clearing touches only tenants marked.
    const changing = (input.vulnerable ? rows : rows.filter((r) => r.vulnerable)).map((r) => r.tenant_no);
    if (changing.length === 0) return { outcome: 'unchanged' };
    await tx`
      update tenants set vulnerable = ${input.vulnerable}, vulnerable_by_officer = ${input.vulnerable},
        vulnerable_since = ${input.vulnerable ? input.now : null}, vulnerable_review_on = ${input.vulnerable ? input.reviewOn : null},
        vulnerable_note = ${input.note}, updated_at = ${input.now}
      where tenancy_ref = ${input.tenancyRef} and tenant_no = any(${changing}::smallint[])`;
    for (const no of changing) {
      await log(
        tx,
        input,
        no,
        input.vulnerable ? 'vulnerability_marked' : 'vulnerability_cleared',
        input.vulnerable ? { reviewOn: input.reviewOn } : {},
      );
    }
    await rerenderCards(tx, input.tenancyRef, input.now);
    return { outcome: 'changed', tenants: changing };
  });
}

/** Clears a disputed balance for the whole tenancy, with the outcome; the "already paid" hand-off is settled with it. */
export async function clearDispute(sql: Sql, input: OfficerNote): Promise<HoldChange> {
  return sql.begin(async (tx): Promise<HoldChange> => {
    if (!(await tenancyExists(tx, input.tenancyRef))) return { outcome: 'not_found' };
    const cleared = await tx<{ tenant_no: number }[]>`
      update tenants set disputed_at = null, updated_at = ${input.now}
      where tenancy_ref = ${input.tenancyRef} and disputed_at is not null returning tenant_no`;
    if (cleared.length === 0) return { outcome: 'unchanged' };
    await closePendingEscalations(tx, { tenancyRef: input.tenancyRef, reason: 'already_paid' }, input.actor, input.now);
    await log(tx, input, null, 'dispute_cleared', { tenants: cleared.map((r) => r.tenant_no) });
    await rerenderCards(tx, input.tenancyRef, input.now);
    return { outcome: 'changed', tenants: cleared.map((r) => r.tenant_no) };
  });
}

/** Resolves every open crisis hand-off of the tenancy: automated texts may resume. */
export async function resolveCrisis(sql: Sql, input: OfficerNote): Promise<HoldChange> {
  return sql.begin(async (tx): Promise<HoldChange> => resolveCrisisIn(tx, input));
}

async function resolveCrisisIn(tx: TransactionSql, input: OfficerNote): Promise<HoldChange> {
  if (!(await tenancyExists(tx, input.tenancyRef))) return { outcome: 'not_found' };
  const resolved = await resolveCrises(tx, input.tenancyRef, input.actor, input.now);
  if (resolved.length === 0) return { outcome: 'unchanged' };
  await appendContactLogs(
    tx,
    resolved.map((r) => ({
      at: input.now,
      tenancyRef: input.tenancyRef,
      tenantNo: r.tenant_no,
      event: 'crisis_resolved' as const,
      actor: input.actor,
      escalationId: r.id,
      detail: { note: input.note },
    })),
  );
  await rerenderCards(tx, input.tenancyRef, input.now);
  return { outcome: 'changed', tenants: [...new Set(resolved.map((r) => r.tenant_no))] };
}
