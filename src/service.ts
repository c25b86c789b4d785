// The composition root: a configuration (and, for tests and benchmarks, capabilities) in, the whole service
// out: database, flows, policy, the HTTP app with every webhook, the Slack app, the text dispatcher, the card
// poster, the scheduler and the simulator. The only module that wires them together; main.ts, the tests'
// harnesses and the webhook benchmark all build the service here, so they run the same wiring.
import type { Hono } from 'hono';
import { loadPolicyFile } from './accounts/policy-file.js';
import { createApp } from './app.js';
import type { Config } from './config.js';
import type { InboundBatcherOptions } from './conversations/inbound-batcher.js';
import { createInboundIntake, type InboundIntake, type InboundIntakeOptions } from './conversations/inbound-intake.js';
import type { Sql } from './db/connect.js';
import { seedDemoLandlordIfEmpty } from './demo/seed.js';
import { loadFlows, type FlowSet } from './engine/index.js';
import { startScheduler, type Scheduler } from './jobs/scheduler.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createLogger, type Logger } from './lib/logger.js';
import { createDispatcher, type Dispatcher } from './outbox/dispatcher.js';
import type { Policy } from './rent/policy.js';
import { openRuntime } from './runtime.js';
import { createSlackApp, type SlackApp } from './slack/app.js';
import { createSlackPoster, type SlackPoster } from './slack/poster.js';
import { createSimulator, type Simulator } from './simulator/simulator.js';
import { createStatusPage, packageVersion } from './simulator/status-page.js';
import { createTwilioInboundRoute } from './twilio/inbound.js';
import { createTwilioSender, type TwilioSenderConfig } from './twilio/sender.js';
import { createTwilioStatusRoute } from './twilio/status.js';

/** What the outside world lends the service; each defaults to the real thing. */
interface ServiceCapabilities {
  clock?: Clock;
  logger?: Logger;
  /**
   * An open database (a test's clone, the benchmark's pool): used as it is, never migrated or closed here.
   * Without it the configured database (or an embedded Postgres) is opened, migrated, and closed by stop().
   */
  database?: { sql: Sql; jobsSql?: Sql };
  flows?: FlowSet;
  policy?: Policy;
  /** The Twilio SDK's transport (an in-process stand-in); the SDK's own by default. */
  twilioHttpClient?: TwilioSenderConfig['httpClient'];
  /** The Slack Web API's transport; Node's fetch by default. */
  slackFetch?: typeof globalThis.fetch;
  /** Web API retries (tests use 0); the bot's ids and workspace come from auth.test, once. */
  slackRetries?: number;
  /** Group commit of concurrent texts (conversations/inbound-batcher.ts); false takes each text alone. */
  batching?: InboundBatcherOptions | false;
  /** The webhook's bounded wait and the parked-texts worker (conversations/inbound-intake.ts); defaults otherwise. */
  intake?: Omit<InboundIntakeOptions, 'batching'>;
  /**
   * How the background work runs (tests of several replicas): the scheduler's runner id and catch-up delay,
   * and how often the card poster looks for work. The service's defaults otherwise.
   */
  background?: { runnerId?: string; catchUpDelayMs?: number; posterPollMs?: number };
}

interface Service {
  /** Every route (src/app.ts); `app.fetch` is what a server listens with, `app.request()` what tests call. */
  app: Hono;
  sql: Sql;
  jobsSql: Sql;
  database: 'embedded' | 'external';
  clock: Clock;
  logger: Logger;
  policy: Policy;
  flows: FlowSet;
  dispatcher: Dispatcher;
  /** Takes tenants' texts in; its worker (started with the service) takes what a killed process left parked. */
  intake: InboundIntake;
  /** null without Slack credentials (escalations wait in the database). */
  slack: SlackApp | null;
  slackPoster: SlackPoster | null;
  /** Only while Twilio is not configured. */
  simulator: Simulator | null;
  /** Starts the background work: the text dispatcher, the card poster, the simulator, the scheduler. */
  start(): void;
  /** Stops the background work, lets what is in flight finish, and closes the database if it opened it. */
  stop(): Promise<void>;
}

interface OpenedDatabase {
  sql: Sql;
  jobsSql: Sql;
  embedded: boolean;
  policy: Policy;
  close(): Promise<void>;
}

async function openDatabaseFor(
  config: Readonly<Config>,
  capabilities: ServiceCapabilities,
  logger: Logger,
): Promise<OpenedDatabase> {
  const lent = capabilities.database;
  if (lent) {
    const policy = capabilities.policy ?? loadPolicyFile(config.flowsDir, config.timeZone);
    return { sql: lent.sql, jobsSql: lent.jobsSql ?? lent.sql, embedded: false, policy, close: async () => {} };
  }
  const runtime = await openRuntime(config, { role: 'service', logger });
  const { db } = runtime;
  return {
    sql: db.sql,
    jobsSql: db.jobsSql,
    embedded: db.embedded,
    policy: capabilities.policy ?? runtime.policy,
    close: () => runtime.close(),
  };
}

export async function buildService(config: Readonly<Config>, capabilities: ServiceCapabilities = {}): Promise<Service> {
  const clock = capabilities.clock ?? systemClock;
  const logger = capabilities.logger ?? createLogger({ level: config.logLevel });
  // Flows first: a bad flow file stops the service before it touches the database.
  const flows = capabilities.flows ?? loadFlows(config.flowsDir);
  const db = await openDatabaseFor(config, capabilities, logger);
  const { sql, jobsSql, policy } = db;
  const timeZone = config.timeZone;

  if (db.embedded && config.demoSeed) {
    const seeded = await seedDemoLandlordIfEmpty(sql, { clock, timeZone });
    if (seeded)
      logger.info(
        { tenancies: seeded.tenancies },
        'empty database: seeded the demo landlord (tenancy refs start DEMO)',
      );
  }

  const twilioAuth = { authToken: config.twilioAuthToken, publicBaseUrl: config.publicBaseUrl };
  const conversationDeps = { sql, flows, policy, clock, logger, timeZone };
  const intake = createInboundIntake(conversationDeps, {
    ...capabilities.intake,
    ...(capabilities.batching === undefined ? {} : { batching: capabilities.batching }),
  });
  // Slack: officers' cards and decisions. Without credentials escalations stay in the database and
  // `npm run rentline -- escalations` lists them; their cards are posted once Slack is configured.
  const slack = config.slack
    ? createSlackApp({
        ...conversationDeps,
        botToken: config.slack.botToken,
        signingSecret: config.slack.signingSecret,
        officerIds: config.slackOfficerIds,
        apiUrl: config.slack.apiUrl,
        ...(capabilities.slackRetries !== undefined ? { retries: capabilities.slackRetries } : {}),
        ...(capabilities.slackFetch ? { fetch: capabilities.slackFetch } : {}),
      })
    : null;
  const slackPoster =
    slack && config.slack
      ? createSlackPoster({
          sql,
          client: slack.posterClient,
          channel: config.slack.escalationChannel,
          clock,
          logger,
          policy,
          timeZone,
          ...(capabilities.background?.posterPollMs !== undefined
            ? { pollMs: capabilities.background.posterPollMs }
            : {}),
        })
      : null;
  // No Twilio: the demo landlord's tenants and officer live in the simulator's page (src/simulator/).
  const simulator = createSimulator({ config, sql, jobsSql, flows, policy, clock, logger });

  const app = createApp(
    { sql, clock, logger, policy, apiToken: config.apiToken, timeZone },
    {
      twilioMessages: createTwilioInboundRoute({ ...conversationDeps, ...twilioAuth, intake }),
      twilioStatus: createTwilioStatusRoute({ sql, clock, logger, ...twilioAuth }),
      slackEvents: slack?.route ?? null,
      simulator: simulator?.route ?? null,
      statusPage: createStatusPage({
        sql,
        version: packageVersion(),
        database: db.embedded ? 'embedded' : 'external',
        twilioConfigured: config.twilio !== null,
        slackConfigured: config.slack !== null,
        simulatorOn: simulator !== null,
        apiToken: config.apiToken,
      }),
    },
  );

  const twilioSender = config.twilio
    ? createTwilioSender({
        ...config.twilio,
        ...(capabilities.twilioHttpClient ? { httpClient: capabilities.twilioHttpClient } : {}),
      })
    : null;
  const dispatcher = createDispatcher({
    sql,
    // Dry run: texts pass the guards and are kept, so a landlord's first week shows what would go out.
    sender: config.dryRun ? null : twilioSender,
    clock,
    logger,
    policy,
    ratePerSecond: config.sendRatePerSecond,
    smsFrom: config.twilio?.smsFrom ?? null,
    whatsappFrom: config.twilio?.whatsappFrom ?? null,
    statusCallbackUrl: `${config.publicBaseUrl}/twilio/status`,
    whatsappTemplates: policy.whatsapp_templates,
    ...(simulator?.dispatcher ?? {}),
  });

  let scheduler: Scheduler | null = null;
  return {
    app,
    sql,
    jobsSql,
    database: db.embedded ? 'embedded' : 'external',
    clock,
    logger,
    policy,
    flows,
    dispatcher,
    intake,
    slack,
    slackPoster,
    simulator,
    start() {
      intake.start();
      dispatcher.start();
      simulator?.start();
      // Cron ticks only enqueue durable runs keyed by (job, scheduled time); see src/jobs/scheduler.ts.
      const { runnerId, catchUpDelayMs } = capabilities.background ?? {};
      scheduler = startScheduler({
        sql: jobsSql,
        flows,
        policy,
        timeZone,
        logger,
        dryRun: config.dryRun,
        clock,
        ...(runnerId !== undefined ? { runnerId } : {}),
        ...(catchUpDelayMs !== undefined ? { catchUpDelayMs } : {}),
      });
      slackPoster?.start();
      warnAboutMissingVendors(config, simulator !== null, logger);
    },
    async stop() {
      await scheduler?.stop();
      await simulator?.stop();
      await intake.stop();
      await dispatcher.stop();
      await slackPoster?.stop();
      await slack?.idle();
      await db.close();
    },
  };
}

/** Says at start what is kept rather than sent, and where an operator finds it. */
function warnAboutMissingVendors(config: Readonly<Config>, simulatorOn: boolean, logger: Logger): void {
  if (simulatorOn)
    logger.warn(
      "Twilio is not configured: demo tenancies' texts go to the simulator's phones; any others are kept in the database (npm run rentline -- outbox), not sent",
    );
  else if (!config.twilio)
    logger.warn('Twilio is not configured: texts are kept in the database (npm run rentline -- outbox), not sent');
  if (!config.slack)
    logger.warn(
      `Slack is not configured: escalations are kept in the database (npm run rentline -- escalations)${simulatorOn ? '; demo ones are shown in the simulator' : ''}`,
    );
  else if (!config.slack.escalationChannel)
    logger.warn('SLACK_ESCALATION_CHANNEL is not set: escalation cards wait in the database until it is');
}
