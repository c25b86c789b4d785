// Streaming CSV sources: the header decides the kind; rows come out in batches with their line number
// (the header is line 1), so a million-row file never sits in memory and the pipeline pays for one
// promise per batch, not per row.
//
// Most lines of a housing-system export have no quotes at all, and for those a CSV record is the line
// split on commas: that is done here directly, which is several times faster than a general parser (the
// import's largest cost was csv-parse). A line with a quote (or a stray carriage return) is handed, with
// the lines its quoted fields span, to csv-parse, so quoting, escaping and malformed-file errors follow
// RFC 4180 exactly as before. Fields are trimmed either way (the validators trim them again).
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parse as parseSync } from 'csv-parse/sync';
import { kindFromHeader, type ImportKind } from './records.js';
import type { ImportSource, RawRow } from './import.js';

export class ImportFileError extends Error {}

/** One CSV record, the line it starts on and the physical lines it took (more when a quoted field holds line breaks). */
interface CsvRecord {
  fields: string[];
  start: number;
  lines: number;
}

/**
 * Sees each plain line (no quote, no stray carriage return) before it is split; returns true when it has
 * dealt with the line itself, which then never becomes a record. The direct ledger copy uses it.
 */
type PlainLineHook = (body: string, line: number) => boolean;

const BATCH = 5000;

function quoteCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) n++;
  return n;
}

/** An unquoted field trimmed as csv-parse's `trim` would. */
function trimmed(f: string): string {
  const first = f.charCodeAt(0);
  const last = f.charCodeAt(f.length - 1);
  return first <= 32 || last <= 32 || first === 0xa0 || last === 0xa0 ? f.trim() : f;
}

/** A line with no quotes: split on commas, trimmed as csv-parse's `trim` would. */
function splitPlain(line: string): string[] {
  const fields = line.split(',');
  for (let i = 0; i < fields.length; i++) fields[i] = trimmed(fields[i] as string);
  return fields;
}

/**
 * A one-line record whose quoted fields are simply quoted ("lock change, lost keys": the quotes at the
 * field's ends, none inside, no space just inside them), split directly; null for anything else, which
 * csv-parse reads (each call to it costs ~100 µs, and an export quotes every description with a comma).
 * test/imports/csv-reader.test.ts holds the two equal.
 */
export function splitSimplyQuoted(line: string): string[] | null {
  if (line.indexOf('\r') !== -1 || line.indexOf('\n') !== -1) return null;
  const fields: string[] = [];
  let start = 0;
  for (;;) {
    if (line.charCodeAt(start) === 34) {
      const close = line.indexOf('"', start + 1);
      if (close === -1) return null;
      const after = line.charCodeAt(close + 1);
      if (close + 1 < line.length && after !== 44) return null;
      const value = line.slice(start + 1, close);
      const first = value.charCodeAt(0);
      const last = value.charCodeAt(value.length - 1);
      if (first <= 32 || last <= 32 || first === 0xa0 || last === 0xa0 || value.trim() !== value) return null;
      fields.push(value);
      if (close + 1 >= line.length) return fields;
      start = close + 2;
      continue;
    }
    const comma = line.indexOf(',', start);
    const raw = comma === -1 ? line.slice(start) : line.slice(start, comma);
    if (raw.indexOf('"') !== -1) return null;
    fields.push(trimmed(raw));
    if (comma === -1) return fields;
    start = comma + 1;
  }
}

/** Lines that need a real parser: quoted fields, or a carriage return that is not a line ending. */
function parseQuoted(text: string, file: string, line: number): string[] {
  const simple = splitSimplyQuoted(text);
  if (simple) return simple;
  let records: string[][];
  try {
    records = parseSync(text, { trim: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (error) {
    throw new ImportFileError(
      `${file}: the CSV is malformed at line ${line} (${(error as Error).message}); nothing was imported`,
    );
  }
  if (records.length !== 1)
    throw new ImportFileError(
      `${file}: the CSV is malformed at line ${line} (a quoted field does not close where its record ends); nothing was imported`,
    );
  return records[0] as string[];
}

/** Yields the records of a file in batches, with the lines each spans. */
async function* recordBatches(path: string, file: string, plain?: PlainLineHook): AsyncGenerator<CsvRecord[]> {
  let carry = '';
  let first = true;
  let line = 0;
  // Lines of a record whose quoted field is still open (an odd number of quotes so far).
  let open: string[] | null = null;
  let openQuotes = 0;
  let batch: CsvRecord[] = [];
  // The first record that is not blank is the header, which the hook never sees.
  let headerSeen = false;
  const push = (record: CsvRecord) => {
    if (!headerSeen && !isBlank(record.fields)) headerSeen = true;
    batch.push(record);
  };
  const take = (text: string) => {
    line++;
    if (open) {
      open.push(text);
      openQuotes += quoteCount(text);
      if (openQuotes % 2 === 1) return;
      const lines = open.length;
      const start = line - lines + 1;
      push({ fields: parseQuoted(withoutCr(open.join('\n')), file, start), start, lines });
      open = null;
      return;
    }
    const body = withoutCr(text);
    if (body.indexOf('"') === -1 && body.indexOf('\r') === -1) {
      if (plain && headerSeen && plain(body, line)) return;
      push({ fields: splitPlain(body), start: line, lines: 1 });
      return;
    }
    const quotes = quoteCount(body);
    if (quotes % 2 === 1) {
      open = [text];
      openQuotes = quotes;
      return;
    }
    push({ fields: parseQuoted(body, file, line), start: line, lines: 1 });
  };
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 18 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      let text = carry + chunk;
      if (first) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        take(text.slice(start, end));
        start = end + 1;
        if (batch.length >= BATCH) {
          yield batch;
          batch = [];
        }
      }
      carry = text.slice(start);
      // With a hook most lines never become records: hand over every chunk, so its output flows on.
      if (plain && headerSeen) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError(`${file}: cannot read it (${(error as Error).message})`);
  }
  if (carry !== '') take(carry);
  if (open) {
    const lines = (open as string[]).length;
    const start = line - lines + 1;
    batch.push({ fields: parseQuoted((open as string[]).join('\n'), file, start), start, lines });
  }
  if (batch.length > 0) yield batch;
}

function withoutCr(text: string): string {
  return text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;
}

function isBlank(fields: string[]): boolean {
  return fields.length === 1 && fields[0] === '';
}

/** A CSV file's records in batches, each with the line it starts on, and the header's columns. */
interface CsvRecords {
  name: string;
  kind: ImportKind;
  columns: string[];
  batches: AsyncIterable<{ position: number; fields: string[] }[]>;
}

/** Opens a CSV file: reads its header (which decides the kind) and streams its records. */
export async function openCsvRecords(path: string, plain?: PlainLineHook): Promise<CsvRecords> {
  const file = basename(path);
  const batches = recordBatches(path, file, plain);
  let line = 0;
  let header: string[] | null = null;
  let pending: CsvRecord[] = [];
  while (header === null) {
    const next = await batches.next();
    if (next.done) throw new ImportFileError(`${file}: the file is empty; it needs a header row`);
    const records = next.value;
    let i = 0;
    for (; i < records.length && header === null; i++) {
      const record = records[i] as CsvRecord;
      line = record.start + record.lines - 1;
      if (isBlank(record.fields)) continue;
      header = record.fields.map((h) => h.trim().toLowerCase());
    }
    pending = records.slice(i);
  }
  const columns = header;
  const kind = kindFromHeader(columns);
  if ('error' in kind) throw new ImportFileError(`${file} line ${line}: ${kind.error}`);

  function positioned(records: CsvRecord[]): { position: number; fields: string[] }[] {
    const out: { position: number; fields: string[] }[] = [];
    // A record spanning lines is reported at its first line.
    for (const { fields, start } of records) if (!isBlank(fields)) out.push({ position: start, fields });
    return out;
  }

  async function* all(): AsyncGenerator<{ position: number; fields: string[] }[]> {
    if (pending.length > 0) yield positioned(pending);
    for await (const records of batches) yield positioned(records);
  }
  return { name: file, kind: kind.kind, columns, batches: all() };
}

/** A record as the validators take it: the header's names to the values (`__extra` counts surplus values). */
export function rawRecord(columns: readonly string[], fields: readonly string[]): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (let c = 0; c < columns.length; c++) raw[columns[c] as string] = fields[c];
  if (fields.length > columns.length) raw.__extra = fields.length - columns.length;
  return raw;
}

export async function openCsvSource(path: string): Promise<ImportSource> {
  const { name, kind, columns, batches } = await openCsvRecords(path);
  async function* rows(): AsyncGenerator<RawRow[]> {
    for await (const batch of batches) {
      const out: RawRow[] = new Array(batch.length);
      for (let i = 0; i < batch.length; i++) {
        const { position, fields } = batch[i] as { position: number; fields: string[] };
        out[i] = { position, raw: rawRecord(columns, fields) };
      }
      yield out;
    }
  }
  return { name, kind, positionLabel: 'line', rows: rows(), path };
}
