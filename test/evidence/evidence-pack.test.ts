// The evidence pack: the same content as JSON and PDF from the API, and from the card's Evidence pack
// button as a PDF uploaded into the card's thread; all joint tenants named, nothing of another tenancy.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEvidencePack } from '../../src/evidence/pack.js';
import { evidencePackPdf } from '../../src/evidence/pdf.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { bearer, testApp } from '../support/app.js';
import { useTestDatabase } from '../support/database.js';
import { useVendorMock } from '../support/msw-slack.js';
import { pdfPages } from '../support/pdf-text.js';
import {
  CHANNEL,
  NOW,
  OFFICER,
  STRANGER,
  cardTs,
  insertTenantInArrears,
  slackHarness,
  tenantMakesOffer,
  type SlackHarness,
} from '../slack/harness.js';

const db = await useTestDatabase();
const vendors = useVendorMock();
let h: SlackHarness;
let ref: string;
let escalationId: number;
let otherRef: string;

beforeAll(async () => {
  h = await slackHarness(db.sql);
  const tenant = await insertTenantInArrears(db.sql);
  ref = tenant.ref;
  await db.sql`insert into tenants (tenancy_ref, tenant_no, first_name, last_name) values (${ref}, 2, 'Jo', 'Partner')`;
  escalationId = await tenantMakesOffer(h, db.sql, tenant.mobile);
  const other = await insertTenantInArrears(db.sql);
  otherRef = other.ref;
  await db.sql`update tenants set first_name = 'Otherperson' where tenancy_ref = ${otherRef}`;
  await h.tenantTexts(other.mobile, 'Something only the other tenancy said');
  await h.settle();
  vendors.reset();
});

describe('the evidence pack', () => {
  it('as JSON: tenants, two years of statement, the timeline with every message, the arrangement, and slots for what is not recorded', async () => {
    const { app } = testApp(db.sql, { now: NOW });
    const res = await app.request(`/api/tenancies/${ref}/evidence-pack?format=json`, { headers: bearer() });
    expect(res.status).toBe(200);
    const pack = (await res.json()) as Awaited<ReturnType<typeof loadEvidencePack>> & object;
    expect(pack.tenants.map((t) => t.name)).toEqual(['Sam Tenant', 'Jo Partner']);
    expect(pack.statement).toMatchObject({ weeks: 104, from: '2024-11-27', to: '2026-11-24', balance_pence: 40_200 });
    expect(pack.statement.lines.map((l) => [l.date, l.description, l.balance_pence])).toEqual([
      ['2026-10-05', 'Adjustment', 41_200],
      ['2026-10-20', 'Payment', 40_200],
    ]);
    const inbound = pack.timeline.filter((e) => e.direction === 'inbound' && e.message_text).map((e) => e.message_text);
    expect(inbound).toEqual([
      'Hi, I got a letter about my rent',
      '12/03/1985',
      'I can pay £15 a week from Friday',
      'yes',
    ]);
    expect(pack.timeline.some((e) => e.direction === 'outbound' && e.message_status)).toBe(true);
    expect(pack.arrangements).toHaveLength(1);
    expect(pack.arrangements[0]).toMatchObject({ amount_pence: 1500, frequency: 'weekly', status: 'proposed' });
    expect(pack).toMatchObject({ legal_stage: null, affordability: [] });
    // The pre-action checklist is the one GET /api/tenancies/:ref/protocol serves.
    const protocol = (await (await app.request(`/api/tenancies/${ref}/protocol`, { headers: bearer() })).json()) as {
      ready_for_notice: boolean;
      items: { key: string; status: string }[];
    };
    expect(pack.checklist).toMatchObject({ ready_for_notice: protocol.ready_for_notice, reason: expect.any(String) });
    expect(pack.checklist?.items.map((i) => [i.key, i.status])).toEqual(protocol.items.map((i) => [i.key, i.status]));
    expect(pack.checklist?.items.map((i) => i.key)).toContain('rent_statement_sent');
    expect(JSON.stringify(pack)).not.toContain('Otherperson');
    expect(JSON.stringify(pack)).not.toContain('only the other tenancy');
  });

  it('as a PDF from the API, with the statement lines, the timeline, page numbers the checklist and a "Not recorded" legal stage', async () => {
    const { app } = testApp(db.sql, { now: NOW });
    const res = await app.request(`/api/tenancies/${ref}/evidence-pack`, { headers: bearer() });
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pages = await pdfPages(new Uint8Array(await res.arrayBuffer()));
    const text = pages.join(' ');
    expect(text).toContain(`Evidence pack ${ref}`);
    expect(text).toContain('1. Sam Tenant; 2. Jo Partner');
    expect(text).toContain('5 Oct 2026 Adjustment £412.00 £412.00');
    expect(text).toContain('20 Oct 2026 Payment £10.00 £402.00');
    expect(text).toContain('"I can pay £15 a week from Friday"');
    expect(text).toMatch(/8\. Legal stage Not recorded\./);
    expect(text).toMatch(/9\. Pre-action checklist Ready for a notice: (yes|no)\./);
    expect(text).toContain('rent statement sent');
    expect(pages[0]).toContain(`Page 1 of ${pages.length}`);
    expect(text).not.toContain('Otherperson');
  });

  it("the card's Evidence pack button uploads the PDF into the card's thread", async () => {
    const ts = await cardTs(db.sql, escalationId);
    await h.click(ACTIONS.evidencePack, escalationId, OFFICER, ts);
    await h.slack.idle();
    const [complete] = vendors.calls('files.completeUploadExternal');
    expect(complete).toMatchObject({ channel_id: CHANNEL, thread_ts: ts });
    expect(String(complete?.initial_comment)).toContain(`Evidence pack for ${ref}`);
    const [upload] = vendors.uploads;
    const text = (await pdfPages(upload!.bytes)).join(' ');
    expect(text).toContain('5 Oct 2026 Adjustment £412.00 £412.00');
    expect(text).toContain('"I can pay £15 a week from Friday"');
  });

  it('is refused to someone who is not an officer, and nothing is uploaded', async () => {
    await h.click(ACTIONS.evidencePack, escalationId, STRANGER, await cardTs(db.sql, escalationId));
    await h.slack.idle();
    expect(vendors.uploads).toHaveLength(0);
    expect(vendors.calls('chat.postEphemeral').length).toBe(1);
  });

  it('shows the legal stage once an officer records one', async () => {
    const { app } = testApp(db.sql, { now: NOW });
    const recorded = await app.request(`/api/tenancies/${ref}/legal`, {
      method: 'POST',
      headers: bearer(),
      body: JSON.stringify({ stage: 'notice-served', date: '2026-11-24', officer: 'Priya' }),
    });
    expect(recorded.status).toBeLessThan(300);
    const summary = (await (await app.request(`/api/tenancies/${ref}`, { headers: bearer() })).json()) as {
      legal: Record<string, unknown>;
    };
    const pack = (await (
      await app.request(`/api/tenancies/${ref}/evidence-pack?format=json`, { headers: bearer() })
    ).json()) as { legal_stage: unknown };
    expect(pack.legal_stage).toEqual(summary.legal);
    expect(pack.legal_stage).toMatchObject({ stage: 'notice_served', served_on: '2026-11-24' });
    const pdf = await app.request(`/api/tenancies/${ref}/evidence-pack`, { headers: bearer() });
    const text = (await pdfPages(new Uint8Array(await pdf.arrayBuffer()))).join(' ');
    expect(text).toMatch(/8\. Legal stage Stage notice served/);
    expect(text).toContain('Served on 24 Nov 2026');
  });

  it('keeps every one of 500 contact-log lines in the printed timeline', async () => {
    const at = new Date('2026-11-01T09:00:00Z');
    await db.sql`
      insert into contact_log (at, tenancy_ref, tenant_no, event, actor, detail)
      select ${at}::timestamptz + (n || ' minutes')::interval, ${ref}, 1, 'officer_note', 'officer:UOFFICER1', jsonb_build_object('note', 'note ' || n)
      from generate_series(1, 500) n`;
    const pack = await loadEvidencePack(db.sql, ref, {
      today: '2026-11-24',
      now: new Date(NOW),
      policy: h.policy,
      timeZone: 'Europe/London',
    });
    const text = (await pdfPages(await evidencePackPdf(pack!, { timeZone: 'Europe/London' }))).join(' ');
    expect(text).toContain('note: note 1 ');
    expect(text).toContain('note: note 500');
  });
});
