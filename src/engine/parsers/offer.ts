// The repayment-offer parsers: an amount, a frequency, or a whole offer in one sentence ("I can pay 20
// quid a week from Friday because my hours were cut"). All read one scan of the message (scan.ts).
import { localDateOf, formatDate } from './calendar.js';
import { type Frequency, type FrequencySpan, bareFrequencyAnswer, singleFrequency } from './frequency.js';
import { type MoneyCandidate, chooseAmount, frequencyAfter } from './money.js';
import { type MessageScan, scanMessage } from './scan.js';
import { type Span, matchesOf, originalSlice, overlaps } from './text.js';
import { pickStartDate } from './uk-date.js';

interface ParsedOffer {
  amountPence: number | null;
  frequency: Frequency | null;
  /** Local 'YYYY-MM-DD', never before today's local date. */
  startDate: string | null;
  /** The tenant's own words after "because", "as", "due to"…, in their spelling and case. */
  reason: string | null;
  /** The message exactly as received. */
  raw: string;
}

/** An amount in pence ("£15", "fifteen quid", "a tenner", "£7.50 a week" → 750), or null. */
export function parseMoney(text: string): number | null {
  const scan = scanMessage(text);
  return chooseAmount(scan.money, scan.frequencies, scan.folded.text)?.pence ?? null;
}

/** How often ("a week", "pw", "every 2 weeks", "4-weekly", "pcm", "£60 pm"), or null if none or unclear. */
export function parseFrequency(text: string): Frequency | null {
  const scan = scanMessage(text);
  if (scan.frequencies.length === 0) return bareFrequencyAnswer(scan.folded.text);
  return singleFrequency(scan.frequencies);
}

// What introduces a reason. "as" and "since" only before a person or "my…" ("as my hours were cut"),
// and "as" not closing "as soon as", "as much as"…, so that those and "since March" are not reasons.
const PERSON = "(?:i|i'm|im|i've|ive|i'd|my|we|we're|we've|our|he|she|they|it's|the\\s+dwp|universal\\s+credit|uc)";
const REASON_START = new RegExp(
  "(?<![a-z])(?:because(?:\\s+of)?|becos|cos|coz|cuz|'cause|cause|bc|b/c|due\\s+to|as\\s+a\\s+result\\s+of" +
    '|the\\s+reason\\s+(?:is|being)|reason\\s+being|reason\\s*:' +
    // Welsh: "oherwydd" / "achos" (because), "gan fod" / "am fod" (since), "o achos" (because of).
    '|oherwydd(?:\\s+bod|\\s+fod)?|achos|o\\s+achos|gan\\s+fod|am\\s+fod|y\\s+rheswm\\s+yw|' +
    `(?:since|(?<!(?:soon|long|much|well|such|same|far|quickly|quick|often|many|good)\\s+)as)(?=\\s+${PERSON}(?![a-z']))(?!\\s+i\\s+(?:said|say|mentioned|told|explained)))\\s*`,
  'g',
);
// Where a reason stops: the end of the sentence, or a new clause that goes back to the offer.
const REASON_END = /[.!?;\n]|,\s*(?:so|but|and\s+i|i)(?![a-z'])|\s+so\s+i(?![a-z'])/;

interface Reason {
  span: Span;
  text: string;
}

function findReason(scan: MessageScan): Reason | null {
  const text = scan.folded.text;
  const parts: Span[] = [...scan.money, ...scan.dates, ...scan.frequencies];
  for (const m of matchesOf(REASON_START, text)) {
    const start = m.index + m[0].length;
    const stop = REASON_END.exec(text.slice(start));
    let end = stop ? start + stop.index : text.length;
    // "as my UC was cut, starting on the 1st": a comma followed by part of the offer ends the reason.
    for (let comma = text.indexOf(',', start); comma !== -1 && comma < end; comma = text.indexOf(',', comma + 1)) {
      if (parts.some((p) => p.start > comma && p.start < end)) {
        end = comma;
        break;
      }
    }
    const words = originalSlice(scan.folded, { start, end })
      .replace(/[\s\p{P}]+$/u, '')
      .trim();
    if (words.length > 0) return { span: { start: m.index, end }, text: words };
  }
  return null;
}

/** Items outside the reason, unless everything is inside it ("because I get paid on the 28th"). */
function outsideReason<T extends Span>(items: readonly T[], reason: Reason | null): T[] {
  if (reason === null) return [...items];
  const outside = items.filter((item) => !overlaps(item, reason.span));
  return outside.length > 0 ? outside : [...items];
}

function chooseFrequency(amount: MoneyCandidate | null, spans: readonly FrequencySpan[]): Frequency | null {
  const attached = amount === null ? undefined : frequencyAfter(amount, spans);
  if (attached !== undefined) return attached.frequency === 'unsupported' ? null : attached.frequency;
  return singleFrequency(spans);
}

/**
 * Everything a tenant's message says about a repayment offer. Parts it cannot find, or finds more than
 * one reading of, are null; `raw` is always the text as given. "I can't pay £20" offers nothing.
 */
export function parseOffer(text: string, now: Date, timeZone: string): ParsedOffer {
  const raw = text;
  const scan = scanMessage(text);
  const reason = findReason(scan);
  const money = outsideReason(scan.money, reason);
  const frequencies = outsideReason(scan.frequencies, reason);
  const dates = outsideReason(scan.dates, reason);
  const amount = chooseAmount(money, frequencies, scan.folded.text);
  let frequency = chooseFrequency(amount, frequencies);
  if (frequency === null && scan.money.length === 0 && scan.dates.length === 0 && scan.frequencies.length === 0) {
    frequency = bareFrequencyAnswer(scan.folded.text);
  }
  const today = localDateOf(now, timeZone);
  const start = today === null ? null : pickStartDate(dates, today);
  return {
    amountPence: amount?.pence ?? null,
    frequency,
    startDate: start === null ? null : formatDate(start),
    reason: reason?.text ?? null,
    raw,
  };
}
