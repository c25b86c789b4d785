-- A rent reminder a hold stopped is logged once per tenant and due date (src/cases/held-contact.ts), so
-- each sweep batch first looks for the line an earlier run left. Without this the lookup read every
-- contact-log line (a seq scan per batch, 15 ms at 56,000 lines and growing with the log); these lines
-- are a few thousand a day, and the index holds only them.
create index contact_log_held_reminders on contact_log (tenancy_ref, tenant_no, (detail ->> 'dueDate'))
  where event = 'contact_held' and detail ->> 'purpose' = 'reminder';
