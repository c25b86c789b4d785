// Mobile numbers from the housing system: E.164 when textable, otherwise kept raw with a reason.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

type PhoneCheck =
  { textable: true; e164: string } | { textable: false; e164: null; reason: 'missing' | 'landline' | 'invalid' };

// Ofcom reserves 07700 900000–900999 for drama: no real person has these, so demo data and tests can
// "text" them safely. libphonenumber (rightly) calls them invalid, so they are allowed here by name.
const OFCOM_DRAMA_MOBILES = /^\+447700900\d{3}$/;

// UK mobiles (071–075, 077–079) in their everyday spellings. libphonenumber takes ~40 µs a number, which
// is 7 s of a 150,000-tenant import; this shape is unambiguous, so it skips the full parse. Anything else
// (070 personal numbers, 076 pagers, landlines, foreign numbers, odd spellings) still gets the full check.
const UK_MOBILE_SHAPE = /^(?:\+44|0044|44|0)(7[1-57-9]\d{8})$/;

/** The E.164 form of a UK mobile in an everyday spelling, or null when the number needs the full check. */
export function quickUkMobile(text: string): string | null {
  const quick = UK_MOBILE_SHAPE.exec(text.replace(/[\s()-]/g, ''));
  return quick ? `+44${quick[1]}` : null;
}

export function checkMobile(raw: string): PhoneCheck {
  const text = raw.trim();
  if (text === '') return { textable: false, e164: null, reason: 'missing' };
  const quick = quickUkMobile(text);
  if (quick) return { textable: true, e164: quick };
  const parsed = parsePhoneNumberFromString(text, 'GB');
  if (!parsed) return { textable: false, e164: null, reason: 'invalid' };
  const e164 = parsed.number;
  if (OFCOM_DRAMA_MOBILES.test(e164)) return { textable: true, e164 };
  if (!parsed.isValid()) return { textable: false, e164: null, reason: 'invalid' };
  const type = parsed.getType();
  if (type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE') return { textable: true, e164 };
  return { textable: false, e164: null, reason: 'landline' };
}
