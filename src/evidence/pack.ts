// The evidence pack for a court bundle, per tenancy: the tenancy and every joint tenant, the rent statement
// for the last two years, the contact timeline (every message in and out with its delivery status, every
// officer action), arrangements and their history, affordability checks, referrals, holds, the legal
// stage and the pre-action checklist. One JSON shape; evidence/pdf.ts prints the same content.
//
// Every query here is by this tenancy's reference: nothing of any other tenancy can appear. The legal stage
// and the checklist are computed elsewhere and come in as capabilities (EvidenceSources); when none is
// given the pack says they are not recorded rather than leaving them out.
import { findLedger, findTenancy, findTenants, type TenancyRow, type TenantRow } from '../accounts/queries.js';
import { accountFlags, accountSummary, type AccountSummary } from '../accounts/summary.js';
import type { Queryable, Sql } from '../db/connect.js';
import { tenancyContactLog } from '../db/queries/contact-log.js';
import type { Policy } from '../rent/policy.js';
import { buildStatement, statementSpan, type Statement } from '../rent/statement.js';

/** Two years of weeks: the statement span the pack covers. */
const EVIDENCE_STATEMENT_WEEKS = 104;

/** The legal stage as the account summary reports it (`legal` on GET /api/tenancies/:ref). */
interface LegalStageSection {
  stage: string;
  notice: string | null;
  served_on: string | null;
  earliest_proceedings_date: string | null;
  expires_on: string | null;
  [more: string]: unknown;
}

/** The pre-action checklist as GET /api/tenancies/:ref/protocol reports it. */
interface ChecklistSection {
  ready_for_notice: boolean;
  reason: string;
  items: { key: string; status: string; evidence: { contact_log_id: number; at: string; event: string }[] }[];
}

/** When the pack is made, as the sections computed elsewhere need it. */
interface EvidenceMoment {
  today: string;
  now: Date;
  policy: Policy;
  timeZone: string;
}

/** Where the pack gets what other modules compute; each may be absent until that module is wired in. */
export interface EvidenceSources {
  legalStage?: (sql: Sql, tenancyRef: string, at: EvidenceMoment) => Promise<LegalStageSection | null>;
  checklist?: (sql: Sql, tenancyRef: string, at: EvidenceMoment) => Promise<ChecklistSection | null>;
  affordability?: (sql: Queryable, tenancyRef: string) => Promise<AffordabilityRecord[]>;
}

export interface AffordabilityRecord {
  id: number;
  tenant_no: number;
  assessed_at: string;
  assessed_by: string;
  income_pence: number;
  outgoings_pence: number;
  surplus_pence: number;
  suggested_instalment_pence: number | null;
  frequency: string;
  flags: string[];
  [more: string]: unknown;
}

export interface TimelineEntry {
  contact_log_id: number;
  at: string;
  tenant_no: number | null;
  event: string;
  actor: string;
  channel: string | null;
  direction: 'inbound' | 'outbound' | null;
  /** The message's delivery status now (delivered, read, failed…), for lines about a message. */
  message_status: string | null;
  /** The message text, on the first line about each message. */
  message_text: string | null;
  detail: Record<string, unknown>;
}

interface ArrangementRecord {
  id: number;
  tenant_no: number;
  amount_pence: number;
  frequency: string;
  start_date: string;
  status: string;
  reason: string | null;
  start_arrears_pence: number;
  within_policy: boolean | null;
  affordability_id: number | null;
  history: { at: string; what: string; by: string | null }[];
}

interface HoldRecord {
  kind: string;
  tenant_no: number | null;
  since: string | null;
  until: string | null;
  reason: string;
}

export interface EvidencePack {
  tenancy_ref: string;
  generated_at: string;
  as_of: string;
  landlord: string;
  /** The tenancy's own record, as accounts/queries.ts reads it (less the officer and demo columns). */
  tenancy: Pick<
    TenancyRow,
    'tenure' | 'start_date' | 'end_date' | 'rent_frequency' | 'rent_amount_pence' | 'rent_due_day' | 'patch' | 'benefit'
  >;
  tenants: { tenant_no: number; name: string; language: string; channel: string }[];
  account: Pick<
    AccountSummary,
    | 'balance_pence'
    | 'arrears_pence'
    | 'actionable_arrears_pence'
    | 'weeks_in_arrears'
    | 'last_payment_date'
    | 'sub_accounts'
  > | null;
  flags: string[];
  statement: Statement & { weeks: number };
  timeline: TimelineEntry[];
  arrangements: ArrangementRecord[];
  affordability: AffordabilityRecord[];
  referrals: {
    contact_log_id: number;
    at: string;
    tenant_no: number | null;
    agency: string;
    by: string;
    note: string | null;
  }[];
  holds: HoldRecord[];
  legal_stage: LegalStageSection | null;
  checklist: ChecklistSection | null;
}

async function timelineOf(sql: Queryable, ref: string): Promise<TimelineEntry[]> {
  const lines = await tenancyContactLog(sql, ref);
  const seen = new Set<number>();
  return lines.map((l) => {
    const first = l.message !== null && !seen.has(l.message.id);
    if (l.message !== null) seen.add(l.message.id);
    return {
      contact_log_id: l.id,
      at: l.at.toISOString(),
      tenant_no: l.tenantNo,
      event: l.event,
      actor: l.actor,
      channel: l.channel,
      direction: l.message?.direction ?? null,
      message_status: l.message?.status ?? null,
      message_text: first ? (l.message?.body ?? null) : null,
      detail: l.detail,
    };
  });
}

async function arrangementsOf(sql: Queryable, ref: string): Promise<ArrangementRecord[]> {
  const rows = await sql<
    (Omit<ArrangementRecord, 'history'> & {
      created_at: Date;
      decided_by: string | null;
      decided_at: Date | null;
      kept_at: Date | null;
      broken_at: Date | null;
      completed_at: Date | null;
      warning_deadline: string | null;
      watch_reason: string | null;
    })[]
  >`
    select a.id::int as id, a.tenant_no, a.amount_pence, a.frequency, a.start_date, a.status, a.reason, a.start_arrears_pence, a.within_policy,
      (to_jsonb(a) ->> 'affordability_id')::int as affordability_id,
      a.created_at, a.decided_by, a.decided_at, a.kept_at, a.broken_at, a.completed_at, a.warning_deadline::text as warning_deadline, a.watch_reason
    from arrangements a where a.tenancy_ref = ${ref} order by a.created_at, a.id`;
  return rows.map((a) => {
    const history: ArrangementRecord['history'] = [{ at: a.created_at.toISOString(), what: 'offered', by: null }];
    if (a.decided_at)
      history.push({
        at: a.decided_at.toISOString(),
        what: a.status === 'declined' ? 'declined' : `decided (${a.status})`,
        by: a.decided_by,
      });
    if (a.kept_at) history.push({ at: a.kept_at.toISOString(), what: 'kept', by: 'rentline' });
    if (a.broken_at)
      history.push({
        at: a.broken_at.toISOString(),
        what: `broken${a.warning_deadline ? `, warning deadline ${a.warning_deadline}` : ''}${a.watch_reason ? `: ${a.watch_reason}` : ''}`,
        by: 'rentline',
      });
    if (a.completed_at) history.push({ at: a.completed_at.toISOString(), what: 'completed', by: 'rentline' });
    return {
      id: a.id,
      tenant_no: a.tenant_no,
      amount_pence: a.amount_pence,
      frequency: a.frequency,
      start_date: a.start_date,
      status: a.status,
      reason: a.reason,
      start_arrears_pence: a.start_arrears_pence,
      within_policy: a.within_policy,
      affordability_id: a.affordability_id,
      history,
    };
  });
}

type TenantHoldRow = TenantRow & {
  disputed_at: Date | null;
  contact_paused_until: Date | null;
  contact_pause_reason: string | null;
  sms_opted_out_at: Date | null;
  whatsapp_opted_out_at: Date | null;
};

function holdsOf(
  tenants: TenantHoldRow[],
  claimPendingSince: Date | null,
  openCrises: { tenant_no: number; created_at: Date }[],
  now: Date,
): HoldRecord[] {
  const holds: HoldRecord[] = [];
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  for (const t of tenants) {
    if (t.breathing_space_start) {
      holds.push({
        kind: t.breathing_space_mental_health ? 'breathing_space_mental_health' : 'breathing_space',
        tenant_no: t.tenant_no,
        since: t.breathing_space_start,
        until: t.breathing_space_end,
        reason: 'Breathing Space (debt respite) notified',
      });
    }
    if (t.vulnerable)
      holds.push({
        kind: 'vulnerable',
        tenant_no: t.tenant_no,
        since: null,
        until: null,
        reason: 'Marked vulnerable: no automated contact',
      });
    if (t.do_not_contact)
      holds.push({
        kind: 'do_not_contact',
        tenant_no: t.tenant_no,
        since: null,
        until: null,
        reason: 'Do not contact',
      });
    if (t.disputed_at)
      holds.push({
        kind: 'dispute',
        tenant_no: t.tenant_no,
        since: iso(t.disputed_at),
        until: null,
        reason: 'Balance disputed: automation frozen until an officer clears it',
      });
    if (t.contact_paused_until && t.contact_paused_until > now) {
      holds.push({
        kind: t.contact_pause_reason === 'debt_advice_referral' ? 'referral_pause' : 'contact_paused',
        tenant_no: t.tenant_no,
        since: null,
        until: iso(t.contact_paused_until),
        reason: t.contact_pause_reason ?? 'Contact paused',
      });
    }
    if (t.sms_opted_out_at)
      holds.push({
        kind: 'opted_out',
        tenant_no: t.tenant_no,
        since: iso(t.sms_opted_out_at),
        until: null,
        reason: 'Opted out of SMS',
      });
    if (t.whatsapp_opted_out_at)
      holds.push({
        kind: 'opted_out',
        tenant_no: t.tenant_no,
        since: iso(t.whatsapp_opted_out_at),
        until: null,
        reason: 'Opted out of WhatsApp',
      });
  }
  for (const c of openCrises)
    holds.push({
      kind: 'crisis',
      tenant_no: c.tenant_no,
      since: c.created_at.toISOString(),
      until: null,
      reason: 'Crisis hold (until an officer resolves it, even once the hand-off is decided): no automated messages',
    });
  if (claimPendingSince)
    holds.push({
      kind: 'benefit_claim_pending',
      tenant_no: null,
      since: claimPendingSince.toISOString(),
      until: null,
      reason: 'Benefit claim pending: no notice recommended',
    });
  return holds;
}

export async function loadEvidencePack(
  sql: Sql,
  ref: string,
  options: EvidenceMoment & { sources?: EvidenceSources },
): Promise<EvidencePack | null> {
  const tenancy = await findTenancy(sql, ref);
  if (!tenancy) return null;
  const sources = options.sources ?? {};
  const [
    tenants,
    entries,
    timeline,
    arrangements,
    summary,
    holdTenants,
    claim,
    crises,
    legal,
    checklist,
    affordability,
  ] = await Promise.all([
    findTenants(sql, ref),
    findLedger(sql, ref),
    timelineOf(sql, ref),
    arrangementsOf(sql, ref),
    accountSummary(sql, ref, { today: options.today, policy: options.policy }),
    sql<TenantHoldRow[]>`select * from tenants where tenancy_ref = ${ref} order by tenant_no`,
    sql<
      { since: Date | null }[]
    >`select benefit_claim_pending_since as since from tenancies where tenancy_ref = ${ref}`,
    sql<
      { tenant_no: number; created_at: Date }[]
    >`select tenant_no, created_at from escalations where tenancy_ref = ${ref} and reason = 'crisis' and crisis_resolved_at is null order by created_at`,
    sources.legalStage ? sources.legalStage(sql, ref, options) : Promise.resolve(null),
    sources.checklist ? sources.checklist(sql, ref, options) : Promise.resolve(null),
    sources.affordability ? sources.affordability(sql, ref) : Promise.resolve([]),
  ]);
  const statement = buildStatement(entries, statementSpan(EVIDENCE_STATEMENT_WEEKS, options.today));
  return {
    tenancy_ref: tenancy.tenancy_ref,
    generated_at: options.now.toISOString(),
    as_of: options.today,
    landlord: options.policy.landlord.name,
    tenancy: {
      tenure: tenancy.tenure,
      start_date: tenancy.start_date,
      end_date: tenancy.end_date,
      rent_frequency: tenancy.rent_frequency,
      rent_amount_pence: tenancy.rent_amount_pence,
      rent_due_day: tenancy.rent_due_day,
      patch: tenancy.patch,
      benefit: tenancy.benefit,
    },
    tenants: tenants.map((t) => ({
      tenant_no: t.tenant_no,
      name: `${t.first_name} ${t.last_name}`,
      language: t.language,
      channel: t.channel,
    })),
    account: summary
      ? {
          balance_pence: summary.balance_pence,
          arrears_pence: summary.arrears_pence,
          actionable_arrears_pence: summary.actionable_arrears_pence,
          weeks_in_arrears: summary.weeks_in_arrears,
          last_payment_date: summary.last_payment_date,
          sub_accounts: summary.sub_accounts,
        }
      : null,
    flags: accountFlags(tenancy, tenants, options.today),
    statement: { ...statement, weeks: EVIDENCE_STATEMENT_WEEKS },
    timeline,
    arrangements,
    affordability,
    referrals: timeline
      .filter((e) => e.event === 'officer_referred')
      .map((e) => ({
        contact_log_id: e.contact_log_id,
        at: e.at,
        tenant_no: e.tenant_no,
        agency: String(e.detail.agencyId ?? 'unknown'),
        by: e.actor,
        note: (e.detail.note as string | null | undefined) ?? null,
      })),
    holds: holdsOf(holdTenants, claim[0]?.since ?? null, crises, options.now),
    legal_stage: legal,
    checklist,
  };
}
