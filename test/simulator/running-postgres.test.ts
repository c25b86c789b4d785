// Finding the embedded Postgres already running on a data folder, from Postgres's own postmaster.pid; a
// file left by a server that is gone is not a running server.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRunningPostgres, readOwner, removeOwner, writeOwner } from '../../src/db/running-postgres.js';

function postmasterPid(pid: number, port: number): string {
  return `${pid}\n/data/pg\n1764660000\n${port}\n\n127.0.0.1\n  1234567         0\nready   \n`;
}

describe('findRunningPostgres', () => {
  it('reads the pid and port of a live server', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rentline-pid-'));
    await writeFile(join(dir, 'postmaster.pid'), postmasterPid(process.pid, 54321));
    expect(await findRunningPostgres(dir)).toEqual({ pid: process.pid, port: 54321 });
  });

  it('ignores a file left by a server that is no longer running, and a folder with none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rentline-pid-'));
    expect(await findRunningPostgres(dir)).toBeNull();
    await writeFile(join(dir, 'postmaster.pid'), postmasterPid(2 ** 22 + 12345, 54321));
    expect(await findRunningPostgres(dir)).toBeNull();
  });

  it('keeps who started the server next to the data, until they stop it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rentline-owner-'));
    await writeOwner(dir, { pid: 42, role: 'command', port: 5555 });
    expect(await readOwner(dir)).toEqual({ pid: 42, role: 'command', port: 5555 });
    await removeOwner(dir);
    expect(await readOwner(dir)).toBeNull();
  });
});
