// Counter-offers from the card: the modal opens at once and is filled in with views.update, the officer's
// terms are validated inline, the tenant is texted the counter-offer and answers in the flow, and a "no"
// comes back to officers in the same card's thread, where they can counter again.
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, VIEWS } from '../../src/slack/ids.js';
import { useTestDatabase } from '../support/database.js';
import { useVendorMock } from '../support/msw-slack.js';
import {
  CHANNEL,
  OFFICER,
  OTHER_OFFICER,
  actionsOf,
  cardTs,
  insertTenantInArrears,
  slackHarness,
  tenantMakesOffer,
  textOf,
  type SlackHarness,
} from './harness.js';

const db = await useTestDatabase();
const vendors = useVendorMock();
let h: SlackHarness;
beforeAll(async () => {
  h = await slackHarness(db.sql);
});

function counterValues(amount: string, frequency: string, start: string) {
  return {
    amount: { value: { type: 'plain_text_input', value: amount } },
    frequency: { value: { type: 'static_select', selected_option: { value: frequency } } },
    start: { value: { type: 'datepicker', selected_date: start } },
  };
}

async function offerOnCard(): Promise<{ id: number; ts: string; mobile: string }> {
  const { mobile } = await insertTenantInArrears(db.sql);
  const id = await tenantMakesOffer(h, db.sql, mobile);
  await h.sendTexts();
  await h.poster.drain();
  const ts = await cardTs(db.sql, id);
  vendors.reset();
  return { id, ts, mobile };
}

/** Clicks Counter and returns the private metadata of the modal that opened. */
async function openCounterModal(id: number, ts: string, user = OFFICER): Promise<string> {
  const before = vendors.calls('views.open').length;
  expect((await h.click(ACTIONS.counter, id, user, ts)).status).toBe(200);
  await h.slack.idle();
  const opened = vendors.calls('views.open')[before];
  expect(opened).toMatchObject({
    trigger_id: `trigger-${user}-${id}`,
    view: { type: 'modal', callback_id: VIEWS.counter },
  });
  expect(textOf(opened)).toContain('Loading the case');
  const updated = vendors.calls('views.update').at(-1);
  expect(updated).toMatchObject({
    view_id: expect.stringMatching(/^V\d+$/),
    hash: expect.stringMatching(/^hash-/),
    view: { callback_id: VIEWS.counter, submit: { text: 'Send to tenant' } },
  });
  return (opened?.view as { private_metadata: string }).private_metadata;
}

async function arrangementOf(id: number) {
  const [row] = await db.sql<{ status: string; amount_pence: number; frequency: string; start_date: string }[]>`
    select a.status, a.amount_pence, a.frequency, a.start_date from escalations e join arrangements a on a.id = e.arrangement_id where e.id = ${id}`;
  return row;
}

describe('countering an offer from its Slack card', () => {
  it("opens the modal at once, sends the counter-offer, and the tenant's yes makes the plan active", async () => {
    const { id, ts, mobile } = await offerOnCard();
    const metadata = await openCounterModal(id, ts);
    expect(textOf(vendors.calls('views.update').at(-1))).toContain('"initial_value":"15.00"');

    const submitted = await h.submitView(VIEWS.counter, OFFICER, metadata, counterValues('10', 'weekly', '2026-12-04'));
    expect(submitted.status).toBe(200);
    expect(await submitted.text()).toBe('');
    await h.settle();

    expect(await arrangementOf(id)).toEqual({
      status: 'countered',
      amount_pence: 1000,
      frequency: 'weekly',
      start_date: '2026-12-04',
    });
    const countered = vendors.calls('chat.update').at(-1);
    expect(countered).toMatchObject({ channel: CHANNEL, ts });
    expect(actionsOf(countered?.blocks)).toEqual([]);
    expect(textOf(countered?.blocks)).toContain(`Countered by <@${OFFICER}> at 10:00: £10.00 a week from Fri 4 Dec`);
    expect(textOf(countered?.blocks)).toContain('£15.00 a week from Fri 27 Nov');
    expect(textOf(countered?.blocks)).toContain('Waiting for the tenant');

    await h.sendTexts();
    expect(vendors.texts.map((t) => t.body)).toEqual([
      expect.stringContaining('An officer has replied to the plan you offered'),
    ]);
    await h.tenantTexts(mobile, '12/03/1985');
    await h.sendTexts();
    expect(vendors.texts.at(-1)?.body).toContain('we could agree £10.00 a week from Fri 4 Dec');
    await h.tenantTexts(mobile, 'yes');
    await h.sendTexts();
    expect(vendors.texts.at(-1)?.body).toContain('Your plan is agreed: £10.00 a week from Fri 4 Dec');
    expect((await arrangementOf(id))?.status).toBe('active');

    await h.poster.drain();
    expect(textOf(vendors.calls('chat.update').at(-1)?.blocks)).toContain('The tenant accepted the counter-offer');
    const mirrored = vendors
      .calls('chat.postMessage')
      .filter((c) => c.thread_ts === ts)
      .map((c) => textOf(c.text));
    expect(mirrored).toEqual([expect.stringContaining('12/03/1985'), expect.stringContaining('yes')]);
  });

  it("brings the tenant's no back into the card's thread, where a second counter-offer can be made", async () => {
    const { id, ts, mobile } = await offerOnCard();
    await h.submitView(
      VIEWS.counter,
      OFFICER,
      await openCounterModal(id, ts),
      counterValues('10.00', 'weekly', '2026-12-04'),
    );
    await h.settle();
    await h.tenantTexts(mobile, '12/03/1985');
    await h.tenantTexts(mobile, 'no');
    await h.sendTexts();
    expect(vendors.texts.at(-1)?.body).toContain('An officer will contact you');
    vendors.reset();

    await h.poster.drain();
    const [reply] = await db.sql<{ id: number; slack_thread_of: number; slack_ts: string }[]>`
      select id::int as id, slack_thread_of::int as slack_thread_of, slack_ts from escalations where reason = 'counter_reply' and slack_thread_of = ${id}`;
    expect(reply).toBeDefined();
    const threadCard = vendors
      .calls('chat.postMessage')
      .find((c) => c.thread_ts === ts && textOf(c.blocks).includes('Reply to a counter-offer'));
    expect(threadCard).toMatchObject({ channel: CHANNEL });
    expect(
      actionsOf(threadCard?.blocks)
        .filter((b) => b.type === 'button')
        .map((b) => [b.action_id, b.value]),
    ).toEqual([
      [ACTIONS.takeOver, String(reply?.id)],
      [ACTIONS.counter, String(reply?.id)],
      [ACTIONS.refer, String(reply?.id)],
    ]);
    expect(textOf(vendors.calls('chat.update').find((c) => c.ts === ts)?.blocks)).toContain(
      'did not accept the counter-offer',
    );

    // The second counter, from the card in the thread.
    const childTs = reply?.slack_ts as string;
    const metadata = await openCounterModal(reply?.id as number, childTs, OTHER_OFFICER);
    await h.submitView(VIEWS.counter, OTHER_OFFICER, metadata, counterValues('8', 'weekly', '2026-12-11'));
    await h.settle();
    expect(textOf(vendors.calls('chat.update').find((c) => c.ts === childTs)?.blocks)).toContain(
      `Countered by <@${OTHER_OFFICER}> at 10:00: £8.00 a week from Fri 11 Dec`,
    );
    await h.sendTexts();
    expect(vendors.texts.at(-1)?.body).toContain('An officer has replied to the plan you offered');
    await h.tenantTexts(mobile, '12/03/1985');
    await h.tenantTexts(mobile, 'yes');
    await h.sendTexts();
    expect(vendors.texts.at(-1)?.body).toContain('Your plan is agreed: £8.00 a week from Fri 11 Dec');
    expect(await arrangementOf(id)).toEqual({
      status: 'active',
      amount_pence: 800,
      frequency: 'weekly',
      start_date: '2026-12-11',
    });
  });

  it('shows inline errors for an amount of zero and a start date in the past, and sends nothing', async () => {
    const { id, ts } = await offerOnCard();
    const metadata = await openCounterModal(id, ts);
    const [before] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from messages where direction = 'outbound'`;

    const response = await h.submitView(VIEWS.counter, OFFICER, metadata, counterValues('0', 'weekly', '2026-11-01'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      response_action: 'errors',
      errors: {
        amount: 'The amount must be more than £0.00',
        start: 'The first payment cannot be in the past: choose today or later',
      },
    });
    await h.settle();

    const [row] = await db.sql<{ status: string }[]>`select status from escalations where id = ${id}`;
    expect(row?.status).toBe('pending');
    const [after] = await db.sql<{ n: number }[]>`select count(*)::int as n from messages where direction = 'outbound'`;
    expect(after?.n).toBe(before?.n);
    expect(vendors.calls('chat.update')).toEqual([]);
    await h.sendTexts();
    expect(vendors.texts).toEqual([]);
  });
});
