// The phone shows each text as the tenant's phone would, and each text Rentline has not sent with what it
// is waiting for or why it is blocked; a WhatsApp tenant sees whether the 24-hour window is open.
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { loadPhoneTenant, renderPhone } from '../../src/simulator/phone-view.js';

const { sql } = await useTestDatabase();
const now = new Date('2026-11-24T21:30:00Z');

await sql`insert into tenancies (tenancy_ref, tenure, start_date, rent_frequency, rent_amount_pence, rent_due_day) values ('DEMO000009', 'secure', '2026-01-05', 'weekly', 10000, 'monday')`;
await sql`insert into tenants (tenancy_ref, tenant_no, first_name, last_name, mobile_raw, mobile_e164, channel, language)
          values ('DEMO000009', 1, 'Gwen', 'Rees', '+447700900444', '+447700900444', 'whatsapp', 'cy')`;

async function message(fields: {
  direction: string;
  status: string;
  body: string;
  not_before?: Date | null;
  blocked_reason?: string | null;
  at: string;
}): Promise<void> {
  await sql`
    insert into messages (direction, tenancy_ref, tenant_no, channel, to_address, body, status, not_before, blocked_reason, created_at, updated_at)
    values (${fields.direction}, 'DEMO000009', 1, 'whatsapp', '+447700900444', ${fields.body}, ${fields.status}, ${fields.not_before ?? null},
            ${fields.blocked_reason ?? null}, ${fields.at}, ${fields.at})`;
}

describe('the simulated phone', () => {
  it("says what a held text waits for and why a blocked one never went, in the tenant's language", async () => {
    await message({ direction: 'inbound', status: 'received', body: 'Helo', at: '2026-11-24T21:00:00Z' });
    await message({
      direction: 'outbound',
      status: 'queued',
      body: 'Bydd eich taliad nesaf…',
      not_before: new Date('2026-11-25T09:00:00Z'),
      blocked_reason: 'outside_contact_window',
      at: '2026-11-24T21:01:00Z',
    });
    await message({
      direction: 'outbound',
      status: 'blocked',
      body: 'Ail neges',
      blocked_reason: 'opted_out',
      at: '2026-11-24T21:02:00Z',
    });
    await sql`update tenants set last_whatsapp_inbound_at = '2026-11-24T21:00:00Z' where tenancy_ref = 'DEMO000009'`;

    const tenant = await loadPhoneTenant(sql, { tenancyRef: 'DEMO000009', tenantNo: 1 }, 'demo');
    expect(tenant).not.toBeNull();
    const html = await renderPhone(sql, null, tenant!, now, 'Europe/London');
    expect(html).toContain('role="log"');
    expect(html).toContain('lang="cy"');
    expect(html).toMatch(/Held: waiting until Wed 25 Nov, 09:00 for the contact window/);
    expect(html).toMatch(/Blocked: not sent, because of the tenant texted STOP/);
    expect(html).toMatch(/WhatsApp 24-hour window open until Wed 25 Nov, 21:00/);
  });

  it('shows a closed WhatsApp window once a day has passed since the tenant last wrote', async () => {
    const tenant = await loadPhoneTenant(sql, { tenancyRef: 'DEMO000009', tenantNo: 1 }, 'demo');
    const html = await renderPhone(sql, null, tenant!, new Date('2026-11-26T09:00:00Z'), 'Europe/London');
    expect(html).toMatch(/WhatsApp 24-hour window closed/);
  });

  it('never loads a tenant outside the demo landlord for a visitor without the token', async () => {
    expect(await loadPhoneTenant(sql, { tenancyRef: 'REAL-1', tenantNo: 1 }, 'demo')).toBeNull();
  });
});
