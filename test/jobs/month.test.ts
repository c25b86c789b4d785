// A simulated May 2026 (bank holidays Mon 4 and Mon 25 May), day by day "as if" the clock read each
// morning: the ledger arrives, the dispatcher sends at 09:00, the daily job runs at 10:00 and the
// dispatcher sends again, with Twilio faked by msw. Each story below reads what Twilio received.
import { beforeAll, describe, expect, it } from 'vitest';
import { accountSummary } from '../../src/accounts/summary.js';
import type { JobReport } from '../../src/jobs/types.js';
import { fixedClock } from '../support/clock.js';
import { addDays } from '../../src/rent/calendar-date.js';
import { DEFAULT_POLICY } from '../support/policy.js';
import { loadCardModel } from '../../src/slack/card-model.js';
import { localDateOf } from '../../src/rent/schedule.js';
import { useTestDatabase } from '../support/database.js';
import { useTwilioMock } from '../support/msw-twilio.js';
import { testDispatcher } from '../outbox/fixtures.js';
import { insertTenancy, jobDeps, post, simulate, TIME_ZONE, weeklyCharges, type SentText } from './support.js';

const db = await useTestDatabase();
const clock = fixedClock('2026-05-01T00:00:00Z');
const twilio = useTwilioMock({ now: () => clock.now() });

const FIRST_TEXT = /To keep your account private/;
const sent: SentText[] = [];
const mobiles: Record<string, string> = {};
let reports: JobReport[] = [];

function textsTo(ref: string): { day: string; time: string; body: string }[] {
  return sent
    .filter((s) => s.to === mobiles[ref])
    .map((s) => ({ day: localDateOf(s.at, TIME_ZONE), time: s.at.toISOString().slice(11, 16), body: s.body }));
}

async function weeklyPayer(
  ref: string,
  options: { paidUntil: string; extraDebtPence?: number; optedOut?: boolean },
): Promise<void> {
  const {
    mobiles: [mobile],
  } = await insertTenancy(db.sql, { ref, smsOptedOut: options.optedOut ?? false });
  mobiles[ref] = mobile as string;
  const charges = await weeklyCharges(db.sql, ref, '2026-03-02', '2026-05-31', 10_000);
  for (const date of charges)
    if (date <= options.paidUntil) await post(db.sql, ref, date, 'payment', -10_000, 'Card payment');
  if (options.extraDebtPence) await post(db.sql, ref, '2026-03-03', 'charge', options.extraDebtPence, 'Old arrears');
}

async function arrangementTenant(ref: string, fridaysPaid: string[]): Promise<void> {
  await weeklyPayer(ref, { paidUntil: '2026-05-31', extraDebtPence: 20_000 });
  for (const friday of fridaysPaid) await post(db.sql, ref, friday, 'payment', -1_000, 'Plan payment');
  await db.sql`
    insert into arrangements (tenancy_ref, tenant_no, amount_pence, frequency, start_date, status, start_arrears_pence, created_at, updated_at)
    values (${ref}, 1, 1000, 'weekly', '2026-05-01', 'active', 20000, '2026-04-20T10:00:00Z', '2026-04-20T10:00:00Z')`;
}

beforeAll(async () => {
  // A weekly payer, £5 behind, who misses 11, 18 and 25 May.
  await weeklyPayer('W-MISSES', { paidUntil: '2026-05-04', extraDebtPence: 500 });
  // Monthly Universal Credit tenant: rent due on the 1st, paid from their UC on the 8th, every month.
  const uc = await insertTenancy(db.sql, {
    ref: 'U-MONTHLY',
    frequency: 'monthly',
    rentPence: 45_000,
    dueDay: '1',
    benefit: 'uc',
  });
  mobiles['U-MONTHLY'] = uc.mobiles[0] as string;
  for (const month of ['01', '02', '03', '04', '05']) {
    await post(db.sql, 'U-MONTHLY', `2026-${month}-01`, 'rent', 45_000);
    await post(db.sql, 'U-MONTHLY', `2026-${month}-08`, 'payment', -45_000, 'Bank transfer');
  }
  // Misses from 4 May; Breathing Space from Sunday 10 May to Wednesday 20 May.
  await weeklyPayer('B-SPACE', { paidUntil: '2026-04-27' });
  // Arrangements of £10 a week on Fridays from 1 May, on top of £100 rent paid every Monday.
  await arrangementTenant('K-KEPT', ['2026-05-01', '2026-05-08', '2026-05-15', '2026-05-22', '2026-05-29']);
  await arrangementTenant('X-BROKEN', ['2026-05-01', '2026-05-08']);
  // Opted out of SMS, and misses every payment in May.
  await weeklyPayer('O-OPTED-OUT', { paidUntil: '2026-04-27', optedOut: true });
  // Monthly rent due on the 21st (a Thursday): missed, so the first text falls due on Sunday 24 May.
  const monthly = await insertTenancy(db.sql, {
    ref: 'M-MONTHLY',
    frequency: 'monthly',
    rentPence: 40_000,
    dueDay: '21',
  });
  mobiles['M-MONTHLY'] = monthly.mobiles[0] as string;
  for (const month of ['01', '02', '03', '04', '05'])
    await post(db.sql, 'M-MONTHLY', `2026-${month}-21`, 'rent', 40_000);
  for (const month of ['01', '02', '03', '04'])
    await post(db.sql, 'M-MONTHLY', `2026-${month}-21`, 'payment', -40_000, 'Card payment');

  const { dispatcher } = testDispatcher(db.sql, { clock });
  reports = await simulate({
    deps: jobDeps(db.sql),
    clock,
    dispatcher,
    from: '2026-05-01',
    to: '2026-05-31',
    morning: async (date) => {
      if (date === '2026-05-10') {
        await db.sql`update tenants set breathing_space_start = '2026-05-10', breathing_space_end = '2026-05-20' where tenancy_ref = 'B-SPACE'`;
      }
    },
  });
  sent.push(...twilio.accepted.map((m) => ({ at: m.dateCreated, to: m.to, body: m.body })));
}, 120_000);

describe('a simulated month of scheduled jobs', () => {
  it('reminds a weekly payer, texts them when a payment is missed, texts again after a second miss, then recommends an officer call', async () => {
    const texts = textsTo('W-MISSES');
    // £5 behind, so "in arrears": reminded before each due date while no conversation is open.
    expect(texts[0]).toMatchObject({ day: '2026-05-02', body: expect.stringMatching(/your rent is due on Mon 4 May/) });
    expect(texts[1]).toMatchObject({
      day: '2026-05-09',
      body: expect.stringMatching(/your rent is due on Mon 11 May/),
    });
    const firsts = texts.filter((t) => FIRST_TEXT.test(t.body));
    expect(firsts.map((t) => t.day)).toEqual(['2026-05-14', '2026-05-21']);
    // Nothing about arrears before the grace period ended, and no third text after the second.
    expect(texts.filter((t) => t.day < '2026-05-14').map((t) => t.day)).toEqual(['2026-05-02', '2026-05-09']);
    expect(texts.filter((t) => t.day > '2026-05-26' && !/your rent is due on/.test(t.body))).toEqual([]);
    const summary = await accountSummary(db.sql, 'W-MISSES', { today: '2026-05-31', policy: DEFAULT_POLICY });
    expect(summary?.next_action).toMatchObject({ action: 'officer_call', blocked_by: null });
    expect(summary?.next_action.reason).toMatch(/after 2 texts/);
    // The Slack card's next step is the same next action (one source for the card, `/rent` and the API).
    const [escalation] = await db.sql<{ id: number }[]>`
      insert into escalations (tenancy_ref, tenant_no, reason, urgency, summary, created_at, updated_at)
      values ('W-MISSES', 1, 'hand_off', 'normal', 'Asked for a person', '2026-05-31T09:00:00Z', '2026-05-31T09:00:00Z')
      returning id::int as id`;
    const card = await loadCardModel(db.sql, escalation!.id, {
      policy: DEFAULT_POLICY,
      now: new Date('2026-05-31T11:00:00Z'),
      timeZone: TIME_ZONE,
    });
    expect(card?.model.nextStep).toEqual({ action: summary?.next_action.action, reason: summary?.next_action.reason });
    await db.sql`delete from slack_outbox where escalation_id = ${escalation!.id}`;
    await db.sql`delete from escalations where id = ${escalation!.id}`;
  });

  it('never sends an arrears text to a monthly Universal Credit tenant whose only arrears are the timing of their UC', async () => {
    expect(textsTo('U-MONTHLY')).toEqual([]);
    const summary = await accountSummary(db.sql, 'U-MONTHLY', { today: '2026-05-06', policy: DEFAULT_POLICY });
    expect(summary).toMatchObject({
      arrears_pence: 45_000,
      actionable_arrears_pence: 0,
      next_action: { action: 'none' },
    });
  });

  it('stops arrears texts at once when Breathing Space starts, queued ones included, and resumes only after it ends', async () => {
    const texts = textsTo('B-SPACE');
    expect(texts.filter((t) => FIRST_TEXT.test(t.body)).map((t) => t.day)).toEqual(['2026-05-07', '2026-05-21']);
    expect(texts.filter((t) => t.day >= '2026-05-10' && t.day <= '2026-05-20')).toEqual([]);
    const withdrawn = await db.sql`
      select created_at from messages where tenancy_ref = 'B-SPACE' and status = 'blocked' and blocked_reason = 'breathing_space'`;
    expect(withdrawn.length).toBeGreaterThanOrEqual(1);
    const skipped = await db.sql`
      select distinct reason from job_decisions where tenancy_ref = 'B-SPACE' and outcome = 'skipped' and job = 'missed-payments'`;
    expect(skipped.map((r) => r.reason)).toContain('breathing_space');
  });

  it('only nudges a tenant keeping their arrangement, the day before each instalment', async () => {
    const texts = textsTo('K-KEPT');
    const nudges = texts.filter((t) => /your next plan payment is due on/.test(t.body));
    expect(nudges.map((t) => t.day)).toEqual(['2026-05-07', '2026-05-14', '2026-05-21', '2026-05-28']);
    // Everything else is the nudge flow's own closing line; no reminders, no arrears texts.
    expect(texts.filter((t) => !/plan payment is due|help with your plan/.test(t.body))).toEqual([]);
    const [arrangement] = await db.sql`select status from arrangements where tenancy_ref = 'K-KEPT'`;
    expect(arrangement?.status).toBe('kept');
  });

  it('warns a tenant who breaks their arrangement, with a clear deadline, and alerts officers', async () => {
    const texts = textsTo('X-BROKEN');
    const warning = texts.find((t) => /A plan payment has been missed/.test(t.body));
    expect(warning).toMatchObject({ day: '2026-05-21', body: expect.stringMatching(/catch up by Thu 28 May/) });
    expect(texts.filter((t) => /your next plan payment is due on/.test(t.body)).map((t) => t.day)).toEqual([
      '2026-05-07',
      '2026-05-14',
    ]);
    expect(texts.filter((t) => FIRST_TEXT.test(t.body))).toEqual([]);
    const [arrangement] =
      await db.sql`select id::int as id, status, warning_deadline::text as warning_deadline from arrangements where tenancy_ref = 'X-BROKEN'`;
    expect(arrangement).toMatchObject({ status: 'broken', warning_deadline: '2026-05-28' });
    const escalations =
      await db.sql`select reason, arrangement_id::int as arrangement_id, status from escalations where tenancy_ref = 'X-BROKEN'`;
    expect(escalations).toEqual([{ reason: 'arrangement_broken', arrangement_id: arrangement?.id, status: 'pending' }]);
  });

  it('sends nothing at all to a tenant who opted out, and records why', async () => {
    expect(textsTo('O-OPTED-OUT')).toEqual([]);
    const reasons =
      await db.sql`select distinct reason from job_decisions where tenancy_ref = 'O-OPTED-OUT' and outcome = 'skipped'`;
    expect(reasons.map((r) => r.reason)).toContain('opted_out');
  });

  it('holds a text due on a Sunday past the bank holiday Monday to the next opening, Tuesday 09:00', async () => {
    const first = textsTo('M-MONTHLY').find((t) => FIRST_TEXT.test(t.body));
    expect(first).toMatchObject({ day: '2026-05-26', time: '08:00' }); // 09:00 BST
    const [queued] = await db.sql<{ created_at: Date }[]>`
      select created_at from messages where tenancy_ref = 'M-MONTHLY' and direction = 'outbound' order by id limit 1`;
    expect(localDateOf(queued?.created_at as Date, TIME_ZONE)).toBe('2026-05-24');
  });

  it('ran the daily job every day of the month', () => {
    expect(reports.filter((r) => r.job === 'reminders')).toHaveLength(31);
    expect(addDays('2026-05-01', 30)).toBe('2026-05-31');
  });
});
