// One invented tenancy: who lives there, what they are charged and how they behave as payers.
// A profile is a pure function of (seed, tenancy index), so the tenancy file and the ledger file are built
// from the same profile without ever holding more than one tenancy in memory.

import { firstMonthDayOnOrAfter, firstWeekdayOnOrAfter, isoFromDay, MONDAY, poundsFromPence } from './calendar.js';
import { demoPerson, demoPostcode, type DemoPerson } from './people.js';
import { Rng, streamSeed } from './random.js';
import type { TenancyRow } from './rows.js';

import type { RentFrequency } from '../rent/types.js';

export type { RentFrequency };
type Benefit = 'none' | 'hb' | 'uc' | 'uc_apa';
/** How the tenant pays; drives the shape of the ledger (see ledger.ts). */
type Behaviour = 'on_time' | 'late' | 'chronic' | 'new_arrears' | 'arrangement' | 'credit';

/** What every generated tenancy shares: the history window and the reference format. */
export interface GenerationWindow {
  seed: number;
  todayDay: number;
  /** First day of generated ledger history. */
  windowStartDay: number;
  refPrefix: string;
  refDigits: number;
}

export interface TenancyProfile {
  index: number;
  ref: string;
  startDay: number;
  /** Set for former tenancies (always in the past) only. */
  endDay: number | null;
  tenure: string;
  frequency: RentFrequency;
  /** Pounds-per-period rent in the current rent year, in pence. */
  rentPence: number;
  /** Weeks in one rent period (weekly 1, fortnightly 2, four-weekly 4); 0 for monthly. */
  periodWeeks: number;
  /** Day of month (1–28) for monthly rents; 0 for weekday-based ones, which are always due on Monday. */
  dueDayOfMonth: number;
  patch: string;
  officerSlackId: string;
  benefit: Benefit;
  /** Share of each charge the benefit pays (1 = full rent); 0 without hb or uc_apa. */
  benefitCoverage: number;
  behaviour: Behaviour;
  postcode: string;
  tenants: DemoPerson[];
}

const PROFILE_STREAM = 1;
const PATCH_COUNT = 9;

function tenancyRef(window: GenerationWindow, index: number): string {
  return window.refPrefix + String(index + 1).padStart(window.refDigits, '0');
}

export function buildTenancyProfile(window: GenerationWindow, index: number): TenancyProfile {
  const rng = new Rng(streamSeed(window.seed, index, PROFILE_STREAM));
  const { todayDay, windowStartDay } = window;

  // ~12% moved in during the history window (their ledger starts at the tenancy start); the rest have lived
  // there up to 25 years and bring a balance forward.
  const startDay = rng.chance(0.12)
    ? rng.int(windowStartDay, Math.max(windowStartDay, todayDay - 14))
    : windowStartDay - rng.int(30, 25 * 365);
  const endDay = rng.chance(0.03) ? pickEndDay(rng, startDay, window) : null;

  const frequency = rng.weighted<RentFrequency>({ weekly: 70, fortnightly: 8, four_weekly: 4, monthly: 18 });
  const weeklyPence = rng.int(8500, 16000);
  const periodWeeks =
    frequency === 'weekly' ? 1 : frequency === 'fortnightly' ? 2 : frequency === 'four_weekly' ? 4 : 0;
  // Monthly rent is the weekly rent × 52 ÷ 12; many monthly payers chose the 1st.
  const rentPence = periodWeeks > 0 ? weeklyPence * periodWeeks : Math.round((weeklyPence * 52) / 12);
  const dueDayOfMonth = periodWeeks > 0 ? 0 : rng.chance(0.4) ? 1 : rng.int(1, 28);

  const benefit = rng.weighted<Benefit>({ hb: 25, uc: 30, uc_apa: 5, none: 40 });
  const benefitCoverage = benefit === 'hb' ? coverage(rng, 0.4, 50) : benefit === 'uc_apa' ? coverage(rng, 0.5, 75) : 0;
  const behaviour = rng.weighted<Behaviour>({
    on_time: 55,
    late: 15,
    chronic: 12,
    new_arrears: 8,
    arrangement: 5,
    credit: 5,
  });

  const patchNumber = rng.int(1, PATCH_COUNT);
  const welsh = rng.chance(0.03);
  const postcode = demoPostcode(rng, welsh);
  const lead = demoPerson(rng, { welsh, startDay, todayDay });
  const tenants = [lead];
  if (rng.chance(0.12)) {
    const sharedSurname = rng.chance(0.6) ? lead.lastName : undefined;
    tenants.push(demoPerson(rng, { welsh, startDay, todayDay, avoidMobile: lead.mobile, lastName: sharedSurname }));
  }

  return {
    index,
    ref: tenancyRef(window, index),
    startDay,
    endDay,
    tenure: pickTenure(rng, startDay, todayDay),
    frequency,
    rentPence,
    periodWeeks,
    dueDayOfMonth,
    patch: `N${patchNumber}`,
    officerSlackId: `U0OFFICER${patchNumber}`,
    benefit,
    benefitCoverage,
    behaviour,
    postcode,
    tenants,
  };
}

/** Former tenancies end at least a month into the ledger and at least a week before today. */
function pickEndDay(rng: Rng, startDay: number, window: GenerationWindow): number | null {
  const earliest = Math.max(startDay, window.windowStartDay) + 30;
  const latest = window.todayDay - 7;
  return earliest <= latest ? rng.int(earliest, latest) : null;
}

/** `fullShare` of claimants have their whole rent covered; the rest between `minPercent`% and 95%. */
function coverage(rng: Rng, fullShare: number, minPercent: number): number {
  return rng.chance(fullShare) ? 1 : rng.int(minPercent, 95) / 100;
}

/** Council tenants are introductory then secure; housing-association tenants start on a shorthold then assured. */
function pickTenure(rng: Rng, startDay: number, todayDay: number): string {
  const roll = rng.next();
  if (roll < 0.03) return 'temporary';
  if (roll < 0.04) return 'licence';
  if (roll < 0.06) return 'flexible';
  const firstYear = todayDay - startDay < 365;
  if (roll < 0.6) return firstYear ? 'introductory' : 'secure';
  return firstYear ? 'assured_shorthold' : 'assured';
}

/** The first due date: the first Monday on or after the start, or the first due day of the month. */
export function firstDueDay(profile: TenancyProfile): number {
  return profile.periodWeeks > 0
    ? firstWeekdayOnOrAfter(profile.startDay, MONDAY)
    : firstMonthDayOnOrAfter(profile.startDay, profile.dueDayOfMonth);
}

/** The export rows of one tenancy, lead tenant first; the rent fields are identical on every row. */
export function tenancyRows(profile: TenancyProfile): TenancyRow[] {
  return profile.tenants.map((tenant, i) => ({
    tenancy_ref: profile.ref,
    tenant_no: String(i + 1),
    first_name: tenant.firstName,
    last_name: tenant.lastName,
    mobile: tenant.mobile,
    channel: tenant.channel,
    language: tenant.language,
    date_of_birth: tenant.dateOfBirth,
    postcode: profile.postcode,
    tenure: profile.tenure,
    start_date: isoFromDay(profile.startDay),
    end_date: profile.endDay === null ? '' : isoFromDay(profile.endDay),
    rent_frequency: profile.frequency,
    rent_amount: poundsFromPence(profile.rentPence),
    rent_due_day: profile.periodWeeks > 0 ? 'monday' : String(profile.dueDayOfMonth),
    patch: profile.patch,
    officer_slack_id: profile.officerSlackId,
    benefit: profile.benefit,
    flags: tenant.flags,
  }));
}
