// The suspended-order watch, daily: the terms of a suspended possession order (current rent plus an amount
// per period off the arrears) are assessed exactly as an arrangement is (rent/arrangement.ts, through the
// same ledger reading), and each move is made once by a conditional UPDATE. A breach tells officers: an
// escalation (its Slack card) and the worklist. Rentline never applies for a warrant; a person decides.
import { appendContactLog } from '../db/queries/contact-log.js';
import { raiseEscalations } from '../db/queries/escalations.js';
import { ledgersSince, type LiveArrangement } from '../jobs/arrangement-queries.js';
import { assessLive } from '../jobs/arrangements.js';
import type { JobDeps } from '../jobs/types.js';
import { addDays } from '../rent/calendar-date.js';
import { localDateOf } from '../rent/schedule.js';

interface WatchedOrder extends LiveArrangement {
  lead_tenant_no: number;
}

/** Assesses every watched order; returns how many were found broken today. */
export async function watchSuspendedOrders(
  deps: Pick<JobDeps, 'sql' | 'policy' | 'timeZone'>,
  now: Date,
): Promise<number> {
  const { sql, policy } = deps;
  const today = localDateOf(now, deps.timeZone);
  const orders = await sql<WatchedOrder[]>`
    with latest as (select distinct on (tenancy_ref) id from legal_stages order by tenancy_ref, recorded_at desc, id desc)
    select l.id::int as id, l.tenancy_ref, 1 as tenant_no, l.order_amount_pence as amount_pence, l.order_frequency as frequency,
      l.order_start_date::text as start_date, l.order_start_arrears_pence as start_arrears_pence, l.order_status as status,
      l.stage_date::text as baseline,
      coalesce((select min(t.tenant_no) from tenants t where t.tenancy_ref = l.tenancy_ref), 1)::int as lead_tenant_no,
      coalesce((select sum(x.amount_pence) from transactions x
                where x.tenancy_ref = l.tenancy_ref and x.account = 'rent' and x.date < l.stage_date), 0)::int as opening_pence
    from legal_stages l join latest using (id)
    where l.order_status in ('active', 'kept') and l.stage = 'order_suspended'`;
  if (orders.length === 0) return 0;
  const earliest = orders.map((o) => o.baseline).sort()[0] as string;
  const ledgers = await ledgersSince(
    sql,
    [...new Set(orders.map((o) => o.tenancy_ref))],
    addDays(earliest, -policy.arrears.grace_days),
    today,
  );
  let broken = 0;
  for (const order of orders) {
    const assessment = assessLive(order, ledgers.get(order.tenancy_ref) ?? [], today, policy);
    const next =
      assessment.status === 'active'
        ? null
        : assessment.status === 'kept'
          ? order.status === 'active'
            ? 'kept'
            : null
          : assessment.status;
    if (next === null) continue;
    await sql.begin(async (tx) => {
      const moved = await tx`
        update legal_stages set order_status = ${next}, order_watch_reason = ${assessment.reason},
          order_breached_at = case when ${next} = 'broken' then ${now}::timestamptz else order_breached_at end
        where id = ${order.id} and order_status = ${order.status} returning id`;
      if (moved.length === 0 || next === 'kept') return;
      await appendContactLog(tx, {
        at: now,
        tenancyRef: order.tenancy_ref,
        tenantNo: null,
        event: next === 'broken' ? 'legal_order_breached' : 'legal_order_completed',
        actor: 'rentline',
        detail: { legalStageId: order.id, reason: assessment.reason },
      });
      if (next !== 'broken') return;
      broken += 1;
      await raiseEscalations(
        tx,
        [
          {
            tenancyRef: order.tenancy_ref,
            tenantNo: order.lead_tenant_no,
            reason: 'suspended_order_breached',
            urgency: 'normal',
            summary: `${order.tenancy_ref}: the suspended possession order's terms were broken. ${assessment.reason}. A person decides what happens next; Rentline recommends nothing further on its own.`,
            logged: { reason: 'suspended_order_breached', legalStageId: order.id },
          },
        ],
        now,
      );
    });
  }
  return broken;
}
