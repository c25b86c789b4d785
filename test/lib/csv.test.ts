import { describe, expect, it } from 'vitest';
import { spreadsheetCell } from '../../src/lib/csv.js';

describe('spreadsheetCell', () => {
  it.each([
    ['=HYPERLINK("http://x","click")', `"'=HYPERLINK(""http://x"",""click"")"`],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['+44 7700 900123', "'+44 7700 900123"],
    ['-2+3', "'-2+3"],
    ['\tcmd', "'\tcmd"],
  ])('neutralises a cell a spreadsheet would run as a formula: %s', (input, expected) => {
    expect(spreadsheetCell(input)).toBe(expected);
  });

  it('leaves ordinary text, numbers, dates and empty values as they are (quoting only commas, quotes, newlines)', () => {
    expect(spreadsheetCell('I can pay £15 a week')).toBe('I can pay £15 a week');
    expect(spreadsheetCell(-1500)).toBe('-1500');
    expect(spreadsheetCell(new Date('2026-12-02T10:00:00Z'))).toBe('2026-12-02T10:00:00.000Z');
    expect(spreadsheetCell(null)).toBe('');
    expect(spreadsheetCell('a, "b"')).toBe('"a, ""b"""');
  });
});
