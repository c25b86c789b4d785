// The flow interpreter: given a flow, a session and one input (a text, a timeout, an officer's decision)
// it returns the next session and the effects for the shell to apply. Pure: no I/O and no clock; `ctx.now`
// is the only time it knows. Global words (STOP, HELP, crisis words, "I've already paid"...) are checked
// at every step before the step's own question, because safety and consent never wait for the script.
import type { CrisisKind } from './parsers/index.js';
import { answerWaitingRequest, identityForWaitingRequest, onAccountRequest } from './account-requests.js';
import { runActions } from './actions.js';
import { missingOfferParts, readAnswer } from './answers.js';
import { detectGlobal } from './global-words.js';
import { BENEFIT_HELP_OFFERED, HARDSHIP_FLOW, hardshipResponse } from './hardship.js';
import { armTimer, end, escalate, holdsIdentity, send, sendGlobal, type Run } from './run.js';
import { expiryFrom } from './timing.js';
import type { Flow, FlowSet, GlobalReplyKey, OfferPart, Step } from './flow-schema.js';
import type { ConversationContext, Effect, FlowInput, Session } from './types.js';

/** A session refers to a flow version that is no longer loaded; keep old versions in flows/archive/. */
class FlowVersionMissingError extends Error {
  constructor(
    readonly flowId: string,
    readonly flowVersion: string,
  ) {
    super(
      `Flow ${flowId} version ${flowVersion} is not loaded: keep the old file in flows/archive/ until its conversations end`,
    );
    this.name = 'FlowVersionMissingError';
  }
}

const MAX_HOPS = 50; // a loop of `next:` steps is a checker error; this only stops a runaway at run time
const MAX_HISTORY = 50;

export function findFlow(flows: FlowSet, flowId: string, flowVersion?: string): Flow {
  const version = flowVersion ?? flows.latest.get(flowId);
  const flow = version === undefined ? undefined : flows.versions.get(flowId)?.get(version);
  if (!flow) {
    if (flowVersion !== undefined) throw new FlowVersionMissingError(flowId, flowVersion);
    throw new Error(`Unknown flow "${flowId}": add flows/${flowId}.yaml`);
  }
  return flow;
}

/** The conversation carries on in another flow (its newest version), keeping its vars. */
function moveToFlow(run: Run, flowId: string): void {
  const target = findFlow(run.flows, flowId);
  run.flow = target;
  run.session.flowId = target.id;
  run.session.flowVersion = target.flowVersion;
}

/** Asks for one missing part of an offer; a start date we refused as too far ahead is asked again with its year. */
function askPart(run: Run, step: Step, part: OfferPart): void {
  run.session.vars.offer_asking = part;
  if (part === 'start_date' && typeof run.session.vars.offer_start_rejected === 'string') {
    sendGlobal(run, 'date_too_far');
    delete run.session.vars.offer_start_rejected;
    return;
  }
  send(run, step.questions![part]!);
}

/** Enters a step and follows automatic moves (`next`, skipped questions) until the flow waits or ends. */
function enterStep(run: Run, firstStepId: string): void {
  let stepId = firstStepId;
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    const { session, ctx } = run;
    const step = run.flow.steps[stepId];
    if (!step) throw new Error(`Flow ${run.flow.id}: step "${stepId}" does not exist (run \`rentline flows check\`)`);
    session.stepId = stepId;
    session.reasks = 0;
    session.timerId = null;
    session.history = [...(session.history ?? []), { stepId, at: ctx.now.toISOString() }].slice(-MAX_HISTORY);
    const actionEffects = runActions(step.do, ctx, session.vars, run.lastText);

    // Questions whose answer we already have are skipped silently.
    let skipTo: string | undefined;
    if (step.ask === 'date_of_birth_or_postcode') {
      if (session.vars.verified === true) skipTo = step.on?.confirmed;
      else if (!holdsIdentity(ctx)) skipTo = step.on?.no_identity_data;
    }
    if (step.ask === 'offer') {
      const missing = missingOfferParts(session.vars);
      if (missing.length === 0) skipTo = step.on?.complete;
      else if (missing.length < 3) {
        // Part of the offer came earlier (say, at the menu): ask only for what is missing.
        askPart(run, step, missing[0]!);
        run.effects.push(...actionEffects);
        armTimer(run, step);
        return;
      } else session.vars.offer_asking = 'amount';
    }
    if (skipTo !== undefined) {
      run.effects.push(...actionEffects);
      stepId = skipTo;
      continue;
    }

    if (step.say) send(run, step.say, step.whatsapp_template);
    run.effects.push(...actionEffects);
    if (step.end !== undefined) return end(run, step.end);
    if (step.next !== undefined) {
      stepId = step.next;
      continue;
    }
    if (step.on_affordability) {
      const outcome = String(session.vars.affordability_outcome ?? '');
      const to = step.on_affordability[outcome as keyof typeof step.on_affordability];
      if (to === undefined) return end(run, `no_route_for_affordability_${outcome || 'unassessed'}`);
      stepId = to;
      continue;
    }
    if (step.continue_with !== undefined) {
      // The conversation carries on in another flow, keeping its vars (identity already confirmed, say).
      moveToFlow(run, step.continue_with);
      stepId = run.flow.startStep;
      continue;
    }
    if (step.on_decision) {
      const decision = String(session.vars.decision ?? '');
      const to = step.on_decision[decision as keyof typeof step.on_decision];
      if (to === undefined) return end(run, `no_route_for_${decision || 'decision'}`);
      stepId = to;
      continue;
    }
    armTimer(run, step);
    return;
  }
  throw new Error(`Flow ${run.flow.id}: more than ${MAX_HOPS} steps without waiting for the tenant (a loop of next:)`);
}

const CRISIS_REPLIES: Record<CrisisKind, GlobalReplyKey> = {
  self_harm: 'crisis_self_harm',
  domestic_abuse: 'crisis_domestic_abuse',
  bereavement_illness: 'crisis_bereavement_illness',
};

/**
 * Handles a global word. Returns 'ended' when the conversation is over, 'continue' when the flow
 * carries on (HELP, START, BALANCE), or null when the text was not a global word.
 */
function handleGlobal(run: Run, text: string, atStart: boolean): 'ended' | 'continue' | null {
  const found = detectGlobal(text);
  if (!found) return null;
  switch (found.event) {
    case 'opt_out':
      sendGlobal(run, 'opt_out');
      run.effects.push({ type: 'opt_out' });
      end(run, 'opted_out');
      return 'ended';
    case 'crisis':
      // One safe acknowledgement only, chosen by kind: the session ends here, so no later text can repeat it.
      // The reason stays `crisis` for every kind: an open crisis holds all automated texts to the tenancy.
      sendGlobal(run, CRISIS_REPLIES[found.kind]);
      escalate(run, 'crisis', 'urgent', found.detail, found.kind);
      run.session.vars.crisis_acknowledged = true;
      end(run, 'crisis');
      return 'ended';
    case 'confusion':
      sendGlobal(run, 'confusion');
      escalate(run, 'language_support', 'normal', found.detail);
      end(run, 'language_support');
      return 'ended';
    case 'hardship':
      return onHardship(run);
    case 'account_request':
      return onAccountRequest(run, found.request, atStart);
    case 'opt_in':
      sendGlobal(run, 'opt_in');
      run.effects.push({ type: 'opt_in' });
      if (atStart) {
        end(run, 'opted_in');
        return 'ended';
      }
      return 'continue';
    case 'help':
      sendGlobal(run, 'help');
      return 'continue';
    case 'human': {
      // A question that offers a person itself (the hardship offer: "or OFFICER to speak to a person")
      // routes the request there: its officer was told already, so no second, urgent hand-off.
      const person = atStart ? undefined : run.flow.steps[run.session.stepId]?.on?.person;
      if (person !== undefined) {
        enterStep(run, person);
        return 'ended';
      }
      sendGlobal(run, 'human');
      escalate(run, 'human_requested', 'urgent');
      end(run, 'human_requested');
      return 'ended';
    }
    case 'opt_out_request':
      sendGlobal(run, 'opt_out_request');
      run.effects.push({ type: 'opt_out' });
      escalate(run, 'opt_out_request', 'normal');
      end(run, 'opt_out_request');
      return 'ended';
    case 'wrong_number':
      // Whoever has this phone may not be the tenant: stop texting it and let an officer check the number.
      sendGlobal(run, 'wrong_number');
      run.effects.push({ type: 'opt_out' });
      escalate(run, 'opt_out_request', 'normal', found.detail);
      end(run, 'wrong_number');
      return 'ended';
    case 'already_paid':
      if (run.flow.on_already_paid) {
        enterStep(run, run.flow.on_already_paid);
        return 'ended';
      }
      sendGlobal(run, 'already_paid');
      run.effects.push({ type: 'dispute' });
      escalate(run, 'already_paid', 'normal');
      end(run, 'already_paid');
      return 'ended';
  }
}

/**
 * Hardship words: benefit help, logged, then what fits where the tenant is (src/engine/hardship.ts, which
 * also says why officers are told at once). Returns as handleGlobal does.
 */
function onHardship(run: Run): 'ended' | 'continue' {
  const response = hardshipResponse(run.flow, run.session.vars);
  if (response === 'again') {
    sendGlobal(run, 'hardship_again');
    return 'continue';
  }
  run.session.vars[BENEFIT_HELP_OFFERED] = true;
  const logBenefitHelp = () => run.effects.push({ type: 'log', entry: { event: 'benefit_help_offered' } });
  switch (response) {
    case 'offer_check':
      // The reply ends with the question flows/hardship.yaml waits on; its first step alerts officers.
      sendGlobal(run, 'hardship');
      logBenefitHelp();
      moveToFlow(run, HARDSHIP_FLOW);
      enterStep(run, run.flow.startStep);
      return 'ended';
    case 'carry_on':
      sendGlobal(run, 'hardship_during_check');
      logBenefitHelp();
      escalate(run, 'hardship', 'normal');
      return 'continue';
    case 'hand_off':
      sendGlobal(run, 'hardship_hand_off');
      logBenefitHelp();
      escalate(run, 'hardship', 'normal');
      end(run, 'benefit_help');
      return 'ended';
  }
}

function storeDecision(run: Run, input: Extract<FlowInput, { kind: 'decision' }>): void {
  const vars = run.session.vars;
  vars.decision = input.decision;
  if (input.offer) {
    vars.officer_offer_amount = input.offer.amountPence;
    vars.officer_offer_frequency = input.offer.frequency;
    vars.officer_offer_start = input.offer.startDate;
  }
  if (input.agencyId !== undefined) vars.agency_id = input.agencyId;
  if (input.officerName !== undefined) vars.officer_name = input.officerName;
}

function storeStartVars(run: Run, input: Extract<FlowInput, { kind: 'start' }>): void {
  for (const name of Object.keys(run.flow.needs ?? {})) {
    const value = input.vars?.[name];
    if (value === undefined)
      throw new Error(`Flow ${run.flow.id} needs "${name}" when it starts: pass it in start.vars`);
    run.session.vars[name] = value;
  }
}

/** A session at the start step of `flow`, begun `now`, that lapses at `expiresAt` if nothing moves it. */
export function newSession(flow: Flow, now: Date, expiresAt: Date): Session {
  return {
    flowId: flow.id,
    flowVersion: flow.flowVersion,
    stepId: flow.startStep,
    status: 'active',
    vars: {},
    reasks: 0,
    timerId: null,
    startedAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    history: [],
  };
}

/** Starts a conversation on the newest version of a flow. `input` is what started it (default: us). */
export function startSession(
  flows: FlowSet,
  flowId: string,
  ctx: ConversationContext,
  input: FlowInput = { kind: 'start' },
): { session: Session; effects: Effect[] } {
  const flow = findFlow(flows, flowId);
  const session = newSession(flow, ctx.now, expiryFrom(ctx.now, ctx.policy));
  const run: Run = { flows, flow, session, ctx, language: ctx.language, effects: [], lastText: null };
  if (input.kind === 'start') storeStartVars(run, input);
  if (input.kind === 'decision') storeDecision(run, input);
  if (input.kind === 'timeout') throw new Error('A conversation cannot start with a timeout');
  if (input.kind === 'text') {
    run.lastText = input.text;
    if (handleGlobal(run, input.text, true) === 'ended') return { session, effects: run.effects };
  }
  enterStep(run, flow.startStep);
  return { session, effects: run.effects };
}

function reaskOrGiveUp(run: Run, step: Step, say: Record<string, string>): void {
  const { session } = run;
  if (session.reasks < run.ctx.policy.conversations.max_reasks) {
    send(run, say);
    session.reasks += 1;
    armTimer(run, step);
    return;
  }
  enterStep(run, step.on_not_understood!.give_up);
}

function onText(run: Run, text: string): void {
  run.lastText = text;
  if (handleGlobal(run, text, false) !== null) return;
  const { session } = run;
  const step = run.flow.steps[session.stepId];
  if (identityForWaitingRequest(run, text, step)) return;
  if (!step?.ask) return; // resting at a step that asks nothing: nothing to interpret
  const answer = readAnswer(step, text, session.vars, run.ctx);
  switch (answer.kind) {
    case 'go':
      if (answer.answer === 'confirmed' && step.ask === 'date_of_birth_or_postcode') {
        session.vars.verified = true;
        run.effects.push({ type: 'verified' });
        answerWaitingRequest(run);
      }
      return enterStep(run, answer.to);
    case 'ask_part':
      session.reasks = 0;
      askPart(run, step, answer.part);
      return armTimer(run, step);
    case 'mismatch':
      return reaskOrGiveUp(run, step, (step.on_mismatch ?? step.on_not_understood!).say);
    case 'not_understood':
      return reaskOrGiveUp(run, step, step.on_not_understood!.say);
  }
}

/** Moves a conversation on by one input. An ended session, a stale timer or an unexpected input changes nothing. */
export function step(
  flows: FlowSet,
  session: Session,
  input: FlowInput,
  ctx: ConversationContext,
): { session: Session; effects: Effect[] } {
  if (session.status === 'ended') return { session, effects: [] };
  const flow = findFlow(flows, session.flowId, session.flowVersion);
  const next: Session = structuredClone(session);
  const run: Run = { flows, flow, session: next, ctx, language: ctx.language, effects: [], lastText: null };
  if (ctx.now.getTime() >= Date.parse(session.expiresAt)) {
    end(run, 'expired');
    return { session: next, effects: run.effects };
  }
  switch (input.kind) {
    case 'start':
      return { session, effects: [] };
    case 'timeout': {
      const step = flow.steps[session.stepId];
      if (input.timerId !== session.timerId || !step?.on_timeout) return { session, effects: [] };
      next.timerId = null;
      enterStep(run, step.on_timeout.go);
      break;
    }
    case 'decision': {
      if (!flow.steps[session.stepId]?.on_decision) return { session, effects: [] };
      storeDecision(run, input);
      enterStep(run, session.stepId);
      break;
    }
    case 'text':
      onText(run, input.text);
      break;
  }
  return { session: next, effects: run.effects };
}
