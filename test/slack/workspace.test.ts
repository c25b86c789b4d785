// Rentline is a single-workspace app: signed Slack requests (a card click, /rent, a thread reply) from a
// team or Enterprise Grid organisation other than the one the bot token belongs to (auth.test) are
// acknowledged with nothing, logged without any id or content, and change nothing; our own team still works.
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/ids.js';
import { isOwnWorkspace } from '../../src/slack/workspace.js';
import { useTestDatabase } from '../support/database.js';
import { useVendorMock } from '../support/msw-slack.js';
import {
  CHANNEL,
  OFFICER,
  cardTs,
  insertTenantInArrears,
  slackHarness,
  tenantMakesOffer,
  type SlackHarness,
} from './harness.js';

const db = await useTestDatabase();
const vendors = useVendorMock();
let h: SlackHarness;
beforeAll(async () => {
  h = await slackHarness(db.sql);
});

const FOREIGN = 'TFOREIGN9';

/** Every table a Slack request could change, as counts and the escalations' states. */
async function state() {
  const [counts] = await db.sql`
    select (select count(*)::int from contact_log) as contact_log, (select count(*)::int from messages) as messages,
      (select count(*)::int from slack_event_receipts) as receipts, (select count(*)::int from slack_takeovers) as takeovers,
      (select count(*)::int from slack_outbox) as slack_outbox, (select count(*)::int from arrangements where status <> 'proposed') as decided,
      (select count(*)::int from conversations where taken_over_by is not null) as taken_over,
      (select count(*)::int from tenancies where benefit_claim_pending_since is not null) as claims`;
  const escalations = await db.sql`select id, status, decided_by, updated_at from escalations order by id`;
  return { counts, escalations };
}

function refusalsLogged(): string[] {
  return h.logLines.filter((l) => l.includes('refused a Slack request from another workspace'));
}

describe('Slack requests from another workspace', () => {
  it('are refused with an empty acknowledgement and change nothing, while our own team is served', async () => {
    const { mobile, ref } = await insertTenantInArrears(db.sql);
    const id = await tenantMakesOffer(h, db.sql, mobile);
    await h.poster.drain();
    await h.sendTexts();
    const ts = await cardTs(db.sql, id);
    vendors.reset();
    const before = await state();

    const foreignUser = { id: OFFICER, name: 'officer', team_id: FOREIGN };
    const responses = [
      // A click on Accept, by a user with our officer's id, from another team.
      await h.click(ACTIONS.accept, id, OFFICER, ts, { team: { id: FOREIGN }, user: foreignUser }),
      // The same click naming our team inside a different Enterprise Grid organisation.
      await h.click(ACTIONS.accept, id, OFFICER, ts, { enterprise: { id: 'EFOREIGN' } }),
      await h.command({ command: '/rent', text: `${ref} claim-pending`, user_id: OFFICER, team_id: FOREIGN }),
      // A thread reply (which would text the tenant), as an Events API callback.
      await h.signedPost(
        JSON.stringify({
          type: 'event_callback',
          team_id: FOREIGN,
          api_app_id: 'A1',
          event_id: 'EvFOREIGN1',
          event_time: 1,
          event: {
            type: 'message',
            channel: CHANNEL,
            user: OFFICER,
            text: 'Hello',
            ts: '1700000200.000100',
            thread_ts: ts,
          },
        }),
        'application/json',
      ),
    ];
    await h.settle();
    await h.sendTexts();

    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('');
    }
    expect(await state()).toEqual(before);
    expect(vendors.slack.filter((c) => c.method !== 'auth.test')).toEqual([]);
    expect(vendors.responses).toEqual([]);
    expect(vendors.texts).toEqual([]);
    expect(refusalsLogged()).toHaveLength(4);
    for (const line of refusalsLogged()) {
      expect(line).not.toContain(FOREIGN);
      expect(line).not.toContain(OFFICER);
      expect(line).not.toContain(ref);
    }
    expect(h.logLines.filter((l) => l.includes('a Slack listener failed'))).toEqual([]);

    // Our own team's click is acted on.
    expect((await h.click(ACTIONS.accept, id, OFFICER, ts)).status).toBe(200);
    await h.settle();
    const [decided] = await db.sql`select status, decided_by from escalations where id = ${id}`;
    expect(decided).toEqual({ status: 'accepted', decided_by: OFFICER });
  });
});

describe('isOwnWorkspace', () => {
  const own = { teamId: 'T1', enterpriseId: null };
  const grid = { teamId: 'T1', enterpriseId: 'E1' };
  it.each([
    [{ teamId: 'T1', enterpriseId: undefined }, own, true],
    [{ teamId: 'T2', enterpriseId: undefined }, own, false],
    [{ teamId: 'T1', enterpriseId: 'E1' }, own, false], // names an organisation we are not in
    [{ teamId: 'T1', enterpriseId: 'E1' }, grid, true],
    [{ teamId: 'T1', enterpriseId: undefined }, grid, true],
    [{ teamId: 'T1', enterpriseId: 'E2' }, grid, false],
    [{ teamId: 'T2', enterpriseId: 'E1' }, grid, false], // another workspace of our organisation
    [{ teamId: undefined, enterpriseId: 'E1' }, grid, true], // an organisation-wide request
    [{ teamId: undefined, enterpriseId: undefined }, own, false],
  ] as const)('%o from %o: %s', (source, workspace, expected) => {
    expect(isOwnWorkspace(source, workspace)).toBe(expected);
  });
});
