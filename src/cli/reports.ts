// `rentline kpis`, `rentline statement` and `rentline evidence-pack`: the officer's casework reports,
// printing (or writing) the same content the API serves.
import { parseArgs } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { computeKpis, kpiPeriod, kpisCsv, kpisText } from '../kpis/index.js';
import { statementSummary } from '../rent/statement.js';
import { loadEvidencePack } from '../evidence/pack.js';
import { evidencePackPdf } from '../evidence/pdf.js';
import { evidenceSources } from '../evidence/sources.js';
import {
  loadStatement,
  recordStatementSent,
  statementPdf,
  statementRows,
  statementWeeks,
} from '../statements/index.js';
import { systemClock } from '../lib/clock.js';
import { localDateOf } from '../rent/schedule.js';
import type { Runtime } from '../runtime.js';
import { UsageError } from './shared.js';

export const REPORTS_USAGE = `  kpis [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json|--csv]
                                   the income KPIs (default: this financial year to today)
  statement <tenancy_ref> [--weeks N] [--out file.pdf] [--json]
                                   a rent statement (default 13 weeks); --out writes the PDF
  statement <tenancy_ref> --sent --officer <name> [--tenant N] [--weeks N]
                                   record that the statement went to the tenant (post, email, in person)
  evidence-pack <tenancy_ref> --out <file.pdf> [--json]
                                   the court-bundle evidence pack as PDF (--json writes JSON instead)
`;

class ReportsUsageError extends UsageError {}

async function kpis(rt: Runtime, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' }, csv: { type: 'boolean' } },
  });
  if (values.json && values.csv) throw new ReportsUsageError('kpis takes --json or --csv, not both');
  const today = localDateOf(systemClock.now(), rt.config.timeZone);
  const period = kpiPeriod({ from: values.from, to: values.to }, today);
  const result = await computeKpis(rt.db.sql, period, { policy: rt.policy, timeZone: rt.config.timeZone });
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else if (values.csv) process.stdout.write(kpisCsv(result));
  else console.log(kpisText(result));
  return 0;
}

async function statement(rt: Runtime, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      weeks: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      sent: { type: 'boolean' },
      officer: { type: 'string' },
      tenant: { type: 'string' },
    },
  });
  const [ref] = positionals;
  if (!ref) throw new ReportsUsageError('statement needs a tenancy reference');
  if (values.sent && !values.officer) throw new ReportsUsageError('statement --sent needs --officer <name>');
  const weeks = statementWeeks(values.weeks);
  const now = systemClock.now();
  const s = await loadStatement(rt.db.sql, ref, { weeks, today: localDateOf(now, rt.config.timeZone) });
  if (!s) {
    console.error(`No tenancy ${ref}. Check the reference, or import the tenancies file first.`);
    return 1;
  }
  if (values.sent) {
    const tenantNo = values.tenant === undefined ? null : Number(values.tenant);
    if (tenantNo !== null && !s.tenants.some((t) => t.tenant_no === tenantNo))
      throw new ReportsUsageError(`${ref} has no tenant ${values.tenant}`);
    await recordStatementSent(rt.db.sql, {
      tenancyRef: s.tenancy_ref,
      tenantNo,
      weeks,
      at: now,
      actor: `cli:${values.officer}`,
      via: 'officer',
    });
    console.log(`${s.tenancy_ref}: a ${weeks}-week statement recorded as sent; logged as evidence.`);
    return 0;
  }
  if (values.out) {
    await writeFile(values.out, await statementPdf(s, { policy: rt.policy, now }));
    console.log(`Wrote ${values.out} (${s.lines.length} lines). ${statementSummary(s, weeks)}`);
    return 0;
  }
  if (values.json) {
    console.log(JSON.stringify(s, null, 2));
    return 0;
  }
  console.log(statementSummary(s, weeks));
  console.table(
    statementRows(s).map(([date, description, debit, credit, balance]) => ({
      date,
      description,
      debit,
      credit,
      balance,
    })),
  );
  return 0;
}

async function evidencePack(rt: Runtime, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string' }, json: { type: 'boolean' } },
  });
  const [ref] = positionals;
  if (!ref || !values.out)
    throw new ReportsUsageError(
      'evidence-pack needs a tenancy reference and --out <file.pdf> (or --out <file.json> --json)',
    );
  const now = systemClock.now();
  const pack = await loadEvidencePack(rt.db.sql, ref, {
    today: localDateOf(now, rt.config.timeZone),
    now,
    policy: rt.policy,
    timeZone: rt.config.timeZone,
    sources: evidenceSources,
  });
  if (!pack) {
    console.error(`No tenancy ${ref}. Check the reference, or import the tenancies file first.`);
    return 1;
  }
  await writeFile(
    values.out,
    values.json ? `${JSON.stringify(pack, null, 2)}\n` : await evidencePackPdf(pack, { timeZone: rt.config.timeZone }),
  );
  console.log(
    `Wrote ${values.out}: ${pack.statement.lines.length} statement lines, ${pack.timeline.length} contact-log lines, ${pack.arrangements.length} arrangements.`,
  );
  return 0;
}

export async function runReportsCommand(rt: Runtime, command: string, args: string[]): Promise<number> {
  switch (command) {
    case 'kpis':
      return kpis(rt, args);
    case 'statement':
      return statement(rt, args);
    case 'evidence-pack':
      return evidencePack(rt, args);
    default:
      throw new ReportsUsageError(`unknown command "${command}"`);
  }
}
