// Which "global" word a tenant's text is, checked at every step before the step's own question: consent
// (STOP, START), safety (crisis words, by kind), asking for a person, "wrong number", "stop texting me",
// "I've already paid", not understanding us, hardship, and BALANCE / STATEMENT. Most urgent first: a
// crisis outranks everything but STOP, and an offer with a reason ("£5 a week as I lost my job") is an
// offer, not a hardship message. Pure detection; step.ts acts on it.
import {
  type AccountRequest,
  type CrisisKind,
  detectAlreadyPaid,
  detectConfusion,
  detectCrisis,
  detectHardship,
  detectOptOutRequest,
  detectWrongNumber,
  matchAccountRequest,
  matchGlobalKeyword,
  parseMoney,
} from './parsers/index.js';

type GlobalWord =
  | { event: 'opt_out' | 'opt_in' | 'help' | 'human' | 'opt_out_request' | 'already_paid' }
  | { event: 'crisis'; kind: CrisisKind; detail: string }
  | { event: 'wrong_number'; detail: string }
  | { event: 'confusion'; detail: string }
  // No "Matched" detail: the officers' card quotes the tenant's whole text, and the hand-off is often
  // raised by a flow step (flows/hardship.yaml), which has no detail to pass (src/engine/hardship.ts).
  | { event: 'hardship' }
  | { event: 'account_request'; request: AccountRequest };

export function detectGlobal(text: string): GlobalWord | null {
  const keyword = matchGlobalKeyword(text);
  if (keyword === 'opt_out') return { event: 'opt_out' };
  const crisis = detectCrisis(text);
  if (crisis)
    return {
      event: 'crisis',
      kind: crisis.kind,
      detail: `Kind: ${crisis.kind.replace(/_/g, ' ')}. Matched "${crisis.matched}" (${crisis.category}).`,
    };
  if (keyword) return { event: keyword };
  if (detectWrongNumber(text))
    return { event: 'wrong_number', detail: 'The reply says this is the wrong number or person.' };
  if (detectOptOutRequest(text)) return { event: 'opt_out_request' };
  if (detectAlreadyPaid(text)) return { event: 'already_paid' };
  const confusion = detectConfusion(text);
  if (confusion) return { event: 'confusion', detail: `Matched "${confusion.matched}".` };
  const hardship = detectHardship(text);
  if (hardship && parseMoney(text) === null) return { event: 'hardship' };
  const request = matchAccountRequest(text);
  if (request) return { event: 'account_request', request };
  return null;
}
