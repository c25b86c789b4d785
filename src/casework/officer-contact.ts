// Contact an officer makes outside Rentline's texts: calls, visits, letters and emails, logged into the
// contact log with the tenant, the outcome and a note (and, when discussed, the cause of the arrears and
// the officer's vulnerability review), so they count as pre-action protocol evidence like any text.
import type { Sql } from '../db/connect.js';
import { insertContactLogs } from '../db/queries/contact-log.js';
import { closePendingEscalations } from '../db/queries/escalations.js';

export const CONTACT_KINDS = ['call', 'visit', 'letter', 'email'] as const;
type ContactKind = (typeof CONTACT_KINDS)[number];

export function isContactKind(text: string): text is ContactKind {
  return (CONTACT_KINDS as readonly string[]).includes(text);
}

interface OfficerContact {
  tenancyRef: string;
  /** Null: the lead tenant. */
  tenantNo: number | null;
  kind: ContactKind;
  outcome: string | null;
  note: string | null;
  /** What the tenant said caused the arrears, when it was discussed. */
  cause?: string | null;
  /** The officer's vulnerability review, when one was made. */
  vulnerability?: string | null;
  /** A Slack user id or `cli:<name>`. */
  officer: string;
  now: Date;
}

type OfficerContactResult =
  | { outcome: 'logged'; contactLogId: number; tenancyRef: string; tenantNo: number }
  | { outcome: 'not_found' }
  | { outcome: 'no_such_tenant'; tenants: number[] };

const MAX_TEXT = 2000;

function clean(text: string | null | undefined): string | null {
  const trimmed = (text ?? '').trim();
  return trimmed === '' ? null : trimmed.slice(0, MAX_TEXT);
}

export async function logOfficerContact(sql: Sql, c: OfficerContact): Promise<OfficerContactResult> {
  const tenants = await sql<{ tenancy_ref: string; tenant_no: number }[]>`
    select tenancy_ref, tenant_no from tenants where tenancy_ref = ${c.tenancyRef} order by tenant_no`;
  const [lead] = tenants;
  if (!lead) return { outcome: 'not_found' };
  const tenantNo = c.tenantNo ?? lead.tenant_no;
  if (!tenants.some((t) => t.tenant_no === tenantNo))
    return { outcome: 'no_such_tenant', tenants: tenants.map((t) => t.tenant_no) };
  const detail = Object.fromEntries(
    Object.entries({
      outcome: clean(c.outcome),
      note: clean(c.note),
      cause: clean(c.cause),
      vulnerability: clean(c.vulnerability),
    }).filter(([, v]) => v !== null),
  );
  // The contact an officer logs is the early contact a held account's task asked for: that task is settled in
  // the same statement (its card re-renders as every escalation whose status changes does).
  const officer = `officer:${c.officer}`;
  const entry = {
    at: c.now,
    tenancyRef: lead.tenancy_ref,
    tenantNo,
    event: `contact_${c.kind}` as const,
    actor: officer,
    detail,
  };
  const [row] = await sql<{ id: number }[]>`
    with logged as (${insertContactLogs(sql, [entry])}),
    settled as (${closePendingEscalations(sql, { tenancyRef: lead.tenancy_ref, reason: 'held_contact' }, officer, c.now)})
    select id from logged`;
  return { outcome: 'logged', contactLogId: (row as { id: number }).id, tenancyRef: lead.tenancy_ref, tenantNo };
}
