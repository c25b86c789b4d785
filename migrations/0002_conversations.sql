-- Conversations with tenants, every message in and out (the outbox is the outbound rows), escalations to
-- officers, durable flow timers, and the append-only contact log kept as pre-action protocol evidence.

-- Contact state that Rentline owns (imports never touch these columns).
alter table tenants
  add column sms_opted_out_at        timestamptz,
  add column whatsapp_opted_out_at   timestamptz,
  add column disputed_at             timestamptz,
  add column contact_paused_until    timestamptz,
  add column contact_pause_reason    text,
  add column last_inbound_at         timestamptz,
  add column last_whatsapp_inbound_at timestamptz,
  add column last_arrears_message_at timestamptz;

create table conversations (
  id            bigint generated always as identity primary key,
  tenancy_ref   text not null,
  tenant_no     smallint not null,
  flow_id       text not null,
  flow_version  text not null,
  channel       text not null check (channel in ('sms','whatsapp')),
  status        text not null check (status in ('active','ended')),
  session       jsonb not null,
  -- An officer took over: the script is paused until they hand back.
  taken_over_by text,
  started_at    timestamptz not null,
  updated_at    timestamptz not null,
  ended_at      timestamptz,
  foreign key (tenancy_ref, tenant_no) references tenants (tenancy_ref, tenant_no) on delete cascade
);
create unique index conversations_one_open on conversations (tenancy_ref, tenant_no) where status = 'active';

create table messages (
  id                 bigint generated always as identity primary key,
  direction          text not null check (direction in ('inbound','outbound')),
  tenancy_ref        text,
  tenant_no          smallint,
  conversation_id    bigint references conversations (id),
  channel            text not null check (channel in ('sms','whatsapp')),
  -- Addresses and text are personal data: stored because the service needs them, never logged.
  to_address         text not null,
  from_address       text,
  body               text not null,
  -- What the message is about, for the send-time guards: reply, arrears, reminder, arrangement, officer, system.
  purpose            text not null default 'reply',
  template_key       text,
  template_variables jsonb,
  -- inbound: received. outbound: queued → sending → sent → delivered/read, or held, blocked, failed, undelivered, kept.
  status             text not null,
  twilio_sid         text unique,
  not_before         timestamptz,
  attempts           integer not null default 0,
  claimed_at         timestamptz,
  error_code         integer,
  blocked_reason     text,
  created_at         timestamptz not null,
  sent_at            timestamptz,
  updated_at         timestamptz not null
);
create index messages_outbox on messages (not_before nulls first, id) where status = 'queued';
create index messages_sending on messages (claimed_at) where status = 'sending';
create index messages_by_tenant on messages (tenancy_ref, tenant_no, created_at);

create table message_status_events (
  id          bigint generated always as identity primary key,
  twilio_sid  text not null,
  status      text not null,
  error_code  integer,
  received_at timestamptz not null
);
create unique index message_status_events_once on message_status_events (twilio_sid, status);

create table escalations (
  id               bigint generated always as identity primary key,
  tenancy_ref      text not null,
  tenant_no        smallint not null,
  conversation_id  bigint references conversations (id),
  arrangement_id   bigint references arrangements (id),
  reason           text not null,
  urgency          text not null check (urgency in ('normal','urgent')),
  summary          text not null,
  status           text not null default 'pending' check (status in ('pending','accepted','countered','referred','declined','closed','expired')),
  decided_by       text,
  decided_at       timestamptz,
  slack_channel    text,
  slack_ts         text,
  created_at       timestamptz not null,
  updated_at       timestamptz not null
);
create index escalations_pending on escalations (created_at) where status = 'pending';

create table conversation_timers (
  timer_id         text primary key,
  conversation_id  bigint not null references conversations (id),
  fire_at          timestamptz not null,
  fired_at         timestamptz
);
create index conversation_timers_due on conversation_timers (fire_at) where fired_at is null;

-- Evidence for the pre-action protocol: every message in or out and every officer action. Append-only.
create table contact_log (
  id           bigint generated always as identity primary key,
  at           timestamptz not null,
  tenancy_ref  text,
  tenant_no    smallint,
  event        text not null,
  actor        text not null,
  channel      text,
  message_id   bigint,
  escalation_id bigint,
  detail       jsonb not null default '{}'
);
create index contact_log_by_tenancy on contact_log (tenancy_ref, at);

create function contact_log_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'contact_log is append-only evidence: add a correcting entry instead of changing one';
end $$;
create trigger contact_log_append_only before update or delete on contact_log
  for each row execute function contact_log_is_append_only();
