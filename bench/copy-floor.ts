// The physical floor for an import: the same CSV files streamed with a raw `COPY … (format csv)` into
// unindexed tables of text columns, which is as fast as this machine and Postgres can take the bytes.
// Benchmarks compare the real import against it in the same run, so the ratio travels between machines.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Sql } from '../src/db/connect.js';

async function headerOf(path: string): Promise<string[]> {
  // The header is the first line; the files are far larger than any header, so read a little.
  const handle = await open(path);
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    const first = buffer.subarray(0, bytesRead).toString('utf8').split('\n')[0] ?? '';
    return first
      .replace(/^\uFEFF/, '')
      .trim()
      .split(',');
  } finally {
    await handle.close();
  }
}

/** COPYs each file into its own fresh unindexed text table; returns the milliseconds taken. */
export async function copyFloor(sql: Sql, paths: string[]): Promise<number> {
  const tables: string[] = [];
  for (const [i, path] of paths.entries()) {
    const table = `floor_copy_${i}`;
    const columns = await headerOf(path);
    await sql.unsafe(`drop table if exists ${table}`);
    await sql.unsafe(`create table ${table} (${columns.map((_, n) => `c${n} text`).join(', ')})`);
    tables.push(table);
  }
  const started = performance.now();
  await sql.begin(async (tx) => {
    for (const [i, path] of paths.entries()) {
      const writable = await tx.unsafe(`copy floor_copy_${i} from stdin (format csv, header true)`).writable();
      await pipeline(createReadStream(path), writable);
    }
  });
  const ms = performance.now() - started;
  for (const table of tables) await sql.unsafe(`drop table ${table}`);
  return ms;
}
