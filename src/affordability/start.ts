// An officer asks Rentline to text a tenant the affordability check (from the card's Affordability check
// modal, or the CLI). It starts the affordability flow like any conversation Rentline begins, under the
// send-time guards; a tenant already in a conversation is not interrupted.
import type { Sql } from '../db/connect.js';
import type { FlowSet } from '../engine/index.js';
import type { Policy } from '../rent/policy.js';
import { appendContactLog } from '../db/queries/contact-log.js';
import { startConversation, type StartResult } from '../conversations/start.js';

const AFFORDABILITY_FLOW = 'affordability';

export async function textAffordabilityCheck(
  deps: { sql: Sql; flows: FlowSet; policy: Policy; timeZone: string },
  request: { tenancyRef: string; tenantNo: number; officer: string; now: Date },
): Promise<StartResult> {
  return deps.sql.begin(async (tx) => {
    const result = await startConversation(tx, deps, {
      tenancyRef: request.tenancyRef,
      tenantNo: request.tenantNo,
      flowId: AFFORDABILITY_FLOW,
      purpose: 'officer',
      now: request.now,
    });
    if (result.started) {
      await appendContactLog(tx, {
        at: request.now,
        tenancyRef: request.tenancyRef,
        tenantNo: request.tenantNo,
        event: 'affordability_check_texted',
        actor: request.officer,
        detail: { conversationId: result.conversationId },
      });
    }
    return result;
  });
}
