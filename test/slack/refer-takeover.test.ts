// Refer to debt advice from the card, and an officer taking a conversation over: thread replies are
// texted to the tenant in the officer's words, the tenant's texts come back into the thread, and Hand back
// resumes the script. Slack's retries of an event are never processed twice.
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, VIEWS } from '../../src/slack/ids.js';
import { useTestDatabase } from '../support/database.js';
import { useVendorMock } from '../support/msw-slack.js';
import {
  CHANNEL,
  OFFICER,
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

async function offerOnCard(): Promise<{ id: number; ts: string; mobile: string; ref: string }> {
  const { mobile, ref } = await insertTenantInArrears(db.sql);
  const id = await tenantMakesOffer(h, db.sql, mobile);
  await h.sendTexts();
  await h.poster.drain();
  const ts = await cardTs(db.sql, id);
  vendors.reset();
  return { id, ts, mobile, ref };
}

describe('referring a tenant to debt advice from the card', () => {
  it("offers the policy's agencies, texts the tenant the advice, pauses contact and records the referral", async () => {
    const { id, ts, mobile, ref } = await offerOnCard();
    await h.click(ACTIONS.refer, id, OFFICER, ts);
    await h.slack.idle();
    const opened = vendors.calls('views.open')[0];
    expect(opened).toMatchObject({ view: { callback_id: VIEWS.refer } });
    const form = vendors.calls('views.update')[0];
    for (const agency of ['StepChange', 'National Debtline', 'Citizens Advice', 'Demo Homes Money Advice Team'])
      expect(textOf(form)).toContain(agency);

    const metadata = (opened?.view as { private_metadata: string }).private_metadata;
    const response = await h.submitView(VIEWS.refer, OFFICER, metadata, {
      agency: { value: { type: 'static_select', selected_option: { value: 'stepchange' } } },
      note: { value: { type: 'plain_text_input', value: 'Two other debts mentioned on the phone' } },
    });
    expect(response.status).toBe(200);
    await h.settle();

    const [row] = await db.sql<{ status: string; arrangement_status: string; paused_until: Date | null }[]>`
      select e.status, a.status as arrangement_status, t.contact_paused_until as paused_until
      from escalations e join arrangements a on a.id = e.arrangement_id join tenants t on t.tenancy_ref = e.tenancy_ref and t.tenant_no = e.tenant_no where e.id = ${id}`;
    expect(row?.status).toBe('referred');
    expect(row?.arrangement_status).toBe('referred');
    expect(row?.paused_until?.toISOString()).toBe('2026-12-08T10:00:00.000Z');
    const [logged] = await db.sql<
      { detail: Record<string, unknown> }[]
    >`select detail from contact_log where tenancy_ref = ${ref} and event = 'officer_referred'`;
    expect(logged?.detail).toEqual({ agencyId: 'stepchange', note: 'Two other debts mentioned on the phone' });

    const update = vendors.calls('chat.update').at(-1);
    expect(update).toMatchObject({ channel: CHANNEL, ts });
    expect(actionsOf(update?.blocks)).toEqual([]);
    expect(textOf(update?.blocks)).toContain(`Referred to debt advice by <@${OFFICER}> at 10:00: StepChange`);

    await h.sendTexts();
    expect(vendors.texts.map((t) => t.to)).toEqual([mobile]);
    expect(vendors.texts[0]?.body).toContain('StepChange');
    expect(vendors.texts[0]?.body).toContain("We won't text you about the money owed for 14 days");
  });
});

describe('taking a conversation over and handing it back', () => {
  it("pauses the script, texts the officer's thread replies once, mirrors the tenant's texts, and resumes on Hand back", async () => {
    const { id, ts, mobile } = await offerOnCard();
    expect(
      (
        await h.interactive({
          type: 'block_actions',
          team: { id: 'T1' },
          user: { id: OFFICER, name: 'priya' },
          api_app_id: 'A1',
          token: 'x',
          trigger_id: 't',
          channel: { id: CHANNEL },
          container: { type: 'message', channel_id: CHANNEL, message_ts: ts },
          message: { ts },
          actions: [
            {
              type: 'overflow',
              action_id: ACTIONS.more,
              block_id: `escalation:${id}`,
              selected_option: { text: { type: 'plain_text', text: 'Take over' }, value: `take_over:${id}` },
              action_ts: '1',
            },
          ],
        })
      ).status,
    ).toBe(200);
    await h.settle();

    const [conversation] = await db.sql<{ id: number; taken_over_by: string | null }[]>`
      select c.id::int as id, c.taken_over_by from conversations c join escalations e using (tenancy_ref, tenant_no) where e.id = ${id} and c.status = 'active'`;
    expect(conversation?.taken_over_by).toBe(OFFICER);
    const takenOver = vendors.calls('chat.update').at(-1);
    expect(textOf(takenOver?.blocks)).toContain(`<@${OFFICER}> has taken over: the script is paused`);
    expect(actionsOf(takenOver?.blocks).map((b) => b.action_id)).toContain(ACTIONS.handBack);

    // The tenant texts: no script answers, and the text appears in the card's thread.
    expect((await h.tenantTexts(mobile, 'Can I talk to someone please?')).outcome).toBe('taken_over');
    await h.poster.drain();
    expect(
      vendors
        .calls('chat.postMessage')
        .filter((c) => c.thread_ts === ts)
        .map((c) => c.text),
    ).toEqual([expect.stringContaining('Can I talk to someone please?')]);
    await h.sendTexts();
    expect(vendors.texts).toEqual([]);

    // The officer replies in the thread; Slack retries the same event, which is not processed again.
    const reply = {
      type: 'message',
      channel: CHANNEL,
      user: OFFICER,
      text: "Hi Sam, it's Priya <@UOFFICER1>. I can call you at 2pm &amp; talk it through.",
      ts: '1700000100.000200',
      thread_ts: ts,
      channel_type: 'channel',
    };
    expect((await h.event(reply, 'Ev0001')).status).toBe(200);
    const retried = await h.event(reply, 'Ev0001', {
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });
    expect(retried.status).toBe(200);
    await h.settle();
    await h.sendTexts();
    expect(vendors.texts).toEqual([
      { to: mobile, body: "Hi Sam, it's Priya. I can call you at 2pm & talk it through." },
    ]);
    const [officerText] = await db.sql<{ purpose: string; n: number }[]>`
      select purpose, count(*)::int as n from messages where to_address = ${mobile} and purpose = 'takeover' group by purpose`;
    expect(officerText).toEqual({ purpose: 'takeover', n: 1 });

    // Hand back: the script answers the tenant's next text again.
    await h.click(ACTIONS.handBack, id, OFFICER, ts);
    await h.settle();
    const [after] = await db.sql<
      { taken_over_by: string | null; status: string }[]
    >`select taken_over_by, status from conversations where id = ${conversation?.id ?? 0}`;
    expect(after).toEqual({ taken_over_by: null, status: 'ended' });
    expect(actionsOf(vendors.calls('chat.update').at(-1)?.blocks).map((b) => b.action_id)).not.toContain(
      ACTIONS.handBack,
    );
    vendors.reset();
    expect((await h.tenantTexts(mobile, 'Hello again')).outcome).toBe('started');
    await h.sendTexts();
    expect(vendors.texts).toHaveLength(1);
    expect(vendors.texts[0]?.body).toContain('To keep your account private');
  });
});
