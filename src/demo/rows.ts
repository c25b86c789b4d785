// The two export row shapes, field for field as docs/contract.md#import-files names them, with every value
// already a string exactly as a housing system's CSV export would carry it.

export interface TenancyRow {
  tenancy_ref: string;
  tenant_no: string;
  first_name: string;
  last_name: string;
  mobile: string;
  channel: string;
  language: string;
  date_of_birth: string;
  postcode: string;
  tenure: string;
  start_date: string;
  end_date: string;
  rent_frequency: string;
  rent_amount: string;
  rent_due_day: string;
  patch: string;
  officer_slack_id: string;
  benefit: string;
  flags: string;
}

export interface TransactionRow {
  transaction_id: string;
  tenancy_ref: string;
  date: string;
  type: string;
  amount: string;
  account: string;
  description: string;
}

/** Column order of the tenancies file (docs/contract.md#tenancies). */
export const TENANCY_COLUMNS: readonly (keyof TenancyRow)[] = [
  'tenancy_ref', 'tenant_no', 'first_name', 'last_name', 'mobile', 'channel', 'language', 'date_of_birth',
  'postcode', 'tenure', 'start_date', 'end_date', 'rent_frequency', 'rent_amount', 'rent_due_day', 'patch',
  'officer_slack_id', 'benefit', 'flags',
];

/** Column order of the transactions file (docs/contract.md#transactions). */
export const TRANSACTION_COLUMNS: readonly (keyof TransactionRow)[] = [
  'transaction_id', 'tenancy_ref', 'date', 'type', 'amount', 'account', 'description',
];
