// `npm start` as a child process on its own embedded Postgres (a fresh data folder), for the tests that
// need the whole service as a newcomer runs it: the CLI beside it, and the browser tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/db/embedded.js';

export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  dataDir: string;
  env: Record<string, string>;
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

export function withoutDatabaseUrl(env: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...parentEnv } = process.env;
  return { ...parentEnv, LOG_LEVEL: 'info', ...env };
}

export async function startServiceProcess(extraEnv: Record<string, string> = {}): Promise<ServiceProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rentline-service-'));
  const port = await freePort();
  const env = { DATA_DIR: dataDir, PORT: String(port), ...extraEnv };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: withoutDatabaseUrl(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const service: ServiceProcess = {
    child,
    port,
    dataDir,
    env,
    exited,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited early:\n${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return service;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`no /healthz within 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
