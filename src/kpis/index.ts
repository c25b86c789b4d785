// The KPIs for a period: GET /api/kpis, `rentline kpis`, `/rent stats` and the weekly digest all call
// computeKpis, and render its one JSON shape (as a table, CSV or Slack blocks).
import { spreadsheetCell } from '../lib/csv.js';
import type { Sql } from '../db/connect.js';
import { AppError } from '../lib/errors.js';
import { addDays, isIsoDate } from '../rent/calendar-date.js';
import { accountKpis, ARREARS_BANDS, financialYearOf, type AccountKpis } from '../rent/kpis.js';
import { formatPence } from '../rent/money.js';
import type { Policy } from '../rent/policy.js';
import { localDateAt } from '../rent/schedule.js';
import { accountKpiTotalsBulk } from './account-sql.js';
import { activityKpis, type ActivityKpis } from './activity-sql.js';

export type Kpis = { from: string; to: string; financial_year: { start: string; end: string } } & AccountKpis &
  ActivityKpis;

interface KpiPeriod {
  from: string;
  to: string;
}

/**
 * The period asked for: `to` defaults to today and `from` to 1 April of the financial year containing `to`.
 * Bad dates get an error saying what to send.
 */
export function kpiPeriod(input: { from?: string | null; to?: string | null }, today: string): KpiPeriod {
  for (const [name, value] of Object.entries(input)) {
    if (value !== undefined && value !== null && value !== '' && !isIsoDate(value)) {
      throw new AppError('bad_request', `${name} must be a date like 2026-04-01 (YYYY-MM-DD)`);
    }
  }
  const to = input.to || today;
  const from = input.from || financialYearOf(to).start;
  if (from > to) throw new AppError('bad_request', 'from must be on or before to');
  return { from, to };
}

export async function computeKpis(
  sql: Sql,
  period: KpiPeriod,
  options: { policy: Policy; timeZone: string },
): Promise<Kpis> {
  const [totals, activity] = await Promise.all([
    accountKpiTotalsBulk(sql, { to: period.to, policy: options.policy }),
    activityKpis(sql, {
      from: localDateAt(period.from, '00:00', options.timeZone),
      to: localDateAt(addDays(period.to, 1), '00:00', options.timeZone),
    }),
  ]);
  return {
    from: period.from,
    to: period.to,
    financial_year: financialYearOf(period.to),
    ...accountKpis(totals),
    ...activity,
  };
}

/**
 * A percentage for people to read (the CLI table, `/rent stats`, the weekly digest): one decimal place,
 * rounded from the sums themselves, not from the two-place figure the JSON and CSV carry (rounding twice
 * would turn 96.346 into 96.4). "n/a" when the base is zero.
 */
function formatPercent(part: number, whole: number): string {
  if (whole === 0) return 'n/a';
  return `${(Math.round((part * 1000) / whole) / 10).toFixed(1)}%`;
}

/** The headline percentages, read from the sums they are made of. */
export function headlinePercents(k: Kpis): {
  arrearsOfDebit: string;
  collection: string;
  collectionInclBf: string;
  response: string;
} {
  return {
    arrearsOfDebit: formatPercent(k.current_arrears_pence, k.annual_rent_debit_pence),
    collection: formatPercent(k.rent_collected_pence, k.rent_charged_pence),
    collectionInclBf: formatPercent(k.rent_collected_pence, k.rent_charged_pence + k.arrears_brought_forward_pence),
    response: formatPercent(k.response.tenants_replied, k.response.tenants_texted),
  };
}

/** Label and value rows: the CLI table, the CSV and Slack share them so the three never disagree. */
export function kpiRows(k: Kpis): [key: string, label: string, value: string | number][] {
  const pct = headlinePercents(k);
  return [
    ['from', 'From', k.from],
    ['to', 'To', k.to],
    ['annual_rent_debit_pence', 'Annual rent debit', formatPence(k.annual_rent_debit_pence)],
    ['current_arrears_pence', 'Current tenant arrears', formatPence(k.current_arrears_pence)],
    ['current_arrears_pct_of_debit', 'Current arrears as % of debit', pct.arrearsOfDebit],
    ['collection_rate_pct', 'Collection rate (excl. arrears b/f)', pct.collection],
    ['collection_rate_incl_bf_pct', 'Collection rate (incl. arrears b/f)', pct.collectionInclBf],
    ['tenancies_in_arrears', 'Tenancies in arrears', k.tenancies_in_arrears],
    ['technical_arrears_pence', 'Technical arrears', formatPence(k.technical_arrears_pence)],
    ['actionable_arrears_pence', 'Actionable arrears', formatPence(k.actionable_arrears_pence)],
    ...ARREARS_BANDS.map((b): [string, string, string] => [
      `arrears_band_${b}`,
      `Arrears ${b.replaceAll('_', ' ').replace('plus', 'and over').replace('to', '–')} weeks`,
      `${k.arrears_bands[b].tenancies} (${formatPence(k.arrears_bands[b].arrears_pence)})`,
    ]),
    ['arrangements_made', 'Arrangements made', k.arrangements.made],
    ['arrangements_kept', 'Arrangements kept', k.arrangements.kept],
    ['arrangements_broken', 'Arrangements broken', k.arrangements.broken],
    ['arrangements_completed', 'Arrangements completed', k.arrangements.completed],
    ['texts_sent', 'Texts sent', k.texts.sent],
    ['texts_delivered', 'Texts delivered', k.texts.delivered],
    ['response_rate_pct', 'Replied within 7 days of a first text', pct.response],
    [
      'median_time_to_first_reply_minutes',
      'Median time to first reply (minutes)',
      k.response.median_time_to_first_reply_minutes ?? 'n/a',
    ],
    [
      'referrals',
      'Referrals by agency',
      Object.entries(k.referrals_by_agency)
        .map(([a, n]) => `${a} ${n}`)
        .join('; ') || 'none',
    ],
    ['notices_served', 'Notices served', k.notices_served],
    ['evictions', 'Evictions', k.evictions],
  ];
}

/** One row per KPI (key, label, value) for spreadsheets; money stays in pence so sums work. */
export function kpisCsv(k: Kpis): string {
  const raw: Record<string, string | number> = {
    annual_rent_debit_pence: k.annual_rent_debit_pence,
    current_arrears_pence: k.current_arrears_pence,
    technical_arrears_pence: k.technical_arrears_pence,
    actionable_arrears_pence: k.actionable_arrears_pence,
    current_arrears_pct_of_debit: k.current_arrears_pct_of_debit ?? '',
    collection_rate_pct: k.collection_rate_pct ?? '',
    collection_rate_incl_bf_pct: k.collection_rate_incl_bf_pct ?? '',
    response_rate_pct: k.response.response_rate_pct ?? '',
    ...Object.fromEntries(
      ARREARS_BANDS.flatMap((b) => [
        [`arrears_band_${b}_tenancies`, k.arrears_bands[b].tenancies],
        [`arrears_band_${b}_pence`, k.arrears_bands[b].arrears_pence],
      ]),
    ),
    ...Object.fromEntries(Object.entries(k.referrals_by_agency).map(([a, n]) => [`referrals_${a}`, n])),
  };
  const lines = ['key,label,value'];
  for (const [key, label, value] of kpiRows(k)) {
    if (key.startsWith('arrears_band_') || key === 'referrals') continue;
    lines.push([key, label, key in raw ? (raw[key] as string | number) : value].map(spreadsheetCell).join(','));
  }
  for (const [key, value] of Object.entries(raw))
    if (key.startsWith('arrears_band_') || key.startsWith('referrals_'))
      lines.push([key, key.replaceAll('_', ' '), value].map(spreadsheetCell).join(','));
  return `${lines.join('\n')}\n`;
}

export function kpisText(k: Kpis): string {
  const rows = kpiRows(k);
  const width = Math.max(...rows.map(([, label]) => label.length));
  return rows.map(([, label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}
