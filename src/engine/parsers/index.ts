// The flow engine's text parsers: pure functions from a tenant's words to values. None of them reads the
// clock or throws; `now` and the time zone come in as arguments. Callers keep the raw text themselves.
export { normaliseReply } from './text.js';
export { MAX_PENCE } from './money.js';
export { parseMoney, parseFrequency, parseOffer } from './offer.js';
export { parseUkDate, localToday } from './uk-date.js';
export { parseYesNo } from './yes-no.js';
export {
  type AccountRequest,
  matchAccountRequest,
  matchGlobalKeyword,
  detectOptOutRequest,
  detectWrongNumber,
} from './keywords.js';
export { type CrisisKind, detectConfusion, detectCrisis } from './crisis.js';
export { detectHardship } from './hardship.js';
export { detectAlreadyPaid } from './already-paid.js';
export { parseDateOfBirth, normalisePostcode } from './identity.js';
