// Zero-config demo: when the embedded database is empty, load a clearly marked demo landlord (about 50
// tenancies with two years of history) so a newcomer sees real-looking accounts straight away.
import type { Sql } from '../db/connect.js';
import { runImport, type RawRow } from '../imports/import.js';
import { inBatches } from '../imports/index.js';
import type { Clock } from '../lib/clock.js';
import { localDateOf } from '../rent/schedule.js';
import { generateTenancies, generateTransactions, type GenerateOptions } from './generate.js';

function* asRows(rows: Iterable<object>): Generator<RawRow> {
  let position = 0;
  for (const raw of rows) yield { position: position++, raw: raw as Record<string, unknown> };
}

export async function seedDemoLandlordIfEmpty(
  sql: Sql,
  deps: { clock: Clock; timeZone: string },
): Promise<{ tenancies: number } | null> {
  const [any] = await sql`select 1 from tenancies limit 1`;
  if (any) return null;
  const options: GenerateOptions = {
    tenancies: 50,
    seed: 2026,
    today: localDateOf(deps.clock.now(), deps.timeZone),
    years: 2,
    refPrefix: 'DEMO',
  };
  const report = await runImport(
    sql,
    [
      {
        name: 'demo-tenancies',
        kind: 'tenancies',
        positionLabel: 'index',
        rows: inBatches(asRows(generateTenancies(options))),
      },
      {
        name: 'demo-transactions',
        kind: 'transactions',
        positionLabel: 'index',
        rows: inBatches(asRows(generateTransactions(options))),
      },
    ],
    { demo: true, skipInvalid: true },
  );
  return { tenancies: report.tenancies.inserted };
}
