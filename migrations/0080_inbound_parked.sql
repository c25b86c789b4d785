-- Texts the webhook could not wait for. A text is answered 200 only once it is durably stored: when its
-- processing (the batch: the sender's lock, their conversation, the replies) has not committed within a
-- bounded wait, the text itself is written here in one cheap insert and the webhook answers; the batch goes on
-- in the background and deletes the row when it commits. A process killed meanwhile leaves the row, and the
-- intake's worker (conversations/parked-texts.ts) takes it through the same path on the next start. A Twilio
-- retry of a parked text is one row (the MessageSid is unique) and is received once (messages.twilio_sid).
-- received_at is when the webhook took the text: a sender's parked texts are taken before their later ones.
create table inbound_parked (
  id           bigint generated always as identity primary key,
  twilio_sid   text not null unique,
  from_address text not null,
  to_address   text not null,
  body         text not null,
  channel      text not null check (channel in ('sms', 'whatsapp')),
  received_at  timestamptz not null,
  parked_at    timestamptz not null,
  -- Times the worker's attempt failed; past a limit the row is kept for an operator and no longer taken.
  attempts     integer not null default 0,
  last_error   text
);
create index inbound_parked_by_sender on inbound_parked (from_address, received_at, id);
create index inbound_parked_due on inbound_parked (parked_at, id);
