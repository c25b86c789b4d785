-- Affordability checks (income and spending in SFS categories, monthly), by the tenant by text or by an
-- officer in Slack, and the instalment each suggested. An offer made after a check carries it into the
-- arrangement (arrangements.affordability_id), so the officer and a court see what the offer rests on.
create table affordability_checks (
  id                          bigint generated always as identity primary key,
  tenancy_ref                 text not null references tenancies (tenancy_ref) on delete cascade,
  tenant_no                   smallint not null,
  conversation_id             bigint references conversations (id),
  assessed_at                 timestamptz not null,
  -- 'tenant' (by text) or 'officer:<slack id>'
  assessed_by                 text not null,
  answers                     jsonb not null,
  income_pence                integer not null,
  outgoings_pence             integer not null,
  surplus_pence               integer not null,
  frequency                   text not null check (frequency in ('weekly','fortnightly','four_weekly','monthly')),
  suggested_instalment_pence  integer,
  outcome                     text not null check (outcome in ('surplus','below_minimum','deficit')),
  flags                       jsonb not null default '[]'
);
create index affordability_checks_by_tenancy on affordability_checks (tenancy_ref, assessed_at);
create index affordability_checks_by_conversation on affordability_checks (conversation_id) where conversation_id is not null;

alter table arrangements add column affordability_id bigint references affordability_checks (id);
