// Builds what a flow may read (ConversationContext) from the database, as of the application's clock.
import { findLedger, findTenancy, type TenancyRow } from '../accounts/queries.js';
import { scheduleOf } from '../accounts/summary.js';
import type { Queryable } from '../db/connect.js';
import type { Channel, ConversationContext } from '../engine/types.js';
import { assessAccount } from '../rent/account.js';
import type { Policy } from '../rent/policy.js';
import { rentSummary } from '../rent/rent-summary.js';
import { localDateOf, nextDueDate, weeklyEquivalentPence } from '../rent/schedule.js';
import { whatsappWindowOpen } from '../rent/whatsapp-window.js';
import type { LedgerEntry, RentSchedule } from '../rent/types.js';
import type { ContactTenant } from '../db/queries/tenants.js';

interface ContextOptions {
  channel: Channel;
  now: Date;
  policy: Policy;
  timeZone: string;
}

/** The account figures a caller brings; the schedule gives the weekly rent and the next due date. */
type ContextAccount = Omit<ConversationContext['account'], 'weeklyRentPence' | 'nextDueDate'>;

/**
 * What a flow may read, from the tenant, the tenancy's rent schedule and its figures: the one builder of a
 * conversation's context. The webhook brings the ledger's figures with the last payment and the statement
 * (BALANCE, STATEMENT); the daily job's bulk starts bring the figures its sweep has just worked out.
 */
export function conversationContext(
  tenant: ContactTenant,
  schedule: RentSchedule,
  account: ContextAccount,
  options: ContextOptions,
): ConversationContext {
  const today = localDateOf(options.now, options.timeZone);
  return {
    now: options.now,
    timeZone: options.timeZone,
    language: tenant.language,
    channel: options.channel,
    tenancyRef: tenant.tenancy_ref,
    tenant: { firstName: tenant.first_name, dateOfBirth: tenant.date_of_birth, postcode: tenant.postcode },
    account: {
      ...account,
      weeklyRentPence: weeklyEquivalentPence(schedule),
      nextDueDate: nextDueDate(schedule, options.policy, today),
    },
    policy: options.policy,
    whatsappWindowOpen: whatsappWindowOpen(tenant.last_whatsapp_inbound_at, options.now),
  };
}

/** The context from rows already loaded (the webhook loads them in one query with everything else). */
export function contextFrom(
  tenant: ContactTenant,
  tenancy: TenancyRow,
  entries: LedgerEntry[],
  options: ContextOptions,
): ConversationContext {
  const today = localDateOf(options.now, options.timeZone);
  const schedule = scheduleOf(tenancy);
  const figures = assessAccount({ schedule, benefit: tenancy.benefit, entries, today }, options.policy);
  return conversationContext(
    tenant,
    schedule,
    {
      balancePence: figures.balancePence,
      arrearsPence: figures.arrearsPence,
      // For BALANCE and STATEMENT: the engine is pure, so the figures come in with the context.
      lastPayment:
        figures.lastPaymentDate === null
          ? null
          : { date: figures.lastPaymentDate, pence: figures.lastPaymentPence ?? 0 },
      statement: rentSummary(entries, today, figures.balancePence),
      rentFrequency: schedule.frequency,
    },
    options,
  );
}

export async function buildContext(
  sql: Queryable,
  tenant: ContactTenant,
  options: ContextOptions,
): Promise<ConversationContext> {
  const [tenancy, entries] = await Promise.all([
    findTenancy(sql, tenant.tenancy_ref),
    findLedger(sql, tenant.tenancy_ref),
  ]);
  if (!tenancy) throw new Error(`tenancy ${tenant.tenancy_ref} vanished while building a conversation`);
  return contextFrom(tenant, tenancy, entries, options);
}
