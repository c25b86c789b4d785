// The pre-action checklist of one tenancy, read from its contact log (every message in and out with its
// delivery status, every officer action) and decided by the pure rule in rent/protocol.ts.
import { findLatestArrangement, findLedger, findTenancy, findTenants } from '../accounts/queries.js';
import type { Queryable } from '../db/connect.js';
import { isBreathingSpaceActive } from '../rent/holds.js';
import type { Policy } from '../rent/policy.js';
import { arrearsAroseOn, protocolChecklist, type ProtocolChecklist, type ProtocolLogEntry } from '../rent/protocol.js';
import { localDateAt, localDateOf } from '../rent/schedule.js';

export interface TenancyProtocol extends ProtocolChecklist {
  tenancy_ref: string;
}

/** Words that show a text named free debt advice: the policy's agencies and the landlord's own team. */
export function debtAdviceWords(policy: Policy): string[] {
  return [
    'debt advice',
    'money advice',
    ...policy.referral.agencies.flatMap((a) => [a.name, a.phone]),
    policy.landlord.money_advice_team.name,
    policy.landlord.money_advice_team.phone,
  ];
}

interface LogRow {
  id: number;
  at: Date;
  tenant_no: number | null;
  event: string;
  actor: string;
  detail: Record<string, unknown>;
  message_status: string | null;
  message_body: string | null;
  offer_reason: string | null;
}

/** The contact log of a tenancy as the checklist reads it (offer lines carry the reason the tenant gave). */
export async function protocolLog(sql: Queryable, ref: string): Promise<ProtocolLogEntry[]> {
  const rows = await sql<LogRow[]>`
    select l.id::int as id, l.at, l.tenant_no, l.event, l.actor, l.detail, m.status as message_status, m.body as message_body, a.reason as offer_reason
    from contact_log l
    left join messages m on m.id = l.message_id and l.event in ('message_sent', 'message_kept')
    left join arrangements a on l.event = 'offer_recorded' and a.id = case when l.detail->>'arrangementId' ~ '^[0-9]+$' then (l.detail->>'arrangementId')::bigint end
    where l.tenancy_ref = ${ref}
    order by l.at, l.id`;
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    tenantNo: r.tenant_no,
    event: r.event,
    actor: r.actor,
    detail: r.offer_reason ? { ...r.detail, reason: r.offer_reason } : r.detail,
    message: r.message_status !== null ? { status: r.message_status, body: r.message_body ?? '' } : null,
  }));
}

export async function tenancyProtocol(
  sql: Queryable,
  ref: string,
  options: { now: Date; policy: Policy; timeZone: string },
): Promise<TenancyProtocol | null> {
  const tenancy = await findTenancy(sql, ref);
  if (!tenancy) return null;
  const today = localDateOf(options.now, options.timeZone);
  const [tenants, ledger, arrangement, log] = await Promise.all([
    findTenants(sql, tenancy.tenancy_ref),
    findLedger(sql, tenancy.tenancy_ref),
    findLatestArrangement(sql, tenancy.tenancy_ref),
    protocolLog(sql, tenancy.tenancy_ref),
  ]);
  const arose = arrearsAroseOn(
    ledger.filter((e) => e.account === 'rent'),
    today,
  );
  const checklist = protocolChecklist({
    now: options.now,
    tenantNos: tenants.map((t) => t.tenant_no),
    arrearsSince: arose === null ? null : localDateAt(arose, '00:00', options.timeZone),
    log,
    breathingSpaceActive: tenants.some(
      (t) =>
        t.breathing_space_start !== null &&
        isBreathingSpaceActive(
          { start: t.breathing_space_start, end: t.breathing_space_end, mentalHealth: t.breathing_space_mental_health },
          today,
        ),
    ),
    benefitClaimPending: tenancy.benefit_claim_pending,
    arrangementStatus: arrangement?.status ?? null,
    debtAdviceWords: debtAdviceWords(options.policy),
  });
  return { tenancy_ref: tenancy.tenancy_ref, ...checklist };
}
