// An officer marks a tenant's benefit claim pending from Slack (`/rent <ref> claim-pending`) and clears it
// (`claim-cleared`): docs/rules.md#benefit-claim-pending says no notice or court step is recommended meanwhile. The mark shows on
// the account, feeds the next-action rules, and is logged as evidence; nobody else can set it.
import { beforeAll, describe, expect, it } from 'vitest';
import { nextActionFacts } from '../../src/accounts/next-action-facts.js';
import { nextAction } from '../../src/rent/next-action.js';
import { DEFAULT_POLICY } from '../support/policy.js';
import { useTestDatabase } from '../support/database.js';
import { useVendorMock } from '../support/msw-slack.js';
import { OFFICER, STRANGER, insertTenantInArrears, slackHarness, textOf, type SlackHarness } from './harness.js';

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
  const [response] = vendors.responses;
  return response as Record<string, unknown>;
}

async function mark(ref: string): Promise<{ since: Date | null; by: string | null }> {
  const [row] = await db.sql<{ since: Date | null; by: string | null }[]>`
    select benefit_claim_pending_since as since, benefit_claim_marked_by as by from tenancies where tenancy_ref = ${ref}`;
  return row as { since: Date | null; by: string | null };
}

describe('a benefit claim marked pending from Slack', () => {
  it('is set by an officer, shown on the account, logged as evidence, and cleared again', async () => {
    const { ref } = await insertTenantInArrears(db.sql);
    const marked = await rent(`${ref} claim-pending`);
    expect(marked).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(marked)).toContain('Benefit claim pending');
    expect(await mark(ref)).toMatchObject({ since: expect.any(Date), by: OFFICER });

    const facts = await nextActionFacts(
      db.sql,
      ref,
      { actionableArrearsPence: 40_200, weeksInArrears: 8 },
      '2026-11-24',
    );
    expect(facts.benefitClaimPending).toBe(true);
    // With the legal thresholds met, the rules help with the claim instead of recommending a notice.
    expect(nextAction({ ...facts, messagesSentThisEpisode: 2 }, DEFAULT_POLICY)).toMatchObject({
      blockedBy: 'benefit_claim_pending',
      action: 'officer_call',
    });

    const cleared = await rent(`${ref} claim-cleared`);
    expect(textOf(cleared)).not.toContain('Benefit claim pending');
    expect(await mark(ref)).toMatchObject({ since: null, by: OFFICER });
    expect(
      (await nextActionFacts(db.sql, ref, { actionableArrearsPence: 40_200, weeksInArrears: 8 }, '2026-11-24'))
        .benefitClaimPending,
    ).toBe(false);

    const log =
      await db.sql`select event, actor from contact_log where tenancy_ref = ${ref} and event like 'benefit_claim%' order by id`;
    expect(log).toEqual([
      { event: 'benefit_claim_pending', actor: `officer:${OFFICER}` },
      { event: 'benefit_claim_cleared', actor: `officer:${OFFICER}` },
    ]);
  });

  it('is refused to someone who is not an officer, and changes nothing', async () => {
    const { ref } = await insertTenantInArrears(db.sql);
    const refusal = await rent(`${ref} claim-pending`, STRANGER);
    expect(refusal).toMatchObject({ text: expect.stringContaining('only income officers') });
    expect(await mark(ref)).toEqual({ since: null, by: null });
  });

  it('explains the command when the action is not one it knows', async () => {
    const { ref } = await insertTenantInArrears(db.sql);
    const usage = await rent(`${ref} claim-maybe`);
    expect(textOf(usage)).toContain('claim-pending');
    expect(await mark(ref)).toEqual({ since: null, by: null });
    expect(textOf(await rent(`${ref} toString`))).toContain('Usage');
  });
});
