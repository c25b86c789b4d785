// End to end, from hardship: a tenant in the missed-payment conversation texts "my UC is late this month"
// through the signed Twilio webhook. Twilio receives the benefit help (the policy's links) ending with the
// offer of the affordability check or a person, benefit help offered is in the contact log, and one
// `hardship` hand-off is raised at once. YES: the check carries on in the same conversation and the tenant
// offers the suggested amount (a second card, the offer). SWYDDOG (officer, in Welsh) or no reply: the same
// one hand-off, and no urgent second one.
import { describe, expect, it } from 'vitest';
import { startConversation } from '../../src/conversations/start.js';
import { runTimeouts } from '../../src/jobs/timeouts.js';
import { silentLogger } from '../../src/lib/logger.js';
import { useTestDatabase } from '../support/database.js';
import { useTwilioMock } from '../support/msw-twilio.js';
import { TIME_ZONE, insertTenantInArrears, testService } from '../support/service.js';

const db = await useTestDatabase();
// Wednesday 25 November 2026, 10:00 London.
const START = '2026-11-25T10:00:00Z';
const service = await testService(db.sql, { now: START });
const twilioMock = useTwilioMock({ now: () => service.clock.now() });

/** The six answers of flows/transcripts/hardship/01: £130 a month spare suggests £15.00 a week. */
const ANSWERS = ['900, 300, 0', '100, 120', '150, 40, 30', '60, 0', '150', '300, 60, 60'];

let tenants = 0;
async function tenantInMissedPayment(options: { language?: string } = {}) {
  tenants += 1;
  const ref = `HARD${tenants}`;
  const mobile = `+4477009${String(40_000 + tenants).slice(-5)}`;
  await insertTenantInArrears(db.sql, ref, mobile, options);
  await db.sql.begin((tx) =>
    startConversation(
      tx,
      { flows: service.flows, policy: service.policy, timeZone: TIME_ZONE },
      { tenancyRef: ref, tenantNo: 1, flowId: 'missed_payment', purpose: 'arrears', now: service.clock.now() },
    ),
  );
  await service.dispatchAll();
  await texts(mobile, '12/03/1985');
  return { ref, mobile };
}

/** The tenant's texts, each through the signed webhook, and what Twilio received in answer. */
async function texts(mobile: string, ...bodies: string[]): Promise<string[]> {
  const before = receivedBy(mobile).length;
  for (const body of bodies) {
    expect((await service.text(mobile, body)).status).toBe(200);
    await service.dispatchAll();
  }
  return receivedBy(mobile).slice(before);
}

function receivedBy(mobile: string): string[] {
  return twilioMock.accepted.filter((m) => m.to === mobile).map((m) => m.body);
}

async function benefitHelpLogged(ref: string) {
  return db.sql<{ event: string; actor: string; channel: string }[]>`
    select event, actor, channel from contact_log where tenancy_ref = ${ref} and event = 'benefit_help_offered'`;
}

async function escalationsOf(ref: string) {
  return db.sql<{ reason: string; urgency: string; summary: string }[]>`
    select reason, urgency, summary from escalations where tenancy_ref = ${ref} order by id`;
}

async function conversationOf(ref: string) {
  const rows = await db.sql<{ flow_id: string; now_in: string; step: string; status: string }[]>`
    select flow_id, session->>'flowId' as now_in, session->>'stepId' as step, status from conversations where tenancy_ref = ${ref}`;
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

describe('hardship in the missed-payment conversation', () => {
  it('benefit help ending with the offer of the check; YES, the check, and the suggested £15 a week offered', async () => {
    const { ref, mobile } = await tenantInMissedPayment();
    const [help, ...more] = await texts(mobile, 'my UC is late this month');
    expect(more).toEqual([]);
    expect(help).toContain(`check what you're entitled to: ${service.policy.benefit_help.benefits_calculator_url}`);
    expect(help).toContain('Housing Benefit, or the housing element of Universal Credit');
    expect(help).toContain(
      `Discretionary Housing Payment: ${service.policy.benefit_help.discretionary_housing_payment_url}`,
    );
    expect(help).toMatch(
      /We've let an income officer know\. Would you like to work out together what you could afford\? Reply YES to start a short check \(about 5 minutes\), or OFFICER to speak to a person\.$/,
    );
    expect(await benefitHelpLogged(ref)).toEqual([
      { event: 'benefit_help_offered', actor: 'rentline', channel: 'sms' },
    ]);
    // Told at once: an income team wants to know of hardship whether or not the tenant does the check.
    expect(await escalationsOf(ref)).toEqual([
      expect.objectContaining({
        reason: 'hardship',
        urgency: 'normal',
        summary: expect.stringContaining('benefit help sent'),
      }),
    ]);
    expect(await conversationOf(ref)).toMatchObject({
      flow_id: 'missed_payment',
      now_in: 'hardship',
      step: 'offer_check',
    });

    const check = await texts(mobile, 'yes', ...ANSWERS);
    // The identity question is not asked again: the check starts with its introduction and question 1.
    expect(check[0]).toMatch(/^Let's work out what you could afford\./);
    expect(check[1]).toMatch(/^1 of 6\. Money coming in each month/);
    expect(check.some((b) => b.includes('date of birth'))).toBe(false);
    expect(check.at(-1)).toContain('We suggest £15.00 a week towards what you owe, on top of your rent');

    const offer = await texts(mobile, 'yes', 'Friday', 'yes');
    expect(offer.at(-1)).toMatch(/^Thank you\. We've sent your offer and your answers to an income officer/);
    const [assessed] = await db.sql`
      select suggested_instalment_pence, outcome from affordability_checks where tenancy_ref = ${ref}`;
    expect(assessed).toMatchObject({ suggested_instalment_pence: 1_500, outcome: 'surplus' });
    const [arrangement] = await db.sql`
      select amount_pence, frequency, start_date, status from arrangements where tenancy_ref = ${ref}`;
    expect(arrangement).toMatchObject({
      amount_pence: 1_500,
      frequency: 'weekly',
      start_date: '2026-11-27',
      status: 'proposed',
    });
    // The hardship hand-off raised at once, and the offer: no second hardship hand-off, nothing urgent.
    expect((await escalationsOf(ref)).map((e) => [e.reason, e.urgency])).toEqual([
      ['hardship', 'normal'],
      ['offer', 'normal'],
    ]);
    expect(await benefitHelpLogged(ref)).toHaveLength(1);
    expect(await conversationOf(ref)).toMatchObject({
      flow_id: 'missed_payment',
      now_in: 'affordability',
      status: 'ended',
    });
  });

  it('in Welsh, SWYDDOG (officer): the officer told with the benefit help calls; one hand-off, not an urgent second', async () => {
    const { ref, mobile } = await tenantInMissedPayment({ language: 'cy' });
    const [help] = await texts(mobile, 'dw i wedi colli fy swydd');
    expect(help).toContain('Taliad Disgresiwn at Gostau Tai: https://');
    expect(help).toMatch(/Atebwch IE i ddechrau gwiriad byr \(tua 5 munud\), neu SWYDDOG i siarad â pherson\.$/);
    const [reply, ...more] = await texts(mobile, 'SWYDDOG');
    expect(more).toEqual([]);
    expect(reply).toMatch(/^Diolch, Sam\. Bydd swyddog incwm yn cysylltu â chi/);
    expect(reply).toContain('StepChange: 0800 138 1111');
    expect((await escalationsOf(ref)).map((e) => [e.reason, e.urgency])).toEqual([['hardship', 'normal']]);
    expect(await benefitHelpLogged(ref)).toHaveLength(1);
    expect(await conversationOf(ref)).toMatchObject({ now_in: 'hardship', status: 'ended' });
  });

  it('no reply: the timeout says an officer will contact them; the one hand-off raised at once stands', async () => {
    const { ref, mobile } = await tenantInMissedPayment();
    await texts(mobile, 'I lost my job last week');
    const before = receivedBy(mobile).length;
    // Friday 27 November, 10:05 London: the reply timeout (48 hours) has passed.
    service.clock.set('2026-11-27T10:05:00Z');
    const deps = {
      sql: db.sql,
      flows: service.flows,
      policy: service.policy,
      timeZone: TIME_ZONE,
      logger: silentLogger(),
      dryRun: false,
    };
    // Timers of the earlier tests' conversations fire too; an ended conversation ignores its timer.
    expect((await runTimeouts(deps, service.clock.now())).counts.timers_fired).toBeGreaterThanOrEqual(1);
    await service.dispatchAll();
    // The contact rule's frequency cap holds it (the missed-payment text went two days ago) until the next
    // morning; the hold is the contact rule's, untouched here.
    expect(receivedBy(mobile).slice(before)).toEqual([]);
    const [held] = await db.sql<{ not_before: Date }[]>`
      select not_before from messages where tenancy_ref = ${ref} and direction = 'outbound' and status = 'queued'`;
    service.clock.set(held!.not_before);
    await service.dispatchAll();
    const [closing, ...more] = receivedBy(mobile).slice(before);
    expect(more).toEqual([]);
    expect(closing).toMatch(/^We haven't heard back, Sam\. An income officer will contact you/);
    expect((await escalationsOf(ref)).map((e) => [e.reason, e.urgency])).toEqual([['hardship', 'normal']]);
    expect(await benefitHelpLogged(ref)).toHaveLength(1);
    expect(await conversationOf(ref)).toMatchObject({ now_in: 'hardship', status: 'ended' });
    service.clock.set(START);
  });
});
