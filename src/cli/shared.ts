// What every CLI command shares: the usage error (printed with the usage text, exit code 2) and a runtime
// opened for one command and closed after it, on the same configuration as the service.
import { loadConfig } from '../config.js';
import { createLogger } from '../lib/logger.js';
import { openRuntime, type Runtime } from '../runtime.js';

/** The command line itself is wrong: the message says what is missing, and the usage follows it. */
export class UsageError extends Error {}

export type WithRuntime = <T>(fn: (rt: Runtime) => Promise<T>) => Promise<T>;

/** Opens the database (the running service's embedded one, if there is one), runs `fn`, and closes it. */
export const withRuntime: WithRuntime = async (fn) => {
  const config = loadConfig();
  const runtime = await openRuntime(config, {
    logger: createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }),
  });
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
};
