// The one writer and reader of affordability checks: a check by text (the flow's assessment effect) or by
// an officer (the Slack modal), each logged as affordability_assessed in the contact log.
import { jsonParam } from '../db/params.js';
import type { Queryable } from '../db/connect.js';
import { insertContactLogsFrom } from '../db/queries/contact-log.js';
import type { AffordabilityAnswers, AffordabilityAssessment } from '../rent/affordability.js';
import type { AffordabilityRecord } from '../evidence/pack.js';

interface NewAffordabilityCheck {
  tenancyRef: string;
  tenantNo: number;
  conversationId: number | null;
  assessedBy: string;
  at: Date;
  answers: AffordabilityAnswers;
  assessment: AffordabilityAssessment;
  channel?: string | null;
}

export async function recordAffordabilityCheck(sql: Queryable, c: NewAffordabilityCheck): Promise<number> {
  const a = c.assessment;
  const [row] = await sql<{ id: number }[]>`
    with saved as (
      insert into affordability_checks (tenancy_ref, tenant_no, conversation_id, assessed_at, assessed_by, answers, income_pence, outgoings_pence,
        surplus_pence, frequency, suggested_instalment_pence, outcome, flags)
      values (${c.tenancyRef}, ${c.tenantNo}, ${c.conversationId}, ${c.at}, ${c.assessedBy}, ${jsonParam(sql, c.answers)}, ${a.incomePence},
        ${a.outgoingsPence}, ${a.surplusPence}, ${a.frequency}, ${a.suggestedInstalmentPence}, ${a.outcome}, ${sql.json(a.flags)})
      returning id
    ), logged as (${insertContactLogsFrom(sql, {
      at: c.at,
      from: sql`saved`,
      event: 'affordability_assessed',
      actor: c.assessedBy,
      tenancyRef: sql`${c.tenancyRef}::text`,
      tenantNo: sql`${c.tenantNo}::smallint`,
      channel: sql`${c.channel ?? null}::text`,
      detail: sql`jsonb_build_object('affordability_id', saved.id, 'income_pence', ${a.incomePence}::int, 'outgoings_pence', ${a.outgoingsPence}::int,
          'surplus_pence', ${a.surplusPence}::int, 'suggested_instalment_pence', ${a.suggestedInstalmentPence}::int, 'frequency', ${a.frequency}::text,
          'outcome', ${a.outcome}::text)`,
    })})
    select id::int as id from saved`;
  return (row as { id: number }).id;
}

const COLUMNS = `id::int as id, tenant_no, assessed_at, assessed_by, answers, income_pence, outgoings_pence, surplus_pence, frequency,
  suggested_instalment_pence, outcome, flags`;

type Row = Record<string, unknown> & { assessed_at: Date };

function toRecord(r: Row): AffordabilityRecord {
  return { ...r, assessed_at: r.assessed_at.toISOString() } as AffordabilityRecord;
}

export async function findAffordabilityChecks(sql: Queryable, tenancyRef: string): Promise<AffordabilityRecord[]> {
  const rows = await sql.unsafe<Row[]>(
    `select ${COLUMNS} from affordability_checks where tenancy_ref = $1 order by assessed_at, id`,
    [tenancyRef],
  );
  return rows.map(toRecord);
}

export async function findAffordabilityCheck(sql: Queryable, id: number): Promise<AffordabilityRecord | null> {
  const [row] = await sql.unsafe<Row[]>(`select ${COLUMNS} from affordability_checks where id = $1`, [id]);
  return row ? toRecord(row) : null;
}

/** The latest check of a tenant since `since` (the card shows it beside an offer with no linked check). */
export async function latestAffordabilityCheck(
  sql: Queryable,
  tenancyRef: string,
  tenantNo: number,
  since: Date,
): Promise<AffordabilityRecord | null> {
  const [row] = await sql.unsafe<Row[]>(
    `select ${COLUMNS} from affordability_checks where tenancy_ref = $1 and tenant_no = $2 and assessed_at >= $3 order by assessed_at desc, id desc limit 1`,
    [tenancyRef, tenantNo, since],
  );
  return row ? toRecord(row) : null;
}
