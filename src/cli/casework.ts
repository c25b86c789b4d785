// `rentline kpis`, `rentline statement` and `rentline evidence-pack`: the officer's casework reports,
// printing (or writing) the same content the API serves.
import { parseArgs } from 'node:util';
import { computeKpis, kpiPeriod, kpisCsv, kpisText } from '../kpis/index.js';
import { systemClock } from '../lib/clock.js';
import { localDateOf } from '../rent/schedule.js';
import type { Runtime } from '../runtime.js';

export const CASEWORK_COMMANDS = ['kpis'] as const;

export const CASEWORK_USAGE = `  kpis [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json|--csv]
                                   the income KPIs (default: this financial year to today)
`;

export class CaseworkUsageError extends Error {}

async function kpis(rt: Runtime, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' }, csv: { type: 'boolean' } } });
  if (values.json && values.csv) throw new CaseworkUsageError('kpis takes --json or --csv, not both');
  const today = localDateOf(systemClock.now(), rt.config.timeZone);
  const period = kpiPeriod({ from: values.from, to: values.to }, today);
  const result = await computeKpis(rt.db.sql, period, { policy: rt.policy, timeZone: rt.config.timeZone });
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else if (values.csv) process.stdout.write(kpisCsv(result));
  else console.log(kpisText(result));
  return 0;
}

export async function runCaseworkCommand(rt: Runtime, command: string, args: string[]): Promise<number> {
  switch (command) {
    case 'kpis':
      return kpis(rt, args);
    default:
      throw new CaseworkUsageError(`unknown command "${command}"`);
  }
}

