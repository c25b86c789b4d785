// The occasional entries that make a demo ledger look like a real one: service-charge reconciliations,
// rechargeable repairs, court costs, benefit overpayment recoveries and charge corrections, with the
// payments some tenants make against the sub-accounts (docs/rules.md#background-rent-weeks). All amounts are fixed up front.

import { civilFromDay, dayFromCivil, dayInMonth, firstWeekdayOnOrAfter, MONDAY } from './calendar.js';
import { ledgerEvent, type LedgerEvent } from './ledger-schedule.js';
import type { Rng } from './random.js';
import type { TenancyProfile } from './tenancy-profile.js';

const SERVICE_CHARGE_ITEMS = [
  'Service charge - communal heating reconciliation',
  'Service charge - grounds maintenance',
  'Service charge - door entry system',
  'Service charge - communal cleaning',
];
// Commas on purpose: the CSV writer must quote them.
const REPAIR_ITEMS = [
  'Rechargeable repair - replacement front door',
  'Rechargeable repair - lock change, lost keys',
  'Rechargeable repair - broken window',
  'Rechargeable repair - rubbish clearance, garden',
  'Rechargeable repair - "make good" after alterations',
];

interface ExtrasInput {
  profile: TenancyProfile;
  fromDay: number;
  toDay: number;
  /** Weeks of arrears the tenant is heading for (chronic payers); 0 otherwise. */
  arrearsDepthWeeks: number;
}

export function ledgerExtras(rng: Rng, input: ExtrasInput): LedgerEvent[] {
  const events: LedgerEvent[] = [];
  const { profile, fromDay, toDay } = input;
  const span = toDay - fromDay;
  if (span < 14) return events;

  if (rng.chance(0.15)) serviceChargeReconciliations(rng, input, events);
  if (rng.chance(0.05)) rechargeableRepair(rng, input, events);
  if (input.arrearsDepthWeeks >= 8 && rng.chance(0.35)) courtCosts(rng, input, events);
  if (profile.benefit === 'hb' && rng.chance(0.08)) {
    events.push(
      ledgerEvent(
        rng.int(fromDay, toDay),
        'fixed',
        'adjustment',
        'rent',
        'HB overpayment recovered',
        rng.int(2500, 40000),
      ),
    );
  }
  if (rng.chance(0.02)) {
    events.push(
      ledgerEvent(
        rng.int(fromDay, toDay),
        'fixed',
        'adjustment',
        'rent',
        'Rent adjustment - charge correction',
        -rng.int(500, 12000),
      ),
    );
  }
  return events.filter((e) => e.day >= fromDay && e.day <= toDay);
}

/** A yearly reconciliation each April, usually paid off in a few monthly payments. */
function serviceChargeReconciliations(rng: Rng, input: ExtrasInput, events: LedgerEvent[]): void {
  const item = rng.pick(SERVICE_CHARGE_ITEMS);
  const pays = rng.chance(0.7);
  const { year: firstYear } = civilFromDay(input.fromDay);
  const { year: lastYear } = civilFromDay(input.toDay);
  for (let year = firstYear; year <= lastYear; year++) {
    const day = firstWeekdayOnOrAfter(dayFromCivil(year, 4, 1), MONDAY);
    const pence = rng.int(4000, 35000);
    events.push(
      ledgerEvent(
        day,
        'fixed',
        'charge',
        'service_charge',
        `${item} ${year - 1}/${String(year % 100).padStart(2, '0')}`,
        pence,
      ),
    );
    if (pays)
      instalments(
        day + rng.int(14, 30),
        pence,
        split(pence, rng.int(1, 3)),
        'service_charge',
        'Payment - service charge',
        events,
      );
  }
}

function rechargeableRepair(rng: Rng, input: ExtrasInput, events: LedgerEvent[]): void {
  const day = rng.int(input.fromDay, input.toDay);
  const pence = rng.int(4500, 85000);
  events.push(ledgerEvent(day, 'fixed', 'charge', 'rechargeable_repair', rng.pick(REPAIR_ITEMS), pence));
  const outcome = rng.next();
  if (outcome < 0.5) {
    instalments(
      day + rng.int(14, 40),
      pence,
      split(pence, rng.int(1, 6)),
      'rechargeable_repair',
      'Payment - rechargeable repair',
      events,
    );
  } else if (outcome < 0.6) {
    events.push(
      ledgerEvent(
        day + rng.int(60, 240),
        'fixed',
        'write_off',
        'rechargeable_repair',
        'Rechargeable repair written off',
        -pence,
      ),
    );
  }
}

/** A possession claim's costs; some tenants then pay them off monthly. */
function courtCosts(rng: Rng, input: ExtrasInput, events: LedgerEvent[]): void {
  const day = rng.int(input.fromDay + Math.floor((input.toDay - input.fromDay) * 0.4), input.toDay);
  const pence = rng.pick([10000, 12500, 35500, 39100]);
  events.push(ledgerEvent(day, 'fixed', 'court_costs', 'court_costs', 'Court costs - possession claim', pence));
  if (rng.chance(0.5)) {
    instalments(day + 30, pence, rng.pick([500, 1000, 2000]), 'court_costs', 'Payment - court costs', events);
  }
}

/** Monthly payments of `each` (whole pounds) until `pence` is cleared; the last one takes what is left. */
function instalments(
  firstDay: number,
  pence: number,
  each: number,
  account: string,
  description: string,
  events: LedgerEvent[],
): void {
  const civil = civilFromDay(firstDay);
  const dayOfMonth = Math.min(civil.day, 28);
  for (let i = 0, left = pence; left > 0; i++, left -= each) {
    events.push(
      ledgerEvent(dayInMonth(civil, i, dayOfMonth), 'fixed', 'payment', account, description, -Math.min(each, left)),
    );
  }
}

/** The whole-pound instalment that clears `pence` in about `count` payments. */
function split(pence: number, count: number): number {
  return Math.ceil(pence / count / 100) * 100;
}
