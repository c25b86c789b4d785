// Composition root: config → flows → database → migrations → demo data → HTTP app, dispatcher → listen;
// clean shutdown on SIGINT/SIGTERM. The only module that wires capabilities together.
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { seedDemoLandlordIfEmpty } from './demo/seed.js';
import { FlowValidationError, formatProblem, loadFlows } from './engine/index.js';
import { systemClock } from './lib/clock.js';
import type { Logger } from './lib/logger.js';
import { startScheduler } from './jobs/scheduler.js';
import { createDispatcher } from './outbox/dispatcher.js';
import { openRuntime } from './runtime.js';
import { createSlackApp } from './slack/app.js';
import { createSlackPoster } from './slack/poster.js';
import { createSimulator } from './simulator/simulator.js';
import { createStatusPage, packageVersion } from './simulator/status-page.js';
import { createTwilioInboundRoute } from './twilio/inbound.js';
import { createTwilioSender } from './twilio/sender.js';
import { createTwilioStatusRoute } from './twilio/status.js';

async function main(): Promise<void> {
  const config = loadConfig();
  // Flows first: a bad flow file stops the service before it touches the database.
  const flows = loadFlows(config.flowsDir);
  const runtime = await openRuntime(config, { role: 'service' });
  const { logger, db, policy } = runtime;
  keepRunningThroughStrayErrors(logger);
  const clock = systemClock;

  if (db.embedded && config.demoSeed) {
    const seeded = await seedDemoLandlordIfEmpty(db.sql, { clock, timeZone: config.timeZone });
    if (seeded)
      logger.info(
        { tenancies: seeded.tenancies },
        'empty database: seeded the demo landlord (tenancy refs start DEMO)',
      );
  }

  const twilioAuth = { authToken: config.twilioAuthToken, publicBaseUrl: config.publicBaseUrl };
  const conversationDeps = { sql: db.sql, flows, policy, clock, logger, timeZone: config.timeZone };
  // Slack: officers' cards and decisions. Without credentials escalations stay in the database and
  // `npm run rentline -- escalations` lists them; their cards are posted once Slack is configured.
  const slack = config.slack
    ? createSlackApp({
        ...conversationDeps,
        botToken: config.slack.botToken,
        signingSecret: config.slack.signingSecret,
        officerIds: config.slackOfficerIds,
        apiUrl: config.slack.apiUrl,
      })
    : null;
  const slackPoster =
    slack && config.slack
      ? createSlackPoster({
          sql: db.sql,
          client: slack.posterClient,
          channel: config.slack.escalationChannel,
          clock,
          logger,
          policy,
          timeZone: config.timeZone,
        })
      : null;
  // No Twilio: the demo landlord's tenants and officer live in the simulator's page (src/simulator/).
  const simulator = createSimulator({ config, sql: db.sql, jobsSql: db.jobsSql, flows, policy, clock, logger });
  const statusPage = createStatusPage({
    sql: db.sql,
    version: packageVersion(),
    database: db.embedded ? 'embedded' : 'external',
    twilioConfigured: config.twilio !== null,
    slackConfigured: config.slack !== null,
    simulatorOn: simulator !== null,
    apiToken: config.apiToken,
  });
  const app = createApp({
    sql: db.sql,
    clock,
    logger,
    policy,
    apiToken: config.apiToken,
    timeZone: config.timeZone,
    mounts: [
      { path: '/twilio/messages', app: createTwilioInboundRoute({ ...conversationDeps, ...twilioAuth }) },
      { path: '/twilio/status', app: createTwilioStatusRoute({ sql: db.sql, clock, logger, ...twilioAuth }) },
      ...(slack ? [{ path: '/slack/events', app: slack.route }] : []),
      ...(simulator ? [{ path: '/simulator', app: simulator.route }] : []),
      { path: '/', app: statusPage },
    ],
  });

  const dispatcher = createDispatcher({
    sql: db.sql,
    // Dry run: texts pass the guards and are kept, so a landlord's first week shows what would go out.
    sender: config.twilio && !config.dryRun ? createTwilioSender(config.twilio) : null,
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
  dispatcher.start();
  simulator?.start();
  // Cron ticks only enqueue durable runs keyed by (job, scheduled time); see src/jobs/scheduler.ts.
  const scheduler = startScheduler({
    sql: db.jobsSql,
    flows,
    policy,
    timeZone: config.timeZone,
    logger,
    dryRun: config.dryRun,
    clock,
  });
  if (simulator)
    logger.warn(
      "Twilio is not configured: demo tenancies' texts go to the simulator's phones; any others are kept in the database (npm run rentline -- outbox), not sent",
    );
  else if (!config.twilio)
    logger.warn('Twilio is not configured: texts are kept in the database (npm run rentline -- outbox), not sent');
  slackPoster?.start();
  if (!config.slack)
    logger.warn(
      `Slack is not configured: escalations are kept in the database (npm run rentline -- escalations)${simulator ? '; demo ones are shown in the simulator' : ''}`,
    );
  else if (!config.slack.escalationChannel)
    logger.warn('SLACK_ESCALATION_CHANNEL is not set: escalation cards wait in the database until it is');

  const server = serve({ fetch: app.fetch, port: config.port, hostname: '0.0.0.0' }, (info) => {
    logger.info({ port: info.port, database: db.embedded ? 'embedded' : 'external' }, 'Rentline is listening');
    if (simulator)
      logger.info(
        { url: simulator.url },
        `Open the simulator: ${simulator.url} (a tenant's phone and an officer's Slack, demo tenancies only)`,
      );
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Idle keep-alive connections would hold close() open; requests in flight still finish.
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    await closed;
    await scheduler.stop();
    await simulator?.stop();
    await dispatcher.stop();
    await slackPoster?.stop();
    await slack?.idle();
    await runtime.close();
    logger.info('stopped cleanly');
    process.exit(0);
  };
  // This process drains itself (and stops an embedded Postgres last): no other signal handler may exit first.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => {
      shutdown(signal).catch((error: unknown) => {
        logger.error({ err: { name: (error as Error).name, stack: (error as Error).stack } }, 'shutdown failed');
        process.exit(1);
      });
    });
  }
}

/**
 * A stray error (a dropped database connection surfacing outside any request, a vendor SDK's timer) is
 * logged and the service keeps going: the work it interrupted is retried by its own loop or by the next
 * request, and exiting would drop every request in flight.
 */
function keepRunningThroughStrayErrors(logger: Logger): void {
  // As the HTTP error handler does: the kind and the stack, no request data.
  const report = (kind: string) => (error: unknown) => {
    const err = error instanceof Error ? { name: error.name, stack: error.stack } : { name: typeof error };
    logger.error({ err }, `${kind}: logged, the service keeps running`);
  };
  process.on('uncaughtException', report('uncaught exception'));
  process.on('unhandledRejection', report('unhandled rejection'));
}

main().catch((error: unknown) => {
  // Boot errors are written plainly: they name the variable, file or step to fix.
  const message =
    error instanceof ConfigError
      ? error.message
      : error instanceof FlowValidationError
        ? `Rentline cannot start: the flow files have problems:\n${error.problems.map(formatProblem).join('\n')}`
        : `Rentline could not start: ${(error as Error).message ?? String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
