// Streaming CSV sources: the header decides the kind; rows come out one at a time with their line number
// (the header is line 1), so a million-row file never sits in memory.
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse';
import { kindFromHeader } from './records.js';
import type { ImportSource, RawRow } from './import.js';

export class ImportFileError extends Error {}

export async function openCsvSource(path: string): Promise<ImportSource> {
  const parser = createReadStream(path).pipe(
    parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }),
  );
  const iterator: AsyncIterator<{ record: string[]; info: { lines: number } }> = parser[Symbol.asyncIterator]();
  let first: IteratorResult<{ record: string[]; info: { lines: number } }>;
  try {
    first = await iterator.next();
  } catch (error) {
    throw new ImportFileError(`${basename(path)}: cannot read it as CSV (${(error as Error).message})`);
  }
  if (first.done) throw new ImportFileError(`${basename(path)}: the file is empty; it needs a header row`);
  const header = first.value.record.map((h) => h.trim().toLowerCase());
  const kind = kindFromHeader(header);
  if ('error' in kind) throw new ImportFileError(`${basename(path)} line 1: ${kind.error}`);

  async function* rows(): AsyncGenerator<RawRow> {
    for (;;) {
      let next: IteratorResult<{ record: string[]; info: { lines: number } }>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw new ImportFileError(`${basename(path)}: the CSV is malformed (${(error as Error).message}); nothing was imported`);
      }
      if (next.done) return;
      const { record, info } = next.value;
      const raw: Record<string, unknown> = {};
      header.forEach((h, i) => {
        raw[h] = record[i];
      });
      if (record.length > header.length) raw.__extra = record.length - header.length;
      yield { position: info.lines, raw };
    }
  }
  return { name: basename(path), kind: kind.kind, positionLabel: 'line', rows: rows() };
}
