// Officers run cases from Slack: `/rent <ref> log …` writes the contact log, `/rent <ref> legal …` records
// the legal stage, `/rent <ref> protocol` shows the checklist, `/rent worklist` and App Home show the
// ranked worklist (own patch first, counts per action); only officers can do any of it.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { useVendorMock } from '../support/msw-slack.js';
import {
  OFFICER,
  PATCH_OFFICER,
  STRANGER,
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

async function rent(text: string, user = OFFICER): Promise<Record<string, unknown>> {
  vendors.responses.length = 0;
  expect((await h.command({ command: '/rent', text, user_id: user })).status).toBe(200);
  await h.slack.idle();
  const [response] = vendors.responses;
  return response as Record<string, unknown>;
}

describe('/rent casework', () => {
  it('logs a call with its outcome and note, for officers only', async () => {
    const { ref } = await insertTenantInArrears(db.sql);
    const refused = await rent(`${ref} log call no answer`, STRANGER);
    expect(textOf(refused)).toContain('only income officers');
    const logged = await rent(`${ref} log call spoke to Sam / will pay on Friday`);
    expect(logged).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(logged)).toContain(`Logged: call with tenant 1 on ${ref}`);
    const lines = await db.sql<{ event: string; actor: string; detail: Record<string, string> }[]>`
      select event, actor, detail from contact_log where tenancy_ref = ${ref} and event like 'contact\\_%'`;
    expect(lines).toEqual([
      {
        event: 'contact_call',
        actor: `officer:${OFFICER}`,
        detail: { outcome: 'spoke to Sam', note: 'will pay on Friday' },
      },
    ]);
    expect(textOf(await rent(`${ref} log letter tenant 2 hand delivered`))).toContain(
      'has no tenant 2; its tenants are 1',
    );
  });

  it('records a legal stage and shows it, with the checklist line, on /rent <ref>', async () => {
    const { ref } = await insertTenantInArrears(db.sql);
    const recorded = await rent(`${ref} legal notice-served 2026-11-23`);
    // Served Mon 23 Nov on a Monday-start weekly tenancy: four weeks on is Mon 21 Dec, the first day of a period.
    expect(textOf(recorded)).toContain('proceedings from 21 Dec 2026');
    expect(textOf(recorded)).toContain('lapses after 21 Dec 2027');
    const account = await rent(ref);
    expect(textOf(account)).toContain('*Legal stage:*');
    expect(textOf(account)).toContain('Notice of Seeking Possession served 23 Nov 2026');
    expect(textOf(account)).toMatch(
      /Pre-action protocol:\* \d+ of \d+ met · not ready for a notice · missing: early contact/,
    );
  });

  it('asks for the terms of a suspended order rather than guessing them', async () => {
    const { ref } = await insertTenantInArrears(db.sql);
    expect(textOf(await rent(`${ref} legal order-suspended 2026-11-20`))).toContain('needs its terms');
    expect((await db.sql`select 1 from legal_stages where tenancy_ref = ${ref}`).length).toBe(0);
  });

  it('shows the full checklist with evidence', async () => {
    const { ref } = await insertTenantInArrears(db.sql);
    await rent(`${ref} log visit left a card`);
    const checklist = await rent(`${ref} protocol`);
    expect(textOf(checklist)).toContain('pre-action checklist');
    expect(textOf(checklist)).toMatch(
      /:white_check_mark: \*early contact\*: Every named tenant was contacted after the arrears arose \(#\d+ 2026-11-24\)/,
    );
  });

  it('shows the worklist with counts per action, most urgent first', async () => {
    const { mobile } = await insertTenantInArrears(db.sql);
    await tenantMakesOffer(h, db.sql, mobile);
    const worklist = await rent('worklist');
    expect(textOf(worklist)).toContain('Decide offer: 1');
    expect(textOf(worklist)).toContain('A repayment offer waits for a decision');
  });

  it('puts the compact checklist line on the escalation card', async () => {
    const { ref, mobile } = await insertTenantInArrears(db.sql);
    await tenantMakesOffer(h, db.sql, mobile);
    await h.settle();
    const card = vendors.calls('chat.postMessage').find((c) => textOf(c).includes(ref));
    expect(textOf(card)).toMatch(/Pre-action protocol:\* \d+ of \d+ met/);
    // The offer itself is the evidence that a repayment was offered.
    expect(textOf(card)).toMatch(/missing: [a-z, ]+"/);
    expect(textOf(card)).not.toMatch(/missing: [a-z, ]*repayment offered/);
  });
});

describe('App Home', () => {
  it("shows the worklist, the officer's own patch first, above the open escalations", async () => {
    await h.event({ type: 'app_home_opened', user: PATCH_OFFICER, channel: 'D1', tab: 'home' }, 'EvHomeCasework');
    await h.slack.idle();
    const [home] = vendors.calls('views.publish').slice(-1);
    const text = textOf(home?.view);
    expect(text).toContain('Worklist (your patch first)');
    expect(text).toMatch(/\*Your patch\* \(\d+\)/);
    expect(text.indexOf('Worklist')).toBeLessThan(text.indexOf('Open escalations'));
  });
});
