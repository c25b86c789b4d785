// Deterministic demo and scale data for Rentline: tenancies and their rent ledgers as a housing system's
// CSV export would carry them (docs/contract.md#import-files). Pure and seeded: the same options always give
// the same rows, and both generators stream one tenancy at a time, so 150,000 tenancies × 2 years
// (~15 million transactions) run in constant memory.

import { dayFromIso } from './calendar.js';
import { tenancyLedger } from './ledger.js';
import type { TenancyRow, TransactionRow } from './rows.js';
import { buildTenancyProfile, tenancyRows, type GenerationWindow } from './tenancy-profile.js';

export type { TenancyRow, TransactionRow } from './rows.js';

export interface GenerateOptions {
  tenancies: number;
  /** Default 1. */
  seed?: number;
  /** YYYY-MM-DD: the last day of history (no transaction is dated after it). */
  today: string;
  /** Length of ledger history in years, default 2; fractions allowed (0.13 ≈ seven weeks). */
  years?: number;
  /** Tenancy reference prefix, default 'DEMO' (DEMO000001, DEMO000002, …). */
  refPrefix?: string;
}

function generationWindow(opts: GenerateOptions): GenerationWindow {
  if (!Number.isInteger(opts.tenancies) || opts.tenancies < 0) throw new Error('tenancies must be a whole number ≥ 0');
  const years = opts.years ?? 2;
  if (!(years > 0)) throw new Error('years must be more than 0');
  const todayDay = dayFromIso(opts.today);
  return {
    seed: (opts.seed ?? 1) >>> 0,
    todayDay,
    windowStartDay: todayDay - Math.max(1, Math.round(years * 365.25)) + 1,
    refPrefix: opts.refPrefix ?? 'DEMO',
    refDigits: Math.max(6, String(opts.tenancies).length),
  };
}

/** Every tenancy row: for each tenancy the lead tenant (tenant_no 1), then any joint tenants. */
export function* generateTenancies(opts: GenerateOptions): Generator<TenancyRow> {
  const window = generationWindow(opts);
  for (let i = 0; i < opts.tenancies; i++) yield* tenancyRows(buildTenancyProfile(window, i));
}

/** The ledgers of the same tenancies (same options), tenancy by tenancy, each in date order. */
export function* generateTransactions(opts: GenerateOptions): Generator<TransactionRow> {
  const window = generationWindow(opts);
  for (let i = 0; i < opts.tenancies; i++) yield* tenancyLedger(buildTenancyProfile(window, i), window);
}
