-- The once-keys of outreach (a reminder per tenant and due date, a missed-payment text per episode attempt, a
-- nudge per instalment) now name their conversation when they are claimed: the batch draws the conversations'
-- ids first (jobs/outreach.ts), so a key is written once instead of inserted and then updated. The conversation
-- row is inserted later in the same transaction, and a key whose start did not go ahead is deleted before
-- commit, so the reference is checked at commit rather than at each statement.
alter table reminders_sent alter constraint reminders_sent_conversation_id_fkey deferrable initially deferred;
alter table episode_texts alter constraint episode_texts_conversation_id_fkey deferrable initially deferred;
alter table arrangement_nudges alter constraint arrangement_nudges_conversation_id_fkey deferrable initially deferred;
