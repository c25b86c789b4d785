// What tenants write, end to end through signed Twilio webhooks: crisis replies by kind (the kind kept for
// officers), confusion as a normal hand-off, hardship with benefit help in the contact log, BALANCE and
// STATEMENT from the ledger after the identity check (the statement logged for the protocol), and a Welsh
// tenant agreeing a plan entirely in Welsh.
import { describe, expect, it } from 'vitest';
import { startConversation } from '../../src/conversations/start.js';
import { useTestDatabase } from '../support/database.js';
import { useTwilioMock } from '../support/msw-twilio.js';
import { TIME_ZONE, insertTenantInArrears, testService } from '../support/service.js';

const db = await useTestDatabase();
// Wednesday 25 November 2026, 10:00 London.
const service = await testService(db.sql, { now: '2026-11-25T10:00:00Z' });
const twilioMock = useTwilioMock({ now: () => service.clock.now() });

let tenants = 0;
async function tenant(options: { language?: string } = {}) {
  tenants += 1;
  const ref = `WORDS${tenants}`;
  const mobile = `+4477009${String(30_000 + tenants).slice(-5)}`;
  await insertTenantInArrears(db.sql, ref, mobile, options);
  return { ref, mobile };
}

async function verifiedInMissedPayment(ref: string, mobile: string) {
  await db.sql.begin((tx) =>
    startConversation(
      tx,
      { flows: service.flows, policy: service.policy, timeZone: TIME_ZONE },
      { tenancyRef: ref, tenantNo: 1, flowId: 'missed_payment', purpose: 'arrears', now: service.clock.now() },
    ),
  );
  await service.text(mobile, '12/03/1985');
  await service.dispatchAll();
}

async function textAndDispatch(mobile: string, body: string) {
  const before = sentTo(mobile).length;
  expect((await service.text(mobile, body)).status).toBe(200);
  await service.dispatchAll();
  return sentTo(mobile).slice(before);
}

function sentTo(mobile: string): string[] {
  return twilioMock.accepted.filter((m) => m.to === mobile).map((m) => m.body);
}

async function loggedEvents(ref: string) {
  return db.sql<{ event: string; detail: Record<string, unknown> }[]>`
    select event, detail from contact_log where tenancy_ref = ${ref} and event in ('escalated', 'benefit_help_offered', 'rent_statement_sent') order by id`;
}

describe('crisis replies by kind', () => {
  it('answers "partner controls all the money and I am scared" with the domestic abuse helpline, and keeps the kind for officers', async () => {
    const { ref, mobile } = await tenant();
    await verifiedInMissedPayment(ref, mobile);
    const replies = await textAndDispatch(mobile, 'my partner controls all the money and I am scared');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/National Domestic Abuse Helpline on 0808 2000 247/);
    expect(replies[0]).toMatch(/999/);
    expect(replies[0]).not.toMatch(/Samaritans|£/);
    expect(await db.sql`select reason, urgency from escalations where tenancy_ref = ${ref}`).toEqual([
      { reason: 'crisis', urgency: 'urgent' },
    ]);
    expect(await loggedEvents(ref)).toEqual([
      { event: 'escalated', detail: { reason: 'crisis', urgency: 'urgent', kind: 'domestic_abuse' } },
    ]);
  });

  it('answers "I can\'t cope anymore, I want to end it all" with Samaritans and 999', async () => {
    const { ref, mobile } = await tenant();
    await verifiedInMissedPayment(ref, mobile);
    const [reply] = await textAndDispatch(mobile, "I can't cope anymore, I want to end it all");
    expect(reply).toMatch(/Samaritans free on 116 123/);
    expect(reply).toMatch(/999/);
    expect((await loggedEvents(ref))[0]?.detail).toEqual({ reason: 'crisis', urgency: 'urgent', kind: 'self_harm' });
  });

  it("answers a bereavement with sympathy and an officer's call, and no helpline numbers", async () => {
    const { ref, mobile } = await tenant();
    await verifiedInMissedPayment(ref, mobile);
    const [reply] = await textAndDispatch(mobile, 'my mum passed away last week');
    expect(reply).toMatch(/sorry to hear that/);
    expect(reply).toMatch(/asked an officer to give you a call/);
    expect(reply).not.toMatch(/116 123|999|0808/);
    expect((await loggedEvents(ref))[0]?.detail).toEqual({
      reason: 'crisis',
      urgency: 'urgent',
      kind: 'bereavement_illness',
    });
  });
});

describe('confusion is not a crisis', () => {
  it('offers "I don\'t understand" a call and an interpreter, with a normal hand-off and no Samaritans or 999', async () => {
    const { ref, mobile } = await tenant();
    await verifiedInMissedPayment(ref, mobile);
    const [reply] = await textAndDispatch(mobile, "I don't understand");
    expect(reply).toMatch(/asked an officer to phone you to explain/);
    expect(reply).toMatch(/interpreter/);
    expect(reply).not.toMatch(/Samaritans|116 123|999/);
    expect(await db.sql`select reason, urgency from escalations where tenancy_ref = ${ref}`).toEqual([
      { reason: 'language_support', urgency: 'normal' },
    ]);
  });
});

describe('hardship', () => {
  it('gives "my UC is late this month" benefit help with the policy links, logs benefit help offered and tells an officer', async () => {
    const { ref, mobile } = await tenant();
    await verifiedInMissedPayment(ref, mobile);
    const [reply] = await textAndDispatch(mobile, 'my UC is late this month');
    expect(reply).toContain(service.policy.benefit_help.benefits_calculator_url);
    expect(reply).toContain(service.policy.benefit_help.discretionary_housing_payment_url);
    expect(reply).toMatch(/Housing Benefit, or the housing element of Universal Credit/);
    expect(reply).toMatch(/Discretionary Housing Payment/);
    expect(reply).not.toMatch(/didn't catch that/);
    expect((await loggedEvents(ref)).map((e) => e.event).sort()).toEqual(['benefit_help_offered', 'escalated']);
    expect(await db.sql`select reason, urgency from escalations where tenancy_ref = ${ref}`).toEqual([
      { reason: 'hardship', urgency: 'normal' },
    ]);
  });
});

describe('BALANCE and STATEMENT', () => {
  it('asks who they are first, then sends the balance and last payment from the ledger', async () => {
    const { ref, mobile } = await tenant();
    const [askIdentity] = await textAndDispatch(mobile, 'BALANCE');
    expect(askIdentity).toMatch(/date of birth/);
    expect(askIdentity).not.toMatch(/£/);
    const replies = await textAndDispatch(mobile, '12/03/1985');
    // £300 owed; the last payment was £100 on Monday 2 November.
    expect(replies[0]).toBe(
      `Your rent account balance is £300.00. Your last payment: £100.00 on Mon 2 Nov. Pay at https://pay.example.org/rent?ref=${ref}`,
    );
    expect(await loggedEvents(ref)).toEqual([]);
  });

  it('sends a 13-week statement after the identity check and logs it as a rent statement sent', async () => {
    const { ref, mobile } = await tenant();
    await textAndDispatch(mobile, 'hello');
    await textAndDispatch(mobile, 'SW1A 1AA');
    const [statement] = await textAndDispatch(mobile, 'STATEMENT');
    // 27 Aug to 25 Nov: 13 Monday rents of £100, 10 weekly payments of £100.
    expect(statement).toBe(
      'Your rent account for the last 13 weeks (from Thu 27 Aug): rent due £1,300.00, paid £1,000.00. Balance now: £300.00.',
    );
    expect(await loggedEvents(ref)).toEqual([
      { event: 'rent_statement_sent', detail: { weeks: 13, from: '2026-08-27' } },
    ]);
  });
});

describe('a Welsh tenant', () => {
  it('agrees a plan entirely in Welsh: "£10 yr wythnos o ddydd Gwener", then "ie"', async () => {
    const { ref, mobile } = await tenant({ language: 'cy' });
    await verifiedInMissedPayment(ref, mobile);
    expect(sentTo(mobile)[1]).toMatch(/^Diolch Sam\. Mae eich cyfrif rhent £200\.00 ar ei hôl hi/);
    const [confirm] = await textAndDispatch(mobile, '£10 yr wythnos o ddydd Gwener');
    expect(confirm).toBe(
      "Felly dyna £10.00 yr wythnos o 27 Tachwedd, ar ben eich rhent. Ydy hynny'n gywir? Atebwch IE neu NA.",
    );
    const [thanks] = await textAndDispatch(mobile, 'ie');
    expect(thanks).toMatch(/^Diolch\. Rydym wedi anfon eich cynnig at swyddog incwm/);
    const [arrangement] =
      await db.sql`select amount_pence, frequency, start_date, status from arrangements where tenancy_ref = ${ref}`;
    expect(arrangement).toEqual({
      amount_pence: 1000,
      frequency: 'weekly',
      start_date: '2026-11-27',
      status: 'proposed',
    });
  });
});
