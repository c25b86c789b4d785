// The meaning checks for one flow, run at boot and by `rentline flows check`: every step reference points
// at a real step, every step can be reached, every question can cope with a garbled reply and with
// silence, every message exists in every declared language, placeholders are known, messages that can
// go after the WhatsApp 24-hour window have a template, and arrears flows keep the disclosure and debt
// advice rules. Each problem names the file, the step and how to fix it.
import { AFFORDABILITY_CATEGORIES, isAffordabilityCategory } from '../rent/affordability.js';
import { FLOW_ESCALATION_REASONS, OFFER_PARTS } from './flow-schema.js';
import { BUILTIN_PLACEHOLDERS, DISCLOSING_PLACEHOLDERS, placeholdersIn } from './render.js';
import { durationMinutes } from './timing.js';
import type { FlowDefinition, Step } from './flow-schema.js';

export interface FlowProblem {
  file: string;
  step?: string;
  message: string;
  fix: string;
}

interface Edge {
  to: string;
  label: string;
  automatic: boolean;
}

/** Where a step can lead, and whether the move happens without the tenant writing. */
function edgesOf(step: Step): Edge[] {
  const edges: Edge[] = [];
  if (step.next) edges.push({ to: step.next, label: 'next', automatic: true });
  for (const [decision, to] of Object.entries(step.on_decision ?? {}))
    edges.push({ to, label: `on_decision.${decision}`, automatic: true });
  for (const [outcome, to] of Object.entries(step.on_affordability ?? {}))
    edges.push({ to, label: `on_affordability.${outcome}`, automatic: true });
  for (const [answer, to] of Object.entries(step.on ?? {})) {
    // An identity question is skipped when already answered or when we hold nothing to check; an offer
    // question is skipped when the tenant already said everything. Those moves need no reply.
    const skip =
      (step.ask === 'date_of_birth_or_postcode' && (answer === 'confirmed' || answer === 'no_identity_data')) ||
      (step.ask === 'offer' && answer === 'complete');
    edges.push({ to, label: `on.${answer}`, automatic: skip });
  }
  for (const option of step.options ?? [])
    edges.push({ to: option.go, label: `option ${String(option.reply[0])}`, automatic: false });
  if (step.on_not_understood)
    edges.push({ to: step.on_not_understood.give_up, label: 'on_not_understood.give_up', automatic: false });
  if (step.on_timeout) edges.push({ to: step.on_timeout.go, label: 'on_timeout.go', automatic: false });
  return edges;
}

/**
 * A move that happens without the tenant writing, from a fresh start or a timeout. Skipping an identity
 * question because it was already answered cannot happen there, so `on.confirmed` is not one.
 */
function isSilentMove(edge: Edge): boolean {
  return edge.automatic && edge.label !== 'on.confirmed';
}

/** Every message a step can send, with where it sits in the step (for problem reports). */
function textsOf(step: Step): { where: string; text: Record<string, string> }[] {
  const texts: { where: string; text: Record<string, string> }[] = [];
  if (step.say) texts.push({ where: 'say', text: step.say });
  for (const [part, text] of Object.entries(step.questions ?? {})) texts.push({ where: `questions.${part}`, text });
  if (step.on_not_understood) texts.push({ where: 'on_not_understood.say', text: step.on_not_understood.say });
  if (step.on_mismatch) texts.push({ where: 'on_mismatch.say', text: step.on_mismatch.say });
  return texts;
}

const ANSWERS_BY_KIND: Record<string, { required: string[]; allowed: string[] }> = {
  yes_no: { required: ['yes', 'no'], allowed: ['yes', 'no', 'offer', 'person'] },
  choice: { required: [], allowed: ['offer'] },
  date_of_birth_or_postcode: {
    required: ['confirmed', 'no_identity_data'],
    allowed: ['confirmed', 'no_identity_data'],
  },
  offer: { required: ['complete'], allowed: ['complete'] },
  amounts: { required: ['answered'], allowed: ['answered'] },
};

const ADVICE_PLACEHOLDERS = ['debt_advice', 'money_advice_team', 'money_advice_phone', 'agency'];
const FIRST_MESSAGE_FORBIDDEN = /\b(arrears?|evict\w*|eviction|ôl-ddyled\w*|troi allan)\b/i;

// A message may only say what Rentline does. "An officer will contact you" is true only when officers were
// alerted: by the same step, or by a step on every path to it in this conversation (flows/hardship.yaml
// alerts them at its first question, and each way it ends says so); "we'll remind you before each payment"
// is not something Rentline can promise (holds and the policy can stop reminders).
const PROMISES_OFFICER =
  /\b(?:an? (?:income )?officer will (?:contact|call|phone|check|be in touch)|asked an? (?:income )?officer to|bydd swyddog(?: incwm)? yn (?:cysylltu|ffonio|gwirio)|wedi gofyn i swyddog)/i;
const PROMISES_REMINDERS =
  /\b(?:we'll|we will) (?:remind you|send you a reminder|text you a reminder)|byddwn yn eich atgoffa/i;

function alertsOfficers(step: Step): boolean {
  return (step.do ?? []).some((action) => typeof action === 'object');
}

function checkPromises(step: Step, alertedBefore: boolean, problem: (message: string, fix: string) => void): void {
  const alerted = alertedBefore || alertsOfficers(step);
  for (const [language, text] of Object.entries(step.say ?? {})) {
    if (PROMISES_OFFICER.test(text) && !alerted) {
      problem(
        `the message (${language}) says an officer will contact the tenant, but the step alerts no officer`,
        'add do: [{ escalate: help_needed }] (or the right reason), or change the wording',
      );
    }
    if (PROMISES_REMINDERS.test(text)) {
      problem(
        `the message (${language}) promises reminders, which holds or the policy can stop`,
        'remove the promise, e.g. "Please pay each instalment on time."',
      );
    }
  }
}

function mentionsAdvice(step: Step): boolean {
  return Object.values(step.say ?? {}).some((text) =>
    placeholdersIn(text).some((p) => ADVICE_PLACEHOLDERS.includes(p)),
  );
}

/** Steps reachable from `from`, following only edges `follow` allows and not entering steps `stop` rejects. */
function reach(
  flow: FlowDefinition,
  from: string[],
  follow: (edge: Edge, step: Step) => boolean,
  stop: (id: string) => boolean = () => false,
): Set<string> {
  const seen = new Set<string>();
  const queue = from.filter((id) => flow.steps[id] && !stop(id));
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const step = flow.steps[id]!;
    for (const edge of edgesOf(step))
      if (flow.steps[edge.to] && follow(edge, step) && !stop(edge.to)) queue.push(edge.to);
  }
  return seen;
}

function checkStepShape(
  flow: FlowDefinition,
  id: string,
  step: Step,
  problem: (message: string, fix: string) => void,
): void {
  const kinds = (['next', 'end', 'ask', 'on_decision', 'on_affordability', 'continue_with'] as const).filter(
    (key) => step[key] !== undefined,
  );
  if (kinds.length !== 1) {
    problem(
      `the step must do exactly one of next, end, ask, on_decision, on_affordability or continue_with (it has ${kinds.join(', ') || 'none'})`,
      'add `end: <outcome>` to finish, `next: <step>` to go on, or `ask:` to wait for a reply',
    );
  }
  for (const edge of edgesOf(step)) {
    if (!flow.steps[edge.to]) {
      problem(
        `${edge.label} goes to "${edge.to}", which is not a step in this flow`,
        `add a step called "${edge.to}" or use one of: ${Object.keys(flow.steps).join(', ')}`,
      );
    }
  }
  if (step.on_timeout && durationMinutes(step.on_timeout.after, null) === null) {
    problem(
      `on_timeout.after "${step.on_timeout.after}" is not a duration`,
      'write it like 48h, 3d, 30m or reply_timeout',
    );
  }
  if ((step.on || step.options || step.questions || step.on_mismatch) && !step.ask) {
    problem(
      'the step has answers (on/options/questions/on_mismatch) but does not ask anything',
      'add `ask:` or remove the answers',
    );
  }
  if (!step.ask) return;
  if (!step.on_not_understood) {
    problem(
      'the question has no on_not_understood branch',
      'add on_not_understood: { say: {...}, give_up: <hand-off step> }',
    );
  }
  if (!step.on_timeout) problem('the question has no on_timeout', 'add on_timeout: { after: 48h, go: <step> }');
  const rules = ANSWERS_BY_KIND[step.ask]!;
  for (const answer of rules.required) {
    if (!step.on?.[answer]) problem(`ask: ${step.ask} needs on.${answer}`, `add on: { ${answer}: <step> }`);
  }
  for (const answer of Object.keys(step.on ?? {})) {
    if (!rules.allowed.includes(answer)) {
      problem(
        `ask: ${step.ask} never gives the answer "${answer}"`,
        `use one of: ${rules.allowed.join(', ') || 'options: instead of on:'}`,
      );
    }
  }
  if (step.ask === 'amounts') {
    const bad = (step.fields ?? []).filter((f) => !isAffordabilityCategory(f));
    if (!step.fields?.length)
      problem(
        'ask: amounts has no fields',
        `add fields: [${AFFORDABILITY_CATEGORIES.slice(0, 3).join(', ')}] (the categories the question lists)`,
      );
    if (bad.length > 0)
      problem(
        `ask: amounts names unknown categories ${bad.join(', ')}`,
        `use the affordability categories: ${AFFORDABILITY_CATEGORIES.join(', ')}`,
      );
  }
  if (step.ask === 'choice' && !step.options?.length)
    problem('ask: choice has no options', 'add options: [{ reply: [1, pay], go: <step> }]');
  if (step.ask === 'offer') {
    for (const part of OFFER_PARTS) {
      if (!step.questions?.[part])
        problem(`ask: offer has no question for ${part}`, `add questions: { ${part}: { en: "..." } }`);
    }
  }
}

function checkTexts(flow: FlowDefinition, step: Step, problem: (message: string, fix: string) => void): void {
  const known = new Set([...Object.keys(BUILTIN_PLACEHOLDERS), ...Object.keys(flow.needs ?? {})]);
  for (const { where, text } of textsOf(step)) {
    for (const language of flow.languages) {
      if (!text[language])
        problem(
          `${where} has no "${language}" translation`,
          `add ${language}: "..." (the flow declares languages ${flow.languages.join(', ')})`,
        );
    }
    for (const [language, value] of Object.entries(text)) {
      if (!flow.languages.includes(language))
        problem(
          `${where} has text in "${language}", which the flow does not declare`,
          `add ${language} to languages: or remove it`,
        );
      for (const name of placeholdersIn(value)) {
        if (!known.has(name))
          problem(
            `${where} (${language}) uses unknown placeholder {${name}}`,
            `use one of: ${[...known].map((k) => `{${k}}`).join(' ')}`,
          );
      }
    }
  }
}

/** All problems with one parsed flow. */
export function checkFlowRules(file: string, flow: FlowDefinition): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const startStep = flow.start ?? Object.keys(flow.steps)[0];
  if (!startStep || !flow.steps[startStep]) {
    problems.push({
      file,
      message: `the start step "${startStep ?? ''}" does not exist`,
      fix: 'set start: to one of the steps, or add steps',
    });
    return problems;
  }
  if (flow.on_already_paid && !flow.steps[flow.on_already_paid]) {
    problems.push({
      file,
      message: `on_already_paid goes to "${flow.on_already_paid}", which is not a step`,
      fix: 'name an existing step',
    });
  }
  // Steps officers were alerted before, on every path from where a conversation enters the flow: reachable,
  // but not without passing a step that alerts them. (Dangling references are skipped here; reported below.)
  const roots = [startStep, ...(flow.on_already_paid ? [flow.on_already_paid] : [])];
  const reachable = reach(flow, roots, () => true);
  const reachableUnalerted = reach(
    flow,
    roots,
    () => true,
    (id) => alertsOfficers(flow.steps[id]!),
  );
  for (const [id, step] of Object.entries(flow.steps)) {
    const problem = (message: string, fix: string): void => {
      problems.push({ file, step: id, message, fix });
    };
    checkStepShape(flow, id, step, problem);
    checkTexts(flow, step, problem);
    // An archived version keeps its wording for the conversations still running on it.
    if (!/(^|[\\/])archive[\\/]/.test(file))
      checkPromises(step, reachable.has(id) && !reachableUnalerted.has(id), problem);
    for (const action of step.do ?? []) {
      if (typeof action === 'object' && !FLOW_ESCALATION_REASONS.includes(action.escalate))
        problem(`unknown escalation ${action.escalate}`, `use one of ${FLOW_ESCALATION_REASONS.join(', ')}`);
    }
  }
  if (problems.length > 0) return problems; // the graph checks below assume the references are sound

  for (const id of Object.keys(flow.steps)) {
    if (!reachable.has(id))
      problems.push({
        file,
        step: id,
        message: 'no path leads to this step',
        fix: `send tenants here from another step, or delete it`,
      });
  }
  for (const [id, step] of Object.entries(flow.steps)) {
    const loop = reach(flow, [id], (edge) => edge.label === 'next');
    if (step.next && loop.has(id) && [...loop].some((other) => flow.steps[other]!.next === id)) {
      problems.push({
        file,
        step: id,
        message: 'a loop of next: steps never waits for the tenant',
        fix: 'end the loop with an ask: or end: step',
      });
    }
  }

  // Messages that can go out with nobody having written to us in the last 24 hours.
  const timeoutTargets = Object.values(flow.steps).flatMap((s) => (s.on_timeout ? [s.on_timeout.go] : []));
  const unprompted = reach(
    flow,
    [...(flow.starts_with === 'tenant_text' ? [] : [startStep]), ...timeoutTargets],
    isSilentMove,
  );
  for (const id of unprompted) {
    const step = flow.steps[id]!;
    if (step.say && !step.whatsapp_template) {
      problems.push({
        file,
        step: id,
        message:
          'this message can be sent after the WhatsApp 24-hour window (first message or after a timeout) but has no whatsapp_template',
        fix: 'add whatsapp_template: <approved template key>',
      });
    }
  }

  if (flow.arrears) {
    // The first message is the start step's, or one reached from it without the tenant writing.
    const firstMessages = reach(flow, [startStep], isSilentMove);
    for (const id of firstMessages) {
      for (const [language, text] of Object.entries(flow.steps[id]!.say ?? {})) {
        const word = FIRST_MESSAGE_FORBIDDEN.exec(text);
        if (word)
          problems.push({
            file,
            step: id,
            message: `the first message (${language}) says "${word[0]}"`,
            fix: 'say only that it is about their rent account; details come after identity is confirmed',
          });
        const amounts = placeholdersIn(text).filter((p) => DISCLOSING_PLACEHOLDERS.has(p) || p === 'weekly_rent');
        if (/£\s?\d/.test(text) || amounts.length > 0)
          problems.push({
            file,
            step: id,
            message: `the first message (${language}) names an amount`,
            fix: 'remove amounts from the first message',
          });
      }
    }
    const beforeIdentity = reach(
      flow,
      [startStep],
      (edge, from) => !(from.ask === 'date_of_birth_or_postcode' && edge.label.startsWith('on.')),
    );
    for (const id of beforeIdentity) {
      const used = textsOf(flow.steps[id]!).flatMap(({ text }) => Object.values(text).flatMap(placeholdersIn));
      const disclosing = used.filter((p) => DISCLOSING_PLACEHOLDERS.has(p));
      if (disclosing.length > 0)
        problems.push({
          file,
          step: id,
          message: `{${disclosing[0]}} can be sent before the tenant has confirmed who they are`,
          fix: 'move it after the date_of_birth_or_postcode question',
        });
    }
    const withoutAdvice = reach(
      flow,
      [startStep],
      () => true,
      (id) => mentionsAdvice(flow.steps[id]!),
    );
    for (const id of withoutAdvice) {
      if (flow.steps[id]!.end !== undefined)
        problems.push({
          file,
          step: id,
          message: 'a conversation can end here without offering free debt advice',
          fix: 'mention {debt_advice} or {money_advice_team} in this step or every path before it',
        });
    }
  }
  return problems;
}
