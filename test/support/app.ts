// Builds the Hono app against a test database, with a fixed clock and a silent logger.
import { createApp } from '../../src/app.js';
import type { Sql } from '../../src/db/connect.js';
import { fixedClock } from './clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { loadPolicyFile } from '../../src/accounts/policy-file.js';

export const TEST_API_TOKEN = 'test-api-token-0123456789';

export function testApp(sql: Sql, options: { now?: string; apiToken?: string | null } = {}) {
  const clock = fixedClock(options.now ?? '2026-11-25T10:00:00Z');
  const policy = loadPolicyFile('flows', 'Europe/London');
  const app = createApp({
    sql,
    clock,
    logger: silentLogger(),
    policy,
    apiToken: options.apiToken === undefined ? TEST_API_TOKEN : options.apiToken,
    timeZone: 'Europe/London',
  });
  return { app, clock, policy };
}

export function bearer(token = TEST_API_TOKEN): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}
