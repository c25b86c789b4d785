-- The Slack mirror of tenants' texts (0005) ran a PL/pgSQL function for every contact-log line, and a
-- busy webhook writes two or three lines per text in one statement: most of that statement's time went on
-- calls that returned at once. It now runs once per statement over the lines the statement added, with
-- the same rule: a tenant's text joins the thread of their latest escalation that is waiting, was decided
-- in the last 14 days, or has an officer's takeover open.
drop trigger contact_log_slack_mirror on contact_log;
drop function slack_mirror_queue();

create function slack_mirror_queue() returns trigger language plpgsql as $$
begin
  insert into slack_outbox (kind, escalation_id, message_id, created_at)
  select 'mirror_message', root.id, a.message_id, a.at
  from added a
  cross join lateral (
    select coalesce(e.slack_thread_of, e.id) as id from escalations e
    where e.tenancy_ref = a.tenancy_ref and e.tenant_no = a.tenant_no
      and (e.status = 'pending' or e.decided_at > a.at - interval '14 days'
           or exists (select 1 from slack_takeovers t where t.escalation_id = e.id and t.ended_at is null))
    order by e.created_at desc, e.id desc
    limit 1
  ) root
  where a.event = 'message_received' and a.tenancy_ref is not null and a.message_id is not null
  order by a.id;
  if found then
    perform pg_notify('rentline_slack', '');
  end if;
  return null;
end $$;

create trigger contact_log_slack_mirror after insert on contact_log
  referencing new table as added
  for each statement execute function slack_mirror_queue();
