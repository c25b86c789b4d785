// The CSV reader splits plain lines itself and hands quoted ones to csv-parse: whatever the mix, it must
// give exactly the records and line numbers csv-parse gives for the whole file.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ImportFileError, openCsvSource } from '../../src/imports/csv.js';
import { TRANSACTION_FIELDS } from '../../src/imports/records.js';

async function rowsOf(text: string): Promise<{ position: number; values: unknown[] }[]> {
  const dir = await mkdtemp(join(tmpdir(), 'rentline-csv-reader-'));
  const path = join(dir, 'transactions.csv');
  await writeFile(path, text);
  const source = await openCsvSource(path);
  const out: { position: number; values: unknown[] }[] = [];
  for await (const batch of source.rows)
    for (const row of batch)
      out.push({ position: row.position, values: [...TRANSACTION_FIELDS.map((f) => row.raw[f]), row.raw.__extra] });
  return out;
}

/** What csv-parse makes of the whole file, with each record's first line. */
function expected(text: string): { position: number; values: unknown[] }[] {
  const records = parse(text, {
    bom: true,
    trim: true,
    relax_column_count: true,
    skip_empty_lines: false,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const out: { position: number; values: unknown[] }[] = [];
  let line = 1; // header
  for (const [i, { record, info }] of records.entries()) {
    const start = line + 1;
    line = info.lines;
    if (i === 0 || (record.length === 1 && record[0] === '')) continue;
    out.push({
      position: start,
      values: [
        ...TRANSACTION_FIELDS.map((_, c) => record[c]),
        record.length > TRANSACTION_FIELDS.length ? record.length - TRANSACTION_FIELDS.length : undefined,
      ],
    });
  }
  return out;
}

const field = fc.oneof(
  fc.stringMatching(/^[a-z0-9.\-£é]{0,6}$/),
  fc.stringMatching(/^[a-z ,"\n]{0,6}$/).map((v) => `"${v.replaceAll('"', '""')}"`),
  fc.stringMatching(/^[a-z]{1,4}$/).map((v) => `  ${v} `),
);
const record = fc.array(field, { minLength: 1, maxLength: 9 }).map((fields) => fields.join(','));
const file = fc.record({
  lines: fc.array(fc.oneof({ weight: 6, arbitrary: record }, { weight: 1, arbitrary: fc.constant('') }), {
    maxLength: 12,
  }),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  finalNewline: fc.boolean(),
});

describe('the CSV reader', () => {
  it('reads any mix of plain and quoted lines as csv-parse does, with the same line numbers', async () => {
    await fc.assert(
      fc.asyncProperty(file, async ({ lines, crlf, bom, finalNewline }) => {
        const eol = crlf ? '\r\n' : '\n';
        const text = `${bom ? '\uFEFF' : ''}${[TRANSACTION_FIELDS.join(','), ...lines].join(eol)}${finalNewline ? eol : ''}`;
        expect(await rowsOf(text)).toEqual(expected(text));
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a quote that never closes, naming the file', async () => {
    await expect(
      rowsOf(`${TRANSACTION_FIELDS.join(',')}\nT1,R1,2026-11-02,rent,1.00,rent,"open\nT2,R1\n`),
    ).rejects.toThrow(ImportFileError);
    await expect(
      rowsOf(`${TRANSACTION_FIELDS.join(',')}\nT1,R1,2026-11-02,rent,1.00,rent,"open\nT2,R1\n`),
    ).rejects.toThrow(/transactions\.csv: the CSV is malformed/);
  });
});
