// `rentline vulnerable|dispute|crisis …`: officers set and clear holds from the command line, through the
// same use-cases as Slack and the API (src/cases/holds.ts). `--officer` is required: every change is
// logged in the contact log with who made it and the note.
import { parseArgs } from 'node:util';
import { clearDispute, resolveCrisis, setVulnerable, type HoldChange } from '../cases/holds.js';
import type { Sql } from '../db/connect.js';
import { UsageError } from './shared.js';

class HoldUsageError extends UsageError {}

export type HoldCommand = 'vulnerable' | 'dispute' | 'crisis';

export const HOLD_USAGE = `  vulnerable <tenancy_ref> set|clear [--tenant N] [--review YYYY-MM-DD] [--note TEXT] --officer <name>
                                   mark or clear a tenant vulnerable (no automated contact; an officer is told)
  dispute <tenancy_ref> clear [--note TEXT] --officer <name>
                                   clear a disputed balance (automated texts resume at the next run)
  crisis <tenancy_ref> resolve [--note TEXT] --officer <name>
                                   resolve an open crisis hand-off (automated texts resume at the next run)
`;

interface Parsed {
  ref: string;
  verb: string;
  officer: string;
  note: string | null;
  tenant: number | null;
  review: string | null;
}

function parse(command: HoldCommand, args: string[]): Parsed {
  const { values, positionals } = parseArgs({
    args,
    options: {
      officer: { type: 'string' },
      note: { type: 'string' },
      tenant: { type: 'string' },
      review: { type: 'string' },
    },
    allowPositionals: true,
  });
  const [ref, verb] = positionals;
  const verbs = command === 'vulnerable' ? ['set', 'clear'] : command === 'dispute' ? ['clear'] : ['resolve'];
  if (!ref || !verb || !verbs.includes(verb) || positionals.length > 2) {
    throw new HoldUsageError(
      `${command} needs a tenancy reference and ${verbs.join(' or ')}, for example: ${command} DH-000123 ${verbs[0]} --officer "Sam Patel"`,
    );
  }
  if (!values.officer)
    throw new HoldUsageError(`${command} needs --officer <name>: every change to a hold is logged with who made it`);
  if (command !== 'vulnerable' && (values.tenant !== undefined || values.review !== undefined)) {
    throw new HoldUsageError(`${command} holds the whole tenancy: --tenant and --review are for vulnerable only`);
  }
  const tenant = values.tenant === undefined ? null : Number(values.tenant);
  if (tenant !== null && (!Number.isInteger(tenant) || tenant < 1))
    throw new HoldUsageError('--tenant must be a tenant number: 1 for the lead tenant, 2, 3… for joint tenants');
  if (values.review !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.review))
    throw new HoldUsageError('--review must be a date as YYYY-MM-DD, for example 2027-03-01');
  if (values.review !== undefined && verb !== 'set') throw new HoldUsageError('--review goes with vulnerable set');
  return { ref, verb, officer: values.officer, note: values.note ?? null, tenant, review: values.review ?? null };
}

function describe(command: HoldCommand, p: Parsed, change: HoldChange): { text: string; code: number } {
  if (change.outcome === 'not_found')
    return { text: `No tenancy ${p.ref}. Check the reference, or import the tenancies file first.`, code: 1 };
  if (change.outcome === 'no_such_tenant') return { text: `${p.ref} has no tenant ${p.tenant}.`, code: 1 };
  if (change.outcome === 'unchanged') {
    const what =
      command === 'vulnerable'
        ? 'no tenant was marked vulnerable'
        : command === 'dispute'
          ? 'no dispute was open'
          : 'no crisis was open';
    return { text: `${p.ref}: nothing to change (${what}).`, code: 0 };
  }
  const tenants = change.tenants.map((n) => `tenant ${n}`).join(', ');
  const done =
    command === 'vulnerable'
      ? p.verb === 'set'
        ? `marked vulnerable (${tenants})${p.review ? `, review ${p.review}` : ''}`
        : `vulnerability cleared (${tenants})`
      : command === 'dispute'
        ? 'dispute cleared'
        : 'crisis resolved';
  return { text: `${p.ref}: ${done}; logged in the contact log.`, code: 0 };
}

/** Runs one hold command against the database; prints what changed and returns the exit code. */
export async function runHoldCommand(sql: Sql, command: HoldCommand, args: string[], now: Date): Promise<number> {
  const p = parse(command, args);
  const base = { tenancyRef: p.ref, actor: `cli:${p.officer}`, note: p.note, now };
  const change =
    command === 'vulnerable'
      ? await setVulnerable(sql, { ...base, tenantNo: p.tenant, vulnerable: p.verb === 'set', reviewOn: p.review })
      : command === 'dispute'
        ? await clearDispute(sql, base)
        : await resolveCrisis(sql, base);
  const { text, code } = describe(command, p, change);
  (code === 0 ? console.log : console.error)(text);
  return code;
}

/** Validates the arguments before anything opens the database. */
export function checkHoldArgs(command: HoldCommand, args: string[]): void {
  parse(command, args);
}
