// `rentline account <ref>` (the account summary, as the API serves it) and `rentline benefit-claim <ref>
// pending|cleared --officer <name>` (an HB/UC claim waiting to be decided).
import { parseArgs } from 'node:util';
import { setBenefitClaimPending } from '../accounts/benefit-claim.js';
import { accountSummary } from '../accounts/summary.js';
import { systemClock } from '../lib/clock.js';
import { formatPence } from '../rent/money.js';
import { localDateOf } from '../rent/schedule.js';
import { UsageError, type WithRuntime } from './shared.js';

export async function accountCommand(args: string[], withRuntime: WithRuntime): Promise<number> {
  const [ref] = args;
  if (!ref) throw new UsageError('account needs a tenancy reference');
  return withRuntime(async (rt) => {
    const today = localDateOf(systemClock.now(), rt.config.timeZone);
    const summary = await accountSummary(rt.db.sql, ref, { today, policy: rt.policy, now: systemClock.now() });
    if (!summary) {
      console.error(`No tenancy ${ref}. Check the reference, or import the tenancies file first.`);
      return 1;
    }
    console.log(JSON.stringify(summary, null, 2));
    console.log(
      `\n${summary.tenancy_ref}: balance ${formatPence(summary.balance_pence)}. ${summary.reasons.arrears} ${summary.reasons.weeks_in_arrears}`,
    );
    console.log(
      `Next recommended action: ${summary.next_action.action.replaceAll('_', ' ')}. ${summary.next_action.reason}`,
    );
    for (const hold of summary.holds)
      console.log(`Hold: ${hold.kind} (tenant ${hold.tenant_no}, since ${hold.since}): ${hold.reason}`);
    return 0;
  });
}

export async function benefitClaimCommand(args: string[], withRuntime: WithRuntime): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { officer: { type: 'string' } },
    allowPositionals: true,
  });
  const [ref, state] = positionals;
  if (!ref || (state !== 'pending' && state !== 'cleared') || !values.officer) {
    throw new UsageError('benefit-claim needs a tenancy reference, pending or cleared, and --officer <name>');
  }
  const officer = values.officer;
  return withRuntime(async (rt) => {
    const change = await setBenefitClaimPending(rt.db.sql, {
      tenancyRef: ref,
      pending: state === 'pending',
      officer: `cli:${officer}`,
      now: systemClock.now(),
    });
    if (change === 'not_found')
      console.error(`No tenancy ${ref}. Check the reference, or import the tenancies file first.`);
    else if (change === 'unchanged') console.log(`${ref}: the benefit claim was already ${state}.`);
    else console.log(`${ref}: benefit claim ${state}; logged as evidence.`);
    return change === 'not_found' ? 1 : 0;
  });
}
