-- Officers in Slack. Cards are posted, re-rendered and threaded through an outbox (slack_outbox), filled by
-- triggers in the same transaction as the change that needs it: a new escalation, a decision, an
-- arrangement moving on, a tenant's text in an escalated case. So no code path that changes an escalation
-- can forget its card, and without Slack credentials the work is simply kept until Slack is configured.
-- Triggers stamp rows with the time written on the changed row (the application's clock), never now().

-- A later escalation in the same case (the tenant's answer to a counter-offer) is posted in the first
-- card's thread; this points at that first ("root") escalation.
alter table escalations add column slack_thread_of bigint references escalations (id);
-- The tenant's offer as first shown on the card: a counter-offer overwrites the arrangement's terms, and
-- the card must still show what the tenant offered.
alter table escalations add column slack_offer jsonb;

create table slack_outbox (
  id            bigint generated always as identity primary key,
  -- post_card: a new card (top level, or in its root's thread); update_card: re-render an existing card;
  -- mirror_message: copy a tenant's text into the card's thread.
  kind          text not null check (kind in ('post_card', 'update_card', 'mirror_message')),
  escalation_id bigint not null references escalations (id),
  message_id    bigint references messages (id),
  status        text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'failed')),
  attempts      integer not null default 0,
  not_before    timestamptz,
  claimed_at    timestamptz,
  last_error    text,
  created_at    timestamptz not null,
  sent_at       timestamptz
);
create index slack_outbox_due on slack_outbox (not_before nulls first, id) where status = 'queued';
create index slack_outbox_sending on slack_outbox (claimed_at) where status = 'sending';
create index slack_outbox_by_escalation on slack_outbox (escalation_id) where status in ('queued', 'sending');
create index escalations_by_card on escalations (slack_channel, slack_ts) where slack_ts is not null;
create index escalations_by_tenant on escalations (tenancy_ref, tenant_no, created_at);

-- Slack retries an event it thinks we missed (X-Slack-Retry-Num); each event_id is processed once.
create table slack_event_receipts (
  event_id    text primary key,
  received_at timestamptz not null
);

-- Officers who took a conversation over from the script. placeholder: Rentline opened the conversation
-- only to hold the pause (the tenant had none running); handing back ends it instead of resuming it.
create table slack_takeovers (
  id              bigint generated always as identity primary key,
  escalation_id   bigint not null references escalations (id),
  conversation_id bigint not null references conversations (id),
  officer_id      text not null,
  placeholder     boolean not null,
  started_at      timestamptz not null,
  ended_at        timestamptz,
  ended_by        text
);
create unique index slack_takeovers_one_open on slack_takeovers (conversation_id) where ended_at is null;

create function slack_thread_root() returns trigger language plpgsql as $$
begin
  if new.reason = 'counter_reply' and new.slack_thread_of is null then
    new.slack_thread_of := (
      select coalesce(e.slack_thread_of, e.id) from escalations e
      where e.tenancy_ref = new.tenancy_ref and e.tenant_no = new.tenant_no and e.status = 'countered'
      order by e.decided_at desc nulls last, e.id desc limit 1);
  end if;
  return new;
end $$;
create trigger escalations_slack_thread before insert on escalations
  for each row execute function slack_thread_root();

create function slack_card_queue() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into slack_outbox (kind, escalation_id, created_at) values ('post_card', new.id, new.created_at);
  elsif new.status is distinct from old.status then
    insert into slack_outbox (kind, escalation_id, created_at) values ('update_card', new.id, new.updated_at);
  else
    return new;
  end if;
  perform pg_notify('rentline_slack', '');
  return new;
end $$;
create trigger escalations_slack_card after insert or update on escalations
  for each row execute function slack_card_queue();

-- A counter-offer accepted or declined by the tenant changes the arrangement, not the escalation.
create function slack_arrangement_queue() returns trigger language plpgsql as $$
begin
  if new.status is distinct from old.status then
    insert into slack_outbox (kind, escalation_id, created_at)
      select 'update_card', e.id, new.updated_at from escalations e where e.arrangement_id = new.id;
    if found then perform pg_notify('rentline_slack', ''); end if;
  end if;
  return new;
end $$;
create trigger arrangements_slack_card after update on arrangements
  for each row execute function slack_arrangement_queue();

-- A tenant's text while a case is open in Slack (waiting, recently decided, or taken over) joins its thread.
create function slack_mirror_queue() returns trigger language plpgsql as $$
declare
  root bigint;
begin
  if new.event <> 'message_received' or new.tenancy_ref is null or new.message_id is null then
    return new;
  end if;
  select coalesce(e.slack_thread_of, e.id) into root from escalations e
  where e.tenancy_ref = new.tenancy_ref and e.tenant_no = new.tenant_no
    and (e.status = 'pending' or e.decided_at > new.at - interval '14 days'
         or exists (select 1 from slack_takeovers t where t.escalation_id = e.id and t.ended_at is null))
  order by e.created_at desc, e.id desc limit 1;
  if root is not null then
    insert into slack_outbox (kind, escalation_id, message_id, created_at) values ('mirror_message', root, new.message_id, new.at);
    perform pg_notify('rentline_slack', '');
  end if;
  return new;
end $$;
create trigger contact_log_slack_mirror after insert on contact_log
  for each row execute function slack_mirror_queue();
