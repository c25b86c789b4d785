// BALANCE / BALANS and STATEMENT / DATGANIAD. Amounts only go to a tenant who has confirmed who they are:
// otherwise the request waits for the identity answer (the flow's own identity question, or ours), and is
// answered then. A statement sent is evidence for the pre-action protocol, so it is logged.
import { checkIdentity } from './answers.js';
import { armTimer, holdsIdentity, sendGlobal, type Run } from './run.js';
import type { AccountRequest } from './parsers/index.js';
import type { Step } from './flow-schema.js';

/** BALANCE or STATEMENT from a tenant who has confirmed who they are: the figures, and the statement logged. */
function answerAccountRequest(run: Run, request: AccountRequest): void {
  const { account } = run.ctx;
  const loaded = request === 'balance' ? account.lastPayment !== undefined : account.statement !== undefined;
  if (!loaded) {
    sendGlobal(run, 'account_not_confirmed');
    return;
  }
  sendGlobal(run, request);
  if (request === 'statement')
    run.effects.push({
      type: 'log',
      entry: { event: 'rent_statement_sent', weeks: account.statement!.weeks, from: account.statement!.fromDate },
    });
}

/**
 * BALANCE or STATEMENT. Amounts only go to a tenant who has confirmed who they are: otherwise the request
 * waits for the identity answer (asked by the flow's identity question, or by us here), and is answered then.
 */
export function onAccountRequest(run: Run, request: AccountRequest, atStart: boolean): 'ended' | 'continue' {
  const { vars } = run.session;
  if (vars.verified === true) {
    answerAccountRequest(run, request);
    return 'continue';
  }
  if (!holdsIdentity(run.ctx)) {
    sendGlobal(run, 'account_not_confirmed');
    return 'continue';
  }
  vars.account_request = request;
  // At the start the flow's own first message asks who they are; mid-flow we ask here.
  if (!atStart) sendGlobal(run, 'account_identity_first');
  return 'continue';
}

/** A waiting BALANCE or STATEMENT, once identity is confirmed. */
export function answerWaitingRequest(run: Run): void {
  const request = run.session.vars.account_request;
  if (request !== 'balance' && request !== 'statement') return;
  delete run.session.vars.account_request;
  answerAccountRequest(run, request);
}

/**
 * The identity answer to our own "date of birth or postcode first", at a step that asks something else.
 * Returns true when the text was taken as that answer.
 */
export function identityForWaitingRequest(run: Run, text: string, step: Step | undefined): boolean {
  const { vars } = run.session;
  if (typeof vars.account_request !== 'string' || vars.verified === true || step?.ask === 'date_of_birth_or_postcode')
    return false;
  const checked = checkIdentity(text, run.ctx);
  if (checked === null) return false;
  if (checked === 'confirmed') {
    vars.verified = true;
    run.effects.push({ type: 'verified' });
    answerWaitingRequest(run);
  } else {
    delete vars.account_request;
    sendGlobal(run, 'account_not_confirmed');
  }
  armTimerIfAsking(run, step);
  return true;
}

function armTimerIfAsking(run: Run, step: Step | undefined): void {
  if (step?.ask) armTimer(run, step);
}
