// Officers set and clear holds in Slack: "Resolve crisis" on the card (handing back never resolves it),
// `/rent <ref> vulnerable set|clear`, `/rent <ref> dispute clear`, `/rent <ref> resolve-crisis`, each
// logged with the officer and re-rendering the card; and the own-patch check card buttons apply, on
// every `/rent` action (claim-pending included).
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { useVendorMock } from '../support/msw-slack.js';
import { ACTIONS } from '../../src/slack/ids.js';
import {
  OFFICER,
  PATCH_OFFICER,
  actionsOf,
  cardTs,
  insertTenantInArrears,
  slackHarness,
  textOf,
  type SlackHarness,
} from './harness.js';

const db = await useTestDatabase();
const vendors = useVendorMock();
let h: SlackHarness;
beforeAll(async () => {
  h = await slackHarness(db.sql);
});

async function rent(text: string, user = OFFICER): Promise<Record<string, unknown>> {
  vendors.responses.length = 0;
  expect((await h.command({ command: '/rent', text, user_id: user })).status).toBe(200);
  await h.slack.idle();
  return vendors.responses[0] as Record<string, unknown>;
}

describe('resolving a crisis from its card', () => {
  it('keeps the crisis hold after Hand back-style closing, shows Resolve crisis, and lifts the hold for the tenancy when clicked', async () => {
    const { ref, mobile } = await insertTenantInArrears(db.sql);
    expect((await h.tenantTexts(mobile, 'I want to end it all')).outcome).toBe('started');
    await h.settle();
    const [crisis] = await db.sql<
      { id: number }[]
    >`select id::int as id from escalations where tenancy_ref = ${ref} and reason = 'crisis'`;
    const id = crisis?.id ?? 0;
    const ts = await cardTs(db.sql, id);
    const posted = vendors
      .calls('chat.postMessage')
      .find((c) => c.ts === ts || textOf(c.blocks).includes(`escalation:${id}`));
    expect(actionsOf(posted?.blocks).map((a) => a.action_id)).toContain(ACTIONS.resolveCrisis);

    // The card is dealt with (as Hand back does): the hold, and its button, stay.
    await db.sql`update escalations set status = 'closed', updated_at = ${h.clock.now()} where id = ${id}`;
    await h.settle();
    expect(actionsOf(vendors.calls('chat.update').at(-1)?.blocks).map((a) => a.action_id)).toEqual([
      ACTIONS.resolveCrisis,
    ]);
    expect(textOf(vendors.calls('chat.update').at(-1)?.blocks)).toContain('Crisis hold');

    expect((await h.click(ACTIONS.resolveCrisis, id, OFFICER, ts)).status).toBe(200);
    await h.settle();
    const [row] = await db.sql`select crisis_resolved_by from escalations where id = ${id}`;
    expect(row).toEqual({ crisis_resolved_by: `officer:${OFFICER}` });
    expect(actionsOf(vendors.calls('chat.update').at(-1)?.blocks).map((a) => a.action_id)).not.toContain(
      ACTIONS.resolveCrisis,
    );
    const log =
      await db.sql`select event, actor from contact_log where tenancy_ref = ${ref} and event = 'crisis_resolved'`;
    expect(log).toEqual([{ event: 'crisis_resolved', actor: `officer:${OFFICER}` }]);
  });
});

describe('/rent hold commands', () => {
  it('marks a tenant vulnerable with a review date, shows it on the account, and clears it, each logged', async () => {
    const { ref } = await insertTenantInArrears(db.sql);
    expect(textOf(await rent(`${ref} vulnerable set tenant 1 review 2027-01-31 note Carer told us`))).toContain(
      'Marked vulnerable (tenant 1), review 2027-01-31',
    );
    const [tenant] =
      await db.sql`select vulnerable, vulnerable_by_officer, vulnerable_review_on::text as review, vulnerable_note as note from tenants where tenancy_ref = ${ref}`;
    expect(tenant).toEqual({
      vulnerable: true,
      vulnerable_by_officer: true,
      review: '2027-01-31',
      note: 'Carer told us',
    });
    expect(textOf(await rent(`${ref} vulnerable clear`))).toContain('Vulnerability cleared (tenant 1)');
    const log =
      await db.sql`select event, actor, detail->>'note' as note from contact_log where tenancy_ref = ${ref} and event like 'vulnerability%' order by id`;
    expect(log).toEqual([
      { event: 'vulnerability_marked', actor: `officer:${OFFICER}`, note: 'Carer told us' },
      { event: 'vulnerability_cleared', actor: `officer:${OFFICER}`, note: null },
    ]);
  });

  it('says so when there is no dispute or crisis to clear, and explains a malformed command', async () => {
    const { ref } = await insertTenantInArrears(db.sql);
    expect(textOf(await rent(`${ref} dispute clear`))).toContain('No dispute is open');
    expect(textOf(await rent(`${ref} resolve-crisis`))).toContain('No crisis is open');
    expect(textOf(await rent(`${ref} vulnerable maybe`))).toContain('Usage');
  });

  it('refuses an officer from another patch, for holds and for claim-pending, and changes nothing', async () => {
    const { ref } = await insertTenantInArrears(db.sql);
    // UOTHERPATCH is the patch officer of a different tenancy only.
    await db.sql`insert into tenancies (tenancy_ref, tenure, start_date, rent_frequency, rent_amount_pence, rent_due_day, officer_slack_id)
                 values (${`${ref}-B`}, 'secure', '2024-04-01', 'weekly', 10000, 'monday', 'UOTHERPATCH')`;
    for (const action of ['claim-pending', 'vulnerable set', 'resolve-crisis']) {
      expect(textOf(await rent(`${ref} ${action}`, 'UOTHERPATCH'))).toContain('only income officers');
    }
    const [after] =
      await db.sql`select y.benefit_claim_pending_since as claim, t.vulnerable from tenancies y join tenants t using (tenancy_ref) where y.tenancy_ref = ${ref}`;
    expect(after).toEqual({ claim: null, vulnerable: false });
    // The tenancy's own patch officer may act.
    expect(textOf(await rent(`${ref} vulnerable set`, PATCH_OFFICER))).toContain('Marked vulnerable');
  });
});
