-- Holds on a case, set and cleared by officers (the contact rule in src/rent/contact-rule.ts reads them).
--
-- Crisis: an urgent crisis hand-off holds every automated text to every tenant of the tenancy until an
-- officer RESOLVES it. Deciding, taking over or handing the conversation back does not resolve it, so the
-- hold lives beside the escalation's status rather than in it.
alter table escalations
  add column crisis_resolved_at timestamptz,
  add column crisis_resolved_by text,
  -- An urgent hand-off nobody picked up in time is raised again, marked overdue (once).
  add column overdue_at timestamptz,
  -- A held_contact task is raised once per arrears episode.
  add column arrears_episode_id bigint references arrears_episodes (id);
-- Crisis hand-offs already dealt with before this release count as resolved.
update escalations set crisis_resolved_at = coalesce(decided_at, updated_at), crisis_resolved_by = 'migration'
where reason = 'crisis' and status <> 'pending';
create index escalations_open_crisis on escalations (tenancy_ref) where reason = 'crisis' and crisis_resolved_at is null;
create unique index escalations_held_contact_once on escalations (arrears_episode_id) where reason = 'held_contact';
create index escalations_urgent_pending on escalations (created_at) where status = 'pending' and urgency = 'urgent' and overdue_at is null;

-- Vulnerability as an officer recorded it. vulnerable_by_officer null: follow the housing system's flag;
-- true/false: the officer's decision, which a re-import does not overwrite.
alter table tenants
  add column vulnerable_by_officer boolean,
  add column vulnerable_since timestamptz,
  add column vulnerable_review_on date,
  add column vulnerable_note text;
