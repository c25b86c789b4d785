// What the service and the CLI share at start: configuration, logger, policy, and a migrated database.
import type { Config } from './config.js';
import { loadPolicyFile } from './accounts/policy-file.js';
import { openDatabase, type Database } from './db/connect.js';
import { migrate } from './db/migrate.js';
import type { DatabaseRole } from './db/running-postgres.js';
import { createLogger, type Logger } from './lib/logger.js';
import type { Policy } from './rent/policy.js';

export interface Runtime {
  config: Readonly<Config>;
  logger: Logger;
  policy: Policy;
  db: Database;
  close(): Promise<void>;
}

export async function openRuntime(
  config: Readonly<Config>,
  options: { logger?: Logger; migrate?: boolean; role?: DatabaseRole } = {},
): Promise<Runtime> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const policy = loadPolicyFile(config.flowsDir, config.timeZone);
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    logger,
    ...(options.role ? { role: options.role } : {}),
  });
  try {
    if (options.migrate !== false) {
      const applied = await migrate(db.sql);
      if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  return { config, logger, policy, db, close: () => db.close() };
}
