// Where the evidence pack finds the sections other modules compute. The API, the CLI and the Slack button
// all use this one set, so wiring a section in here puts it in every pack. A section with no source
// prints as "Not recorded".
import { findAffordabilityChecks } from '../affordability/store.js';
import type { EvidenceSources } from './pack.js';

export const evidenceSources: EvidenceSources = {
  affordability: findAffordabilityChecks,
};
