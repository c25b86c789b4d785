// Who may act on a case: the Slack users in SLACK_OFFICER_IDS, and each tenancy's own patch officer
// (tenancies.officer_slack_id). Everyone else is refused, politely and on the record.
import type { Queryable } from '../db/connect.js';
import type { Logger } from '../lib/logger.js';

export interface OfficerDirectory {
  /** For a case: a listed officer, or this tenancy's patch officer. Without a tenancy: any patch officer. */
  isOfficer(userId: string, tenancyRef?: string): Promise<boolean>;
}

export function officerDirectory(sql: Queryable, officerIds: readonly string[]): OfficerDirectory {
  const listed = new Set(officerIds);
  return {
    async isOfficer(userId, tenancyRef) {
      if (listed.has(userId)) return true;
      const [row] =
        tenancyRef === undefined
          ? await sql`select 1 from tenancies where officer_slack_id = ${userId} limit 1`
          : await sql`select 1 from tenancies where tenancy_ref = ${tenancyRef} and officer_slack_id = ${userId}`;
      return Boolean(row);
    },
  };
}

/** The log line for a refusal: who (a Slack id, not a name) tried what; never tenant details. */
export function logRefusal(
  logger: Logger,
  what: { userId: string; action: string; escalationId?: number | null },
): void {
  logger.warn(
    { source: 'slack', slackUser: what.userId, action: what.action, escalationId: what.escalationId ?? null },
    'refused a Slack action from someone who is not an income officer',
  );
}

export const REFUSAL_TEXT =
  'Sorry, only income officers can act on Rentline cases. Nothing was changed. If you should have access, ask your income team lead to add you to SLACK_OFFICER_IDS.';
