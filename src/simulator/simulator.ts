// GET /simulator: a tenant's phone and an officer's Slack in one page, while Twilio is not configured.
// Nothing here is a second implementation: texts go out through the real dispatcher and Twilio sender (the
// SDK's transport replaced by the in-process phone network), tenant texts come in through the real inbound
// webhook handler (signed, as Twilio signs), delivery reports through the real status handler, and the
// officer's clicks through the real Slack receiver and Bolt listeners (signed with the signing secret),
// whose Web API calls land in the in-process Slack workspace. Only the demo landlord's tenancies reach the
// phone and Slack stand-ins; anyone else's texts are kept, and their cards wait, as without the simulator.
import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import twilio from 'twilio';
import type { Config } from '../config.js';
import type { Sql } from '../db/connect.js';
import type { FlowSet } from '../engine/index.js';
import { errorBody } from '../http/errors.js';
import { runJob } from '../jobs/run-job.js';
import type { Clock } from '../lib/clock.js';
import { errorFields, type Logger } from '../lib/logger.js';
import type { ClaimedMessage } from '../outbox/store.js';
import { releaseHeldMessages } from '../outbox/store.js';
import type { DispatcherDeps } from '../outbox/dispatcher.js';
import type { Policy } from '../rent/policy.js';
import { localDateAt, localDateOf } from '../rent/schedule.js';
import { createSlackApp, type SlackApp } from '../slack/app.js';
import { buildEscalationCard } from '../slack/blocks/card.js';
import { loadCardModel } from '../slack/card-model.js';
import { createSlackPoster, type SlackPoster } from '../slack/poster.js';
import { createTwilioInboundRoute } from '../twilio/inbound.js';
import { createTwilioSender } from '../twilio/sender.js';
import { createTwilioStatusRoute } from '../twilio/status.js';
import { DEMO_REF_PREFIX, isDemoTenancy, simulatorAccess, type SimulatorEnv } from './access.js';
import { escapeHtml } from './blocks-html.js';
import { renderPage } from './page.js';
import {
  PhoneNetwork,
  SIMULATOR_ACCOUNT_SID,
  SIMULATOR_SMS_FROM,
  SIMULATOR_WHATSAPP_FROM,
  type PhoneText,
} from './phone-network.js';
import { listTenants, loadPhoneTenant, parseTenantKey, renderPhone, tenantKey } from './phone-view.js';
import { createSlackDriver, type SlackDriver } from './slack-driver.js';
import { renderChannel, renderDialog, renderEphemerals, renderHome } from './slack-view.js';
import { createSlackWorkspace, type SlackWorkspace } from './slack-workspace.js';

interface SimulatorDeps {
  config: Readonly<Config>;
  sql: Sql;
  jobsSql: Sql;
  flows: FlowSet;
  policy: Policy;
  clock: Clock;
  logger: Logger;
}

export interface Simulator {
  /** Mounted at /simulator. */
  route: Hono<SimulatorEnv>;
  /** What the dispatcher needs to send the demo tenancies' texts to the simulated phones. */
  dispatcher: Pick<DispatcherDeps, 'sender' | 'smsFrom' | 'whatsappFrom' | 'contactWindowWaived'>;
  url: string;
  start(): void;
  stop(): Promise<void>;
}

/** The simulator exists only while Twilio is not configured (no credentials, no webhook token). */
function simulatorAvailable(config: Pick<Config, 'twilio' | 'twilioAuthToken'>): boolean {
  return config.twilio === null && config.twilioAuthToken === null;
}

const OFFICER = { id: 'U0DEMOOFFICER', name: 'demo.officer' };
const CHANNEL = 'C0DEMOESCALATIONS';
const DELIVERY_STEPS_MS = [400, 1200];

function signedForm(authToken: string, url: string, params: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, params),
    },
    body: new URLSearchParams(params).toString(),
  };
}

export function createSimulator(deps: SimulatorDeps): Simulator | null {
  const { config, sql, clock, logger, policy } = deps;
  if (!simulatorAvailable(config)) return null;
  const timeZone = config.timeZone;
  // Secrets that never leave this process: they sign the simulator's own requests to the real handlers.
  const twilioToken = randomBytes(24).toString('hex');
  const signingSecret = randomBytes(24).toString('hex');
  const base = config.publicBaseUrl;
  const conversationDeps = { sql, flows: deps.flows, policy, clock, logger, timeZone };
  const inbound = createTwilioInboundRoute({ ...conversationDeps, authToken: twilioToken, publicBaseUrl: base });
  const status = createTwilioStatusRoute({ sql, clock, logger, authToken: twilioToken, publicBaseUrl: base });

  const timers = new Set<NodeJS.Timeout>();
  const reportDelivery = (text: PhoneText) => {
    const steps = text.to.startsWith('whatsapp:') ? ['sent', 'delivered', 'read'] : ['sent', 'delivered'];
    steps.forEach((step, i) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        const params = {
          MessageSid: text.sid,
          MessageStatus: step,
          AccountSid: SIMULATOR_ACCOUNT_SID,
          To: text.to,
          From: text.from,
        };
        void Promise.resolve(status.request('/', signedForm(twilioToken, `${base}/`, params))).catch(() => {});
      }, DELIVERY_STEPS_MS[i] ?? 2000);
      timer.unref();
      timers.add(timer);
    });
  };
  const network = new PhoneNetwork(reportDelivery);
  const twilioSender = createTwilioSender({
    accountSid: SIMULATOR_ACCOUNT_SID,
    authToken: twilioToken,
    apiBaseUrl: null,
    httpClient: network,
  });
  const waived = new Set<number>();

  let workspace: SlackWorkspace | null = null;
  let slack: SlackApp | null = null;
  let poster: SlackPoster | null = null;
  let driver: SlackDriver | null = null;
  if (config.slack === null) {
    const ws = createSlackWorkspace({ channel: CHANNEL, officer: OFFICER });
    const app = createSlackApp({
      ...conversationDeps,
      botToken: 'xoxb-simulator',
      signingSecret,
      officerIds: [OFFICER.id],
      fetch: ws.fetch,
      retries: 0,
    });
    const cards = createSlackPoster({
      sql,
      client: app.bolt.client,
      channel: CHANNEL,
      clock,
      logger,
      policy,
      timeZone,
      tenancyRefPrefix: DEMO_REF_PREFIX,
      pollMs: 1000,
    });
    workspace = ws;
    slack = app;
    poster = cards;
    driver = createSlackDriver({
      route: app.route,
      signingSecret,
      workspace: ws,
      afterDelivery: async () => {
        await app.idle();
        await cards.drain();
      },
    });
  }

  /**
   * The stand-in forgets its channel when the service stops, while the escalations still name the cards it
   * showed: draw those cards again (as the poster would re-render them) so the channel survives a restart.
   */
  async function restoreChannel(ws: SlackWorkspace): Promise<void> {
    const rows = await sql<{ id: number; slack_ts: string; thread_ts: string | null }[]>`
      select e.id::int as id, e.slack_ts, r.slack_ts as thread_ts from escalations e left join escalations r on r.id = e.slack_thread_of
      where e.slack_channel = ${CHANNEL} and e.slack_ts is not null and starts_with(e.tenancy_ref, ${DEMO_REF_PREFIX})
      order by e.id desc limit 100`;
    for (const row of rows) {
      const loaded = await loadCardModel(sql, row.id, { policy, now: clock.now(), timeZone });
      if (!loaded) continue;
      const card = buildEscalationCard(loaded.model, { timeZone });
      ws.restore({
        channel: CHANNEL,
        ts: row.slack_ts,
        text: card.text,
        blocks: card.blocks,
        threadTs: row.thread_ts,
        metadata: { event_type: 'rentline_escalation', event_payload: { escalation_id: row.id } },
      });
    }
  }

  let notice = '';
  let dialogErrors: Record<string, string> = {};
  let dialogFor = '';

  /**
   * The officer's views that reach beyond one demo card (App Home lists every open case; /rent any
   * tenancy; the daily job touches every tenancy) are open only while the database holds demo data alone.
   */
  async function onlyDemoData(): Promise<boolean> {
    const [other] = await sql`select 1 from tenancies where not starts_with(tenancy_ref, ${DEMO_REF_PREFIX}) limit 1`;
    return !other;
  }

  async function parts(c: Context<SimulatorEnv>) {
    const scope = c.get('simulatorScope');
    const key = parseTenantKey(c.req.query('tenant'));
    const tenant = key ? await loadPhoneTenant(sql, key, scope) : null;
    const phone = tenant
      ? await renderPhone(sql, network, tenant, clock.now(), timeZone)
      : '<p class="muted">Choose a tenant to see their phone.</p><ol role="log" aria-label="Conversation" class="conversation"></ol>';
    const modal = workspace?.modal();
    if (modal?.id !== dialogFor) {
      dialogFor = modal?.id ?? '';
      dialogErrors = {};
    }
    const dialog = workspace ? renderDialog(workspace, dialogErrors) : { key: '', html: '' };
    return {
      phone,
      channel: workspace ? renderChannel(workspace, timeZone) : '',
      ephemerals: workspace ? renderEphemerals(workspace) : '',
      home: workspace ? renderHome(workspace) : '',
      dialog: dialog.html,
      dialogKey: dialog.key,
      notice: notice ? `<p class="notice">${escapeHtml(notice)}</p>` : '',
    };
  }

  /** Script posts get 204 (the page redraws itself); plain form posts go back to the page. */
  function done(c: Context<SimulatorEnv>, tenant?: string) {
    if (c.req.header('x-simulator-script')) return c.body(null, 204);
    return c.redirect(tenant ? `/simulator?tenant=${encodeURIComponent(tenant)}` : '/simulator', 303);
  }

  const route = new Hono<SimulatorEnv>();
  route.use('*', simulatorAccess(config.apiToken));

  route.get('/', async (c) => {
    const scope = c.get('simulatorScope');
    const tenants = await listTenants(sql, scope);
    const asked = c.req.query('tenant');
    const selected = tenants.find((t) => tenantKey(t) === asked) ?? tenants[0] ?? null;
    if (selected && asked !== tenantKey(selected))
      return c.redirect(`/simulator?tenant=${encodeURIComponent(tenantKey(selected))}`, 302);
    const p = await parts(c);
    if (tenants.length === 0) {
      p.phone =
        '<p>There are no demo tenancies to text as. The demo landlord (refs DEMO…) is loaded into an empty embedded database when the service starts (DEMO_SEED=auto, no DATABASE_URL); or import your own test tenancies with refs starting DEMO.</p>';
    }
    const tomorrow = localDateOf(new Date(clock.now().getTime() + 86_400_000), timeZone);
    return c.html(
      renderPage({
        tenants,
        selected: selected ? tenantKey(selected) : null,
        phone: p.phone,
        channel: p.channel,
        ephemerals: p.ephemerals,
        dialog: p.dialog,
        home: p.home,
        notice: p.notice,
        slackOn: workspace !== null,
        dailyAllowed: await onlyDemoData(),
        defaultDailyAt: `${tomorrow}T10:00`,
      }),
    );
  });

  route.get('/parts', async (c) => c.json(await parts(c)));

  route.post('/phone/send', async (c) => {
    const form = await c.req.parseBody();
    const key = parseTenantKey(String(form.tenant ?? ''));
    const tenant = key ? await loadPhoneTenant(sql, key, c.get('simulatorScope')) : null;
    const body = String(form.message ?? '').trim();
    if (!tenant) return c.json(errorBody('not_found', 'choose a tenant from the Tenant list'), 404);
    if (!tenant.mobile_e164)
      return c.json(errorBody('bad_request', 'this tenant has no textable mobile on record'), 400);
    if (body === '') return c.json(errorBody('bad_request', 'type a message to send'), 400);
    const whatsapp = tenant.channel === 'whatsapp';
    const params = {
      MessageSid: `SM${randomBytes(16).toString('hex')}`,
      AccountSid: SIMULATOR_ACCOUNT_SID,
      From: whatsapp ? `whatsapp:${tenant.mobile_e164}` : tenant.mobile_e164,
      To: whatsapp ? SIMULATOR_WHATSAPP_FROM : SIMULATOR_SMS_FROM,
      Body: body.slice(0, 1600),
      NumMedia: '0',
    };
    const answer = await inbound.request('/', signedForm(twilioToken, `${base}/`, params));
    if (answer.status !== 200)
      return c.json(errorBody('unavailable', 'Rentline did not take the text; see the service log'), 502);
    await slack?.idle();
    return done(c, tenantKey(tenant));
  });

  function slackOnly(c: Context<SimulatorEnv>) {
    return c.json(
      errorBody('not_configured', 'Slack is configured: the officer’s side is in your Slack workspace'),
      404,
    );
  }

  route.post('/slack/action', async (c) => {
    if (!driver) return slackOnly(c);
    const f = await c.req.parseBody();
    const text = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : undefined);
    const { status: code } = await driver.click({
      blockId: text('block_id') ?? '',
      actionId: text('action_id') ?? '',
      ...(text('ts') ? { ts: text('ts') as string } : {}),
      ...(text('view_id') ? { viewId: text('view_id') as string } : {}),
      ...(text('value') ? { value: text('value') as string } : {}),
      ...(text('selected') ? { selected: text('selected') as string } : {}),
    });
    if (code === 404)
      return c.json(errorBody('not_found', 'that button is no longer on the card; the page will redraw'), 404);
    return done(c);
  });

  route.post('/slack/submit', async (c) => {
    if (!driver) return slackOnly(c);
    const f = await c.req.parseBody();
    const fields = Object.fromEntries(Object.entries(f).filter(([, v]) => typeof v === 'string')) as Record<
      string,
      string
    >;
    const { errors } = await driver.submit(fields.view_id ?? '', fields);
    dialogErrors = errors ?? {};
    return done(c);
  });

  route.post('/slack/reply', async (c) => {
    if (!driver) return slackOnly(c);
    const f = await c.req.parseBody();
    const text = String(f.text ?? '')
      .trim()
      .slice(0, 1000);
    if (text === '') return c.json(errorBody('bad_request', 'type a reply'), 400);
    if (!(await driver.replyInThread(String(f.thread_ts ?? ''), text)))
      return c.json(errorBody('not_found', 'that card is no longer in the channel'), 404);
    return done(c);
  });

  route.post('/slack/close', async (c) => {
    workspace?.closeModal();
    return done(c);
  });

  route.post('/slack/home', async (c) => {
    if (!driver) return slackOnly(c);
    if (!(await onlyDemoData())) {
      notice = 'App Home lists every open case, so the simulator shows it only while every tenancy is a demo one.';
      return done(c);
    }
    await driver.openHome();
    return done(c);
  });

  route.post('/slack/command', async (c) => {
    if (!driver) return slackOnly(c);
    const f = await c.req.parseBody();
    const text = String(f.text ?? '')
      .trim()
      .slice(0, 200);
    const ref = text.split(/\s+/)[0] ?? '';
    if (ref !== '' && !isDemoTenancy(ref.toUpperCase()) && !(await onlyDemoData())) {
      notice = 'In the simulator, /rent looks up demo tenancies (DEMO…) only.';
      return done(c);
    }
    await driver.command(text);
    return done(c);
  });

  route.post('/clock/release-held', async (c) => {
    const ids = await releaseHeldMessages(sql, { tenancyRefPrefix: DEMO_REF_PREFIX, now: clock.now() });
    if (waived.size > 10_000) waived.clear();
    for (const id of ids) waived.add(id);
    notice =
      ids.length === 0
        ? 'No demo texts were held.'
        : `${ids.length} held demo ${ids.length === 1 ? 'text is' : 'texts are'} going out now (outside the contact window).`;
    return done(c);
  });

  route.post('/clock/daily', async (c) => {
    if (!(await onlyDemoData()))
      return c.json(
        errorBody(
          'forbidden',
          'the daily job runs from the simulator only while every tenancy is a demo one; use npm run rentline -- run daily --at …',
        ),
        403,
      );
    const f = await c.req.parseBody();
    const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(String(f.at ?? ''));
    if (!match)
      return c.json(
        errorBody('bad_request', 'give the date and time to run the daily job as of, e.g. 2026-12-03T10:00'),
        400,
      );
    const at = localDateAt(match[1] as string, match[2] as string, timeZone);
    const reports = await runJob(
      { sql: deps.jobsSql, flows: deps.flows, policy, timeZone, logger, dryRun: false },
      'daily',
      at,
    );
    const started = reports.reduce((n, r) => n + r.decisions.filter((d) => d.outcome === 'started').length, 0);
    notice = `Daily job run as of ${match[1]} ${match[2]}: ${started} ${started === 1 ? 'conversation' : 'conversations'} started.`;
    return done(c);
  });

  return {
    route,
    dispatcher: {
      sender: config.dryRun ? null : { ...twilioSender, handles: (ref) => isDemoTenancy(ref) },
      smsFrom: SIMULATOR_SMS_FROM,
      whatsappFrom: SIMULATOR_WHATSAPP_FROM,
      contactWindowWaived: (m: ClaimedMessage) => waived.has(m.id) && isDemoTenancy(m.tenancy_ref),
    },
    url: `${base}/simulator`,
    start() {
      if (!workspace || !poster) return;
      const cards = poster;
      restoreChannel(workspace)
        .catch((error: unknown) =>
          logger.warn({ err: errorFields(error) }, 'simulator: could not redraw the earlier cards'),
        )
        .finally(() => cards.start());
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      await poster?.stop();
      await slack?.idle();
    },
  };
}
