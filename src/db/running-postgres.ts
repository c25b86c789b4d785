// One embedded Postgres per data folder. Before starting one, look for the one already running there (the
// service's, while `npm start` runs) and use it: Postgres's own postmaster.pid names its process and port.
// Whoever starts the server records itself in `<data>/rentline-owner.json` (pid, role, port), so the
// service can tell a running command's short-lived server from one it may use, and nobody stops a server
// it did not start.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/** The password every embedded server is created with (it listens on 127.0.0.1 only). */
export const EMBEDDED_PASSWORD = 'rentline-embedded';

export type DatabaseRole = 'service' | 'command';

interface RunningPostgres {
  pid: number;
  port: number;
}

interface DataFolderOwner {
  pid: number;
  role: DatabaseRole;
  port: number;
}

const OWNER_FILE = 'rentline-owner.json';

/** True while a process with this id exists (EPERM: it exists, it is only someone else's). */
export function processIsAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The server running on `pgDir`, from its postmaster.pid (line 1 the pid, line 4 the port), or null when
 * there is none, or the file is left over from a server that is gone.
 */
export async function findRunningPostgres(pgDir: string): Promise<RunningPostgres | null> {
  let text: string;
  try {
    text = await readFile(resolve(pgDir, 'postmaster.pid'), 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!processIsAlive(pid) || !Number.isSafeInteger(port) || port <= 0) return null;
  return { pid, port };
}

export async function readOwner(dataDir: string): Promise<DataFolderOwner | null> {
  try {
    const raw = JSON.parse(await readFile(resolve(dataDir, OWNER_FILE), 'utf8')) as Partial<DataFolderOwner>;
    if (
      typeof raw.pid !== 'number' ||
      (raw.role !== 'service' && raw.role !== 'command') ||
      typeof raw.port !== 'number'
    )
      return null;
    return { pid: raw.pid, role: raw.role, port: raw.port };
  } catch {
    return null;
  }
}

export async function writeOwner(dataDir: string, owner: DataFolderOwner): Promise<void> {
  await writeFile(resolve(dataDir, OWNER_FILE), `${JSON.stringify(owner)}\n`);
}

export async function removeOwner(dataDir: string): Promise<void> {
  await rm(resolve(dataDir, OWNER_FILE), { force: true });
}

export function embeddedUrl(port: number, database: string): string {
  return `postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${database}`;
}
