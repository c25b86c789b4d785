// The two export row shapes, field for field as the importer reads them (docs/contract.md#import-files),
// with every value already a string exactly as a housing system's CSV export would carry it. The column
// lists are the importer's own, so the demo files and the importer cannot disagree about a field.
import { TENANCY_FIELDS, TRANSACTION_FIELDS } from '../imports/records.js';

export type TenancyRow = Record<(typeof TENANCY_FIELDS)[number], string>;
export type TransactionRow = Record<(typeof TRANSACTION_FIELDS)[number], string>;

/** Column order of the tenancies file (docs/contract.md#tenancies). */
export const TENANCY_COLUMNS: readonly (keyof TenancyRow)[] = TENANCY_FIELDS;

/** Column order of the transactions file (docs/contract.md#transactions). */
export const TRANSACTION_COLUMNS: readonly (keyof TransactionRow)[] = TRANSACTION_FIELDS;
