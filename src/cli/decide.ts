// `rentline decide <escalation_id> accept|refer <agency_id>|counter <amount> <frequency> <start> --officer
// <name>`: settles an escalation without Slack, through the same use-case as a click on the card.
import { parseArgs } from 'node:util';
import { decideEscalation, type OfficerDecision } from '../cases/decisions.js';
import { loadFlows } from '../engine/index.js';
import { parseFrequency, parseMoney, parseUkDate } from '../engine/parsers/index.js';
import { systemClock } from '../lib/clock.js';
import { UsageError, type WithRuntime } from './shared.js';

function parseDecision(args: string[], now: Date, timeZone: string): OfficerDecision {
  const [kind, ...rest] = args;
  if (kind === 'accept') return { kind: 'accept' };
  if (kind === 'refer') {
    if (!rest[0]) throw new UsageError('refer needs an agency id from flows/policy.yaml (referral.agencies)');
    return { kind: 'refer', agencyId: rest[0], note: null };
  }
  if (kind === 'counter') {
    const amountPence = parseMoney(rest[0] ?? '');
    const frequency = parseFrequency(rest[1] ?? '');
    const startDate = parseUkDate(rest[2] ?? '', now, timeZone);
    if (!amountPence || !frequency || !startDate)
      throw new UsageError('counter needs an amount, a frequency and a start date, e.g. counter £20 weekly 2026-12-04');
    return { kind: 'counter', offer: { amountPence, frequency, startDate } };
  }
  throw new UsageError('decide needs accept, refer <agency_id> or counter <amount> <frequency> <start>');
}

export async function decideCommand(args: string[], withRuntime: WithRuntime): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { officer: { type: 'string' } },
    allowPositionals: true,
  });
  const id = Number(positionals[0]);
  const officer = values.officer;
  if (!Number.isInteger(id) || !officer) throw new UsageError('decide needs an escalation id and --officer <name>');
  return withRuntime(async (rt) => {
    const flows = loadFlows(rt.config.flowsDir);
    const decision = parseDecision(positionals.slice(1), systemClock.now(), rt.config.timeZone);
    const result = await decideEscalation(
      { sql: rt.db.sql, flows, policy: rt.policy, clock: systemClock, timeZone: rt.config.timeZone },
      { escalationId: id, officerId: `cli:${officer}`, officerName: officer, decision },
    );
    if (result.outcome === 'not_found') console.error(`No escalation ${id}.`);
    else if (result.outcome === 'already_decided')
      console.error(`Escalation ${id} was already ${result.escalation.status} by ${result.escalation.decided_by}.`);
    else
      console.log(
        `Escalation ${id} ${result.escalation.status}; ${result.messageIds.length} text(s) queued for the tenant.`,
      );
    return result.outcome === 'decided' ? 0 : 1;
  });
}
