// Officers record the legal stage of a case (Rentline never serves or files anything): notice served,
// claim issued, hearing, order (outright, or suspended with terms), warrant, eviction. Each is a new row
// (the history stays) and a contact-log line, in one transaction; the notice's name and dates come from
// the tenure and the rent periods (rent/legal.ts) and are carried onto later stages.
import { dueDayOf, findLedger, findTenancy } from '../accounts/queries.js';
import type { Queryable, Sql } from '../db/connect.js';
import { appendContactLog } from '../db/queries/contact-log.js';
import { closePendingEscalations } from '../db/queries/escalations.js';
import { assessAccount } from '../rent/account.js';
import { isIsoDate } from '../rent/calendar-date.js';
import { noticeDates, type LegalStage, type Notice, type OrderTerms } from '../rent/legal.js';
import type { Policy } from '../rent/policy.js';
import { localDateOf } from '../rent/schedule.js';

/** The legal stage as the account summary shows it. */
export interface LegalSummary {
  stage: LegalStage;
  notice: Notice | null;
  served_on: string | null;
  earliest_proceedings_date: string | null;
  expires_on: string | null;
  stage_date: string;
  order: { amount_pence: number; frequency: string; start_date: string; status: string } | null;
}

interface StageRow {
  id: number;
  stage: LegalStage;
  stage_date: string;
  notice: Notice | null;
  served_on: string | null;
  earliest_proceedings_date: string | null;
  expires_on: string | null;
  order_amount_pence: number | null;
  order_frequency: string | null;
  order_start_date: string | null;
  order_status: string | null;
}

async function latestStage(sql: Queryable, ref: string): Promise<StageRow | null> {
  const [row] = await sql<StageRow[]>`
    select id::int as id, stage, stage_date::text as stage_date, notice, served_on::text as served_on,
      earliest_proceedings_date::text as earliest_proceedings_date, expires_on::text as expires_on,
      order_amount_pence, order_frequency, order_start_date::text as order_start_date, order_status
    from legal_stages where tenancy_ref = ${ref} order by recorded_at desc, id desc limit 1`;
  return row ?? null;
}

function summaryOf(row: StageRow): LegalSummary {
  return {
    stage: row.stage,
    notice: row.notice,
    served_on: row.served_on,
    earliest_proceedings_date: row.earliest_proceedings_date,
    expires_on: row.expires_on,
    stage_date: row.stage_date,
    order:
      row.order_amount_pence !== null && row.order_frequency && row.order_start_date
        ? {
            amount_pence: row.order_amount_pence,
            frequency: row.order_frequency,
            start_date: row.order_start_date,
            status: row.order_status ?? 'active',
          }
        : null,
  };
}

/** The case's legal stage now, or null when none was recorded. */
export async function currentLegalStage(sql: Queryable, ref: string): Promise<LegalSummary | null> {
  const row = await latestStage(sql, ref);
  return row ? summaryOf(row) : null;
}

interface LegalStageRequest {
  tenancyRef: string;
  stage: LegalStage;
  /** The day it happened (YYYY-MM-DD): served, issued, heard, ordered... */
  date: string;
  /** Required for a suspended order, refused otherwise. */
  terms: OrderTerms | null;
  note: string | null;
  /** Who recorded it: a Slack user id or `cli:<name>`. */
  officer: string;
  now: Date;
}

type LegalStageResult =
  { outcome: 'recorded'; legal: LegalSummary } | { outcome: 'not_found' } | { outcome: 'invalid'; message: string };

export async function recordLegalStage(
  deps: { sql: Sql; policy: Policy; timeZone: string },
  request: LegalStageRequest,
): Promise<LegalStageResult> {
  const today = localDateOf(request.now, deps.timeZone);
  if (!isIsoDate(request.date))
    return { outcome: 'invalid', message: 'the date must be a real date written YYYY-MM-DD, e.g. 2026-11-30' };
  if (request.date > today)
    return {
      outcome: 'invalid',
      message: `record a stage once it has happened: ${request.date} is after today (${today})`,
    };
  if (request.stage === 'order_suspended' && request.terms === null) {
    return {
      outcome: 'invalid',
      message:
        'a suspended order needs its terms: --amount POUNDS --frequency weekly|fortnightly|four_weekly|monthly --start YYYY-MM-DD',
    };
  }
  if (request.stage !== 'order_suspended' && request.terms !== null)
    return {
      outcome: 'invalid',
      message: 'only a suspended order has terms; leave out --amount, --frequency and --start',
    };
  if (request.terms && (!isIsoDate(request.terms.startDate) || request.terms.amountPence <= 0)) {
    return {
      outcome: 'invalid',
      message: 'the order terms need an amount of more than £0 and a start date written YYYY-MM-DD',
    };
  }
  return deps.sql.begin(async (tx): Promise<LegalStageResult> => {
    const tenancy = await findTenancy(tx, request.tenancyRef);
    if (!tenancy) return { outcome: 'not_found' };
    await tx`select pg_advisory_xact_lock(hashtextextended(${`legal:${tenancy.tenancy_ref}`}, 0))`;
    const previous = await latestStage(tx, tenancy.tenancy_ref);
    let notice = previous
      ? {
          notice: previous.notice,
          servedOn: previous.served_on,
          earliest: previous.earliest_proceedings_date,
          expires: previous.expires_on,
        }
      : { notice: null, servedOn: null, earliest: null, expires: null };
    if (request.stage === 'notice_served') {
      const dates = noticeDates(tenancy.tenure, request.date, {
        frequency: tenancy.rent_frequency,
        dueDay: dueDayOf(tenancy),
        startDate: tenancy.start_date,
      });
      notice = {
        notice: dates.notice,
        servedOn: request.date,
        earliest: dates.earliestProceedingsDate,
        expires: dates.expiresOn,
      };
    }
    let startArrears: number | null = null;
    if (request.terms) {
      const entries = await findLedger(tx, tenancy.tenancy_ref);
      const schedule = {
        frequency: tenancy.rent_frequency,
        amountPence: tenancy.rent_amount_pence,
        dueDay: dueDayOf(tenancy),
        startDate: tenancy.start_date,
        endDate: tenancy.end_date,
      };
      startArrears = assessAccount(
        { schedule, benefit: tenancy.benefit, entries, today: request.date },
        deps.policy,
      ).arrearsPence;
    }
    const [row] = await tx<{ id: number }[]>`
      insert into legal_stages (tenancy_ref, stage, stage_date, notice, served_on, earliest_proceedings_date, expires_on,
        order_amount_pence, order_frequency, order_start_date, order_start_arrears_pence, order_status, note, recorded_by, recorded_at)
      values (${tenancy.tenancy_ref}, ${request.stage}, ${request.date}, ${notice.notice}, ${notice.servedOn}, ${notice.earliest}, ${notice.expires},
        ${request.terms?.amountPence ?? null}, ${request.terms?.frequency ?? null}, ${request.terms?.startDate ?? null}, ${startArrears},
        ${request.terms ? 'active' : null}, ${request.note}, ${request.officer}, ${request.now})
      returning id::int as id`;
    // A later stage settles an open breach hand-off: the officer has decided what happens next.
    await closePendingEscalations(
      tx,
      { tenancyRef: tenancy.tenancy_ref, reason: 'suspended_order_breached' },
      request.officer,
      request.now,
    );
    await appendContactLog(tx, {
      at: request.now,
      tenancyRef: tenancy.tenancy_ref,
      tenantNo: null,
      event: `legal_${request.stage}`,
      actor: `officer:${request.officer}`,
      detail: {
        legalStageId: row?.id,
        date: request.date,
        notice: notice.notice,
        earliest_proceedings_date: notice.earliest,
        expires_on: notice.expires,
        ...(request.terms
          ? {
              terms: {
                amount_pence: request.terms.amountPence,
                frequency: request.terms.frequency,
                start_date: request.terms.startDate,
              },
            }
          : {}),
        note: request.note,
      },
    });
    const saved = await latestStage(tx, tenancy.tenancy_ref);
    return { outcome: 'recorded', legal: summaryOf(saved as StageRow) };
  });
}
