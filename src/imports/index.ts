// The import use-cases: CSV files from the CLI, JSON arrays from the API.
import type { Sql } from '../db/connect.js';
import { openCsvSource } from './csv.js';
import { runImport, type ImportOptions, type ImportReport, type ImportSource } from './import.js';
import type { ImportKind } from './records.js';

export { ImportFileError } from './csv.js';
export type { ImportReport, ImportProblem } from './import.js';

export async function importCsvFiles(sql: Sql, paths: string[], options: ImportOptions = {}): Promise<ImportReport> {
  const sources: ImportSource[] = [];
  for (const path of paths) sources.push(await openCsvSource(path));
  return runImport(sql, sources, options);
}

/** JSON arrays use the CSV field names; positions are array indexes. The API never skips invalid rows. */
export function importJsonRecords(sql: Sql, kind: ImportKind, records: unknown[]): Promise<ImportReport> {
  const rows = records.map((raw, index) => ({
    position: index,
    raw: raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {},
  }));
  return runImport(sql, [{ name: `${kind}.json`, kind, positionLabel: 'index', rows: inBatches(rows) }]);
}

/** Groups rows into batches for the import pipeline. */
export function* inBatches<T>(rows: Iterable<T>, size = 5000): Generator<T[]> {
  let batch: T[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
