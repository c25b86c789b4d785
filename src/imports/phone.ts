// Mobile numbers from the housing system: E.164 when textable, otherwise kept raw with a reason.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type PhoneCheck =
  | { textable: true; e164: string }
  | { textable: false; e164: null; reason: 'missing' | 'landline' | 'invalid' };

// Ofcom reserves 07700 900000–900999 for drama: no real person has these, so demo data and tests can
// "text" them safely. libphonenumber (rightly) calls them invalid, so they are allowed here by name.
const OFCOM_DRAMA_MOBILES = /^\+447700900\d{3}$/;

export function checkMobile(raw: string): PhoneCheck {
  const text = raw.trim();
  if (text === '') return { textable: false, e164: null, reason: 'missing' };
  const parsed = parsePhoneNumberFromString(text, 'GB');
  if (!parsed) return { textable: false, e164: null, reason: 'invalid' };
  const e164 = parsed.number;
  if (OFCOM_DRAMA_MOBILES.test(e164)) return { textable: true, e164 };
  if (!parsed.isValid()) return { textable: false, e164: null, reason: 'invalid' };
  const type = parsed.getType();
  if (type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE') return { textable: true, e164 };
  return { textable: false, e164: null, reason: 'landline' };
}
