-- The outbox is claimed conversational texts first: a reply to a tenant who has just written (a crisis
-- text's helpline numbers among them), an officer's decision or words, a system notice. Bulk outreach
-- (missed-payment openers, reminders, arrangement nudges) follows, each tier in due order. On a pilot's
-- first day the daily job queues tens of thousands of openers at once, sent at the account's rate, and a
-- reply queued behind them in one order waited for every one. The index leads with the claim's tier
-- (OUTREACH_PURPOSES in src/rent/contact-rule.ts; test/outbox/claim-order.test.ts holds the two equal), so the
-- conversational texts due are found without reading the bulk ones.
drop index messages_outbox;
create index messages_outbox on messages ((purpose in ('arrears', 'reminder', 'arrangement')), not_before nulls first, id)
  where status = 'queued';
