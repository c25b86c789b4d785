// The direct way in for a first load of tenancies files (direct-tenancies.ts) must never decide
// differently from the staged path: its quick check accepts only what checkTenancyRecord accepts, and
// builds the same record; a load that sets the tables' indexes and keys aside puts back exactly what was
// there; and whatever it gives up on (joint tenants who disagree, a repeated tenant, a bad row, a
// tenancy already held) ends as the staged path would end it, with the same errors and warnings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quickTenancyRecord, tenancyPositions } from '../../src/imports/direct-tenancies.js';
import { importCsvFiles, importJsonRecords } from '../../src/imports/index.js';
import { checkTenancyRecord, isCalendarDate, TENANCY_FIELDS } from '../../src/imports/records.js';
import { useTestDatabase } from '../support/database.js';
import { TENANCY_HEADER, writeCsv } from '../support/files.js';

const db = await useTestDatabase();

const at = tenancyPositions(TENANCY_FIELDS);

const date = fc.constantFrom('2024-02-29', '2020-01-06', '1985-03-12', '2030-01-01');
const badDate = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 2100 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
    .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  fc.constantFrom('2023-02-29', '1900-02-29', '26-11-01', ''),
);
/** Mostly everyday values (so the quick check takes many rows), sometimes ones it must leave to the full check. */
const either = (good: fc.Arbitrary<string>, odd: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 9, arbitrary: good }, { weight: 1, arbitrary: odd });
const fieldValues: fc.Arbitrary<string>[] = [
  either(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9/_.-]{0,8}$/), fc.constant('R'.repeat(65))),
  either(fc.constantFrom('', '1', '2', '20'), fc.constantFrom('21', '0', '01', 'x')),
  either(fc.constantFrom('Ann', "O'Neil", 'Mary Ann', 'Ann.'), fc.constantFrom('Siân', '')),
  either(fc.constantFrom('Lee', 'Smith-Jones'), fc.constant('')),
  either(
    fc.constantFrom('', '07700 900123', '07700900123', '+447700900124', '(07700) 900-125'),
    fc.constantFrom('020 7946 0123', '12345'),
  ),
  either(fc.constantFrom('', 'sms', 'whatsapp', 'none'), fc.constant('pigeon')),
  either(fc.constantFrom('', 'en', 'cy'), fc.constant('english')),
  either(fc.oneof(date, fc.constant('')), badDate),
  either(
    fc.constantFrom('', 'SW1A 1AA', 'W1 1AA', 'LE5 3GU', 'EC1A 1BB'),
    fc.constantFrom('sw1a1aa', 'XYZ', 'SW1A  1AA'),
  ),
  either(fc.constantFrom('secure', 'assured', 'licence'), fc.constantFrom('castle', '')),
  either(date, badDate),
  either(fc.constant(''), fc.oneof(date, badDate)),
  either(fc.constantFrom('weekly', 'monthly', 'four_weekly', 'fortnightly'), fc.constant('yearly')),
  either(
    fc.stringMatching(/^\d{1,7}(\.\d{1,2})?$/),
    fc.oneof(fc.stringMatching(/^-?\d{1,7}(\.\d{0,3})?$/), fc.constantFrom('£12.50', '', '1e3')),
  ),
  either(fc.constantFrom('monday', 'sunday', '1', '28'), fc.constantFrom('29', '01', 'funday')),
  either(fc.constantFrom('', 'N1', 'North patch'), fc.constant('p'.repeat(65))),
  either(fc.constantFrom('', 'U0OFFICER1', 'W123'), fc.constantFrom('u0officer1', 'X1')),
  either(fc.constantFrom('', 'none', 'hb', 'uc', 'uc_apa'), fc.constant('jsa')),
  either(fc.constant(''), fc.constantFrom('vulnerable', 'x')),
];
/** What a bad export does to a value: spaces, odd case, control characters, odd characters, length. */
const damage = fc.constantFrom(
  (v: string) => ` ${v}`,
  (v: string) => `${v}\u2003`,
  (v: string) => v.toUpperCase(),
  (v: string) => `${v}\\`,
  (v: string) => `a\u0000${v}`,
  (v: string) => `${v}\ty`,
  (v: string) => `${v}é`,
  (v: string) => `\u00a0${v}`,
  (v: string) => v.repeat(40),
);
const row = fc
  .tuple(fc.tuple(...fieldValues), fc.array(fc.tuple(fc.nat(TENANCY_FIELDS.length - 1), damage), { maxLength: 1 }))
  .map(([fields, damages]) => {
    const out = [...fields];
    for (const [i, harm] of damages) out[i] = harm(out[i] as string);
    return out;
  });

describe('the quick check on plain tenancy rows', () => {
  it('accepts only rows checkTenancyRecord accepts with no warning, and builds the same record', () => {
    fc.assert(
      fc.property(row, (fields) => {
        const record = quickTenancyRecord(fields, at);
        if (record === null) return;
        const checked = checkTenancyRecord(Object.fromEntries(TENANCY_FIELDS.map((f, i) => [f, fields[i]])));
        expect(checked.ok).toBe(true);
        if (!checked.ok) return;
        expect(checked.warnings).toEqual([]);
        expect(record).toEqual(checked.record);
      }),
      { numRuns: 10_000 },
    );
  });

  it('reads dates by char code as the regex and slices did', () => {
    const before = (v: string) => {
      if (!/^(\d{4})-(\d{2})-(\d{2})$/.test(v)) return false;
      const [y, m, d] = [Number(v.slice(0, 4)), Number(v.slice(5, 7)), Number(v.slice(8, 10))];
      if (y < 100 || m < 1 || m > 12 || d < 1) return false;
      const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
      return d <= (m === 2 && leap ? 29 : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!);
    };
    const text = fc.oneof(
      fc.stringMatching(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/),
      fc.string({ unit: fc.constantFrom('0', '1', '2', '9', '-', 'a', '+', ' ', '.', '\uff11'), maxLength: 12 }),
    );
    fc.assert(
      fc.property(text, (v) => {
        expect(isCalendarDate(v)).toBe(before(v));
      }),
      { numRuns: 5000 },
    );
  });

  it('takes the everyday rows quickly', () => {
    const fields =
      'B000001,1,Mia,Shaw,07700 900714,sms,en,1965-04-11,LE5 3GU,secure,2002-10-19,,monthly,512.37,1,N7,U0OFFICER7,uc,'.split(
        ',',
      );
    expect(quickTenancyRecord(fields, at)).toMatchObject({
      tenancy_ref: 'B000001',
      mobile_e164: '+447700900714',
      rent_amount_pence: 51237,
      rent_due_day: '1',
    });
  });
});

async function schemaShape() {
  const [row] = await db.sql<{ indexes: string[]; constraints: string[] }[]>`
    select
      (select array_agg(indexdef order by indexname) from pg_indexes where schemaname = current_schema()) as indexes,
      (select array_agg(conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) order by conrelid::regclass::text, conname)
        from pg_constraint where connamespace = current_schema()::regnamespace) as constraints`;
  return row;
}

async function tables() {
  return db.sql`
    select row(t.tenancy_ref, t.tenure, t.start_date, t.end_date, t.rent_frequency, t.rent_amount_pence, t.rent_due_day, t.patch,
        t.officer_slack_id, t.benefit, t.demo)::text as tenancy,
      (select array_agg(row(n.tenant_no, n.first_name, n.last_name, n.mobile_raw, n.mobile_e164, n.channel, n.language, n.date_of_birth,
        n.postcode, n.vulnerable, n.do_not_contact, n.breathing_space_start, n.breathing_space_end, n.breathing_space_mental_health)::text
        order by n.tenant_no) from tenants n where n.tenancy_ref = t.tenancy_ref) as tenants
    from tenancies t order by t.tenancy_ref`;
}

async function empty() {
  await db.sql`delete from tenancies`;
}

// Enough rows (and bytes) to be a first load: 27,000 tenancies with two tenants each.
const TENANCIES = 27_000;
function tenancyLines(extra: string[] = []): string[] {
  const lines = [TENANCY_HEADER];
  for (let t = 1; t <= TENANCIES; t++) {
    const ref = `F${String(t).padStart(6, '0')}`;
    const officer = t % 3 === 0 ? 'U0OFFICER1' : '';
    const rent = `${secureRent(t)},monday,North ${t % 7},${officer},${t % 2 ? 'uc' : 'none'}`;
    lines.push(
      `${ref},1,Annabel,Leeming-Hart,07700 900${String(t % 1000).padStart(3, '0')},sms,en,1970-01-${String((t % 28) + 1).padStart(2, '0')},SW1A 1AA,secure,2020-01-06,,weekly,${rent},`,
    );
    lines.push(`${ref},2,Benedict,Leeming-Hart,,whatsapp,cy,,,secure,2020-01-06,,weekly,${rent},`);
  }
  return [...lines, ...extra];
}
function secureRent(t: number): string {
  return `${100 + (t % 50)}.${String(t % 100).padStart(2, '0')}`;
}

describe('a first load of tenancies straight into the tables', () => {
  it('writes what the staged path writes, with the same warnings, and puts back every index and key', async () => {
    const before = await schemaShape();
    const lines = tenancyLines([
      // A landline and a quoted name: the full check, a warning, and still the direct way in.
      'G000001,1,"Lee, Ann",Smith,020 7946 0123,sms,en,,,assured,2021-01-01,,monthly,450.00,1,N2,,uc,vulnerable',
    ]);
    const phases: string[] = [];
    const direct = await importCsvFiles(db.sql, [await writeCsv('tenancies.csv', lines)], {
      onPhase: (phase) => phases.push(phase),
    });
    expect(phases).toContain('read and copy tenancies');
    expect(direct.imported).toBe(true);
    expect(direct.tenancies).toEqual({ inserted: TENANCIES + 1, updated: 0, unchanged: 0 });
    expect(direct.tenants).toEqual({ inserted: TENANCIES * 2 + 1, updated: 0, unchanged: 0 });
    expect(direct.warnings).toEqual([
      expect.objectContaining({ line: lines.length, field: 'mobile', message: expect.stringMatching(/landline/) }),
    ]);
    expect(await schemaShape()).toEqual(before);
    const written = await tables();

    // The staged path, for the same records (JSON arrays are always staged).
    await empty();
    const [header, ...body] = lines as [string, ...string[]];
    const columns = header.split(',');
    const { parse } = await import('csv-parse/sync');
    const records = (parse(body.join('\n')) as string[][]).map((fields) =>
      Object.fromEntries(columns.map((c, i) => [c, fields[i]])),
    );
    const staged = await importJsonRecords(db.sql, 'tenancies', records);
    expect(staged.tenancies).toEqual(direct.tenancies);
    expect(staged.tenants).toEqual(direct.tenants);
    expect(staged.warningCount).toBe(direct.warningCount);
    expect(await tables()).toEqual(written);

    // Once loaded, the same file again is no first load: staged, and nothing changes.
    const again = await importCsvFiles(db.sql, [await writeCsv('tenancies.csv', lines)], {
      onPhase: (phase) => phases.push(phase),
    });
    expect(again.tenancies).toEqual({ inserted: 0, updated: 0, unchanged: TENANCIES + 1 });
    expect(again.warningCount).toBe(1);
  });

  it('gives up on joint tenants who disagree and a repeated tenant, reporting them as the staged path does', async () => {
    await empty();
    const before = await schemaShape();
    const lines = tenancyLines([
      'F000001,3,Cat,Leeming-Hart,,sms,en,,,secure,2020-01-06,,weekly,999.00,monday,North 1,,uc,',
      'F000002,2,Dan,Leeming-Hart,,sms,en,,,secure,2020-01-06,,weekly,102.02,monday,North 2,,none,',
    ]);
    const phases: string[] = [];
    const report = await importCsvFiles(db.sql, [await writeCsv('tenancies.csv', lines)], {
      onPhase: (phase) => phases.push(phase),
    });
    expect(phases).toContain("direct tenancies (gave up: joint tenants' rows disagree)");
    expect(report.imported).toBe(false);
    expect(report.errors.map((e) => `${e.line}:${e.field}`)).toEqual([
      `${lines.length - 1}:rent_amount`,
      `${lines.length}:tenant_no`,
    ]);
    expect(report.warningCount).toBe(0);
    expect(await schemaShape()).toEqual(before);
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from tenants`;
    expect(row?.n).toBe(0);
  });

  it('gives up on a repeated tenant found only when the primary key is rebuilt', async () => {
    await empty();
    const lines = tenancyLines([
      'F000003,1,Annabel,Leeming-Hart,,sms,en,,,secure,2020-01-06,,weekly,103.03,monday,North 3,U0OFFICER1,uc,',
    ]);
    const phases: string[] = [];
    const report = await importCsvFiles(db.sql, [await writeCsv('tenancies.csv', lines)], {
      onPhase: (phase) => phases.push(phase),
    });
    expect(phases).toContain('direct tenancies (gave up: a tenancy or tenant is already held or repeated)');
    expect(report.errors).toEqual([
      expect.objectContaining({
        line: lines.length,
        field: 'tenant_no',
        message: expect.stringMatching(/appears earlier/),
      }),
    ]);
  });

  it('gives up on a bad row and names its line and field', async () => {
    await empty();
    const lines = tenancyLines(['H1,1,Eve,Moe,,sms,en,,,castle,2020-01-06,,weekly,100.00,monday,,,none,']);
    const report = await importCsvFiles(db.sql, [await writeCsv('tenancies.csv', lines)]);
    expect(report.imported).toBe(false);
    expect(report.errors).toEqual([
      expect.objectContaining({
        line: lines.length,
        field: 'tenure',
        message: expect.stringMatching(/should be one of/),
      }),
    ]);
  });
});
