import { describe, expect, it } from 'vitest';
import { checkMobile } from '../../src/imports/phone.js';

describe('checkMobile', () => {
  it.each([
    ['07911 123456', '+447911123456'],
    ['+44 7911 123456', '+447911123456'],
    ['0044 7911-123-456', '+447911123456'],
    ['(07911) 123456', '+447911123456'],
    ['07700 900123', '+447700900123'],
  ])('reads %s as the textable mobile %s', (raw, e164) => {
    expect(checkMobile(raw)).toEqual({ textable: true, e164 });
  });

  it.each([
    ['020 7946 0123', 'landline'],
    ['0800 138 1111', 'landline'],
    ['12345', 'invalid'],
    ['07911 12345', 'invalid'],
    ['not a number', 'invalid'],
    ['', 'missing'],
  ])('keeps %s but marks it not textable (%s)', (raw, reason) => {
    expect(checkMobile(raw)).toEqual({ textable: false, e164: null, reason });
  });

  it('does not take a 076 pager number for a mobile', () => {
    expect(checkMobile('07624 123456').textable).toBe(checkMobile('+447624123456').textable);
    expect(checkMobile('07600 123456').textable).toBe(false);
  });
});
