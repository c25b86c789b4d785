-- Why a conversation began (a reply to the tenant, or our own arrears, reminder or arrangement outreach),
-- so texts sent later by its timers are guarded as outreach of that kind.
alter table conversations add column purpose text not null default 'reply';
