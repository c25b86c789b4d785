-- Slack work that belongs to no escalation: the weekly KPI digest posted to the escalation channel.
-- Its text and blocks are built when the job runs (the figures as of that run) and kept with the row,
-- so a retried post says exactly what the first attempt would have said.
alter table slack_outbox alter column escalation_id drop not null;
alter table slack_outbox add column payload jsonb;
alter table slack_outbox drop constraint slack_outbox_kind_check;
alter table slack_outbox add constraint slack_outbox_kind_check
  check (kind in ('post_card', 'update_card', 'mirror_message', 'post_digest'));
alter table slack_outbox add constraint slack_outbox_digest_has_payload
  check ((kind = 'post_digest') = (escalation_id is null) and (kind <> 'post_digest' or payload is not null));
