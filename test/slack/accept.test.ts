// Accept round trips through POST /slack/events: the card is posted from the outbox, an officer accepts,
// the card is re-rendered without buttons, and the tenant is texted. Two officers at once make one
// decision; someone who is not an officer changes nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { useVendorMock } from '../support/msw-slack.js';
import { ACTIONS } from '../../src/slack/ids.js';
import {
  CHANNEL,
  OFFICER,
  OTHER_OFFICER,
  PATCH_OFFICER,
  STRANGER,
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
// Built after msw is listening: the Slack clients capture fetch when they are created.
let h: SlackHarness;
beforeAll(async () => {
  h = await slackHarness(db.sql);
});

async function escalation(id: number) {
  const [row] = await db.sql<{ status: string; decided_by: string | null; arrangement_status: string }[]>`
    select e.status, e.decided_by, a.status as arrangement_status from escalations e join arrangements a on a.id = e.arrangement_id where e.id = ${id}`;
  return row;
}

describe('accepting an offer from its Slack card', () => {
  it('posts the card, accepts on one click, re-renders it without buttons and texts the tenant', async () => {
    const { mobile, ref } = await insertTenantInArrears(db.sql);
    const id = await tenantMakesOffer(h, db.sql, mobile);
    await h.sendTexts();
    vendors.reset();

    await h.poster.drain();
    const [posted] = vendors.calls('chat.postMessage');
    expect(posted?.channel).toBe(CHANNEL);
    expect(posted?.text).toContain(`<@${PATCH_OFFICER}>`);
    const card = textOf(posted?.blocks);
    for (const shown of [
      'Sam',
      ref,
      '£402.00',
      'Weekly rent',
      '£103.00',
      'Weeks in arrears',
      'Last payment',
      '2026-10-20',
      '£15.00 a week from Fri 27 Nov',
      'Within policy',
      'Universal Credit',
      'Recommended next step',
      'I can pay £15 a week from Friday',
    ]) {
      expect(card).toContain(shown);
    }
    expect(card).not.toContain(mobile);
    expect(card).not.toContain(mobile.slice(3));
    const buttons = actionsOf(posted?.blocks);
    expect(buttons.filter((b) => b.type === 'button').map((b) => [b.action_id, b.value])).toEqual([
      [ACTIONS.accept, String(id)],
      [ACTIONS.counter, String(id)],
      [ACTIONS.refer, String(id)],
    ]);
    expect(buttons.find((b) => b.type === 'overflow')?.options?.map((o) => o.value)).toEqual([
      `take_over:${id}`,
      `view_account:${id}`,
    ]);
    const ts = await cardTs(db.sql, id);

    const started = performance.now();
    const response = await h.click(ACTIONS.accept, id, OFFICER, ts);
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
    await h.settle();

    expect(await escalation(id)).toEqual({ status: 'accepted', decided_by: OFFICER, arrangement_status: 'active' });
    const [update] = vendors.calls('chat.update');
    expect(update).toMatchObject({ channel: CHANNEL, ts });
    expect(actionsOf(update?.blocks)).toEqual([]);
    expect(textOf(update?.blocks)).toContain(`Accepted by <@${OFFICER}> at 10:00`);

    await h.sendTexts();
    expect(vendors.texts).toHaveLength(1);
    expect(vendors.texts[0]?.to).toBe(mobile);
    expect(vendors.texts[0]?.body).toContain('news about the plan you offered');

    // The tenant confirms who they are and hears the plan; their text is mirrored into the card's thread.
    await h.tenantTexts(mobile, '12/03/1985');
    await h.poster.drain();
    expect(vendors.calls('chat.postMessage').at(-1)).toMatchObject({ channel: CHANNEL, thread_ts: ts });
    expect(textOf(vendors.calls('chat.postMessage').at(-1))).toContain('12/03/1985');
    await h.sendTexts();
    expect(vendors.texts.at(-1)?.body).toContain(
      'your plan is agreed. £15.00 a week from Fri 27 Nov, on top of your rent',
    );

    const [logged] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from contact_log where escalation_id = ${id} and event = 'officer_accepted' and actor = ${`officer:${OFFICER}`}`;
    expect(logged?.n).toBe(1);
  });

  it('makes exactly one decision and sends one text when two officers click Accept at the same moment', async () => {
    const { mobile } = await insertTenantInArrears(db.sql);
    const id = await tenantMakesOffer(h, db.sql, mobile);
    await h.sendTexts();
    await h.poster.drain();
    const ts = await cardTs(db.sql, id);
    vendors.reset();

    const responses = await Promise.all([
      h.click(ACTIONS.accept, id, OFFICER, ts),
      h.click(ACTIONS.accept, id, OTHER_OFFICER, ts),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    await h.settle();

    const [decisions] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from contact_log where escalation_id = ${id} and event = 'officer_accepted'`;
    expect(decisions?.n).toBe(1);
    const { decided_by: winner } = (await escalation(id)) ?? { decided_by: null };
    const loser = winner === OFFICER ? OTHER_OFFICER : OFFICER;
    const ephemerals = vendors.calls('chat.postEphemeral');
    expect(ephemerals).toHaveLength(1);
    expect(ephemerals[0]).toMatchObject({
      channel: CHANNEL,
      user: loser,
      text: `Already accepted by <@${winner}> at 10:00. Nothing was changed.`,
    });
    await h.sendTexts();
    // One text about the decision, opened with the identity check (nothing about money before it).
    expect(vendors.texts.filter((t) => t.to === mobile).map((t) => t.body)).toEqual([
      expect.stringMatching(/^Hi Sam, it's Demo Homes .*with news about the plan you offered\. [\s\S]*date of birth/),
    ]);
  });

  it('refuses a click from someone who is not an officer, changes nothing and logs it without personal data', async () => {
    const { mobile } = await insertTenantInArrears(db.sql);
    const id = await tenantMakesOffer(h, db.sql, mobile);
    await h.sendTexts();
    await h.poster.drain();
    const ts = await cardTs(db.sql, id);
    vendors.reset();
    const [before] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from messages where direction = 'outbound'`;

    expect((await h.click(ACTIONS.accept, id, STRANGER, ts)).status).toBe(200);
    await h.settle();

    expect(await escalation(id)).toEqual({ status: 'pending', decided_by: null, arrangement_status: 'proposed' });
    expect(vendors.calls('chat.postEphemeral')).toEqual([
      expect.objectContaining({
        channel: CHANNEL,
        user: STRANGER,
        text: expect.stringContaining('only income officers'),
      }),
    ]);
    expect(vendors.calls('chat.update')).toEqual([]);
    const [after] = await db.sql<{ n: number }[]>`select count(*)::int as n from messages where direction = 'outbound'`;
    expect(after?.n).toBe(before?.n);
    const refusal = h.logLines.find((l) => l.includes('not an income officer'));
    expect(refusal).toContain(STRANGER);
    expect(refusal).not.toContain(mobile);
    expect(refusal).not.toContain('Sam');
  });

  it("lets the tenancy's own patch officer decide even when not listed in SLACK_OFFICER_IDS", async () => {
    const { mobile } = await insertTenantInArrears(db.sql);
    const id = await tenantMakesOffer(h, db.sql, mobile);
    await h.poster.drain();
    await h.click(ACTIONS.accept, id, PATCH_OFFICER, await cardTs(db.sql, id));
    await h.settle();
    expect((await escalation(id))?.decided_by).toBe(PATCH_OFFICER);
  });
});
