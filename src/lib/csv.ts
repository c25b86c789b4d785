// One CSV cell for files people open in a spreadsheet (evidence exports, KPI sheets). A cell that starts with
// =, +, -, @, a tab or a carriage return is run as a formula by Excel, LibreOffice and Google Sheets
// ("=HYPERLINK(...)" in a tenant's text would become a live link in an officer's sheet), so such a cell is
// prefixed with a single quote, which every spreadsheet shows as text. Numbers are written as they are.

const FORMULA_START = /^[=+\-@\t\r]/;

export function spreadsheetCell(value: unknown): string {
  if (typeof value === 'number') return String(value);
  let text =
    value === null || value === undefined
      ? ''
      : value instanceof Date
        ? value.toISOString()
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
