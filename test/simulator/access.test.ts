// Who reaches the simulator: a browser on this machine sees the demo landlord's tenancies only; anyone
// else needs the API token; a request relayed by a proxy is not "this machine"; with Twilio configured
// there is no simulator at all. And `/` sends a newcomer to it, or shows a status page with no personal data.
import { describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { fixedClock } from '../support/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { buildService } from '../../src/service.js';
import { packageVersion } from '../../src/simulator/status-page.js';
import type { Sql } from '../../src/db/connect.js';
import { useTestDatabase } from '../support/database.js';

const { sql } = await useTestDatabase();
const TOKEN = 'simulator-test-token-0123456789';
const TWILIO = {
  TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'twilio-auth-token',
  TWILIO_SMS_FROM: '+447700900111',
};

async function insertTenancy(db: Sql, ref: string, firstName: string): Promise<void> {
  await db`insert into tenancies (tenancy_ref, tenure, start_date, rent_frequency, rent_amount_pence, rent_due_day) values (${ref}, 'secure', '2026-01-05', 'weekly', 10000, 'monday')`;
  await db`insert into tenants (tenancy_ref, tenant_no, first_name, last_name, mobile_raw, mobile_e164) values (${ref}, 1, ${firstName}, 'Example', '+447700900222', ${ref === 'DEMO000001' ? '+447700900222' : '+447700900333'})`;
}
await insertTenancy(sql, 'DEMO000001', 'Demo');
await insertTenancy(sql, 'REAL-000001', 'Realname');

/** The app as main.ts builds it (src/service.ts): the simulator only while Twilio is not configured, the status page at `/`. */
async function serviceApp(env: Record<string, string>, overrides: Partial<Config> = {}) {
  const config = { ...loadConfig({ API_TOKEN: TOKEN, ...env }), ...overrides };
  const { app, simulator } = await buildService(config, {
    database: { sql },
    clock: fixedClock('2026-11-25T10:00:00Z'),
    logger: silentLogger(),
  });
  return { app, simulator };
}

/** What @hono/node-server hands the app: the connecting socket. */
const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

const { app } = await serviceApp({});

describe('the simulator', () => {
  it('refuses a request from another machine without the API token, saying how to get in', async () => {
    const res = await app.request('/simulator', {}, from('203.0.113.9'));
    expect(res.status).toBe(403);
    expect(JSON.stringify(await res.json())).toMatch(/API token/);
    const post = await app.request(
      '/simulator/phone/send',
      { method: 'POST', body: new URLSearchParams({ tenant: 'DEMO000001/1', message: 'hi' }) },
      from('203.0.113.9'),
    );
    expect(post.status).toBe(403);
    const [texts] = await sql`select count(*)::int as n from messages`;
    expect(texts?.n).toBe(0);
  });

  it('treats a request relayed by a proxy on this machine as coming from outside', async () => {
    const res = await app.request('/simulator', { headers: { 'x-forwarded-for': '203.0.113.9' } }, from('127.0.0.1'));
    expect(res.status).toBe(403);
  });

  it("shows this machine the demo landlord's tenancies only, and will not text as anyone else", async () => {
    const res = await app.request('/simulator?tenant=DEMO000001/1', {}, from('127.0.0.1'));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<label for="tenant">Tenant<\/label>/);
    expect(html).toContain('DEMO000001');
    expect(html).not.toContain('REAL-000001');
    expect(html).not.toContain('Realname');
    const parts = await app.request('/simulator/parts?tenant=REAL-000001/1', {}, from('::ffff:127.0.0.1'));
    expect(JSON.stringify(await parts.json())).not.toContain('Realname');
    const send = await app.request(
      '/simulator/phone/send',
      { method: 'POST', body: new URLSearchParams({ tenant: 'REAL-000001/1', message: 'hi' }) },
      from('127.0.0.1'),
    );
    expect(send.status).toBe(404);
    const [texts] = await sql`select count(*)::int as n from messages`;
    expect(texts?.n).toBe(0);
  });

  it('keeps App Home, /rent and the daily job to demo data while other tenancies exist', async () => {
    const post = (path: string, body: Record<string, string> = {}) =>
      app.request(
        `/simulator${path}`,
        { method: 'POST', headers: { 'x-simulator-script': '1' }, body: new URLSearchParams(body) },
        from('127.0.0.1'),
      );
    expect((await post('/slack/command', { text: 'REAL-000001' })).status).toBe(204);
    expect((await post('/slack/home')).status).toBe(204);
    expect((await post('/clock/daily', { at: '2026-11-26T10:00' })).status).toBe(403);
    const parts = JSON.stringify(await (await app.request('/simulator/parts', {}, from('127.0.0.1'))).json());
    expect(parts).not.toMatch(/REAL-000001|Realname/);
    expect(parts).toMatch(/App Home lists every open case/);
  });

  it('lets the API token holder in from anywhere, with every tenancy to pick from', async () => {
    const res = await app.request(
      '/simulator?tenant=REAL-000001/1',
      { headers: { authorization: `Bearer ${TOKEN}` } },
      from('203.0.113.9'),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('REAL-000001');
    // ?token= once sets a cookie for the page and drops the token from the address bar.
    const opened = await app.request(`/simulator?token=${TOKEN}`, {}, from('203.0.113.9'));
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/simulator');
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect((await app.request('/simulator', { headers: { cookie } }, from('203.0.113.9'))).status).toBe(302);
    expect(
      (
        await app.request(
          '/simulator',
          { headers: { cookie: 'rentline_simulator=wrong-token-0123456789' } },
          from('203.0.113.9'),
        )
      ).status,
    ).toBe(403);
  });

  it('refuses a form posted to it from another site', async () => {
    const res = await app.request(
      '/simulator/clock/release-held',
      { method: 'POST', headers: { origin: 'https://evil.example', host: 'localhost' } },
      from('127.0.0.1'),
    );
    expect(res.status).toBe(403);
  });

  it('is absent when Twilio is configured', async () => {
    const configured = await serviceApp(TWILIO);
    expect(configured.simulator).toBeNull();
    expect((await configured.app.request('/simulator', {}, from('127.0.0.1'))).status).toBe(404);
    expect(
      (await configured.app.request('/simulator', { headers: { authorization: `Bearer ${TOKEN}` } }, from('127.0.0.1')))
        .status,
    ).toBe(404);
    // A webhook token alone counts too: the simulator never runs beside real Twilio traffic.
    // (The configuration refuses that half-set state, so it is built by hand here.)
    const tokenOnly = await serviceApp({}, { twilio: null, twilioAuthToken: 'only-the-webhook-token' });
    expect(tokenOnly.simulator).toBeNull();
    expect((await tokenOnly.app.request('/simulator', {}, from('127.0.0.1'))).status).toBe(404);
  });
});

describe('GET /', () => {
  it('sends this machine to the simulator in demo mode', async () => {
    const { app } = await serviceApp({});
    const res = await app.request('/', {}, from('127.0.0.1'));
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/simulator');
  });

  it('otherwise shows the version, the database and what is configured, and nothing about any tenant', async () => {
    const { app } = await serviceApp(TWILIO);
    const res = await app.request('/', { headers: { accept: 'application/json' } }, from('127.0.0.1'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      service: 'rentline',
      version: packageVersion(),
      database: { kind: 'external', answers: true },
      twilio: 'configured',
      slack: 'not configured',
      simulator: 'off (Twilio is configured)',
    });
    const page = await (await app.request('/', {}, from('203.0.113.9'))).text();
    expect(page).toContain(packageVersion());
    expect(page).not.toMatch(/DEMO000001|REAL-000001|Realname|\+447/);
  });
});
