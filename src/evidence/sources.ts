// Where the evidence pack finds the sections other modules compute. The API, the CLI and the Slack button
// all use this one set, so wiring a section in here puts it in every pack. A section with no source
// prints as "Not recorded".
import { findAffordabilityChecks } from '../affordability/store.js';
import { currentLegalStage } from '../casework/legal-stage.js';
import { tenancyProtocol } from '../casework/protocol.js';
import type { EvidenceSources } from './pack.js';

export const evidenceSources: EvidenceSources = {
  // The legal stage as the account summary's `legal` reports it; null when none was recorded.
  legalStage: async (sql, ref) => {
    const legal = await currentLegalStage(sql, ref);
    return legal ? { ...legal } : null;
  },
  // The pre-action checklist exactly as GET /api/tenancies/:ref/protocol serves it, as of the pack's moment.
  checklist: (sql, ref, at) => tenancyProtocol(sql, ref, { now: at.now, policy: at.policy, timeZone: at.timeZone }),
  affordability: findAffordabilityChecks,
};
