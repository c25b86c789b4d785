// Streaming CSV sources: the header decides the kind; rows come out in batches with their line number
// (the header is line 1), so a million-row file never sits in memory and the pipeline pays for one
// promise per batch, not per row.
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parse, type Parser } from 'csv-parse';
import { kindFromHeader } from './records.js';
import type { ImportSource, RawRow } from './import.js';

export class ImportFileError extends Error {}

/** Waits for the parser's next 'readable', 'end' or 'error', leaving no listener behind (a big file waits thousands of times). */
async function nextEvent(parser: Parser): Promise<void> {
  const settled = new AbortController();
  const wait = (event: string) => once(parser, event, { signal: settled.signal }).catch(() => undefined);
  await Promise.race([wait('readable'), wait('end'), wait('error')]);
  settled.abort();
}

/** Yields arrays of records as the parser produces them; parse errors name the file. */
async function* recordBatches(parser: Parser, file: string): AsyncGenerator<string[][]> {
  let ended = false;
  let failure: Error | null = null;
  parser.on('end', () => {
    ended = true;
  });
  parser.on('error', (error: Error) => {
    failure = error;
  });
  for (;;) {
    const batch: string[][] = [];
    let record: string[] | null;
    while (batch.length < 5000 && (record = parser.read() as string[] | null) !== null) batch.push(record);
    if (failure) throw new ImportFileError(`${file}: the CSV is malformed (${(failure as Error).message}); nothing was imported`);
    if (batch.length > 0) {
      yield batch;
      continue;
    }
    if (ended) return;
    await nextEvent(parser);
  }
}

/** Lines a record spans: 1, plus any newlines inside quoted fields, so line numbers stay exact. */
function linesSpanned(record: string[]): number {
  let lines = 1;
  for (const field of record) {
    if (field.indexOf('\n') === -1) continue;
    for (let i = 0; i < field.length; i++) if (field.charCodeAt(i) === 10) lines++;
  }
  return lines;
}

export async function openCsvSource(path: string): Promise<ImportSource> {
  const file = basename(path);
  // Empty lines come through as [''] so that line numbers can be counted without per-record info objects.
  const parser = createReadStream(path).pipe(parse({ bom: true, trim: true, skip_empty_lines: false, relax_column_count: true }));
  const batches = recordBatches(parser, file);
  let line = 0;
  let header: string[] | null = null;
  let pending: string[][] = [];
  while (header === null) {
    const next = await batches.next().catch((error: Error) => {
      throw error instanceof ImportFileError ? error : new ImportFileError(`${file}: cannot read it as CSV (${error.message})`);
    });
    if (next.done) throw new ImportFileError(`${file}: the file is empty; it needs a header row`);
    const records = next.value;
    let i = 0;
    for (; i < records.length && header === null; i++) {
      const record = records[i] as string[];
      line += linesSpanned(record);
      if (record.length === 1 && record[0] === '') continue;
      header = record.map((h) => h.trim().toLowerCase());
    }
    pending = records.slice(i);
  }
  const columns = header;
  const kind = kindFromHeader(columns);
  if ('error' in kind) throw new ImportFileError(`${file} line ${line}: ${kind.error}`);

  function toRows(records: string[][]): RawRow[] {
    const rows: RawRow[] = [];
    for (const record of records) {
      const start = line + 1; // a record spanning lines is reported at its first line
      line += linesSpanned(record);
      if (record.length === 1 && record[0] === '') continue;
      const raw: Record<string, unknown> = {};
      for (let c = 0; c < columns.length; c++) raw[columns[c] as string] = record[c];
      if (record.length > columns.length) raw.__extra = record.length - columns.length;
      rows.push({ position: start, raw });
    }
    return rows;
  }

  async function* rows(): AsyncGenerator<RawRow[]> {
    if (pending.length > 0) yield toRows(pending);
    for await (const records of batches) yield toRows(records);
  }
  return { name: file, kind: kind.kind, positionLabel: 'line', rows: rows() };
}
