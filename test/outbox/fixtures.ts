// Shared set-up for the outbox tests: tenants to text, queued messages, and a dispatcher wired to the real
// Twilio sender (intercepted by msw) with a fixed clock.
import type { Sql } from '../../src/db/connect.js';
import { fixedClock } from '../support/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { createDispatcher, type DispatcherDeps } from '../../src/outbox/dispatcher.js';
import { enqueueMessage, type NewOutboundMessage } from '../../src/outbox/queue.js';
import { DEFAULT_POLICY } from '../support/policy.js';
import { createTwilioSender } from '../../src/twilio/sender.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../support/msw-twilio.js';

type FixedClock = ReturnType<typeof fixedClock>;

export const SMS_FROM = '+447700900001';
export const WHATSAPP_FROM = 'whatsapp:+447700900002';
export const STATUS_CALLBACK = 'https://rentline.example.org/twilio/status';
/** Tuesday 24 November 2026, 10:00 in London (GMT): inside the contact window. */
export const TUESDAY_10AM = '2026-11-24T10:00:00Z';

export interface TenantOverrides {
  tenantNo?: number;
  mobile?: string | null;
  vulnerable?: boolean;
  doNotContact?: boolean;
  lastInboundAt?: Date | null;
  lastWhatsappInboundAt?: Date | null;
  lastArrearsMessageAt?: Date | null;
}

let numbers = 0;

/** A unique UK mobile per call, so tests never share a recipient. */
export function nextMobile(): string {
  numbers += 1;
  return `+4477009${String(10_000 + numbers).slice(-5)}`;
}

export async function insertTenant(
  sql: Sql,
  ref: string,
  overrides: TenantOverrides = {},
): Promise<{ ref: string; tenantNo: number; mobile: string | null }> {
  const tenantNo = overrides.tenantNo ?? 1;
  const mobile = overrides.mobile === undefined ? nextMobile() : overrides.mobile;
  await sql`
    insert into tenancies (tenancy_ref, tenure, start_date, rent_frequency, rent_amount_pence, rent_due_day)
    values (${ref}, 'secure', '2020-04-06', 'weekly', 10000, 'monday') on conflict do nothing`;
  await sql`
    insert into tenants (tenancy_ref, tenant_no, first_name, last_name, mobile_raw, mobile_e164, vulnerable, do_not_contact,
                         last_inbound_at, last_whatsapp_inbound_at, last_arrears_message_at)
    values (${ref}, ${tenantNo}, 'Test', 'Tenant', ${mobile ?? '01632 960000'}, ${mobile}, ${overrides.vulnerable ?? false},
            ${overrides.doNotContact ?? false}, ${overrides.lastInboundAt ?? null}, ${overrides.lastWhatsappInboundAt ?? null},
            ${overrides.lastArrearsMessageAt ?? null})`;
  return { ref, tenantNo, mobile };
}

export async function queue(
  sql: Sql,
  tenant: { ref: string | null; tenantNo: number | null; mobile: string | null },
  message: Partial<NewOutboundMessage> & { now: Date },
): Promise<number> {
  return sql.begin((tx) =>
    enqueueMessage(tx, {
      tenancyRef: tenant.ref,
      tenantNo: tenant.tenantNo,
      conversationId: null,
      channel: 'sms',
      to: tenant.mobile ?? '+447700900999',
      body: 'Please contact Demo Homes about your rent account.',
      purpose: 'reply',
      ...message,
    }),
  );
}

export function testSender() {
  return createTwilioSender({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, apiBaseUrl: null });
}

export function testDispatcher(
  sql: Sql,
  overrides: Partial<Omit<DispatcherDeps, 'clock'>> & { clock?: FixedClock } = {},
) {
  const clock = overrides.clock ?? fixedClock(TUESDAY_10AM);
  const dispatcher = createDispatcher({
    sql,
    sender: testSender(),
    logger: silentLogger(),
    policy: DEFAULT_POLICY,
    ratePerSecond: 1000,
    smsFrom: SMS_FROM,
    whatsappFrom: WHATSAPP_FROM,
    statusCallbackUrl: STATUS_CALLBACK,
    ...overrides,
    clock,
  });
  return { dispatcher, clock };
}

export async function messageRow(sql: Sql, id: number) {
  const [row] = await sql<
    {
      status: string;
      channel: string;
      twilio_sid: string | null;
      not_before: Date | null;
      attempts: number;
      error_code: number | null;
      blocked_reason: string | null;
      from_address: string | null;
      unconfirmed_since: Date | null;
    }[]
  >`select status, channel, twilio_sid, not_before, attempts, error_code, blocked_reason, from_address, unconfirmed_since from messages where id = ${id}`;
  if (!row) throw new Error(`no message ${id}`);
  return row;
}

export async function contactEvents(
  sql: Sql,
  messageId: number,
): Promise<{ event: string; detail: Record<string, unknown> }[]> {
  return sql<{ event: string; detail: Record<string, unknown> }[]>`
    select event, detail from contact_log where message_id = ${messageId} order by id`;
}
