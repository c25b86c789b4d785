// The officer's affordability check from the card: the modal's figures are checked inline, saved as a
// check logged with the officer's name, and the card re-renders with the check beside the tenant's offer.
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, VIEWS } from '../../src/slack/ids.js';
import { encodeMetadata } from '../../src/slack/blocks/modals.js';
import { useTestDatabase } from '../support/database.js';
import { useVendorMock } from '../support/msw-slack.js';
import {
  CHANNEL,
  OFFICER,
  cardTs,
  insertTenantInArrears,
  slackHarness,
  tenantMakesOffer,
  textOf,
  type SlackHarness,
} from '../slack/harness.js';

const db = await useTestDatabase();
const vendors = useVendorMock();
let h: SlackHarness;
let ref: string;
let escalationId: number;
let ts: string;

beforeAll(async () => {
  h = await slackHarness(db.sql);
  const tenant = await insertTenantInArrears(db.sql);
  ref = tenant.ref;
  escalationId = await tenantMakesOffer(h, db.sql, tenant.mobile);
  await h.settle();
  ts = await cardTs(db.sql, escalationId);
  vendors.reset();
});

const values = (figures: Record<string, string>) => ({
  how: { value: { selected_option: { value: 'enter' } } },
  ...Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, { value: { value: v } }])),
});

describe('the affordability check in a Slack modal', () => {
  it('opens from the card with the SFS categories, monthly', async () => {
    await h.click(ACTIONS.affordability, escalationId, OFFICER, ts);
    await h.slack.idle();
    const [opened] = vendors.calls('views.open');
    expect((opened?.view as { callback_id: string }).callback_id).toBe(VIEWS.affordability);
    const filled = textOf(vendors.calls('views.update').at(-1)?.view);
    for (const label of [
      'Earnings (£ a month)',
      'Council tax (£ a month)',
      'Food and housekeeping (£ a month)',
      'Text the questions to the tenant',
    ])
      expect(filled).toContain(label);
  });

  it('answers a figure it cannot read with an inline error, saving nothing', async () => {
    const res = await h.submitView(
      VIEWS.affordability,
      OFFICER,
      encodeMetadata({ escalationId, channel: CHANNEL, messageTs: ts }),
      values({ earnings: 'lots' }),
    );
    expect(await res.json()).toEqual({
      response_action: 'errors',
      errors: { earnings: 'Enter pounds a month, such as 120 or 45.50, or leave it empty' },
    });
    const [n] = await db.sql`select count(*)::int as n from affordability_checks where tenancy_ref = ${ref}`;
    expect(n?.n).toBe(0);
  });

  it('saves the check, logs it with the officer, and the card shows the £15 offer against it', async () => {
    // £1,100 in; £650 + £320 out: £130 a month; half of it is £15.00 a week, as the tenant offered.
    const res = await h.submitView(
      VIEWS.affordability,
      OFFICER,
      encodeMetadata({ escalationId, channel: CHANNEL, messageTs: ts }),
      values({
        earnings: '800',
        benefits: '300',
        council_tax: '120',
        energy: '150',
        water: '40',
        phone_internet: '30',
        travel: '60',
        priority_debts: '250',
        food_housekeeping: '250',
        personal: '40',
        communications_leisure: '30',
      }),
    );
    expect(await res.text()).toBe('');
    await h.settle();
    const [log] =
      await db.sql`select actor, detail from contact_log where tenancy_ref = ${ref} and event = 'affordability_assessed'`;
    expect(log).toMatchObject({
      actor: `officer:${OFFICER}`,
      detail: { surplus_pence: 13_000, suggested_instalment_pence: 1_500 },
    });
    const card = textOf(vendors.calls('chat.update').at(-1)?.blocks);
    expect(card).toContain(`*Affordability check* (by <@${OFFICER}>`);
    expect(card).toContain(
      '*Offer against the check:* £15.00 a week (£65.00 a month) is 50% of the £130.00 monthly surplus: the suggested £15.00 a week',
    );
    expect(card).toContain('not known or skipped: other income, rent not covered by benefits, childcare');
  });
});
