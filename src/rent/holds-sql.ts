// The SQL twin of the Breathing Space hold (holds.ts), for statements that must judge a whole table at
// once (withdrawing queued arrears texts). Text only, no I/O; test/rent/holds-sql.test.ts checks that it
// agrees with isBreathingSpaceActive and with the rule's tenancy-wide reach.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a tenant row `alias` in Breathing Space on `today` (a YYYY-MM-DD literal, checked). */
export function breathingSpaceActiveSql(alias: string, today: string): string {
  if (!ISO_DATE.test(today)) throw new Error('today must be a YYYY-MM-DD date');
  if (!/^[a-z_][a-z0-9_]*$/.test(alias)) throw new Error('alias must be a plain SQL identifier');
  return `(${alias}.breathing_space_start is not null and ${alias}.breathing_space_start <= '${today}'::date
    and (${alias}.breathing_space_end is null or ${alias}.breathing_space_end >= '${today}'::date))`;
}

/**
 * True when ANY tenant of the tenancy `refExpression` names is in Breathing Space: the hold is on the
 * tenancy, so a joint tenant's Breathing Space stops arrears texts to every tenant.
 */
export function tenancyInBreathingSpaceSql(refExpression: string, today: string): string {
  return `exists (select 1 from tenants bs where bs.tenancy_ref = ${refExpression} and ${breathingSpaceActiveSql('bs', today)})`;
}
