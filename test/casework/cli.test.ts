// The casework CLI as an operator runs it (a real process against the test database): log a call, record
// a notice, and read the checklist and the worklist as JSON, the same JSON the API returns.
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { runJob } from '../../src/jobs/run-job.js';
import { insertTenancy, jobDeps, weeklyCharges } from '../jobs/support.js';

const db = await useTestDatabase();

function rentline(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: { ...env, DATABASE_URL: db.url, LOG_LEVEL: 'silent', DEMO_SEED: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  await insertTenancy(db.sql, { ref: 'CLI-1', startDate: '2026-06-01' });
  await db.sql`update tenants set do_not_contact = true where tenancy_ref = 'CLI-1'`;
  await weeklyCharges(db.sql, 'CLI-1', '2026-06-01', '2026-11-23', 10_000);
  // The daily job fills the worklist (the CLI runs on the real clock, so the job does too).
  await runJob(jobDeps(db.sql), 'daily', new Date());
});

describe('rentline casework commands', () => {
  it('worklist --json, log, legal, protocol --json', async () => {
    const before = await rentline('worklist', '--json');
    expect(before.code, before.stderr).toBe(0);
    expect((JSON.parse(before.stdout) as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ tenancy_ref: 'CLI-1', tenant_no: 1, action: 'make_early_contact', priority: 3 }),
    ]);

    const logged = await rentline(
      'log',
      'CLI-1',
      'visit',
      '--outcome',
      'nobody in',
      '--note',
      'card left',
      '--officer',
      'Priya',
    );
    expect(logged.code, logged.stderr).toBe(0);
    expect(logged.stdout).toContain('CLI-1: visit with tenant 1 logged');

    const refused = await rentline('log', 'CLI-1', 'visit');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('log needs --officer <name>');

    const legal = await rentline('legal', 'CLI-1', 'notice-served', '2026-11-23', '--officer', 'Priya');
    expect(legal.code, legal.stderr).toBe(0);
    expect(legal.stdout).toContain('Proceedings from 2026-12-21; the notice lapses after 2027-12-21.');

    const protocol = await rentline('protocol', 'CLI-1', '--json');
    expect(protocol.code, protocol.stderr).toBe(0);
    const checklist = JSON.parse(protocol.stdout) as {
      tenancy_ref: string;
      ready_for_notice: boolean;
      items: { key: string; status: string; evidence: unknown[] }[];
    };
    expect(checklist).toMatchObject({ tenancy_ref: 'CLI-1', ready_for_notice: false });
    expect(checklist.items.find((i) => i.key === 'early_contact')).toMatchObject({
      status: 'met',
      evidence: [expect.objectContaining({ event: 'contact_visit' })],
    });

    // The visit was the early contact; with the notice period running the next call is due a week after it.
    const after = await rentline('worklist');
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toContain('0 case(s) need a person.');
  }, 120_000);
});
