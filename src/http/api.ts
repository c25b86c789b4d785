// /api/*: the bearer-token check, and the routes through which the landlord's housing system pushes
// tenancies and transactions and reads account summaries. Mounted, route by route, in src/app.ts.
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { BlankEnv } from 'hono/types';
import type { Sql } from '../db/connect.js';
import { accountSummary } from '../accounts/summary.js';
import { importJsonRecords } from '../imports/index.js';
import type { ImportKind } from '../imports/records.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import type { Policy } from '../rent/policy.js';
import { localDateOf } from '../rent/schedule.js';

export interface ApiDeps {
  sql: Sql;
  clock: Clock;
  policy: Policy;
  apiToken: string | null;
  timeZone: string;
}

/** A request to a route under /api/tenancies/:ref, whose handler reads the reference. */
export type TenancyContext = Context<BlankEnv, '/api/tenancies/:ref'>;

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const MAX_RECORDS = 200_000;

/** Every /api/* request carries `Authorization: Bearer <API_TOKEN>`; without API_TOKEN the API is off. */
export function requireApiToken(apiToken: string | null): MiddlewareHandler {
  return async (c, next) => {
    if (!apiToken)
      throw new AppError('not_configured', 'the API is off: set API_TOKEN in the environment to turn it on');
    const header = c.req.header('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token || !tokenMatches(token, apiToken))
      throw new AppError('unauthorised', 'send the API token as "Authorization: Bearer <API_TOKEN>"');
    await next();
  };
}

/** POST /api/tenancies, POST /api/transactions (JSON imports) and GET /api/tenancies/:ref (the summary). */
export function accountApi(deps: ApiDeps) {
  const importRoute = (kind: ImportKind) => async (c: Context) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new AppError('bad_request', `send a JSON array of ${kind} records with Content-Type: application/json`);
    }
    if (!Array.isArray(body))
      throw new AppError('bad_request', `the body must be a JSON array of ${kind} records (the CSV field names)`);
    if (body.length > MAX_RECORDS)
      throw new AppError('bad_request', `at most ${MAX_RECORDS} records per request; split the array`);
    const report = await importJsonRecords(deps.sql, kind, body);
    if (!report.imported) {
      throw new AppError(
        'validation_failed',
        `${report.errorCount} problem(s) in the records; nothing was imported. Fix them and send the whole array again`,
        report.errors.map((e) => ({ index: e.index, field: e.field, message: e.message })),
      );
    }
    return c.json({
      imported: true,
      records: body.length,
      tenancies: report.tenancies,
      tenants: report.tenants,
      transactions: report.transactions,
      warnings: report.warnings.map((w) => ({ index: w.index, field: w.field, message: w.message })),
    });
  };

  const accountSummaryRoute = async (c: TenancyContext) => {
    const today = localDateOf(deps.clock.now(), deps.timeZone);
    const summary = await accountSummary(deps.sql, c.req.param('ref'), {
      today,
      policy: deps.policy,
      now: deps.clock.now(),
    });
    if (!summary)
      throw new AppError('not_found', 'no tenancy with that reference; check it or import the tenancies file');
    return c.json(summary);
  };

  return {
    importTenancies: importRoute('tenancies'),
    importTransactions: importRoute('transactions'),
    summary: accountSummaryRoute,
  };
}
