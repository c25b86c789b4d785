// The operator CLI while `npm start` runs on the embedded Postgres: it finds the running server from the
// data folder and uses it (never a second server on the same data), and leaves it running for the service.
// With no server running and none able to start, it says so plainly.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServiceProcess, withoutDatabaseUrl } from './service-process.js';

function rentline(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: withoutDatabaseUrl(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('rentline commands beside the running service', () => {
  it("outbox, escalations and account use the service's embedded Postgres and leave it running", async () => {
    const service = await startServiceProcess();
    const { env, port } = service;
    try {
      const outbox = await rentline(['outbox'], env);
      expect(outbox.stderr).not.toMatch(/did not start|could not/i);
      expect(outbox.code).toBe(0);

      const escalations = await rentline(['escalations', '--all'], env);
      expect(escalations.stderr).not.toMatch(/did not start|could not/i);
      expect(escalations.code).toBe(0);

      // The seeded demo data is there: the command reads the service's database, not a new empty one.
      const account = await rentline(['account', 'DEMO000001'], env);
      expect(account.code).toBe(0);
      expect(account.stdout).toMatch(/DEMO000001/);

      // npm start points a newcomer at the simulator.
      expect(service.output()).toContain(`Open the simulator: http://localhost:${port}/simulator`);

      // The commands stopped nothing: the service still answers from its database.
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      await service.stop();
    }
    expect(await service.exited).toBe(0);
    expect(service.output()).toMatch(/stopped cleanly/);
  }, 180_000);

  it('says plainly when no database is running on the data folder and none can be started', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'rentline-cli-bad-'));
    const notAFolder = join(parent, 'data-is-a-file');
    await writeFile(notAFolder, 'not a folder');
    const result = await rentline(['outbox'], { DATA_DIR: notAFolder });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/no Rentline database is running on .*data-is-a-file.* and none could be started/);
  }, 60_000);
});
