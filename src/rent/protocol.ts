// The pre-action protocol checklist for one tenancy, computed from its contact log and never typed in
// (docs/rules.md, "Pre-action protocol"). Each item is met, not met or not applicable, with the log lines
// that prove it; the case is ready for a notice only when every item is met or not applicable. Exported
// for every view that shows it: the API, the CLI, the Slack card and the evidence pack.

type ProtocolItemKey =
  | 'early_contact'
  | 'cause_discussed'
  | 'affordability_assessed'
  | 'repayment_offered'
  | 'rent_statement_sent'
  | 'benefit_help_offered'
  | 'debt_advice_signposted'
  | 'vulnerability_considered'
  | 'no_breathing_space'
  | 'no_benefit_claim_pending'
  | 'no_kept_arrangement';
type ProtocolStatus = 'met' | 'not_met' | 'not_applicable';

export interface ProtocolLogEntry {
  id: number;
  at: Date;
  tenantNo: number | null;
  event: string;
  /** `tenant`, `rentline`, `officer:<id>`, ... */
  actor: string;
  detail: Record<string, unknown>;
  /** For lines about an outbound message: its delivery status now and its text. */
  message?: { status: string; body: string } | null;
}

interface ProtocolInput {
  now: Date;
  /** Every named tenant of the tenancy. */
  tenantNos: readonly number[];
  /** When the current arrears arose (the arrears episode opened); null when there are none. */
  arrearsSince: Date | null;
  log: readonly ProtocolLogEntry[];
  breathingSpaceActive: boolean;
  benefitClaimPending: boolean;
  /** The latest arrangement's status, or null. */
  arrangementStatus: string | null;
  /** Words that show a text named free debt advice: agency names and phone numbers, "debt advice". */
  debtAdviceWords: readonly string[];
}

interface Evidence {
  contact_log_id: number;
  at: string;
  event: string;
}

interface ProtocolItem {
  key: ProtocolItemKey;
  status: ProtocolStatus;
  evidence: Evidence[];
  /** Why, in words an officer can check. */
  note: string;
}

export interface ProtocolChecklist {
  ready_for_notice: boolean;
  reason: string;
  items: ProtocolItem[];
}

/** A statement counts when it covers at least this many weeks and went in this many days. */
const STATEMENT_WEEKS = 13;
const STATEMENT_WITHIN_DAYS = 91;
/** What officers' vulnerability decisions are logged as (src/cases/holds.ts: marked with a review date, or cleared). */
const VULNERABILITY_REVIEW_EVENTS: ReadonlySet<string> = new Set(['vulnerability_marked', 'vulnerability_cleared']);

/** An officer's vulnerability review counts for this long. */
const VULNERABILITY_REVIEW_DAYS = 365;

/** Message statuses that show a text went out (kept: held as sent while Twilio is not configured). */
const DELIVERED = new Set(['sent', 'delivered', 'read', 'kept']);
/** The contact-log lines that record an outbound text going out (one per message). */
const TEXT_SENT_EVENTS = new Set(['message_sent', 'message_kept']);
/** Officer-logged contact (calls, visits, letters, emails). */
export const OFFICER_CONTACT_EVENTS = ['contact_call', 'contact_visit', 'contact_letter', 'contact_email'] as const;
/** Contact that counts as early contact with a named tenant, besides a delivered text. */
const EARLY_CONTACT_EVENTS = new Set(['contact_call', 'contact_visit', 'contact_letter']);
const OFFER_EVENTS = new Set([
  'offer_recorded',
  'repayment_offered',
  'officer_accepted',
  'officer_countered',
  'counter_offer_accepted',
]);
const ARRANGEMENT_EVENTS = new Set(['officer_accepted', 'counter_offer_accepted', 'arrangement_kept']);
const KEPT = new Set(['active', 'kept']);
const DAY_MS = 86_400_000;

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function evidenceOf(entries: readonly ProtocolLogEntry[]): Evidence[] {
  return entries.map((e) => ({ contact_log_id: e.id, at: e.at.toISOString(), event: e.event }));
}

function item(
  key: ProtocolItemKey,
  status: ProtocolStatus,
  entries: readonly ProtocolLogEntry[],
  note: string,
): ProtocolItem {
  return { key, status, evidence: evidenceOf(entries), note };
}

function deliveredText(e: ProtocolLogEntry): boolean {
  return TEXT_SENT_EVENTS.has(e.event) && e.message != null && DELIVERED.has(e.message.status);
}

/** A line an officer wrote: from Slack (`officer:`), the CLI (`cli:`) or the API (`api:`). */
function isOfficer(e: ProtocolLogEntry): boolean {
  return e.actor.startsWith('officer:') || e.actor.startsWith('cli:') || e.actor.startsWith('api:');
}

/** An item met by any of `matching`, not met otherwise; not applicable without arrears. */
function byEvidence(
  key: ProtocolItemKey,
  since: Date | null,
  log: readonly ProtocolLogEntry[],
  matches: (e: ProtocolLogEntry) => boolean,
  notes: { met: string; missing: string },
): ProtocolItem {
  if (since === null) return item(key, 'not_applicable', [], 'No arrears');
  const found = log.filter((e) => e.at >= since && matches(e));
  return found.length > 0 ? item(key, 'met', found, notes.met) : item(key, 'not_met', [], notes.missing);
}

function earlyContact(input: ProtocolInput, since: Date | null): ProtocolItem {
  if (since === null) return item('early_contact', 'not_applicable', [], 'No arrears');
  const evidence: ProtocolLogEntry[] = [];
  const missing: number[] = [];
  for (const tenantNo of input.tenantNos) {
    const first = input.log.find(
      (e) => e.at >= since && e.tenantNo === tenantNo && (deliveredText(e) || EARLY_CONTACT_EVENTS.has(e.event)),
    );
    if (first) evidence.push(first);
    else missing.push(tenantNo);
  }
  if (missing.length === 0)
    return item('early_contact', 'met', evidence, 'Every named tenant was contacted after the arrears arose');
  return item(
    'early_contact',
    'not_met',
    evidence,
    `Not yet contacted since the arrears arose: tenant ${missing.join(', ')} (a delivered text, or a logged call, visit or letter)`,
  );
}

function rentStatement(input: ProtocolInput): ProtocolItem {
  const from = new Date(input.now.getTime() - STATEMENT_WITHIN_DAYS * DAY_MS);
  const found = input.log.filter((e) => {
    if (e.event !== 'rent_statement_sent' || e.at < from || e.at > input.now) return false;
    const weeks = e.detail.weeks;
    return typeof weeks !== 'number' || weeks >= STATEMENT_WEEKS;
  });
  return found.length > 0
    ? item(
        'rent_statement_sent',
        'met',
        found,
        `A ${STATEMENT_WEEKS}-week rent statement went in the last ${STATEMENT_WITHIN_DAYS} days`,
      )
    : item(
        'rent_statement_sent',
        'not_met',
        [],
        `No ${STATEMENT_WEEKS}-week rent statement sent in the last ${STATEMENT_WITHIN_DAYS} days`,
      );
}

function vulnerability(input: ProtocolInput): ProtocolItem {
  const from = new Date(input.now.getTime() - VULNERABILITY_REVIEW_DAYS * DAY_MS);
  const found = input.log.filter(
    (e) =>
      e.at >= from && isOfficer(e) && (VULNERABILITY_REVIEW_EVENTS.has(e.event) || text(e.detail.vulnerability) !== ''),
  );
  return found.length > 0
    ? item('vulnerability_considered', 'met', found, 'An officer recorded a vulnerability review')
    : item(
        'vulnerability_considered',
        'not_met',
        [],
        `No officer's vulnerability review recorded in the last ${VULNERABILITY_REVIEW_DAYS} days`,
      );
}

function lastOf(log: readonly ProtocolLogEntry[], events: ReadonlySet<string>): ProtocolLogEntry[] {
  const last = [...log].reverse().find((e) => events.has(e.event));
  return last ? [last] : [];
}

/** The checklist for one tenancy now. */
export function protocolChecklist(input: ProtocolInput): ProtocolChecklist {
  const since = input.arrearsSince;
  const log = [...input.log].sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id);
  const withLog = { ...input, log };
  const words = input.debtAdviceWords.map((w) => w.toLowerCase()).filter((w) => w !== '');
  const items: ProtocolItem[] = [
    earlyContact(withLog, since),
    byEvidence(
      'cause_discussed',
      since,
      log,
      (e) =>
        (OFFICER_CONTACT_EVENTS as readonly string[]).includes(e.event)
          ? text(e.detail.cause) !== ''
          : (e.event === 'offer_recorded' && text(e.detail.reason) !== '') || e.event === 'affordability_assessed',
      {
        met: 'The cause of the arrears was discussed',
        missing:
          'No record of the cause being discussed (an officer contact with the cause, the reason given with an offer, or an affordability check)',
      },
    ),
    byEvidence('affordability_assessed', since, log, (e) => e.event === 'affordability_assessed', {
      met: 'An income and expenditure check was done',
      missing: 'No affordability check since the arrears arose',
    }),
    byEvidence('repayment_offered', since, log, (e) => OFFER_EVENTS.has(e.event), {
      met: 'A repayment arrangement was offered or discussed',
      missing: 'No repayment offer since the arrears arose',
    }),
    rentStatement(withLog),
    byEvidence('benefit_help_offered', since, log, (e) => e.event === 'benefit_help_offered', {
      met: 'Help with Housing Benefit or Universal Credit was offered',
      missing: 'No benefit help offered since the arrears arose',
    }),
    byEvidence(
      'debt_advice_signposted',
      since,
      log,
      (e) =>
        e.event === 'officer_referred' ||
        (deliveredText(e) && words.some((w) => (e.message?.body ?? '').toLowerCase().includes(w))),
      { met: 'Free debt advice was signposted', missing: 'No delivered text naming free debt advice, and no referral' },
    ),
    vulnerability(withLog),
    input.breathingSpaceActive
      ? item(
          'no_breathing_space',
          'not_met',
          [],
          'A Breathing Space is in force: no notice may be served for these arrears',
        )
      : item('no_breathing_space', 'met', [], 'No Breathing Space in force'),
    input.benefitClaimPending
      ? item(
          'no_benefit_claim_pending',
          'not_met',
          lastOf(log, new Set(['benefit_claim_pending'])),
          'A benefit claim is pending',
        )
      : item(
          'no_benefit_claim_pending',
          'met',
          lastOf(log, new Set(['benefit_claim_cleared'])),
          'No benefit claim pending',
        ),
    input.arrangementStatus !== null && KEPT.has(input.arrangementStatus)
      ? item(
          'no_kept_arrangement',
          'not_met',
          lastOf(log, ARRANGEMENT_EVENTS),
          'An arrangement is being kept: proceedings stay postponed while it is',
        )
      : item(
          'no_kept_arrangement',
          'met',
          lastOf(log, new Set(['arrangement_broken'])),
          input.arrangementStatus === 'broken' ? 'The last arrangement was broken' : 'No arrangement is being kept',
        ),
  ];
  if (since === null)
    return { ready_for_notice: false, reason: 'No arrears: there is nothing to serve a notice for', items };
  const open = items.filter((i) => i.status === 'not_met');
  if (open.length === 0)
    return {
      ready_for_notice: true,
      reason: 'Every pre-action step is evidenced; a person decides whether to serve a notice',
      items,
    };
  return { ready_for_notice: false, reason: `Not ready: ${open.map((i) => i.key).join(', ')} not met`, items };
}

/**
 * The day the current arrears arose: the first charge after the rent account was last clear (balance zero
 * or in credit), or null when it is clear now. Entries are the rent account's, in date order.
 */
export function arrearsAroseOn(
  entries: readonly { date: string; amountPence: number }[],
  today: string,
): string | null {
  let balance = 0;
  let arose: string | null = null;
  for (const e of entries) {
    if (e.date > today) break;
    balance += e.amountPence;
    if (balance <= 0) arose = null;
    else if (arose === null) arose = e.date;
  }
  return arose;
}
