-- The outbox dispatcher's bookkeeping for "exactly once" sending.
-- unconfirmed_since: an earlier attempt may have reached Twilio without us recording it (the process died
-- after Twilio accepted, or the connection broke mid-request). Before sending again the dispatcher asks
-- Twilio whether that message already went out, and records it instead of sending it twice.
alter table messages add column unconfirmed_since timestamptz;

-- Lets the dispatcher see quickly whether a tenant has a message in flight (sends to one tenant stay in order).
create index messages_sending_by_tenant on messages (tenancy_ref, tenant_no) where status = 'sending';
