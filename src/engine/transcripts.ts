// Runs golden transcripts: replays the tenant's lines through the real flows on a fixed clock, prints what
// Rentline sent and did, and compares it with the file. With `update` the bot and action lines are
// rewritten from the run (review the change like any other edit); the expect part is always checked.
import { addMinutes } from 'date-fns/addMinutes';
import { whatsappWindowOpen } from '../rent/whatsapp-window.js';
import { formatPence } from '../rent/money.js';
import { parseMoney } from './parsers/index.js';
import { readTranscriptFiles, writeTranscriptFile } from './load.js';
import { findFlow, startSession, step } from './step.js';
import {
  lineDiff,
  parseTranscript,
  printConversation,
  printTranscript,
  TranscriptFormatError,
} from './transcript-format.js';
import type { Policy } from '../rent/policy.js';
import type { FlowSet } from './flow-schema.js';
import type { TranscriptFile, TranscriptLine } from './transcript-format.js';
import type {
  Channel,
  ConversationContext,
  Decision,
  Effect,
  FlowInput,
  Frequency,
  RecordedOffer,
  RentSummary,
  Session,
} from './types.js';

interface TranscriptResult {
  passed: number;
  failed: { file: string; diff: string }[];
}

function str(value: unknown, fallback = ''): string {
  return value === undefined || value === null ? fallback : String(value);
}

function pence(value: unknown, what: string): number {
  if (typeof value === 'number') return Math.round(value * 100);
  const parsed = parseMoney(str(value, '£0'));
  if (parsed === null) throw new TranscriptFormatError(`${what} "${str(value)}" is not an amount like "£12.50"`);
  return parsed;
}

/** `last_payment: { amount: "£50.00", date: 2026-11-20 }`; none given means no payment on record. */
function lastPaymentFrom(value: unknown): { date: string; pence: number } | null {
  if (!value || typeof value !== 'object') return null;
  const raw = value as Record<string, unknown>;
  return { date: str(raw.date), pence: pence(raw.amount, 'last_payment amount') };
}

/** `statement: { weeks: 13, from: 2026-08-27, due: "£1,339.00", paid: "£927.00" }`. */
function statementFrom(value: unknown, balancePence: number): RentSummary {
  const raw = asObject(value);
  return {
    weeks: Number(raw.weeks ?? 13),
    fromDate: str(raw.from),
    duePence: pence(raw.due, 'statement due'),
    paidPence: pence(raw.paid, 'statement paid'),
    balancePence,
  };
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function contextFrom(header: Record<string, unknown>, policy: Policy): ConversationContext {
  const tenant = (header.tenant ?? {}) as Record<string, unknown>;
  const account = (header.account ?? {}) as Record<string, unknown>;
  const now = new Date(str(header.now));
  if (Number.isNaN(now.getTime())) throw new TranscriptFormatError('the header needs now: like 2026-11-25T10:00:00Z');
  return {
    now,
    timeZone: str(header.time_zone, policy.time_zone),
    language: str(header.language, 'en'),
    channel: str(header.channel, 'sms') as Channel,
    tenancyRef: str(header.tenancy_ref, 'DH-000123'),
    tenant: {
      firstName: str(tenant.first_name, 'Sam'),
      dateOfBirth: tenant.date_of_birth ? str(tenant.date_of_birth) : null,
      postcode: tenant.postcode ? str(tenant.postcode) : null,
    },
    account: {
      balancePence: pence(account.balance ?? '£0', 'balance'),
      arrearsPence: pence(account.arrears ?? '£0', 'arrears'),
      weeklyRentPence: pence(account.weekly_rent ?? '£0', 'weekly_rent'),
      nextDueDate: account.next_due ? str(account.next_due) : null,
      lastPayment: lastPaymentFrom(account.last_payment),
      ...(account.statement
        ? { statement: statementFrom(account.statement, pence(account.balance ?? '£0', 'balance')) }
        : {}),
    },
    policy,
    whatsappWindowOpen: str(header.whatsapp_window, 'open') !== 'closed',
  };
}

function decisionFrom(header: Record<string, unknown>): FlowInput {
  const raw = (header.decision ?? {}) as Record<string, unknown>;
  const offer = raw.offer as Record<string, unknown> | undefined;
  return {
    kind: 'decision',
    decision: str(raw.decision, 'accepted') as Decision,
    ...(offer
      ? {
          offer: {
            amountPence: pence(offer.amount, 'decision offer amount'),
            frequency: str(offer.frequency) as Frequency,
            startDate: str(offer.start),
          },
        }
      : {}),
    ...(raw.agency ? { agencyId: str(raw.agency) } : {}),
    ...(raw.officer ? { officerName: str(raw.officer) } : {}),
  };
}

function describeOfferLine(offer: RecordedOffer): string {
  return `${formatPence(offer.amountPence)} ${offer.frequency} from ${offer.startDate}${offer.reason ? `, reason "${offer.reason}"` : ''}`;
}

function indent(text: string): string {
  return text.split('\n').join('\n  ');
}

/** One effect as a transcript line, or null for bookkeeping effects staff need not read (timers). */
function effectLine(effect: Effect, channel: Channel): string | null {
  switch (effect.type) {
    case 'send':
      return `${effect.templateKey ? `bot [template ${effect.templateKey}]` : 'bot'}: ${indent(effect.text)}`;
    case 'escalate':
      return `action: alert officers, ${effect.urgency}, ${effect.reason}${effect.kind ? ` (${effect.kind})` : ''}: ${indent(effect.summary)}`;
    case 'log':
      return `action: log ${effect.entry.event}${'weeks' in effect.entry ? ` (${effect.entry.weeks} weeks)` : ''}`;
    case 'record_offer':
      return `action: record offer ${describeOfferLine(effect.offer)}`;
    case 'counter_accepted':
      return 'action: counter-offer accepted';
    case 'counter_declined':
      return `action: counter-offer declined${effect.newOffer ? `, new offer ${describeOfferLine(effect.newOffer)}` : ''}`;
    case 'opt_out':
      return `action: opt out of ${channel}`;
    case 'opt_in':
      return `action: opt back in to ${channel}`;
    case 'dispute':
      return 'action: freeze automation (tenant says already paid)';
    case 'verified':
      return 'action: identity confirmed';
    case 'set_timer':
      return null;
    case 'end':
      return `action: end (${effect.outcome})`;
    case 'affordability_assessed': {
      const a = effect.assessment;
      const suggested =
        a.suggestedInstalmentPence === null
          ? 'no instalment suggested'
          : `suggests ${formatPence(a.suggestedInstalmentPence)} ${a.frequency}`;
      return `action: affordability assessed: income ${formatPence(a.incomePence)}, outgoings ${formatPence(a.outgoingsPence)}, surplus ${formatPence(a.surplusPence)} a month; ${suggested} (${a.outcome})`;
    }
  }
}

interface RunOutcome {
  lines: TranscriptLine[];
  session: Session | null;
  effects: Effect[];
}

/** Replays one transcript against the flows. Pure. */
function replayTranscript(file: TranscriptFile, flows: FlowSet, policy: Policy): RunOutcome {
  const flowId = str(file.header.flow);
  const flow = findFlow(flows, flowId);
  const base = contextFrom(file.header, policy);
  let now = base.now;
  let lastTenantAt: Date | null = null;
  const windowOpen = (): boolean =>
    lastTenantAt === null ? base.whatsappWindowOpen : whatsappWindowOpen(lastTenantAt, now);
  const ctx = (): ConversationContext => ({ ...base, now, whatsappWindowOpen: windowOpen() });

  const lines: TranscriptLine[] = [];
  const all: Effect[] = [];
  let session: Session | null = null;
  let timerAt: Date | null = null;
  const record = (effects: Effect[]): void => {
    for (const effect of effects) {
      all.push(effect);
      if (effect.type === 'set_timer') timerAt = effect.at;
      const text = effectLine(effect, base.channel);
      if (text !== null) lines.push({ kind: 'output', text });
    }
  };

  const inputs = file.lines.filter((line) => line.kind !== 'output');
  let index = 0;
  if (flow.starts_with !== 'tenant_text') {
    const input: FlowInput =
      flow.starts_with === 'decision'
        ? decisionFrom(file.header)
        : {
            kind: 'start',
            ...(file.header.start_vars ? { vars: file.header.start_vars as Record<string, string | number> } : {}),
          };
    const started = startSession(flows, flowId, ctx(), input);
    session = started.session;
    record(started.effects);
  }
  for (; index < inputs.length; index += 1) {
    const input = inputs[index]!;
    lines.push(input);
    if (input.kind === 'tenant') {
      now = addMinutes(now, 1);
      lastTenantAt = now;
      const result: { session: Session; effects: Effect[] } =
        session === null
          ? startSession(flows, flowId, ctx(), { kind: 'text', text: input.text })
          : step(flows, session, { kind: 'text', text: input.text }, ctx());
      session = result.session;
      record(result.effects);
    } else if (input.kind === 'silence') {
      if (!session || session.timerId === null || timerAt === null) {
        lines.push({ kind: 'output', text: 'action: (nothing was waiting for a reply)' });
        continue;
      }
      now = timerAt;
      const result = step(flows, session, { kind: 'timeout', timerId: session.timerId }, ctx());
      session = result.session;
      record(result.effects);
    }
  }
  return { lines, session, effects: all };
}

function offerSummary(offer: RecordedOffer | undefined): Record<string, string> | null {
  return offer ? { amount: formatPence(offer.amountPence), frequency: offer.frequency, start: offer.startDate } : null;
}

/** The end state in the same shape as a transcript's expect part. */
function endState({ session, effects }: RunOutcome): Record<string, unknown> {
  const escalations = effects.flatMap((e) => (e.type === 'escalate' ? [e] : []));
  const offers = effects.flatMap((e) =>
    e.type === 'record_offer' ? [e.offer] : e.type === 'counter_declined' && e.newOffer ? [e.newOffer] : [],
  );
  const counter = effects.find((e) => e.type === 'counter_accepted' || e.type === 'counter_declined');
  const ended = effects.find((e) => e.type === 'end');
  return {
    status: session?.status ?? 'not started',
    outcome: ended && ended.type === 'end' ? ended.outcome : null,
    step: session?.stepId ?? null,
    offer: offerSummary(offers[offers.length - 1]),
    escalation: escalations.length === 0 ? 'none' : escalations.map((e) => e.reason).join(', '),
    urgent: escalations.some((e) => e.urgency === 'urgent'),
    crisis_kind: escalations.find((e) => e.kind)?.kind ?? null,
    logged: effects.flatMap((e) => (e.type === 'log' ? [e.entry.event] : [])).join(', ') || 'none',
    opted_out: effects.some((e) => e.type === 'opt_out'),
    opted_in: effects.some((e) => e.type === 'opt_in'),
    dispute: effects.some((e) => e.type === 'dispute'),
    verified: effects.some((e) => e.type === 'verified'),
    counter: counter ? (counter.type === 'counter_accepted' ? 'accepted' : 'declined') : null,
  };
}

function normalise(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (value && typeof value === 'object')
    return JSON.stringify(
      Object.fromEntries(
        Object.entries(value)
          .map(([k, v]) => [k, String(v)])
          .sort(),
      ),
    );
  return String(value);
}

/** Differences between expect: and the actual end state, one line each. */
function compareExpect(expect: Record<string, unknown>, actual: Record<string, unknown>): string[] {
  return Object.entries(expect).flatMap(([key, wanted]) => {
    if (!(key in actual)) return [`expect: unknown key "${key}" (known: ${Object.keys(actual).join(', ')})`];
    return normalise(wanted) === normalise(actual[key])
      ? []
      : [`expect ${key}: wanted ${normalise(wanted)}, got ${normalise(actual[key])}`];
  });
}

/** Checks one transcript's text; returns the rewritten text (for update) and any differences. */
export function checkTranscript(
  text: string,
  flows: FlowSet,
  policy: Policy,
): { updated: string; diff: string | null } {
  const file = parseTranscript(text);
  const outcome = replayTranscript(file, flows, policy);
  const expectedConversation = printConversation(file.lines, file.trailingComments);
  const actualConversation = printConversation(outcome.lines, file.trailingComments);
  const problems: string[] = [];
  if (expectedConversation !== actualConversation) problems.push(lineDiff(expectedConversation, actualConversation));
  problems.push(...compareExpect(file.expect, endState(outcome)));
  return { updated: printTranscript(file, outcome.lines), diff: problems.length > 0 ? problems.join('\n') : null };
}

/** Runs every transcript under `dir`. With `update`, rewrites the bot and action lines from the run. */
export function runTranscripts(
  dir: string,
  flows: FlowSet,
  policy: Policy,
  options: { update: boolean },
): TranscriptResult {
  const result: TranscriptResult = { passed: 0, failed: [] };
  for (const { file, text } of readTranscriptFiles(dir)) {
    try {
      const { updated, diff } = checkTranscript(text, flows, policy);
      if (options.update && updated !== text) writeTranscriptFile(file, updated);
      const remaining = options.update ? checkTranscript(updated, flows, policy).diff : diff;
      if (remaining === null) result.passed += 1;
      else result.failed.push({ file, diff: remaining });
    } catch (error) {
      result.failed.push({ file, diff: `could not run: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return result;
}
