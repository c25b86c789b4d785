// The pre-action checklist of one tenancy, read from its contact log (every message in and out with its
// delivery status, every officer action) and decided by the pure rule in rent/protocol.ts.
import { findLatestArrangement, findLedger, findTenancy, findTenants } from '../accounts/queries.js';
import type { Queryable } from '../db/connect.js';
import { tenancyContactLog } from '../db/queries/contact-log.js';
import { isBreathingSpaceActive } from '../rent/holds.js';
import type { Policy } from '../rent/policy.js';
import { arrearsAroseOn, protocolChecklist, type ProtocolChecklist, type ProtocolLogEntry } from '../rent/protocol.js';
import { localDateAt, localDateOf } from '../rent/schedule.js';

interface TenancyProtocol extends ProtocolChecklist {
  tenancy_ref: string;
}

/** Words that show a text named free debt advice: the policy's agencies and the landlord's own team. */
function debtAdviceWords(policy: Policy): string[] {
  return [
    'debt advice',
    'money advice',
    ...policy.referral.agencies.flatMap((a) => [a.name, a.phone]),
    policy.landlord.money_advice_team.name,
    policy.landlord.money_advice_team.phone,
  ];
}

/** The contact log of a tenancy as the checklist reads it (offer lines carry the reason the tenant gave). */
async function protocolLog(sql: Queryable, ref: string): Promise<ProtocolLogEntry[]> {
  const lines = await tenancyContactLog(sql, ref);
  return lines.map((l) => ({
    id: l.id,
    at: l.at,
    tenantNo: l.tenantNo,
    event: l.event,
    actor: l.actor,
    detail: l.offerReason ? { ...l.detail, reason: l.offerReason } : l.detail,
    // The checklist reads a message's delivery and words only on the lines that say it went out.
    message:
      l.message !== null && (l.event === 'message_sent' || l.event === 'message_kept')
        ? { status: l.message.status, body: l.message.body }
        : null,
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
