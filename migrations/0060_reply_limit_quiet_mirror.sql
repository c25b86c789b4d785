-- The per-sender limit on automated replies (docs/rules.md#reply-limit): once replies to a number pause, its
-- further texts are kept and logged as received, with detail {"automated_replies_paused": true}, but not
-- mirrored one by one into Slack: the officer is told once, by the pause's escalation card, instead of
-- getting a thread post for every text an auto-responder sends. Otherwise the rule of 0007 is unchanged.
create or replace function slack_mirror_queue() returns trigger language plpgsql as $$
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
    and not (a.detail ? 'automated_replies_paused')
  order by a.id;
  if found then
    perform pg_notify('rentline_slack', '');
  end if;
  return null;
end $$;
