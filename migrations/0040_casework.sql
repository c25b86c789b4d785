-- The officer's casework: the legal stage of each case as officers record it (Rentline never serves
-- anything), and the worklist, kept up to date from what changed rather than rebuilt for every view.

-- One row per stage an officer records; the latest row is the case's stage now. The notice's name and
-- dates are carried forward onto later stages, so a hearing still shows which notice it rests on.
create table legal_stages (
  id                         bigint generated always as identity primary key,
  tenancy_ref                text not null references tenancies (tenancy_ref) on delete cascade,
  stage                      text not null check (stage in ('notice_served','claim_issued','hearing','order_outright','order_suspended','warrant','evicted')),
  stage_date                 date not null,
  notice                     text check (notice in ('nosp','section_8','notice_of_proceedings')),
  served_on                  date,
  earliest_proceedings_date  date,
  expires_on                 date,
  -- A suspended order's terms: current rent plus this much per period off the arrears, watched like an arrangement.
  order_amount_pence         integer check (order_amount_pence > 0),
  order_frequency            text check (order_frequency in ('weekly','fortnightly','four_weekly','monthly')),
  order_start_date           date,
  order_start_arrears_pence  integer,
  order_status               text check (order_status in ('active','kept','broken','completed')),
  order_breached_at          timestamptz,
  order_watch_reason         text,
  note                       text,
  recorded_by                text not null,
  recorded_at                timestamptz not null
);
create index legal_stages_latest on legal_stages (tenancy_ref, recorded_at desc, id desc);
create index legal_stages_orders_watched on legal_stages (id) where order_status in ('active', 'kept');

-- The ranked worklist: at most one row per tenancy, the one action a person should take and why.
-- priority: 1 urgent hand-off, 2 overdue task, 3 task due, 4 actionable arrears (depth = tenths of a week).
create table worklist (
  tenancy_ref       text primary key references tenancies (tenancy_ref) on delete cascade,
  tenant_no         smallint not null,
  patch             text,
  officer_slack_id  text,
  action            text not null,
  reason            text not null,
  priority          smallint not null,
  depth             integer not null default 0,
  since             timestamptz not null,
  refreshed_at      timestamptz not null
);
create index worklist_ranked on worklist (priority, depth desc, since, tenancy_ref);
create index worklist_by_patch on worklist (patch, priority, depth desc, since, tenancy_ref);

-- Tenancies whose worklist row may be out of date: marked by triggers on the changes that matter (a
-- contact-log line other than message traffic, an escalation raised or settled, a legal stage), so every
-- path that changes a case marks it without having to remember to. A view refreshes only these.
create table worklist_dirty (
  tenancy_ref  text primary key,
  marked_at    timestamptz not null
);

create function worklist_mark_from_log() returns trigger language plpgsql as $$
begin
  insert into worklist_dirty (tenancy_ref, marked_at)
  select a.tenancy_ref, max(a.at) from added a
  where a.tenancy_ref is not null and a.event not like 'message\_%'
  group by a.tenancy_ref
  on conflict (tenancy_ref) do update set marked_at = greatest(worklist_dirty.marked_at, excluded.marked_at);
  return null;
end $$;
create trigger contact_log_worklist after insert on contact_log
  referencing new table as added
  for each statement execute function worklist_mark_from_log();

create function worklist_mark_from_escalations() returns trigger language plpgsql as $$
begin
  insert into worklist_dirty (tenancy_ref, marked_at)
  select c.tenancy_ref, max(c.updated_at) from changed c group by c.tenancy_ref
  on conflict (tenancy_ref) do update set marked_at = greatest(worklist_dirty.marked_at, excluded.marked_at);
  return null;
end $$;
create trigger escalations_worklist_insert after insert on escalations
  referencing new table as changed
  for each statement execute function worklist_mark_from_escalations();
create trigger escalations_worklist_update after update on escalations
  referencing new table as changed
  for each statement execute function worklist_mark_from_escalations();

create function worklist_mark_from_legal() returns trigger language plpgsql as $$
begin
  insert into worklist_dirty (tenancy_ref, marked_at)
  select c.tenancy_ref, max(c.recorded_at) from changed c group by c.tenancy_ref
  on conflict (tenancy_ref) do update set marked_at = greatest(worklist_dirty.marked_at, excluded.marked_at);
  return null;
end $$;
create trigger legal_stages_worklist after insert on legal_stages
  referencing new table as changed
  for each statement execute function worklist_mark_from_legal();
