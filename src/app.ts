// createApp(deps, webhooks): the whole HTTP surface as a Hono app, with no listen(), so tests call
// app.request(). Every route is listed here, in the order docs/contract.md#http gives them; a test
// (test/docs/routes.test.ts) keeps that table and this file in step.
import { randomUUID } from 'node:crypto';
import { Hono, type Context, type Env, type MiddlewareHandler } from 'hono';
import type { Sql } from './db/connect.js';
import { accountApi, requireApiToken, type ApiDeps } from './http/api.js';
import { bodyLimits } from './http/body-limits.js';
import { caseworkApi } from './http/casework.js';
import { errorBody, handleError } from './http/errors.js';
import { holdsApi } from './http/holds-api.js';
import { reportsApi } from './http/reports.js';
import type { Logger } from './lib/logger.js';
import type { SimulatorEnv } from './simulator/access.js';

interface AppDeps extends ApiDeps {
  logger: Logger;
}

/**
 * The routes built elsewhere, because they carry state of their own (the Slack app, the simulator) or a
 * vendor's signature check: src/service.ts builds them. Each answers under the path app.ts gives it; a
 * missing one (Slack not configured, the simulator while Twilio is) is simply not mounted.
 */
interface AppWebhooks {
  /** POST: inbound SMS and WhatsApp (src/twilio/inbound.ts). */
  twilioMessages?: Hono | null;
  /** POST: delivery status callbacks (src/twilio/status.ts). */
  twilioStatus?: Hono | null;
  /** POST: Slack events, interactivity and slash commands (src/slack/receiver.ts). */
  slackEvents?: Hono | null;
  /** GET /simulator and the page's own form posts (src/simulator/simulator.ts). */
  simulator?: Hono<SimulatorEnv> | null;
  /** GET /: what is configured, or a redirect to the simulator (src/simulator/status-page.ts). */
  statusPage?: Hono | null;
}

export function createApp(deps: AppDeps, webhooks: AppWebhooks = {}): Hono {
  const app = new Hono();
  app.use('*', requestLog(deps.logger));
  app.use('*', bodyLimits());

  app.get('/healthz', healthCheck(deps.sql));

  mount(app, '/twilio/messages', webhooks.twilioMessages);
  mount(app, '/twilio/status', webhooks.twilioStatus);
  mount(app, '/slack/events', webhooks.slackEvents);

  // The housing system and the landlord's scripts: every /api/* route needs the bearer token.
  app.use('/api/*', requireApiToken(deps.apiToken));
  const accounts = accountApi(deps);
  const casework = caseworkApi(deps);
  const holds = holdsApi(deps);
  const reports = reportsApi(deps);
  app.post('/api/tenancies', accounts.importTenancies);
  app.post('/api/transactions', accounts.importTransactions);
  app.get('/api/tenancies/:ref', accounts.summary);
  app.get('/api/worklist', casework.worklist);
  app.get('/api/tenancies/:ref/protocol', casework.protocol);
  app.post('/api/tenancies/:ref/contacts', casework.logContact);
  app.post('/api/tenancies/:ref/legal', casework.recordLegal);
  app.post('/api/tenancies/:ref/vulnerable', holds.vulnerable);
  app.post('/api/tenancies/:ref/dispute/clear', holds.clearDispute);
  app.post('/api/tenancies/:ref/crisis/resolve', holds.resolveCrisis);
  app.get('/api/tenancies/:ref/evidence-pack', reports.evidencePack);
  app.get('/api/tenancies/:ref/statement', reports.statement);
  app.get('/api/kpis', reports.kpis);

  mount(app, '/simulator', webhooks.simulator);
  mount(app, '/', webhooks.statusPage);

  app.notFound((c) => c.json(errorBody('not_found', 'no such route; see README "HTTP" for the routes'), 404));
  app.onError(handleError(deps.logger));
  return app;
}

function mount<E extends Env>(app: Hono, path: string, route: Hono<E> | null | undefined): void {
  if (route) app.route(path, route);
}

/** A request id for every request (the caller's, or a new one), and one log line with no personal data. */
function requestLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const requestId = c.req.header('x-request-id')?.slice(0, 64) || randomUUID();
    c.set('requestId', requestId);
    const started = performance.now();
    await next();
    c.header('x-request-id', requestId);
    // Paths only: query strings and bodies may carry personal data.
    logger.info(
      {
        requestId,
        method: c.req.method,
        path: c.req.routePath,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  };
}

/** GET /healthz: 200 while the database answers, 503 otherwise. */
function healthCheck(sql: Sql) {
  return async (c: Context) => {
    try {
      await sql`select 1`;
      return c.json({ status: 'ok' });
    } catch {
      return c.json({ status: 'unavailable', message: 'the database does not answer' }, 503);
    }
  };
}
