// docs/contract.md#http lists the HTTP surface; src/app.ts serves it. The service is built as main.ts builds
// it, with Slack configured and Twilio not (so the simulator is on and every optional route is mounted), and
// its routes must be exactly the table's: a route added without documenting it, or documented and gone, fails.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { fixedClock } from '../support/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { buildService } from '../../src/service.js';
import { useTestDatabase } from '../support/database.js';

const db = await useTestDatabase();
const contract = readFileSync(join(import.meta.dirname, '../../docs/contract.md'), 'utf8');

function httpSection(text: string): string {
  const start = text.indexOf('\n## HTTP\n');
  if (start < 0) throw new Error('docs/contract.md has no "## HTTP" section');
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

/** `METHOD /path` from the first cell of every row of the route table, query strings dropped. */
function documentedRoutes(): string[] {
  const rows = httpSection(contract)
    .split('\n')
    .filter((line) => /^\| `(GET|POST|PUT|PATCH|DELETE) /.test(line));
  const firstCells = rows.map((row) => row.split(' | ')[0] ?? '');
  return firstCells.flatMap((cell) =>
    [...cell.matchAll(/`(GET|POST|PUT|PATCH|DELETE) ([^`?\s]+)[^`]*`/g)].map((m) => `${m[1]} ${m[2]}`),
  );
}

describe('docs/contract.md#http', () => {
  it('lists exactly the routes the service serves', async () => {
    const config = loadConfig({
      API_TOKEN: 'routes-test-token-0123456789',
      SLACK_BOT_TOKEN: 'xoxb-routes-test',
      SLACK_SIGNING_SECRET: 'routes-test-signing-secret',
    });
    const service = await buildService(config, {
      database: { sql: db.sql },
      clock: fixedClock('2026-11-25T10:00:00Z'),
      logger: silentLogger(),
      slackRetries: 0,
    });
    expect(service.simulator).not.toBeNull();
    const served = service.app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path}`)
      // The simulator's page posts its own forms: documented as the page, GET /simulator.
      .filter((route) => !/^\w+ \/simulator\/./.test(route));
    const documented = documentedRoutes();
    expect(documented.length).toBeGreaterThan(10);
    expect([...new Set(served)].sort()).toEqual([...new Set(documented)].sort());
  });
});
