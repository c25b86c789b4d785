// The CSV reader splits plain lines itself and hands quoted ones to csv-parse: whatever the mix, it must
// give exactly the records and line numbers csv-parse gives for the whole file.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ImportFileError, openCsvSource, splitSimplyQuoted } from '../../src/imports/csv.js';
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

describe('simply quoted lines, split without csv-parse', () => {
  const cell = fc.oneof(
    // Unquoted cells as the plain-line test has them (an em space at an unquoted cell's end is left for
    // the validators to trim, as splitPlain leaves it).
    fc.stringMatching(/^[a-z0-9 .£é-]{0,6}$/),
    fc.stringMatching(/^[a-z ,"\u2003-]{0,6}$/).map((v) => `"${v.replaceAll('"', '""')}"`),
    fc.stringMatching(/^[a-z ,"]{0,6}$/).map((v) => `"${v}"`),
    fc.stringMatching(/^[a-z]{1,4}$/).map((v) => ` "${v}" `),
  );
  it('gives what csv-parse gives, or leaves the line to it', () => {
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 8 }), (cells) => {
        const line = cells.join(',');
        if (!line.includes('"')) return; // only lines with a quote come this way
        const simple = splitSimplyQuoted(line);
        if (simple === null) return;
        const [parsed] = parse(line, { trim: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
        expect(simple).toEqual(parsed);
      }),
      { numRuns: 5000 },
    );
    expect(
      splitSimplyQuoted(
        'T1,B1,2026-10-30,charge,225.49,rechargeable_repair,"Rechargeable repair - lock change, lost keys"',
      ),
    ).toEqual([
      'T1',
      'B1',
      '2026-10-30',
      'charge',
      '225.49',
      'rechargeable_repair',
      'Rechargeable repair - lock change, lost keys',
    ]);
  });
});
