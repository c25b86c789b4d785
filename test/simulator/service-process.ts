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

/**
 * Starts the service on a free port. A port found free can be taken before the child listens on it (an
 * outgoing connection's local port comes from the same range); the service then stops at once saying the
 * port is in use, and it is started again on another.
 */
export async function startServiceProcess(extraEnv: Record<string, string> = {}): Promise<ServiceProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(extraEnv);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof PortTaken)) throw error;
    }
  }
}

class PortTaken extends Error {}

async function startOnce(extraEnv: Record<string, string>): Promise<ServiceProcess> {
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
    if (child.exitCode !== null) {
      if (output.includes(`port ${port} is already in use`)) throw new PortTaken(output);
      throw new Error(`the service exited early:\n${output}`);
    }
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
