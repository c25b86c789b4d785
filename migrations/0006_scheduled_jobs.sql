-- Scheduled automation: durable job runs (a cron tick only inserts one), and the keys that make each piece
-- of outreach happen once however often, or on however many instances, a job runs.

-- One row per (job, scheduled time). Every instance's cron inserts the same key with ON CONFLICT DO NOTHING;
-- runners claim pending rows with SKIP LOCKED, so a scheduled run happens once across all instances.
create table job_runs (
  job            text not null,
  scheduled_for  timestamptz not null,
  status         text not null default 'pending' check (status in ('pending','running','done','failed','skipped')),
  attempts       integer not null default 0,
  claimed_at     timestamptz,
  claimed_by     text,
  finished_at    timestamptz,
  result         jsonb,
  error          text,
  created_at     timestamptz not null,
  primary key (job, scheduled_for)
);
create index job_runs_pending on job_runs (scheduled_for) where status in ('pending','running');

-- Tenants who asked for rent reminders although they are not in arrears (DOMAIN: "or asked for reminders").
alter table tenants add column wants_reminders boolean not null default false;

-- A rent reminder goes once per tenant per due date.
create table reminders_sent (
  tenancy_ref      text not null,
  tenant_no        smallint not null,
  due_date         date not null,
  conversation_id  bigint references conversations (id),
  created_at       timestamptz not null,
  primary key (tenancy_ref, tenant_no, due_date)
);
create index reminders_sent_by_conversation on reminders_sent (conversation_id);

-- An arrears episode: from the day actionable arrears reach the threshold until they fall below it.
-- Missed-payment texts are counted per episode (first text, second text, then an officer).
create table arrears_episodes (
  id              bigint generated always as identity primary key,
  tenancy_ref     text not null references tenancies (tenancy_ref) on delete cascade,
  opened_at       timestamptz not null,
  opened_arrears_pence integer not null,
  closed_at       timestamptz,
  close_reason    text
);
create unique index arrears_episodes_one_open on arrears_episodes (tenancy_ref) where closed_at is null;

-- Each missed-payment text of an episode, per tenant (joint tenants are contacted separately).
create table episode_texts (
  episode_id       bigint not null references arrears_episodes (id),
  tenant_no        smallint not null,
  attempt          integer not null,
  conversation_id  bigint references conversations (id),
  arrears_pence    integer not null,
  created_at       timestamptz not null,
  primary key (episode_id, tenant_no, attempt)
);

-- A nudge goes once per arrangement instalment and tenant.
create table arrangement_nudges (
  arrangement_id   bigint not null references arrangements (id),
  instalment_date  date not null,
  tenant_no        smallint not null,
  conversation_id  bigint references conversations (id),
  created_at       timestamptz not null,
  primary key (arrangement_id, instalment_date, tenant_no)
);

-- When the arrangement watch moved an arrangement on, and the warning deadline it gave after a break.
alter table arrangements
  add column kept_at            timestamptz,
  add column broken_at          timestamptz,
  add column completed_at       timestamptz,
  add column warning_deadline   date,
  add column watch_reason       text;

-- What the jobs decided about whom, and why someone was left alone (for dry runs and for officers).
create table job_decisions (
  id           bigint generated always as identity primary key,
  job          text not null,
  at           timestamptz not null,
  tenancy_ref  text not null,
  tenant_no    smallint,
  action       text not null,
  outcome      text not null check (outcome in ('started','would_start','skipped','changed')),
  reason       text not null,
  dry_run      boolean not null default false
);
create index job_decisions_by_tenancy on job_decisions (tenancy_ref, at);
create index job_decisions_by_time on job_decisions (at);
