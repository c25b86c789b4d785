-- When an officer last called, visited, wrote or emailed (the worklist reads it for every tenancy it
-- refreshes, every day). By the tenancy's index alone that read visits every contact-log line the tenancy
-- has, and a tenancy in arrears gains several a week (texts queued, sent, delivered, received), so the daily
-- job would slow as the pilot's history grows. Officers' contact lines are few: this index holds only them.
-- Its list is OFFICER_CONTACT_EVENTS (src/rent/protocol.ts); test/db/officer-contact-index.test.ts holds
-- the two equal.
create index contact_log_officer_contact on contact_log (tenancy_ref, at)
  where event in ('contact_call', 'contact_visit', 'contact_letter', 'contact_email');
