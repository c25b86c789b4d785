// Officers lift holds from Slack: "Resolve crisis" and "Clear dispute" on a card, and `/rent <ref>
// vulnerable set|clear [tenant N] [review YYYY-MM-DD]`, `/rent <ref> dispute clear`, `/rent <ref>
// resolve-crisis`. The same use-cases as the CLI and the API (src/cases/holds.ts), with the same
// authorisation as every card button: a listed officer, or the tenancy's own patch officer.
import type { App, BlockAction, ButtonAction, webApi } from '@slack/bolt';
import { clearDispute, resolveCrisis, setVulnerable, type HoldChange } from '../../cases/holds.js';
import { ACTIONS } from '../ids.js';
import { caseForOfficer, clickOf, tellUser, type Click, type SlackDeps } from './shared.js';

type RentHoldAction =
  | { kind: 'vulnerable'; set: boolean; tenantNo: number | null; reviewOn: string | null; note: string | null }
  | { kind: 'dispute_clear'; note: string | null }
  | { kind: 'resolve_crisis'; note: string | null };

export const RENT_HOLD_USAGE =
  '`/rent <ref> vulnerable set|clear [tenant N] [review YYYY-MM-DD] [note …]`, `/rent <ref> dispute clear [note …]`, `/rent <ref> resolve-crisis [note …]`';

/** The words after `/rent <ref>` as a hold action; null when they are not one, a string when they are malformed. */
export function parseRentHoldAction(words: readonly string[]): RentHoldAction | string | null {
  const [verb, ...rest] = words;
  const noteAt = rest.indexOf('note');
  const note = noteAt >= 0 ? rest.slice(noteAt + 1).join(' ') || null : null;
  const args = noteAt >= 0 ? rest.slice(0, noteAt) : rest;
  if (verb === 'resolve-crisis')
    return args.length === 0 ? { kind: 'resolve_crisis', note } : `Usage: ${RENT_HOLD_USAGE}`;
  if (verb === 'dispute')
    return args.length === 1 && args[0] === 'clear' ? { kind: 'dispute_clear', note } : `Usage: ${RENT_HOLD_USAGE}`;
  if (verb !== 'vulnerable') return null;
  const [mode, ...options] = args;
  if (mode !== 'set' && mode !== 'clear') return `Usage: ${RENT_HOLD_USAGE}`;
  let tenantNo: number | null = null;
  let reviewOn: string | null = null;
  for (let i = 0; i < options.length; i += 2) {
    const [name, value] = [options[i], options[i + 1]];
    if (name === 'tenant' && value && /^[1-9]\d*$/.test(value)) tenantNo = Number(value);
    else if (name === 'review' && value && /^\d{4}-\d{2}-\d{2}$/.test(value) && mode === 'set') reviewOn = value;
    else return `Usage: ${RENT_HOLD_USAGE}`;
  }
  return { kind: 'vulnerable', set: mode === 'set', tenantNo, reviewOn, note };
}

/** Carries out a /rent hold action for an authorised officer; returns the sentence to show them. */
export async function runRentHoldAction(
  deps: SlackDeps,
  ref: string,
  action: RentHoldAction,
  userId: string,
): Promise<string> {
  const base = { tenancyRef: ref, actor: `officer:${userId}`, note: action.note, now: deps.clock.now() };
  const change =
    action.kind === 'vulnerable'
      ? await setVulnerable(deps.sql, {
          ...base,
          tenantNo: action.tenantNo,
          vulnerable: action.set,
          reviewOn: action.reviewOn,
        })
      : action.kind === 'dispute_clear'
        ? await clearDispute(deps.sql, base)
        : await resolveCrisis(deps.sql, base);
  deps.logger.info(
    { source: 'slack', action: action.kind, outcome: change.outcome, officer: userId },
    'hold changed (the tenancy is in the contact log)',
  );
  return describeChange(action, change);
}

function describeChange(action: RentHoldAction, change: HoldChange): string {
  if (change.outcome === 'not_found') return 'No such tenancy in Rentline. Nothing was changed.';
  if (change.outcome === 'no_such_tenant') return 'The tenancy has no tenant with that number. Nothing was changed.';
  if (change.outcome === 'unchanged') {
    return action.kind === 'vulnerable'
      ? 'No tenant was marked vulnerable. Nothing was changed.'
      : action.kind === 'dispute_clear'
        ? 'No dispute is open on this tenancy. Nothing was changed.'
        : 'No crisis is open on this tenancy. Nothing was changed.';
  }
  const tenants = change.tenants.map((n) => `tenant ${n}`).join(', ');
  if (action.kind === 'vulnerable') {
    return action.set
      ? `Marked vulnerable (${tenants})${action.reviewOn ? `, review ${action.reviewOn}` : ''}: no automated contact; officers are told instead. Logged.`
      : `Vulnerability cleared (${tenants}). Logged; the next job run treats the tenancy afresh.`;
  }
  return action.kind === 'dispute_clear'
    ? 'Dispute cleared. Logged; automated texts resume at the next job run.'
    : 'Crisis resolved. Logged; automated texts resume at the next job run.';
}

async function fromCard(
  deps: SlackDeps,
  client: webApi.WebClient,
  click: Click,
  kind: 'dispute_clear' | 'resolve_crisis',
): Promise<void> {
  const row = await caseForOfficer(deps, client, click, kind);
  if (!row) return;
  const text = await runRentHoldAction(deps, row.tenancy_ref, { kind, note: null }, click.userId);
  await tellUser(deps, client, click, text);
}

export function registerHoldListeners(bolt: App, deps: SlackDeps): void {
  bolt.action<BlockAction<ButtonAction>>(ACTIONS.resolveCrisis, async ({ ack, body, action, client }) => {
    await ack();
    await deps.afterAck(() => fromCard(deps, client, clickOf(body, action.value), 'resolve_crisis'));
  });
  bolt.action<BlockAction<ButtonAction>>(ACTIONS.clearDispute, async ({ ack, body, action, client }) => {
    await ack();
    await deps.afterAck(() => fromCard(deps, client, clickOf(body, action.value), 'dispute_clear'));
  });
}
