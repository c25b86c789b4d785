// Dates of birth and postcodes, normalised for comparison with the landlord's records.
import { describe, expect, it } from 'vitest';
import { normalisePostcode, parseDateOfBirth } from '../../../src/engine/parsers/index.js';

describe('parseDateOfBirth', () => {
  it.each([
    ['12/03/1985', '1985-03-12'],
    ['12 March 1985', '1985-03-12'],
    ['1985-03-12', '1985-03-12'],
    ['12th of March 1985', '1985-03-12'],
    ['March 12, 1985', '1985-03-12'],
    ['12.03.1985', '1985-03-12'],
    ['12-03-1985', '1985-03-12'],
    ['my dob is 12/03/1985', '1985-03-12'],
    ['12031985', '1985-03-12'],
    ['1/2/1970', '1970-02-01'],
    ['12 mar 1985', '1985-03-12'],
  ])('reads %j as %s', (text, date) => {
    expect(parseDateOfBirth(text)).toBe(date);
  });

  it.each([
    ['', 'an empty message'],
    ['hello', 'no date'],
    ['03/25/1985', 'a month-first (US) date'],
    ['31/02/1985', 'a day February never has'],
    ['12/03/1885', 'a year before 1900'],
    ['12/03/85', 'a two-digit year without now'],
    ['12/03/1985 or 13/03/1985', 'two different dates'],
  ])('refuses %j (%s)', (text) => {
    expect(parseDateOfBirth(text)).toBeNull();
  });

  it('reads a two-digit year, given now, as the latest year that makes the tenant at least 16', () => {
    const now = new Date('2026-01-01T12:00:00Z');
    expect(parseDateOfBirth('12/03/85', now)).toBe('1985-03-12');
    expect(parseDateOfBirth('12/03/05', now)).toBe('2005-03-12');
    expect(parseDateOfBirth('12/03/15', now)).toBe('1915-03-12');
  });

  it('refuses a date of birth in the future, given now', () => {
    expect(parseDateOfBirth('12/03/2030', new Date('2026-01-01T12:00:00Z'))).toBeNull();
  });
});

describe('normalisePostcode', () => {
  it.each([
    ['sw1a1aa', 'SW1A 1AA'],
    ['SW1A 1AA', 'SW1A 1AA'],
    [' sw1a  1aa ', 'SW1A 1AA'],
    ['M1 1AE', 'M1 1AE'],
    ['b33 8th', 'B33 8TH'],
    ['cr2 6xh', 'CR2 6XH'],
    ['dn55 1pt', 'DN55 1PT'],
    ['W1A 0AX', 'W1A 0AX'],
    ['ec1a 1bb', 'EC1A 1BB'],
    ['my postcode is ls1 4ap thanks', 'LS1 4AP'],
    ['SW1A OAA', 'SW1A 0AA'],
    ['gir 0aa', 'GIR 0AA'],
    ['CF10 1EP.', 'CF10 1EP'],
  ])('reads %j as %s', (text, postcode) => {
    expect(normalisePostcode(text)).toBe(postcode);
  });

  it.each([
    ['', 'an empty message'],
    ['12345', 'digits only'],
    ['QQ1 1AA', 'a letter no postcode starts with'],
    ['SW1A 1CA', 'an inward letter postcodes never use'],
    ['SW1A', 'an outward code alone'],
    ['hello', 'a word'],
    ['LS1 4AP or M1 1AE', 'two different postcodes'],
  ])('refuses %j (%s)', (text) => {
    expect(normalisePostcode(text)).toBeNull();
  });
});
