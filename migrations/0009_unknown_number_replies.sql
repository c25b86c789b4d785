-- A text from a number Rentline does not know gets one polite reply a day at most; finding the last such
-- reply scanned every message. Only those replies are indexed, so no other insert pays for it.
create index messages_unknown_number_replies on messages (to_address, created_at)
  where tenancy_ref is null and direction = 'outbound';
