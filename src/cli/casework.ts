// The officer's casework from the CLI: `log` (calls, visits, letters, emails), `legal` (the legal stage),
// `worklist` and `protocol`. Thin: parse, call the use-case, print; `--json` prints what the API returns.
import { parseArgs } from 'node:util';
import { recordLegalStage } from '../casework/legal-stage.js';
import { isContactKind, logOfficerContact } from '../casework/officer-contact.js';
import { tenancyProtocol } from '../casework/protocol.js';
import { readWorklist, refreshWorklistFor } from '../casework/worklist.js';
import { systemClock } from '../lib/clock.js';
import { parseLegalStage } from '../rent/legal.js';
import { parsePoundsToPence } from '../rent/money.js';
import { RENT_FREQUENCIES, type RentFrequency } from '../rent/types.js';
import type { Runtime } from '../runtime.js';
import { UsageError } from './shared.js';

class CaseworkUsageError extends UsageError {}

export const CASEWORK_USAGE = `  log <tenancy_ref> call|visit|letter|email [--tenant N] [--outcome TEXT] [--note TEXT]
      [--cause TEXT] [--vulnerability TEXT] --officer <name>
                                   log an officer's contact with a tenant (pre-action protocol evidence)
  legal <tenancy_ref> notice-served|claim-issued|hearing|order-outright|order-suspended|warrant|evicted <YYYY-MM-DD>
      [--amount POUNDS --frequency F --start YYYY-MM-DD] [--note TEXT] --officer <name>
                                   record the legal stage (the terms are a suspended order's)
  worklist [--patch P] [--limit N] [--json]
                                   the officers' ranked worklist: one action and its reason per case
  protocol <tenancy_ref> [--json]  the pre-action checklist, computed from the contact log
`;

type Run = <T>(fn: (rt: Runtime) => Promise<T>) => Promise<T>;

function officerOf(value: string | undefined, command: string): string {
  if (!value || value.trim() === '')
    throw new CaseworkUsageError(`${command} needs --officer <name>: every officer action is logged with who did it`);
  return `cli:${value.trim()}`;
}

async function logCommand(args: string[], withRuntime: Run): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      tenant: { type: 'string' },
      outcome: { type: 'string' },
      note: { type: 'string' },
      cause: { type: 'string' },
      vulnerability: { type: 'string' },
      officer: { type: 'string' },
    },
  });
  const [ref, kind] = positionals;
  if (!ref || !kind || !isContactKind(kind))
    throw new CaseworkUsageError('log needs a tenancy reference and call, visit, letter or email');
  const officer = officerOf(values.officer, 'log');
  const tenantNo = values.tenant === undefined ? null : Number(values.tenant);
  if (tenantNo !== null && (!Number.isInteger(tenantNo) || tenantNo < 1))
    throw new CaseworkUsageError('--tenant needs a tenant number: 1 for the lead tenant, 2, 3… for joint tenants');
  return withRuntime(async (rt) => {
    const result = await logOfficerContact(rt.db.sql, {
      tenancyRef: ref,
      tenantNo,
      kind,
      outcome: values.outcome ?? null,
      note: values.note ?? null,
      cause: values.cause ?? null,
      vulnerability: values.vulnerability ?? null,
      officer,
      now: systemClock.now(),
    });
    if (result.outcome === 'not_found') {
      console.error(`No tenancy ${ref}. Check the reference, or import the tenancies file first.`);
      return 1;
    }
    if (result.outcome === 'no_such_tenant') {
      console.error(`${ref} has no tenant ${tenantNo}; its tenants are ${result.tenants.join(', ')}.`);
      return 1;
    }
    console.log(
      `${result.tenancyRef}: ${kind} with tenant ${result.tenantNo} logged (contact log ${result.contactLogId}).`,
    );
    return 0;
  });
}

function orderTerms(values: {
  amount?: string;
  frequency?: string;
  start?: string;
}): { amountPence: number; frequency: RentFrequency; startDate: string } | null {
  if (values.amount === undefined && values.frequency === undefined && values.start === undefined) return null;
  const amountPence = parsePoundsToPence(values.amount ?? '');
  const frequency = (values.frequency ?? '').replace('-', '_') as RentFrequency;
  if (amountPence === null || amountPence <= 0 || !RENT_FREQUENCIES.includes(frequency) || !values.start) {
    throw new CaseworkUsageError(
      `suspended-order terms need --amount POUNDS (e.g. 5.00), --frequency ${RENT_FREQUENCIES.join('|')} and --start YYYY-MM-DD`,
    );
  }
  return { amountPence, frequency, startDate: values.start };
}

async function legalCommand(args: string[], withRuntime: Run): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      amount: { type: 'string' },
      frequency: { type: 'string' },
      start: { type: 'string' },
      note: { type: 'string' },
      officer: { type: 'string' },
    },
  });
  const [ref, stageText, date] = positionals;
  const stage = parseLegalStage(stageText ?? '');
  if (!ref || !stage || !date)
    throw new CaseworkUsageError(
      'legal needs a tenancy reference, a stage (notice-served, claim-issued, hearing, order-outright, order-suspended, warrant, evicted) and its date YYYY-MM-DD',
    );
  const officer = officerOf(values.officer, 'legal');
  const terms = orderTerms(values);
  return withRuntime(async (rt) => {
    const now = systemClock.now();
    const result = await recordLegalStage(
      { sql: rt.db.sql, policy: rt.policy, timeZone: rt.config.timeZone },
      { tenancyRef: ref, stage, date, terms, note: values.note ?? null, officer, now },
    );
    if (result.outcome === 'not_found') {
      console.error(`No tenancy ${ref}. Check the reference, or import the tenancies file first.`);
      return 1;
    }
    if (result.outcome === 'invalid') {
      console.error(`Nothing recorded: ${result.message}.`);
      return 1;
    }
    await refreshWorklistFor({ sql: rt.db.sql, policy: rt.policy, timeZone: rt.config.timeZone }, [ref], now);
    console.log(JSON.stringify(result.legal, null, 2));
    const l = result.legal;
    const dates = l.earliest_proceedings_date
      ? ` Proceedings from ${l.earliest_proceedings_date}${l.expires_on ? `; the notice lapses after ${l.expires_on}` : ''}.`
      : '';
    console.log(`${ref}: ${stage.replaceAll('_', ' ')} on ${date} recorded and logged.${dates}`);
    return 0;
  });
}

async function worklistCommand(args: string[], withRuntime: Run): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { patch: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  });
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new CaseworkUsageError('--limit needs a whole number of items, e.g. --limit 50');
  return withRuntime(async (rt) => {
    const view = await readWorklist(
      { sql: rt.db.sql, policy: rt.policy, timeZone: rt.config.timeZone },
      { now: systemClock.now(), patch: values.patch ?? null, limit },
    );
    if (values.json) {
      console.log(JSON.stringify(view, null, 2));
      return 0;
    }
    const counts = Object.entries(view.counts)
      .map(([action, n]) => `${action.replaceAll('_', ' ')} ${n}`)
      .join(', ');
    console.log(
      `${view.total} case(s) need a person${values.patch ? ` on patch ${values.patch}` : ''}${counts ? `: ${counts}` : ''}.`,
    );
    for (const i of view.items)
      console.log(
        `${i.priority}  ${i.tenancy_ref}/${i.tenant_no}  ${i.patch ?? '-'}  ${i.action.replaceAll('_', ' ')}: ${i.reason}`,
      );
    if (view.items.length < view.total) console.log(`…${view.total - view.items.length} more (--limit N shows more).`);
    return 0;
  });
}

async function protocolCommand(args: string[], withRuntime: Run): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const [ref] = positionals;
  if (!ref) throw new CaseworkUsageError('protocol needs a tenancy reference');
  return withRuntime(async (rt) => {
    const protocol = await tenancyProtocol(rt.db.sql, ref, {
      now: systemClock.now(),
      policy: rt.policy,
      timeZone: rt.config.timeZone,
    });
    if (!protocol) {
      console.error(`No tenancy ${ref}. Check the reference, or import the tenancies file first.`);
      return 1;
    }
    if (values.json) {
      console.log(JSON.stringify(protocol, null, 2));
      return 0;
    }
    console.log(
      `${protocol.tenancy_ref}: ${protocol.ready_for_notice ? 'ready for a notice' : 'not ready for a notice'}. ${protocol.reason}.`,
    );
    for (const i of protocol.items) {
      const ids = i.evidence.map((e) => `#${e.contact_log_id} ${e.at.slice(0, 10)}`).join(', ');
      console.log(`  ${i.status.padEnd(14)} ${i.key}: ${i.note}${ids ? ` (${ids})` : ''}`);
    }
    return 0;
  });
}

/** Runs a casework command, or returns null when `command` is not one. */
export function runCaseworkCommand(command: string, args: string[], withRuntime: Run): Promise<number> | null {
  switch (command) {
    case 'log':
      return logCommand(args, withRuntime);
    case 'legal':
      return legalCommand(args, withRuntime);
    case 'worklist':
      return worklistCommand(args, withRuntime);
    case 'protocol':
      return protocolCommand(args, withRuntime);
    default:
      return null;
  }
}
