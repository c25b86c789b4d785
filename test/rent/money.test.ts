// Table tests for pounds-to-pence parsing (CSV amounts) and money formatting.
import { describe, expect, it } from 'vitest';
import { formatPence, parsePoundsToPence } from '../../src/rent/money.js';

describe('parsePoundsToPence', () => {
  it.each([
    ['12.50', 1250],
    ['-3', -300],
    ['1,234.56', 123456],
    ['£12.50', 1250],
    ['-£3.00', -300],
    ['£-3.00', -300],
    ['+7.5', 750],
    ['0.29', 29], // 0.29 * 100 is 28.999… in floating point; parsing digits keeps it exact
    ['  42 ', 4200],
    ['(12.50)', -1250],
    ['-0.00', 0],
    ['1,000,000', 100000000],
  ])('reads "%s" as %i pence', (text, pence) => {
    expect(parsePoundsToPence(text)).toBe(pence);
  });

  it.each([
    ['12.505', 'more than two decimals'],
    ['abc', 'garbage'],
    ['', 'empty'],
    ['12,34', 'badly placed thousands comma'],
    ['1,2345.00', 'badly placed thousands comma'],
    ['--3', 'two signs'],
    ['-£-3', 'two signs'],
    ['12.', 'a trailing point'],
    ['.50', 'no whole pounds'],
    ['£', 'a pound sign alone'],
    ['(-3)', 'brackets and a sign'],
    ['1e3', 'exponent notation'],
  ])('rejects "%s" (%s)', (text) => {
    expect(parsePoundsToPence(text)).toBeNull();
  });
});

describe('formatPence', () => {
  it.each([
    [1250, '£12.50'],
    [-300, '-£3.00'],
    [123400, '£1,234.00'],
    [0, '£0.00'],
    [5, '£0.05'],
    [-123456789, '-£1,234,567.89'],
  ])('formats %i pence as %s', (pence, text) => {
    expect(formatPence(pence)).toBe(text);
  });

  it('refuses fractions of a penny rather than hiding a rounding bug', () => {
    expect(() => formatPence(12.5)).toThrow(/whole pence/);
  });
});
