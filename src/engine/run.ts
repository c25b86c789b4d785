// One step's working state and the small actions every part of the interpreter takes on it: send a message
// (in the tenant's language, as a WhatsApp template when the window is closed), send a global reply,
// escalate, arm a timer, end. Shared by step.ts and account-requests.ts.
import { escalationSummary } from './actions.js';
import { pickLanguage, renderText } from './render.js';
import { timeoutAt } from './timing.js';
import type { Flow, FlowSet, GlobalReplyKey, Step } from './flow-schema.js';
import type { ConversationContext, Effect, FlowEscalationReason, Session } from './types.js';

export interface Run {
  flows: FlowSet;
  flow: Flow;
  session: Session;
  ctx: ConversationContext;
  language: string;
  effects: Effect[];
  lastText: string | null;
}

export function send(
  run: Run,
  text: Record<string, string>,
  templateKey?: string,
  flowLanguages = run.flow.languages,
): void {
  const language = pickLanguage(flowLanguages, run.ctx.language);
  const template = text[language] ?? Object.values(text)[0] ?? '';
  const { text: body, variables } = renderText(template, run.flow, run.session, run.ctx, language);
  const outsideWindow = run.ctx.channel === 'whatsapp' && !run.ctx.whatsappWindowOpen;
  run.effects.push(
    outsideWindow && templateKey
      ? { type: 'send', text: body, templateKey, templateVariables: variables }
      : { type: 'send', text: body },
  );
}

export function end(run: Run, outcome: string): void {
  run.session.status = 'ended';
  run.session.timerId = null;
  run.effects.push({ type: 'end', outcome });
}

export function armTimer(run: Run, step: Step): void {
  if (!step.on_timeout) return;
  const at = timeoutAt(run.ctx.now, step.on_timeout.after, run.ctx.policy);
  const timerId = `${run.flow.id}.${run.session.stepId}@${run.ctx.now.toISOString()}`;
  run.session.timerId = timerId;
  run.effects.push({ type: 'set_timer', timerId, at });
}

export function holdsIdentity(ctx: ConversationContext): boolean {
  return ctx.tenant.dateOfBirth !== null || ctx.tenant.postcode !== null;
}

export function sendGlobal(run: Run, key: GlobalReplyKey): void {
  send(run, run.flows.globals.replies[key], undefined, run.flows.globals.languages);
}

export function escalate(
  run: Run,
  reason: FlowEscalationReason,
  urgency: 'normal' | 'urgent',
  detail?: string,
  kind?: string,
): void {
  const summary = escalationSummary({
    reason,
    ctx: run.ctx,
    vars: run.session.vars,
    lastText: run.lastText,
    ...(detail ? { detail } : {}),
  });
  run.effects.push({ type: 'escalate', urgency, reason, summary, ...(kind ? { kind } : {}) });
}
