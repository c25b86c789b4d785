-- The account KPIs (balances, credits, charges, arrears and bands for a whole landlord at a date) take a
-- full pass over the rent ledger, seconds at 150,000 tenancies. The daily sweep already makes that pass,
-- so it leaves the totals here for its day, and a KPI request computed otherwise is kept too; a view reads
-- them back in milliseconds. A row is trusted only while nothing it depends on has changed since: every
-- statement that writes the ledger or a tenancy's schedule takes the next value of kpi_ledger_generation,
-- and a row carries the value current when its figures were read (src/kpis/stored-totals.ts).
create sequence kpi_ledger_generation;

create table kpi_account_totals (
  as_of        date not null,
  -- what the figures depend on in the policy (arrears threshold, grace, charge calendar), hashed
  policy_key   text not null,
  generation   bigint not null,
  totals       jsonb not null,
  computed_at  timestamptz not null default now(),
  primary key (as_of, policy_key)
);

-- Statement-level, so a bulk import pays once per statement, not per row. The shared advisory lock is
-- held to the writer's commit: whoever stores totals first waits for no writer to be in flight
-- (pg_try_advisory_xact_lock), so a write the figures could not see always moves the generation after.
create function kpi_ledger_changed() returns trigger language plpgsql as $$
begin
  perform pg_advisory_xact_lock_shared(72646070);
  perform nextval('kpi_ledger_generation');
  return null;
end $$;

create trigger transactions_kpi_generation after insert or update or delete on transactions
  for each statement execute function kpi_ledger_changed();
create trigger transactions_kpi_generation_truncate after truncate on transactions
  for each statement execute function kpi_ledger_changed();
create trigger tenancies_kpi_generation after insert or delete
  or update of start_date, end_date, rent_frequency, rent_amount_pence, rent_due_day, benefit on tenancies
  for each statement execute function kpi_ledger_changed();
create trigger tenancies_kpi_generation_truncate after truncate on tenancies
  for each statement execute function kpi_ledger_changed();
