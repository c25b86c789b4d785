// /api routes for the officer's casework reports: KPIs, rent statements and the evidence pack (mounted in
// src/app.ts).
import type { Context } from 'hono';
import { computeKpis, kpiPeriod } from '../kpis/index.js';
import { AppError } from '../lib/errors.js';
import { loadStatement, statementPdf, statementWeeks } from '../statements/index.js';
import { loadEvidencePack } from '../evidence/pack.js';
import { evidencePackPdf } from '../evidence/pdf.js';
import { evidenceSources } from '../evidence/sources.js';
import { localDateOf } from '../rent/schedule.js';
import type { ApiDeps, TenancyContext } from './api.js';

/** PDF only when asked for by name: a browser's or client's default Accept gets JSON. */
function wantsPdf(accept: string | undefined): boolean {
  return (accept ?? '').toLowerCase().includes('application/pdf');
}

/** A tenancy reference as a file name. */
function safeName(ref: string): string {
  return ref.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** GET /api/kpis, GET /api/tenancies/:ref/statement and GET /api/tenancies/:ref/evidence-pack. */
export function reportsApi(deps: ApiDeps) {
  const today = () => localDateOf(deps.clock.now(), deps.timeZone);

  const kpis = async (c: Context) => {
    const period = kpiPeriod({ from: c.req.query('from'), to: c.req.query('to') }, today());
    return c.json(await computeKpis(deps.sql, period, { policy: deps.policy, timeZone: deps.timeZone }));
  };

  const statementRoute = async (c: TenancyContext) => {
    const statement = await loadStatement(deps.sql, c.req.param('ref'), {
      weeks: statementWeeks(c.req.query('weeks')),
      today: today(),
    });
    if (!statement)
      throw new AppError('not_found', 'no tenancy with that reference; check it or import the tenancies file');
    if (!wantsPdf(c.req.header('accept'))) return c.json(statement);
    const pdf = await statementPdf(statement, { policy: deps.policy, now: deps.clock.now() });
    return c.body(new Uint8Array(pdf), 200, {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename="statement-${safeName(statement.tenancy_ref)}.pdf"`,
    });
  };

  const evidencePackRoute = async (c: TenancyContext) => {
    const format = c.req.query('format') ?? 'pdf';
    if (format !== 'pdf' && format !== 'json')
      throw new AppError('bad_request', 'format must be pdf (the default) or json');
    const now = deps.clock.now();
    const pack = await loadEvidencePack(deps.sql, c.req.param('ref'), {
      today: today(),
      now,
      policy: deps.policy,
      timeZone: deps.timeZone,
      sources: evidenceSources,
    });
    if (!pack) throw new AppError('not_found', 'no tenancy with that reference; check it or import the tenancies file');
    if (format === 'json') return c.json(pack);
    const pdf = await evidencePackPdf(pack, { timeZone: deps.timeZone });
    return c.body(new Uint8Array(pdf), 200, {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="evidence-pack-${safeName(pack.tenancy_ref)}.pdf"`,
    });
  };

  return { kpis, statement: statementRoute, evidencePack: evidencePackRoute };
}
