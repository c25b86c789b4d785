// The demo generator: deterministic, contract-shaped rows, and a realistic mix of tenancies and ledgers.
import { describe, expect, it } from 'vitest';
import { dayFromIso, isRentFreeWeek, weekday } from '../../src/demo/calendar.js';
import {
  generateTenancies,
  generateTransactions,
  type GenerateOptions,
  type TenancyRow,
  type TransactionRow,
} from '../../src/demo/generate.js';
import { TENANCY_COLUMNS, TRANSACTION_COLUMNS } from '../../src/demo/write-csv.js';

const TODAY = '2026-11-16';

function take<T>(rows: Iterable<T>, n: number): T[] {
  const out: T[] = [];
  for (const row of rows) {
    if (out.length >= n) break;
    out.push(row);
  }
  return out;
}

/** Tenancy rows grouped by tenancy, and transactions grouped by tenancy in generation order. */
function sample(opts: GenerateOptions): {
  tenancies: Map<string, TenancyRow[]>;
  ledgers: Map<string, TransactionRow[]>;
} {
  const tenancies = new Map<string, TenancyRow[]>();
  for (const row of generateTenancies(opts))
    tenancies.set(row.tenancy_ref, [...(tenancies.get(row.tenancy_ref) ?? []), row]);
  const ledgers = new Map<string, TransactionRow[]>();
  for (const row of generateTransactions(opts)) {
    let ledger = ledgers.get(row.tenancy_ref);
    if (!ledger) ledgers.set(row.tenancy_ref, (ledger = []));
    ledger.push(row);
  }
  return { tenancies, ledgers };
}

/** Collects failures so 100,000s of checks cost one assertion (per-field expect() is slow at this volume). */
class Problems {
  readonly found: string[] = [];
  check(ok: boolean, what: string): void {
    if (!ok && this.found.length < 20) this.found.push(what);
  }
}

const pence = (amount: string): number => Math.round(Number(amount) * 100);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (value: string): boolean =>
  ISO_DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

describe('determinism', () => {
  it('gives identical rows for the same seed and different rows for another', () => {
    const opts = { tenancies: 50, seed: 42, today: TODAY };
    expect(take(generateTenancies(opts), 100)).toEqual(take(generateTenancies(opts), 100));
    expect(take(generateTransactions(opts), 100)).toEqual(take(generateTransactions(opts), 100));
    expect(take(generateTenancies({ ...opts, seed: 43 }), 100)).not.toEqual(take(generateTenancies(opts), 100));
  });

  it('describes the same tenancy whatever the total count', () => {
    const small = take(generateTenancies({ tenancies: 5, seed: 9, today: TODAY }), 3);
    const large = take(generateTenancies({ tenancies: 50_000, seed: 9, today: TODAY }), 3);
    expect(large.map((r) => ({ ...r, tenancy_ref: r.tenancy_ref.replace(/^DEMO0*/, '') }))).toEqual(
      small.map((r) => ({ ...r, tenancy_ref: r.tenancy_ref.replace(/^DEMO0*/, '') })),
    );
  });
});

describe('columns', () => {
  it('match docs/contract.md exactly, in order', () => {
    expect(TENANCY_COLUMNS).toEqual([
      'tenancy_ref',
      'tenant_no',
      'first_name',
      'last_name',
      'mobile',
      'channel',
      'language',
      'date_of_birth',
      'postcode',
      'tenure',
      'start_date',
      'end_date',
      'rent_frequency',
      'rent_amount',
      'rent_due_day',
      'patch',
      'officer_slack_id',
      'benefit',
      'flags',
    ]);
    expect(TRANSACTION_COLUMNS).toEqual([
      'transaction_id',
      'tenancy_ref',
      'date',
      'type',
      'amount',
      'account',
      'description',
    ]);
    const opts = { tenancies: 20, today: TODAY };
    for (const row of generateTenancies(opts)) expect(Object.keys(row)).toEqual([...TENANCY_COLUMNS]);
    for (const row of take(generateTransactions(opts), 200)) expect(Object.keys(row)).toEqual([...TRANSACTION_COLUMNS]);
  });
});

describe('row formats over a 2,000-tenancy sample', () => {
  const { tenancies, ledgers } = sample({ tenancies: 2000, seed: 3, today: TODAY });
  const today = dayFromIso(TODAY);

  it('has valid tenancy rows, with rent fields agreeing across joint tenants', () => {
    expect(tenancies.size).toBe(2000);
    for (const [ref, rows] of tenancies) {
      expect(ref).toMatch(/^DEMO\d{6}$/);
      expect(rows.map((r) => r.tenant_no)).toEqual(rows.map((_, i) => String(i + 1)));
      for (const row of rows) {
        expect(row.first_name.length).toBeGreaterThan(0);
        expect(row.last_name.length).toBeGreaterThan(0);
        expect(['sms', 'whatsapp', 'none']).toContain(row.channel);
        expect(['en', 'cy']).toContain(row.language);
        expect(isDate(row.date_of_birth)).toBe(true);
        expect(row.date_of_birth >= '1940-01-01' && row.date_of_birth <= '2005-12-31').toBe(true);
        expect(row.postcode).toMatch(/^[A-Z]{1,2}\d{1,2}[A-Z]? \d[ABD-HJLNP-UW-Z]{2}$/);
        expect([
          'secure',
          'introductory',
          'assured',
          'assured_shorthold',
          'flexible',
          'temporary',
          'licence',
        ]).toContain(row.tenure);
        expect(isDate(row.start_date)).toBe(true);
        expect(row.start_date <= TODAY).toBe(true);
        if (row.end_date !== '')
          expect(isDate(row.end_date) && row.end_date < TODAY && row.end_date > row.start_date).toBe(true);
        expect(row.rent_amount).toMatch(/^\d+\.\d{2}$/);
        if (row.rent_frequency === 'monthly') expect(Number(row.rent_due_day)).toBeGreaterThanOrEqual(1);
        if (row.rent_frequency === 'monthly') expect(Number(row.rent_due_day)).toBeLessThanOrEqual(28);
        else expect(row.rent_due_day).toBe('monday');
        expect(row.patch).toMatch(/^N[1-9]$/);
        expect(row.officer_slack_id).toBe(`U0OFFICER${row.patch.slice(1)}`);
        expect(['none', 'hb', 'uc', 'uc_apa']).toContain(row.benefit);
        for (const flag of row.flags === '' ? [] : row.flags.split(';')) {
          expect(flag).toMatch(
            /^(vulnerable|do_not_contact|breathing_space:\d{4}-\d{2}-\d{2}\.\.(\d{4}-\d{2}-\d{2})?)$/,
          );
        }
      }
      const rentFields = (r: TenancyRow): string =>
        [r.rent_frequency, r.rent_amount, r.rent_due_day, r.benefit, r.start_date, r.end_date, r.tenure].join('|');
      expect(new Set(rows.map(rentFields)).size).toBe(1);
      if (rows.length > 1) expect(rows[1]?.mobile).not.toBe(rows[0]?.mobile);
    }
  });

  it('keeps weekly rents within £85–£160 and monthly rents at weekly × 52 ÷ 12', () => {
    for (const [lead] of tenancies.values()) {
      const amount = pence(lead!.rent_amount);
      const weekly = { weekly: amount, fortnightly: amount / 2, four_weekly: amount / 4, monthly: (amount * 12) / 52 }[
        lead!.rent_frequency
      ];
      expect(weekly).toBeGreaterThanOrEqual(8499);
      expect(weekly).toBeLessThanOrEqual(16001);
    }
  });

  it('has valid transactions: unique ids, signed 2-decimal amounts, in date order per tenancy', () => {
    const ids = new Set<string>();
    const problems = new Problems();
    const types = new Set([
      'rent',
      'charge',
      'payment',
      'hb',
      'uc',
      'adjustment',
      'write_off',
      'refund',
      'court_costs',
    ]);
    const accounts = new Set([
      'rent',
      'service_charge',
      'rechargeable_repair',
      'court_costs',
      'ta_charge',
      'storage',
      'loan',
    ]);
    const signs: Record<string, 1 | -1> = {
      rent: 1,
      charge: 1,
      court_costs: 1,
      refund: 1,
      payment: -1,
      hb: -1,
      uc: -1,
      write_off: -1,
    };
    for (const [ref, ledger] of ledgers) {
      problems.check(tenancies.has(ref), `${ref}: no tenancy`);
      let previous = '';
      for (const t of ledger) {
        const where = `${t.transaction_id} ${JSON.stringify(t)}`;
        ids.add(t.transaction_id);
        problems.check(t.transaction_id.startsWith(`T${ref}-`), `${where}: id`);
        problems.check(isDate(t.date) && t.date <= TODAY && t.date >= previous, `${where}: date`);
        previous = t.date;
        problems.check(/^-?\d+\.\d{2}$/.test(t.amount) && !/^-?0\.00$/.test(t.amount), `${where}: amount`);
        problems.check(types.has(t.type) && accounts.has(t.account), `${where}: type/account`);
        const sign = signs[t.type];
        problems.check(sign === undefined || Math.sign(pence(t.amount)) === sign, `${where}: sign`);
        problems.check(t.description.length > 0, `${where}: description`);
      }
    }
    expect(problems.found).toEqual([]);
    const total = [...ledgers.values()].reduce((n, l) => n + l.length, 0);
    expect(ids.size).toBe(total);
    expect(total).toBeGreaterThan(2000 * 50);
  });

  it('charges rent on due dates only, skipping rent-free weeks for weekly rents, at the current rent this year', () => {
    const problems = new Problems();
    for (const [ref, ledger] of ledgers) {
      const lead = tenancies.get(ref)![0]!;
      for (const t of ledger) {
        problems.check(dayFromIso(t.date) <= today, `${t.transaction_id}: after today`);
        if (t.type !== 'rent') continue;
        const day = dayFromIso(t.date);
        const where = `${t.transaction_id} ${lead.rent_frequency} ${t.date} ${t.amount}`;
        problems.check(t.account === 'rent', `${where}: account`);
        if (lead.rent_frequency === 'monthly') {
          problems.check(Number(t.date.slice(8)) === Number(lead.rent_due_day), `${where}: due day`);
        } else {
          problems.check(weekday(day) === 1, `${where}: not a Monday`);
          if (lead.rent_frequency === 'weekly') problems.check(!isRentFreeWeek(day), `${where}: rent-free week`);
        }
        if (t.date >= '2026-04-06' && (lead.rent_frequency === 'weekly' || lead.rent_frequency === 'monthly')) {
          problems.check(t.amount === lead.rent_amount, `${where}: not ${lead.rent_amount}`);
        }
        problems.check(
          day >= dayFromIso(lead.start_date) && (!lead.end_date || t.date <= lead.end_date),
          `${where}: outside tenancy`,
        );
      }
    }
    expect(problems.found).toEqual([]);
  });
});

describe('the mix over a 5,000-tenancy sample', () => {
  const { tenancies, ledgers } = sample({ tenancies: 5000, seed: 11, today: TODAY });
  const leads = [...tenancies.values()].map((rows) => rows[0]!);
  const share = (predicate: (r: TenancyRow) => boolean): number => leads.filter(predicate).length / leads.length;
  const allRows = [...tenancies.values()].flat();

  it('is mostly weekly, with some of each other frequency', () => {
    expect(share((r) => r.rent_frequency === 'weekly')).toBeGreaterThan(0.6);
    expect(share((r) => r.rent_frequency === 'weekly')).toBeLessThan(0.8);
    expect(share((r) => r.rent_frequency === 'monthly')).toBeGreaterThan(0.1);
    expect(share((r) => r.rent_frequency === 'fortnightly')).toBeGreaterThan(0.03);
    expect(share((r) => r.rent_frequency === 'four_weekly')).toBeGreaterThan(0.01);
  });

  it('has joint tenancies, every benefit, channels, Welsh speakers, flags and untextable numbers', () => {
    const joint = [...tenancies.values()].filter((rows) => rows.length > 1).length / tenancies.size;
    expect(joint).toBeGreaterThan(0.08);
    expect(joint).toBeLessThan(0.16);
    expect(share((r) => r.benefit === 'hb')).toBeGreaterThan(0.2);
    expect(share((r) => r.benefit === 'uc')).toBeGreaterThan(0.25);
    expect(share((r) => r.benefit === 'uc_apa')).toBeGreaterThan(0.03);
    expect(share((r) => r.end_date !== '')).toBeGreaterThan(0.01);
    const rowShare = (predicate: (r: TenancyRow) => boolean): number =>
      allRows.filter(predicate).length / allRows.length;
    expect(rowShare((r) => r.channel === 'whatsapp')).toBeGreaterThan(0.06);
    expect(rowShare((r) => r.channel === 'none')).toBeGreaterThan(0.005);
    expect(rowShare((r) => r.language === 'cy')).toBeGreaterThan(0.01);
    expect(rowShare((r) => r.flags.includes('vulnerable'))).toBeGreaterThan(0.02);
    expect(allRows.some((r) => r.flags.includes('do_not_contact'))).toBe(true);
    expect(allRows.some((r) => /breathing_space:\S+\.\.$/.test(r.flags))).toBe(true);
    expect(allRows.some((r) => /breathing_space:\S+\.\.\d/.test(r.flags))).toBe(true);
    expect(allRows.some((r) => r.mobile.startsWith('01632 960'))).toBe(true);
    // Mobiles come only from Ofcom's drama range (or are deliberately malformed).
    const drama = allRows.filter((r) => /^(07700 ?900\d{3}|\+447700900\d{3})$/.test(r.mobile)).length / allRows.length;
    expect(drama).toBeGreaterThan(0.95);
    for (const r of allRows) expect(r.mobile.replace(/\D/g, '')).toMatch(/^(44)?0?(7700\d*|1632\d*)$/);
  });

  it('has balances from deep arrears to credit, summing the rent account', () => {
    const weeksOfRent = (lead: TenancyRow, balance: number): number => {
      const amount = pence(lead.rent_amount);
      const weekly = { weekly: amount, fortnightly: amount / 2, four_weekly: amount / 4, monthly: (amount * 12) / 52 }[
        lead.rent_frequency
      ]!;
      return balance / weekly;
    };
    const weeks = leads
      .filter((lead) => lead.end_date === '')
      .map((lead) => {
        const balance = (ledgers.get(lead.tenancy_ref) ?? [])
          .filter((t) => t.account === 'rent')
          .reduce((sum, t) => sum + pence(t.amount), 0);
        return weeksOfRent(lead, balance);
      });
    const fraction = (predicate: (w: number) => boolean): number => weeks.filter(predicate).length / weeks.length;
    expect(fraction((w) => w > 4)).toBeGreaterThan(0.05);
    expect(fraction((w) => w > 12)).toBeGreaterThan(0.01);
    expect(fraction((w) => w < 0)).toBeGreaterThan(0.03);
    expect(fraction((w) => Math.abs(w) <= 1.5)).toBeGreaterThan(0.35);
  });

  it('has every kind of transaction, HB four-weekly and direct debits', () => {
    const all = [...ledgers.values()].flat();
    for (const type of ['rent', 'charge', 'payment', 'hb', 'uc', 'adjustment', 'write_off', 'refund', 'court_costs']) {
      expect(all.some((t) => t.type === type)).toBe(true);
    }
    for (const account of ['rent', 'service_charge', 'rechargeable_repair', 'court_costs'])
      expect(all.some((t) => t.account === account)).toBe(true);
    expect(all.some((t) => t.description === 'Direct Debit')).toBe(true);
    expect(all.filter((t) => t.type === 'hb').every((t) => t.description === 'Housing Benefit')).toBe(true);
    for (const ledger of ledgers.values()) {
      const hbDays = ledger.filter((t) => t.type === 'hb').map((t) => dayFromIso(t.date));
      for (let i = 1; i < hbDays.length; i++) expect(hbDays[i]! - hbDays[i - 1]!).toBe(28);
    }
  });

  it('gives UC only to uc_apa tenancies and HB only to hb tenancies', () => {
    const benefitOf = new Map(leads.map((l) => [l.tenancy_ref, l.benefit]));
    for (const [ref, ledger] of ledgers) {
      for (const t of ledger) {
        if (t.type === 'hb') expect(benefitOf.get(ref)).toBe('hb');
        if (t.type === 'uc') expect(benefitOf.get(ref)).toBe('uc_apa');
      }
    }
  });
});

describe('scale', () => {
  it('gives about 7 transactions per tenancy for a short benchmark history', () => {
    let rows = 0;
    for (const _ of generateTransactions({ tenancies: 1000, today: TODAY, years: 0.13 })) rows++;
    expect(rows / 1000).toBeGreaterThan(5);
    expect(rows / 1000).toBeLessThan(12);
  });
});
