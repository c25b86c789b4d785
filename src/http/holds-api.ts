// POST /api/tenancies/:ref/vulnerable, /dispute/clear, /crisis/resolve (mounted in src/app.ts): officers set and clear holds from
// the housing system or a script, through the same use-cases as Slack and the CLI (src/cases/holds.ts).
// Body (JSON): `officer` (required: the change is logged with who made it), `note`; for vulnerable also
// `action` (set|clear), `tenant_no`, `review_on` (YYYY-MM-DD). Answers with what changed and the holds now.
import type { Context } from 'hono';
import { clearDispute, resolveCrisis, setVulnerable, type HoldChange } from '../cases/holds.js';
import type { Sql } from '../db/connect.js';
import { loadHolds } from '../db/queries/holds.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import type { TenancyContext } from './api.js';
import { holdsForDisplay } from '../rent/holds.js';

interface HoldApiDeps {
  sql: Sql;
  clock: Clock;
  timeZone: string;
}

interface HoldBody {
  officer: string;
  note: string | null;
  action?: unknown;
  tenant_no?: unknown;
  review_on?: unknown;
}

async function bodyOf(c: Context): Promise<HoldBody> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new AppError(
      'bad_request',
      'send a JSON object such as {"officer": "Sam Patel", "note": "…"} with Content-Type: application/json',
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new AppError('bad_request', 'the body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.officer !== 'string' || b.officer.trim() === '')
    throw new AppError('validation_failed', 'give "officer": the name of the officer making the change (it is logged)');
  if (b.note !== undefined && b.note !== null && typeof b.note !== 'string')
    throw new AppError('validation_failed', '"note" must be text');
  return { ...b, officer: b.officer.trim(), note: typeof b.note === 'string' ? b.note : null };
}

export function holdsApi(deps: HoldApiDeps) {
  const answer = async (c: Context, ref: string, change: HoldChange) => {
    if (change.outcome === 'not_found')
      throw new AppError('not_found', 'no tenancy with that reference; check it or import the tenancies file');
    if (change.outcome === 'no_such_tenant')
      throw new AppError('not_found', 'the tenancy has no tenant with that tenant_no');
    const holds = (await loadHolds(deps.sql, [ref], deps.clock.now(), deps.timeZone)).get(ref) ?? [];
    return c.json({
      tenancy_ref: ref,
      outcome: change.outcome,
      tenants: change.outcome === 'changed' ? change.tenants : [],
      holds: holdsForDisplay(holds),
    });
  };

  const vulnerable = async (c: TenancyContext) => {
    const ref = c.req.param('ref');
    const body = await bodyOf(c);
    if (body.action !== 'set' && body.action !== 'clear')
      throw new AppError('validation_failed', 'give "action": "set" or "clear"');
    const tenantNo = body.tenant_no === undefined || body.tenant_no === null ? null : Number(body.tenant_no);
    if (tenantNo !== null && (!Number.isInteger(tenantNo) || tenantNo < 1))
      throw new AppError('validation_failed', '"tenant_no" must be 1 for the lead tenant, 2, 3… for joint tenants');
    const reviewOn = typeof body.review_on === 'string' ? body.review_on : null;
    if (
      body.review_on !== undefined &&
      body.review_on !== null &&
      (reviewOn === null || !/^\d{4}-\d{2}-\d{2}$/.test(reviewOn))
    ) {
      throw new AppError('validation_failed', '"review_on" must be a date as YYYY-MM-DD');
    }
    const change = await setVulnerable(deps.sql, {
      tenancyRef: ref,
      actor: `api:${body.officer}`,
      note: body.note,
      now: deps.clock.now(),
      tenantNo,
      vulnerable: body.action === 'set',
      reviewOn,
    });
    return answer(c, ref, change);
  };

  const clearDisputeRoute = async (c: TenancyContext) => {
    const ref = c.req.param('ref');
    const body = await bodyOf(c);
    return answer(
      c,
      ref,
      await clearDispute(deps.sql, {
        tenancyRef: ref,
        actor: `api:${body.officer}`,
        note: body.note,
        now: deps.clock.now(),
      }),
    );
  };

  const resolveCrisisRoute = async (c: TenancyContext) => {
    const ref = c.req.param('ref');
    const body = await bodyOf(c);
    return answer(
      c,
      ref,
      await resolveCrisis(deps.sql, {
        tenancyRef: ref,
        actor: `api:${body.officer}`,
        note: body.note,
        now: deps.clock.now(),
      }),
    );
  };

  return { vulnerable, clearDispute: clearDisputeRoute, resolveCrisis: resolveCrisisRoute };
}
