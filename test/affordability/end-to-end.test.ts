// End to end: an officer has Rentline text a tenant the affordability check; the tenant answers by text and
// offers the suggested amount; the card shows the check and the offer against it; the officer accepts; the
// arrangement carries the check; the contact log holds the check, the offer and the debt-advice text; the
// evidence pack's PDF holds the statement lines and the timeline.
import { beforeAll, describe, expect, it } from 'vitest';
import { textAffordabilityCheck } from '../../src/affordability/start.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { bearer, testApp } from '../support/app.js';
import { useTestDatabase } from '../support/database.js';
import { useVendorMock } from '../support/msw-slack.js';
import { pdfPages } from '../support/pdf-text.js';
import {
  NOW,
  OFFICER,
  cardTs,
  insertTenantInArrears,
  slackHarness,
  textOf,
  type SlackHarness,
} from '../slack/harness.js';

const db = await useTestDatabase();
const vendors = useVendorMock();
let h: SlackHarness;
let ref: string;
let mobile: string;

beforeAll(async () => {
  h = await slackHarness(db.sql);
  ({ ref, mobile } = await insertTenantInArrears(db.sql));
});

describe('affordability check by text, through to the evidence pack', () => {
  let escalationId: number;

  it('the tenant answers six questions and offers the suggested £15 a week', async () => {
    const started = await textAffordabilityCheck(
      { sql: db.sql, flows: h.flows, policy: h.policy, timeZone: 'Europe/London' },
      { tenancyRef: ref, tenantNo: 1, officer: `officer:${OFFICER}`, now: new Date(NOW) },
    );
    expect(started.started).toBe(true);
    // £1,200 in, £1,070 out: £130 a month; half of it is £65 a month, £15.00 a week.
    for (const text of [
      '12/03/1985',
      '900, 300, 0',
      '100, 120',
      '150, 40, 30',
      '60, 0',
      '150',
      '300, 60, 60',
      'yes',
      'Friday',
      'yes',
    ])
      await h.tenantTexts(mobile, text);
    const [check] =
      await db.sql`select id::int as id, surplus_pence, suggested_instalment_pence, frequency, outcome, assessed_by from affordability_checks where tenancy_ref = ${ref}`;
    expect(check).toMatchObject({
      surplus_pence: 13_000,
      suggested_instalment_pence: 1_500,
      frequency: 'weekly',
      outcome: 'surplus',
      assessed_by: 'tenant',
    });
    const [arrangement] =
      await db.sql`select amount_pence, frequency, start_date, status, affordability_id::int as affordability_id from arrangements where tenancy_ref = ${ref}`;
    expect(arrangement).toMatchObject({
      amount_pence: 1_500,
      frequency: 'weekly',
      start_date: '2026-11-27',
      status: 'proposed',
      affordability_id: check?.id,
    });
    const [esc] = await db.sql<
      { id: number }[]
    >`select id::int as id from escalations where tenancy_ref = ${ref} and reason = 'offer'`;
    escalationId = esc!.id;
  });

  it('the card shows the check and the offer against it; the officer accepts', async () => {
    await h.settle();
    const [card] = vendors.calls('chat.postMessage');
    const shown = textOf(card?.blocks);
    expect(shown).toContain('*Affordability check* (by text');
    expect(shown).toContain('income £1,200.00, outgoings £1,070.00, surplus £130.00 a month; suggested £15.00 weekly');
    expect(shown).toContain(
      '*Offer against the check:* £15.00 a week (£65.00 a month) is 50% of the £130.00 monthly surplus: the suggested £15.00 a week',
    );
    await h.click(ACTIONS.accept, escalationId, OFFICER, await cardTs(db.sql, escalationId));
    await h.settle();
    const [arrangement] = await db.sql`select status from arrangements where tenancy_ref = ${ref}`;
    expect(arrangement?.status).toBe('active');
  });

  it('the contact log holds the check, the offer and the free debt-advice text', async () => {
    const log = await db.sql<{ event: string; detail: Record<string, unknown>; body: string | null }[]>`
      select l.event, l.detail, m.body from contact_log l left join messages m on m.id = l.message_id where l.tenancy_ref = ${ref} order by l.id`;
    const events = log.map((l) => l.event);
    expect(events).toContain('affordability_assessed');
    expect(events).toContain('offer_recorded');
    expect(events).toContain('officer_accepted');
    expect(log.find((l) => l.event === 'affordability_assessed')?.detail).toMatchObject({
      income_pence: 120_000,
      outgoings_pence: 107_000,
      surplus_pence: 13_000,
      suggested_instalment_pence: 1_500,
      frequency: 'weekly',
    });
    expect(log.some((l) => l.body?.includes('StepChange: 0800 138 1111') && l.body.includes('National Debtline'))).toBe(
      true,
    );
  });

  it('the evidence pack PDF has the statement lines, the timeline and the check', async () => {
    const { app } = testApp(db.sql, { now: NOW });
    const res = await app.request(`/api/tenancies/${ref}/evidence-pack`, { headers: bearer() });
    const text = (await pdfPages(new Uint8Array(await res.arrayBuffer()))).join(' ');
    expect(text).toContain('5 Oct 2026 Adjustment £412.00 £412.00');
    expect(text).toContain('20 Oct 2026 Payment £10.00 £402.00');
    expect(text).toContain('"900, 300, 0"');
    expect(text).toContain('Affordability assessed');
    expect(text).toContain('Officer accepted the offer');
    expect(text).toMatch(
      /income £1,200\.00 a month, outgoings £1,070\.00, surplus £130\.00; suggested instalment £15\.00 weekly/,
    );
    expect(text).toMatch(/based on affordability check #\d+/);
  });
});
