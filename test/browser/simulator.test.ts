// The simulator in a real browser (Debian's chromium driven by playwright-core), against `npm start` on
// its own embedded Postgres with the demo landlord: a tenant texts in, identifies and offers a plan; the
// card appears; the officer counters in the modal; the tenant accepts; the card shows the decision; STOP
// stops everything; a Welsh tenant's conversation is in Welsh. The same run takes the README screenshots:
// into docs/screenshots with UPDATE_SCREENSHOTS=1, otherwise into a temporary folder (so a test run leaves
// the working tree as it was).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql, type Sql } from '../../src/db/connect.js';
import { embeddedUrl, findRunningPostgres } from '../../src/db/running-postgres.js';
import { startServiceProcess, type ServiceProcess } from '../simulator/service-process.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? resolve('docs/screenshots')
    : join(tmpdir(), `rentline-screenshots-${process.pid}`);

/** The project's own install step (root + apt): a no-op when the browser is already there. */
function ensureBrowser(): boolean {
  try {
    execFileSync('bash', ['scripts/install-browser.sh'], { stdio: 'inherit' });
  } catch {
    // reported below
  }
  return existsSync(CHROMIUM);
}

const haveBrowser = ensureBrowser();
if (!haveBrowser) {
  process.stderr.write(
    `Skipping the browser tests: ${CHROMIUM} is missing and scripts/install-browser.sh could not install it (it needs root and apt-get: apt-get install -y chromium).\n`,
  );
}

interface DemoTenant {
  tenancy_ref: string;
  tenant_no: number;
  first_name: string;
  date_of_birth: string;
}

/** A demo tenant the flows will talk to freely (textable by SMS, no flags, a date of birth on record), behind with the rent if one is. */
async function pickTenant(sql: Sql, language: 'en' | 'cy'): Promise<DemoTenant> {
  const [row] = await sql<DemoTenant[]>`
    select t.tenancy_ref, t.tenant_no::int as tenant_no, t.first_name, t.date_of_birth from tenants t
    where t.language = ${language} and t.channel = 'sms' and t.mobile_e164 is not null and t.date_of_birth is not null
      and not t.vulnerable and not t.do_not_contact and t.breathing_space_start is null
      and not exists (select 1 from tenants o where o.mobile_e164 = t.mobile_e164 and (o.tenancy_ref, o.tenant_no) <> (t.tenancy_ref, t.tenant_no))
    order by (select coalesce(sum(x.amount_pence), 0) between 20000 and 150000 from transactions x where x.tenancy_ref = t.tenancy_ref and x.account = 'rent') desc,
             t.tenancy_ref, t.tenant_no
    limit 1`;
  if (!row) throw new Error(`the demo landlord has no suitable ${language} tenant`);
  return row;
}

const ukDate = (iso: string) => iso.split('-').reverse().join('/');

/** The page redraws itself each second: wait (up to 10 s) for the text to appear. */
async function shows(locator: Locator, text: string): Promise<void> {
  await expect
    .poll(
      () =>
        locator
          .first()
          .innerText({ timeout: 1000 })
          .catch(() => ''),
      { timeout: 10_000, interval: 100 },
    )
    .toContain(text);
}

async function count(locator: Locator): Promise<number> {
  return locator.count();
}

describe.skipIf(!haveBrowser)('the simulator in a browser', () => {
  let service: ServiceProcess;
  let sql: Sql;
  let context: BrowserContext;
  let profile: string;
  let page: Page;

  beforeAll(async () => {
    service = await startServiceProcess({ LOG_LEVEL: 'warn' });
    const running = await findRunningPostgres(join(service.dataDir, 'pg'));
    if (!running) throw new Error('the service is not running its embedded Postgres');
    sql = createSql(embeddedUrl(running.port, 'rentline'), { max: 2 });
    profile = await mkdtemp(join(tmpdir(), 'rentline-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
      locale: 'en-GB',
      timezoneId: 'Europe/London',
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(10_000);
    await mkdir(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await sql?.end({ timeout: 1 });
    const code = await service?.stop();
    if (profile) await rm(profile, { recursive: true, force: true });
    if (process.env.UPDATE_SCREENSHOTS !== '1') await rm(SCREENSHOTS, { recursive: true, force: true });
    expect(code, service?.output().slice(-3000)).toBe(0);
  });

  const log = () => page.getByRole('log');
  /** Whatever the hour: "Send held texts now" until the text reaches the phone (the dispatcher may hold it a moment later). */
  async function releaseUntilShown(textShown: string): Promise<void> {
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Send held texts now' }).click();
          return log()
            .innerText({ timeout: 1000 })
            .catch(() => '');
        },
        { timeout: 15_000, interval: 700 },
      )
      .toContain(textShown);
  }
  async function text(message: string): Promise<void> {
    await page.getByLabel('Message').fill(message);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
  }

  it("plays a tenant's offer, the officer's counter in the modal, the acceptance and a STOP", async () => {
    const tenant = await pickTenant(sql, 'en');
    const key = `${tenant.tenancy_ref}/${tenant.tenant_no}`;

    // A newcomer opens http://localhost:PORT/ and lands in the simulator.
    await page.goto(`http://localhost:${service.port}/`);
    await page.waitForURL(/\/simulator/);
    await page.getByLabel('Tenant').selectOption(key);
    await page.waitForURL(new RegExp(`tenant=${encodeURIComponent(key)}`));

    await text('Hi, I got a letter about my rent');
    await shows(log(), 'please reply with your date of birth');
    // The keyboard alone: type and press Enter.
    await page.getByLabel('Message').fill(ukDate(tenant.date_of_birth));
    await page.getByLabel('Message').press('Enter');
    await shows(log(), 'What would you like to do?');
    await text('I can pay £15 a week from Friday');
    await shows(log(), 'Is that right?');
    await text('yes');
    await shows(log(), 'sent your offer to an income officer');
    await shows(log().locator('li').last(), 'Delivered');

    // The card, as Block Kit renders it, with Slack's buttons.
    const card = page
      .getByRole('article')
      .filter({ has: page.getByRole('heading', { name: `Repayment offer · ${tenant.tenancy_ref}` }) });
    await card.getByRole('heading', { name: `Repayment offer · ${tenant.tenancy_ref}` }).waitFor();
    await shows(card, '£15.00 a week');
    await card.getByRole('button', { name: 'Accept' }).waitFor();
    await page.locator('.phone').screenshot({ path: join(SCREENSHOTS, 'simulator-phone.png') });
    await page.locator('.slack').screenshot({ path: join(SCREENSHOTS, 'simulator-officer.png') });

    // The overflow menu: View account answers the officer alone.
    await card.locator('summary[aria-label="More actions"]').click();
    await card.getByRole('button', { name: 'View account' }).click();
    await shows(page.locator('#ephemerals'), 'Only visible to you');
    await shows(page.locator('#ephemerals'), tenant.tenancy_ref);

    // The officer counters in the modal: a wrong amount is refused inline, then £10 a week goes.
    await card.getByRole('button', { name: 'Counter' }).click();
    const dialog = page.getByRole('dialog', { name: 'Counter-offer' });
    await expect
      .poll(
        () =>
          dialog
            .getByLabel('Amount each time, on top of rent (£)')
            .inputValue({ timeout: 1000 })
            .catch(() => ''),
        { timeout: 10_000 },
      )
      .toBe('15.00');
    await dialog.getByLabel('Amount each time, on top of rent (£)').fill('ten');
    await dialog.getByRole('button', { name: 'Send to tenant' }).click();
    await shows(dialog.getByRole('alert'), 'Enter an amount in pounds');
    await dialog.getByLabel('Amount each time, on top of rent (£)').fill('10');
    await page.screenshot({ path: join(SCREENSHOTS, 'simulator-counter-modal.png') });
    await dialog.getByRole('button', { name: 'Send to tenant' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await shows(card, 'Countered by @demo.officer');
    await expect.poll(() => count(card.getByRole('button', { name: 'Counter' })), { timeout: 10_000 }).toBe(0);

    // Whatever the hour, the counter-offer reaches the phone (held texts go now, demo only).
    await releaseUntilShown('An officer has replied to the plan you offered');
    await text(ukDate(tenant.date_of_birth));
    await shows(log(), 'we could agree £10.00 a week');
    await text('yes');
    await shows(log(), 'Your plan is agreed: £10.00 a week');
    await shows(card, 'The tenant accepted the counter-offer');
    await page.locator('.slack').screenshot({ path: join(SCREENSHOTS, 'simulator-officer-decided.png') });

    // The demo clock: the daily job as of the day before the first instalment nudges the tenant.
    const [plan] = await sql<
      { start_date: string }[]
    >`select start_date from arrangements where tenancy_ref = ${tenant.tenancy_ref} and status = 'active'`;
    expect(plan).toBeDefined();
    const dayBefore = new Date(Date.parse(`${plan?.start_date}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Run the daily job as of').fill(`${dayBefore}T10:00`);
    await page.getByRole('button', { name: 'Run the daily job' }).click();
    await shows(page.getByRole('status'), `Daily job run as of ${dayBefore} 10:00`);
    await releaseUntilShown('your next plan payment is due on');

    // The tenant's texts are mirrored into the card's thread.
    await shows(card.locator('.thread'), `${tenant.first_name} (tenant)`);

    // The officer writes in the card's thread: the tenant gets the officer's words.
    const thread = card.locator('details.thread');
    if ((await thread.getAttribute('open')) === null) await thread.locator('summary').click();
    await thread.getByLabel('Reply in thread').fill('Thanks, I will call you on Monday about the plan.');
    await thread.getByRole('button', { name: 'Reply' }).click();
    await shows(thread, 'demo.officer');
    await releaseUntilShown('Thanks, I will call you on Monday about the plan.');

    // STOP stops everything: nothing more goes to the tenant, not even the officer's own words.
    await text('STOP');
    await shows(page.locator('#phone-view'), 'Opted out (STOP) of SMS');
    await text('Hello?');
    await shows(log(), 'Hello?');
    await thread.getByLabel('Reply in thread').fill('Sorry to hear that. Call us if you need us.');
    await thread.getByRole('button', { name: 'Reply' }).click();
    // The officer is told privately why their words did not go, and nothing reaches the phone.
    await shows(page.locator('body'), 'Not sent: the tenant has opted out of texts on this channel');
    expect(await log().first().innerText()).not.toContain('Sorry to hear that');
    await expect
      .poll(
        async () => {
          const [busy] = await sql<
            { n: number }[]
          >`select count(*)::int as n from messages where tenancy_ref = ${tenant.tenancy_ref} and direction = 'outbound' and status in ('queued', 'sending')`;
          return busy?.n;
        },
        { timeout: 10_000 },
      )
      .toBe(0);
    // Every text Rentline queued after the STOP (by queue order: the daily job's texts carry its as-of time).
    const [after] = await sql<{ sent: number; blocked: number }[]>`
      select count(*) filter (where status in ('sent','delivered','read'))::int as sent, count(*) filter (where status = 'blocked')::int as blocked
      from messages
      where tenancy_ref = ${tenant.tenancy_ref} and direction = 'outbound'
        and id > (select min(id) from messages where tenancy_ref = ${tenant.tenancy_ref} and direction = 'inbound' and body = 'STOP')`;
    expect(after?.sent).toBe(0);

    // App Home and /rent, as the officer sees them.
    await page.getByRole('button', { name: 'Open App Home' }).click();
    await shows(page.locator('#home'), 'Open escalations');
    await page.getByLabel('/rent').fill(tenant.tenancy_ref);
    await page.getByRole('button', { name: 'Run /rent' }).click();
    await shows(page.locator('#ephemerals'), tenant.tenancy_ref);
  }, 60_000);

  it("shows a Welsh tenant's conversation in Welsh, and reads on a phone-sized screen", async () => {
    const tenant = await pickTenant(sql, 'cy');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(
      `http://localhost:${service.port}/simulator?tenant=${encodeURIComponent(`${tenant.tenancy_ref}/${tenant.tenant_no}`)}`,
    );
    expect(await page.getByLabel('Tenant').inputValue()).toBe(`${tenant.tenancy_ref}/${tenant.tenant_no}`);
    await text('Helo');
    await shows(log(), `Helo ${tenant.first_name}, diolch am eich neges`);
    await shows(log().locator('[lang="cy"]').last(), 'dyddiad geni');
    await text(ukDate(tenant.date_of_birth));
    await shows(log(), 'Beth hoffech chi ei wneud?');
    await shows(log().locator('li').last(), 'Delivered');
    // Nothing runs off the side of a phone.
    const overflow = await page.evaluate(`(() => {
      const width = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > width + 1);
      return { by: document.documentElement.scrollWidth - width, wide: wide.slice(0, 5).map((e) => e.tagName + '.' + e.className) };
    })()`);
    expect(overflow).toEqual({ by: 0, wide: [] });
    await page.locator('.phone').screenshot({ path: join(SCREENSHOTS, 'simulator-phone-welsh.png') });
  }, 30_000);
});
