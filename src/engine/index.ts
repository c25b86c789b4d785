// The flow engine's public surface, for the shells (Twilio webhook, Slack decisions, jobs, CLI).
export { startSession, newSession, step, findFlow, FlowVersionMissingError } from './step.js';
export { checkFlows, contentHash } from './check.js';
export type { FlowFile, FlowProblem } from './check.js';
export { loadFlows, FlowValidationError, formatProblem, readFlowFiles } from './load.js';
export { runTranscripts, checkTranscript } from './transcripts.js';
export type { TranscriptResult } from './transcripts.js';
export type { Flow, FlowSet } from './flow-schema.js';
export type * from './types.js';
