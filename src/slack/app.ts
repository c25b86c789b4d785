// The Slack app: Bolt with our Hono receiver and every listener, returned as a Hono sub-app for
// POST /slack/events. Capabilities come in; nothing here reads the environment. auth.test is called once
// (cached) for the bot's ids and its workspace; requests from any other workspace are refused (workspace.ts).
import { App, LogLevel, webApi, type Logger as BoltLogger } from '@slack/bolt';
import type { Hono } from 'hono';
import { errorFields, type Logger } from '../lib/logger.js';
import { registerDecisionListeners } from './listeners/decisions.js';
import { registerEvidenceListeners } from './listeners/evidence.js';
import { registerAffordabilityListeners } from './listeners/affordability.js';
import { registerHomeListeners } from './listeners/home.js';
import { registerHoldListeners } from './listeners/holds.js';
import type { SlackDeps } from './listeners/shared.js';
import { registerTakeoverListeners } from './listeners/takeover.js';
import { officerDirectory } from './officers.js';
import { HonoSlackReceiver } from './receiver.js';
import { workLimit } from './work-limit.js';
import { ForeignWorkspaceError, ownWorkspaceAuthorize } from './workspace.js';

interface SlackAppOptions extends Omit<SlackDeps, 'officers' | 'afterAck'> {
  /** Listener work running at once after the ack (default 4). */
  workConcurrency?: number;
  botToken: string;
  signingSecret: string;
  officerIds: readonly string[];
  /** Web API base including `/api/` (a local stand-in); Slack's own by default. */
  apiUrl?: string | null;
  /** Web API retries (tests use 0). */
  retries?: number;
  /** The Web API's (and respond()'s) transport, replaced: the simulator's in-process Slack. */
  fetch?: typeof globalThis.fetch;
}

export interface SlackApp {
  route: Hono;
  bolt: App;
  /**
   * The Web API client for work outside any request (the card poster): the bot token, a 10 s timeout, and
   * no retries or rate-limit waits of its own, so a failure comes back at once and the poster retries it
   * in its lane's order instead of a call hanging on past its claim.
   */
  posterClient: webApi.WebClient;
  /** Resolves when listeners started so far have finished their work (tests, shutdown). */
  idle(): Promise<void>;
}

/** Bolt's logger, routed to ours at low volume: Bolt may log payloads at debug, so debug/info stay quiet. */
function boltLogger(logger: Logger): BoltLogger {
  const first = (msgs: unknown[]) => String(msgs[0] instanceof Error ? msgs[0].name : msgs[0]).slice(0, 200);
  return {
    debug: () => {},
    info: () => {},
    warn: (...msgs: unknown[]) => logger.warn({ source: 'bolt' }, first(msgs)),
    error: (...msgs: unknown[]) => logger.error({ source: 'bolt' }, first(msgs)),
    setLevel: () => {},
    getLevel: () => LogLevel.WARN,
    setName: () => {},
  };
}

export function createSlackApp(options: SlackAppOptions): SlackApp {
  const deps: SlackDeps = {
    sql: options.sql,
    flows: options.flows,
    policy: options.policy,
    clock: options.clock,
    logger: options.logger,
    timeZone: options.timeZone,
    officers: officerDirectory(options.sql, options.officerIds),
    afterAck: workLimit(options.workConcurrency ?? 4),
  };
  const receiver = new HonoSlackReceiver({ signingSecret: options.signingSecret, logger: options.logger });
  /** True the first time an Events API event_id is seen; recorded only for our own workspace's events. */
  const firstDelivery = async (eventId: string) => {
    const rows = await options.sql`
      insert into slack_event_receipts (event_id, received_at) values (${eventId}, ${options.clock.now()}) on conflict do nothing returning 1`;
    return rows.length > 0;
  };
  const clientOptions = {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    ...(options.retries === undefined ? {} : { retryConfig: { retries: options.retries } }),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  let bolt: App | null = null;
  bolt = new App({
    receiver,
    logger: boltLogger(options.logger),
    clientOptions,
    authorize: ownWorkspaceAuthorize(options.botToken, () => (bolt as App).client, options.logger),
  });
  bolt.error(async (error) => {
    // A foreign workspace's request, refused and logged by the authorize step: not a failure.
    if (error.original instanceof ForeignWorkspaceError) return;
    options.logger.error({ source: 'slack', err: errorFields(error) }, 'a Slack listener failed');
  });
  // Events Slack re-sends (X-Slack-Retry-Num) are recognised by event_id and not processed again. This runs
  // after authorize, so a foreign workspace's event leaves no receipt.
  bolt.use(async ({ body, context, next }) => {
    const eventId = body.type === 'event_callback' && typeof body.event_id === 'string' ? body.event_id : null;
    if (eventId && !(await firstDelivery(eventId))) {
      options.logger.info(
        { source: 'slack', retryNum: context.retryNum ?? null },
        'Slack re-sent an event already received; acknowledged, not processed again',
      );
      return;
    }
    await next();
  });
  registerDecisionListeners(bolt, deps);
  registerTakeoverListeners(bolt, deps);
  registerHomeListeners(bolt, deps);
  registerHoldListeners(bolt, deps);
  registerEvidenceListeners(bolt, deps);
  registerAffordabilityListeners(bolt, deps);
  const posterClient = new webApi.WebClient(options.botToken, {
    ...clientOptions,
    logger: boltLogger(options.logger),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  });
  return { route: receiver.route(), bolt, posterClient, idle: () => receiver.idle() };
}
