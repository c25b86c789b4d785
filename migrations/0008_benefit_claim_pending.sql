-- DOMAIN R2.2 (pre-action protocol): an account whose tenant has given everything a Housing Benefit or
-- Universal Credit claim needs, can expect to be eligible and pays what benefit will not cover must not be
-- recommended for a notice or court. Only an officer can judge that, so an officer marks it (Slack `/rent`
-- or the CLI) and clears it; the housing system's import never touches these columns.
alter table tenancies
  add column benefit_claim_pending_since timestamptz,
  add column benefit_claim_marked_by text;
