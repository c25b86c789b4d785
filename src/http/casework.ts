// /api casework routes: the worklist, the pre-action checklist, officer-logged contact and the legal stage.
// Mounted in src/app.ts under /api, behind its bearer-token check.
import type { Context } from 'hono';
import { recordLegalStage } from '../casework/legal-stage.js';
import { CONTACT_KINDS, isContactKind, logOfficerContact } from '../casework/officer-contact.js';
import { tenancyProtocol } from '../casework/protocol.js';
import { readWorklist, refreshWorklistFor } from '../casework/worklist.js';
import type { Sql } from '../db/connect.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import type { TenancyContext } from './api.js';
import { parseLegalStage } from '../rent/legal.js';
import { parsePoundsToPence } from '../rent/money.js';
import type { Policy } from '../rent/policy.js';
import { RENT_FREQUENCIES, type RentFrequency } from '../rent/types.js';

interface CaseworkApiDeps {
  sql: Sql;
  clock: Clock;
  policy: Policy;
  timeZone: string;
}

async function jsonObject(c: Context, what: string): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new AppError('bad_request', `send a JSON object (${what}) with Content-Type: application/json`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new AppError('bad_request', `the body must be a JSON object (${what})`);
  return body as Record<string, unknown>;
}

function optionalText(body: Record<string, unknown>, key: string): string | null {
  const value = body[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string')
    throw new AppError('validation_failed', `${key} must be text`, [{ field: key, message: 'expects text' }]);
  return value;
}

function officerOf(body: Record<string, unknown>): string {
  const officer = optionalText(body, 'officer');
  if (!officer || officer.trim() === '')
    throw new AppError('validation_failed', 'officer is required: every officer action is logged with who did it', [
      { field: 'officer', message: 'expects the officer name' },
    ]);
  return `api:${officer.trim()}`;
}

/** GET /api/worklist, GET /api/tenancies/:ref/protocol, POST /api/tenancies/:ref/contacts and …/legal. */
export function caseworkApi(deps: CaseworkApiDeps) {
  const worklistDeps = { sql: deps.sql, policy: deps.policy, timeZone: deps.timeZone };

  const worklist = async (c: Context) => {
    const limitText = c.req.query('limit');
    const limit = limitText === undefined ? undefined : Number(limitText);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
      throw new AppError('bad_request', 'limit must be a whole number of items from 1 to 10000');
    return c.json(
      await readWorklist(worklistDeps, {
        now: deps.clock.now(),
        patch: c.req.query('patch') ?? null,
        ...(limit === undefined ? {} : { limit }),
      }),
    );
  };

  const protocol = async (c: TenancyContext) => {
    const protocol = await tenancyProtocol(deps.sql, c.req.param('ref'), {
      now: deps.clock.now(),
      policy: deps.policy,
      timeZone: deps.timeZone,
    });
    if (!protocol)
      throw new AppError('not_found', 'no tenancy with that reference; check it or import the tenancies file');
    return c.json(protocol);
  };

  const logContact = async (c: TenancyContext) => {
    const body = await jsonObject(c, 'kind, tenant_no, outcome, note, officer');
    const kind = optionalText(body, 'kind') ?? '';
    if (!isContactKind(kind))
      throw new AppError('validation_failed', `kind must be one of ${CONTACT_KINDS.join(', ')}`, [
        { field: 'kind', message: `expects ${CONTACT_KINDS.join(', ')}` },
      ]);
    const tenantNo = body.tenant_no === undefined || body.tenant_no === null ? null : Number(body.tenant_no);
    if (tenantNo !== null && (!Number.isInteger(tenantNo) || tenantNo < 1))
      throw new AppError('validation_failed', 'tenant_no must be 1 for the lead tenant, 2, 3… for joint tenants', [
        { field: 'tenant_no', message: 'expects a tenant number' },
      ]);
    const officer = officerOf(body);
    const now = deps.clock.now();
    const result = await logOfficerContact(deps.sql, {
      tenancyRef: c.req.param('ref'),
      tenantNo,
      kind,
      outcome: optionalText(body, 'outcome'),
      note: optionalText(body, 'note'),
      cause: optionalText(body, 'cause'),
      vulnerability: optionalText(body, 'vulnerability'),
      officer,
      now,
    });
    if (result.outcome === 'not_found')
      throw new AppError('not_found', 'no tenancy with that reference; check it or import the tenancies file');
    if (result.outcome === 'no_such_tenant')
      throw new AppError(
        'validation_failed',
        `the tenancy has no tenant ${tenantNo}; its tenants are ${result.tenants.join(', ')}`,
        [{ field: 'tenant_no', message: 'no such tenant' }],
      );
    return c.json(
      {
        contact_log_id: result.contactLogId,
        tenancy_ref: result.tenancyRef,
        tenant_no: result.tenantNo,
        event: `contact_${kind}`,
      },
      201,
    );
  };

  const recordLegal = async (c: TenancyContext) => {
    const body = await jsonObject(c, 'stage, date, officer and, for a suspended order, amount, frequency, start');
    const stage = parseLegalStage(optionalText(body, 'stage') ?? '');
    if (!stage)
      throw new AppError(
        'validation_failed',
        'stage must be notice_served, claim_issued, hearing, order_outright, order_suspended, warrant or evicted',
        [{ field: 'stage', message: 'unknown stage' }],
      );
    const date = optionalText(body, 'date') ?? '';
    const hasTerms = body.amount !== undefined || body.frequency !== undefined || body.start !== undefined;
    let terms: { amountPence: number; frequency: RentFrequency; startDate: string } | null = null;
    if (hasTerms) {
      const amountPence = parsePoundsToPence(String(body.amount ?? ''));
      const frequency = String(body.frequency ?? '') as RentFrequency;
      if (amountPence === null || !RENT_FREQUENCIES.includes(frequency)) {
        throw new AppError(
          'validation_failed',
          `suspended-order terms need amount (pounds, e.g. "5.00"), frequency (${RENT_FREQUENCIES.join(', ')}) and start (YYYY-MM-DD)`,
          [{ field: 'amount', message: 'expects pounds and a frequency' }],
        );
      }
      terms = { amountPence, frequency, startDate: String(body.start ?? '') };
    }
    const now = deps.clock.now();
    const result = await recordLegalStage(
      { sql: deps.sql, policy: deps.policy, timeZone: deps.timeZone },
      {
        tenancyRef: c.req.param('ref'),
        stage,
        date,
        terms,
        note: optionalText(body, 'note'),
        officer: officerOf(body),
        now,
      },
    );
    if (result.outcome === 'not_found')
      throw new AppError('not_found', 'no tenancy with that reference; check it or import the tenancies file');
    if (result.outcome === 'invalid')
      throw new AppError('validation_failed', `nothing recorded: ${result.message}`, [
        { field: 'stage', message: result.message },
      ]);
    await refreshWorklistFor(worklistDeps, [c.req.param('ref')], now);
    return c.json({ legal: result.legal }, 201);
  };

  return { worklist, protocol, logContact, recordLegal };
}
