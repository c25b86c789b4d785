// Money in whole pence: parsing pounds from housing-system CSV exports and formatting for people.
// Parsing works on the digits as text, never through floating point, so "0.29" is exactly 29 pence.

import type { Pence } from './types.js';

// Optional sign, optional £, digits with or without correct thousands commas, up to 2 decimals.
const AMOUNT = /^([+-]?)£?([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;
// Accounting exports sometimes write credits in brackets: "(12.50)".
const BRACKETED = /^\((.*)\)$/;

/**
 * Parses a pounds amount such as "12.50", "-3", "1,234.56", "£12.50", "-£3.00" or "(3.00)" into pence.
 * Returns null for anything else, including more than two decimal places (a sign of a mis-exported column).
 */
export function parsePoundsToPence(text: string): Pence | null {
  let body = text.trim();
  let negative = false;
  const bracketed = BRACKETED.exec(body);
  if (bracketed) {
    body = (bracketed[1] ?? '').trim();
    negative = true;
  }
  const match = AMOUNT.exec(body);
  if (!match) return null;
  const [, signBeforePound = '', signAfterPound = '', whole = '', fraction = ''] = match;
  if (signBeforePound !== '' && signAfterPound !== '') return null;
  const sign = signBeforePound || signAfterPound;
  if (negative && sign !== '') return null;
  if (sign === '-') negative = true;
  const pence = Number(whole.replaceAll(',', '')) * 100 + Number(fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(pence)) return null;
  return negative && pence !== 0 ? -pence : pence;
}

/** Formats pence as "£12.50", "-£3.00" or "£1,234.00". */
export function formatPence(p: Pence): string {
  if (!Number.isInteger(p)) throw new Error(`formatPence expects whole pence, got ${p}`);
  const abs = Math.abs(p);
  const pounds = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+$)/g, ',');
  const pence = String(abs % 100).padStart(2, '0');
  return `${p < 0 ? '-' : ''}£${pounds}.${pence}`;
}
