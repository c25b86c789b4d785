// `npm start` with no configuration: an embedded Postgres under DATA_DIR, migrations, a demo landlord,
// and /healthz answering 200; SIGTERM stops it cleanly and a restart keeps the data. And a broken flow
// file stops it before anything starts, naming the file and step; a port in use stops it with a plain
// message, its embedded Postgres stopped too, rather than leaving a process that answers no one.
import { spawn, type ChildProcess } from 'node:child_process';
import { access, cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/db/embedded.js';
import { stopOnFinish } from '../support/stop-on-finish.js';

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startService(env: Record<string, string>): Started {
  const { DATABASE_URL: _ignored, ...parentEnv } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...parentEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stopOnFinish(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForHealth(port: number, started: Started, timeoutMs = 90_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (started.child.exitCode !== null) throw new Error(`service exited early:\n${started.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.status === 200) return res;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no healthz within ${timeoutMs} ms:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('npm start with no configuration', () => {
  it('starts an embedded Postgres, seeds the demo landlord, answers /healthz, stops cleanly and keeps its data', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'rentline-start-'));
    const port = await freePort();
    const first = startService({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' });
    const res = await waitForHealth(port, first);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect((await fetch(`http://127.0.0.1:${port}/api/tenancies/DEMO000001`)).status).toBe(503);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/seeded the demo landlord/);
    expect(first.output()).toMatch(/stopped cleanly/);
    // Logs never carry phone numbers.
    expect(first.output()).not.toMatch(/\+447\d{9}|07700 ?900/);

    const second = startService({
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'info',
      API_TOKEN: 'a-local-test-token-123',
    });
    await waitForHealth(port, second);
    const summary = await fetch(`http://127.0.0.1:${port}/api/tenancies/DEMO000001`, {
      headers: { authorization: 'Bearer a-local-test-token-123' },
    });
    expect(summary.status).toBe(200);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    expect(second.output()).not.toMatch(/seeded the demo landlord/);
  }, 180_000);

  it('refuses to start with a flow that points at a missing step, naming the file and the step', async () => {
    const flowsDir = await mkdtemp(join(tmpdir(), 'rentline-flows-'));
    await cp('flows', flowsDir, { recursive: true });
    const file = join(flowsDir, 'missed_payment.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('confirmed: menu\n', 'confirmed: menu_that_does_not_exist\n'));
    const started = startService({
      FLOWS_DIR: flowsDir,
      DATA_DIR: join(flowsDir, '.data'),
      PORT: String(await freePort()),
    });
    expect(await started.exited).toBe(1);
    expect(started.output()).toMatch(/missed_payment\.yaml, step check_identity/);
    expect(started.output()).toMatch(/menu_that_does_not_exist/);
  }, 60_000);
  it('stops with a plain message when its port is in use, and stops the Postgres it started', async () => {
    const taken = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => taken.listen(port, '0.0.0.0', resolve));
    try {
      const dataDir = await mkdtemp(join(tmpdir(), 'rentline-port-'));
      const started = startService({ DATA_DIR: dataDir, PORT: String(port) });
      expect(await started.exited).toBe(1);
      expect(started.output()).toContain(`Rentline cannot start: port ${port} is already in use`);
      expect(started.output()).toContain('set PORT to a free port');
      // The embedded server had started (its data folder is there) and was stopped: its pid file is gone.
      await access(join(dataDir, 'pg', 'PG_VERSION'));
      await expect(access(join(dataDir, 'pg', 'postmaster.pid'))).rejects.toThrow();
    } finally {
      taken.close();
    }
  }, 120_000);
});
