// Shared vocabulary of the rent-maths core: money, rent schedules and ledger entries.
// Other modules (imports, database, conversations) code against these names, so keep them stable.
// The value arrays exist so validators (zod, CSV import) can check strings against the same lists.

/** Money is always whole pence. £12.50 is 1250. */
export type Pence = number;

export const RENT_FREQUENCIES = ['weekly', 'fortnightly', 'four_weekly', 'monthly'] as const;
export type RentFrequency = (typeof RENT_FREQUENCIES)[number];

/** How Rentline texts a tenant. */
const CHANNELS = ['sms', 'whatsapp'] as const;
export type Channel = (typeof CHANNELS)[number];

/** A tenant's preferred channel, as the tenancies file gives it: `none` means never text them. */
export const PREFERRED_CHANNELS = [...CHANNELS, 'none'] as const;
export type PreferredChannel = (typeof PREFERRED_CHANNELS)[number];

/** Monday first: rent weeks in UK social housing commence on a Monday. */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `uc` is Universal Credit paid to the tenant; `uc_apa` is UC paid direct to the landlord. */
export const BENEFITS = ['none', 'hb', 'uc', 'uc_apa'] as const;
export type Benefit = (typeof BENEFITS)[number];

export const TRANSACTION_TYPES = [
  'rent',
  'charge',
  'payment',
  'hb',
  'uc',
  'adjustment',
  'write_off',
  'refund',
  'court_costs',
] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

/** `rent` is the rent account; every other ledger is a sub-account and never counts as rent arrears. */
export const ACCOUNTS = [
  'rent',
  'service_charge',
  'rechargeable_repair',
  'court_costs',
  'ta_charge',
  'storage',
  'loan',
] as const;
export type Account = (typeof ACCOUNTS)[number];

export interface RentSchedule {
  frequency: RentFrequency;
  amountPence: Pence;
  /** A weekday for weekly, fortnightly and four-weekly rent; a day of the month (1-28) for monthly rent. */
  dueDay: Weekday | number;
  /** Local date `YYYY-MM-DD`: the tenancy (or this rent) starts. */
  startDate: string;
  /** Local date `YYYY-MM-DD` of the last day charged, or null while the tenancy runs. */
  endDate: string | null;
}

export interface LedgerEntry {
  /** Local date `YYYY-MM-DD` the entry was posted (for charges: the due date). */
  date: string;
  type: TransactionType;
  /** Signed from the tenant's side: positive owes more (rent, charges), negative owes less (payments, benefit). */
  amountPence: Pence;
  account: Account;
  description: string;
}
