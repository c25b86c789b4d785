// Composition root: config → database → migrations → demo data → HTTP app → listen; clean shutdown.
// The only module that wires capabilities together.
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { seedDemoLandlordIfEmpty } from './demo/seed.js';
import { systemClock } from './lib/clock.js';
import { openRuntime } from './runtime.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const runtime = await openRuntime(config);
  const { logger, db, policy } = runtime;

  if (db.embedded && config.demoSeed) {
    const seeded = await seedDemoLandlordIfEmpty(db.sql, { clock: systemClock, timeZone: config.timeZone });
    if (seeded) logger.info({ tenancies: seeded.tenancies }, 'empty database: seeded the demo landlord (tenancy refs start DEMO)');
  }

  const app = createApp({ sql: db.sql, clock: systemClock, logger, policy, apiToken: config.apiToken, timeZone: config.timeZone });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: '0.0.0.0' }, (info) => {
    logger.info({ port: info.port, database: db.embedded ? 'embedded' : 'external' }, 'Rentline is listening');
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await runtime.close();
    logger.info('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  // Boot errors are written plainly: they name the variable, file or step to fix.
  const message = error instanceof ConfigError ? error.message : `Rentline could not start: ${(error as Error).message ?? String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
