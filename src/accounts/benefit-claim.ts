// An officer's mark that a tenant's benefit claim is pending (docs/rules.md#benefit-claim-pending): while it stands the
// next-action rules block any notice or court recommendation. Marking and clearing are logged in the
// contact log as evidence, and open Slack cards for the account are re-rendered so their recommendation
// follows at once.
import type { Sql } from '../db/connect.js';
import { appendContactLog } from '../db/queries/contact-log.js';

type BenefitClaimChange = 'marked' | 'cleared' | 'unchanged' | 'not_found';

export async function setBenefitClaimPending(
  sql: Sql,
  input: { tenancyRef: string; pending: boolean; officer: string; now: Date },
): Promise<BenefitClaimChange> {
  return sql.begin(async (tx) => {
    const [row] = await tx<{ pending: boolean }[]>`
      select benefit_claim_pending_since is not null as pending from tenancies where tenancy_ref = ${input.tenancyRef} for update`;
    if (!row) return 'not_found';
    if (row.pending === input.pending) return 'unchanged';
    await tx`
      update tenancies set benefit_claim_pending_since = ${input.pending ? input.now : null}, benefit_claim_marked_by = ${input.officer}
      where tenancy_ref = ${input.tenancyRef}`;
    await appendContactLog(tx, {
      at: input.now,
      tenancyRef: input.tenancyRef,
      tenantNo: null,
      event: input.pending ? 'benefit_claim_pending' : 'benefit_claim_cleared',
      actor: `officer:${input.officer}`,
    });
    const cards = await tx`
      insert into slack_outbox (kind, escalation_id, created_at)
      select 'update_card', e.id, ${input.now}::timestamptz from escalations e
      where e.tenancy_ref = ${input.tenancyRef} and e.status = 'pending' and e.slack_ts is not null
      returning id`;
    if (cards.length > 0) await tx`select pg_notify('rentline_slack', '')`;
    return input.pending ? 'marked' : 'cleared';
  });
}
