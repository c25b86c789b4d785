// `npm start`: read the configuration, build the service (src/service.ts), listen, and drain cleanly on
// SIGINT/SIGTERM. A thin shell: everything the service is made of is wired in buildService.
import { serve } from '@hono/node-server';
import { ConfigError, loadConfig } from './config.js';
import { FlowValidationError, formatProblem } from './engine/index.js';
import { createLogger, errorFields, type Logger } from './lib/logger.js';
import { buildService } from './service.js';
import { limitHeapGrowth } from './lib/heap-growth.js';

async function main(): Promise<void> {
  limitHeapGrowth();
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  keepRunningThroughStrayErrors(logger);
  const service = await buildService(config, { logger });
  service.start();

  const server = serve({ fetch: service.app.fetch, port: config.port, hostname: '0.0.0.0' }, (info) => {
    logger.info({ port: info.port, database: service.database }, 'Rentline is listening');
    if (service.simulator)
      logger.info(
        { url: service.simulator.url },
        `Open the simulator: ${service.simulator.url} (a tenant's phone and an officer's Slack, demo tenancies only)`,
      );
  });

  // A port it cannot listen on (in use, or not allowed) leaves nothing to serve: say so and stop, rather
  // than keep a process running that answers no one (the stray-error handler would log and carry on).
  server.once('error', (error: NodeJS.ErrnoException) => {
    const why =
      error.code === 'EADDRINUSE'
        ? `port ${config.port} is already in use (another Rentline, or another program): stop it, or set PORT to a free port`
        : error.code === 'EACCES'
          ? `port ${config.port} needs privileges this process does not have: set PORT to 1024 or above`
          : `it could not listen on port ${config.port} (${error.code ?? error.message})`;
    process.stderr.write(`Rentline cannot start: ${why}.\n`);
    void service
      .stop()
      .catch(() => {})
      .finally(() => process.exit(1));
  });

  // Idle keep-alive connections stay open longer than a client (Twilio, a load balancer) keeps reusing them:
  // closed after Node's default 5 s, a request sent on a socket as the server closes it fails unread, and
  // Twilio does not retry every failure.
  if ('keepAliveTimeout' in server) {
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Idle keep-alive connections would hold close() open; requests in flight still finish.
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    await closed;
    await service.stop();
    logger.info('stopped cleanly');
    process.exit(0);
  };
  // This process drains itself (and stops an embedded Postgres last): no other signal handler may exit first.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => {
      shutdown(signal).catch((error: unknown) => {
        logger.error({ err: errorFields(error, { stack: true }) }, 'shutdown failed');
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
    logger.error({ err: errorFields(error, { stack: true }) }, `${kind}: logged, the service keeps running`);
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
