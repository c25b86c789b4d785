// The flow engine's public surface, for the shells (Twilio webhook, Slack decisions, jobs, CLI).
export { startSession, newSession, step, findFlow } from './step.js';
export { checkFlows } from './check.js';
export { loadFlows, FlowValidationError, formatProblem, readFlowFiles } from './load.js';
export { runTranscripts } from './transcripts.js';
export type { FlowSet } from './flow-schema.js';
export type * from './types.js';
