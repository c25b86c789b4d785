-- The rent ledger kept in two parts for the daily sweep, so that its cost follows the recent window, not
-- the years of history (src/accounts/kept-ledger.ts, docs/architecture.md "The kept ledger"). Every sweep
-- needs each running tenancy's whole-history balance, but entry by entry only the last few months (the
-- grace period, the 13-week benefit cover, the 130-day window the arrears rules read) and, for the KPIs,
-- the financial year's credits and charges. So rent lines dated on or after `ledger_split.recent_from` are
-- copied into `ledger_recent` (with a Direct Debit flag in place of the description); older ones are
-- summed into `ledger_settled`, per tenancy and rent year (1 April). The sweep reads both parts in one statement; `transactions` stays the record.
--
-- Kept by statement-level triggers on `transactions`, so every writer (the importer, the demo seed, a
-- test's INSERT, a cascade from a deleted tenancy) keeps them, and a bulk COPY pays once per statement.
-- The daily job moves `recent_from` forward a day at a time (ledger_kept_settle); a sweep for a day whose
-- window starts before it reads `transactions` instead. Both triggers and the mover take ledger_split's
-- row lock, so a line is never classed by a split that moved under it.

-- The start of the rent year (1 April) containing d: rentYearOf in src/rent/schedule.ts, held equal by
-- test/accounts/kept-ledger.test.ts.
create function rent_year_start(d date) returns date language sql immutable parallel safe
  return make_date(extract(year from d)::int - (case when extract(month from d) < 4 then 1 else 0 end), 4, 1);

-- A Direct Debit payment, as isDirectDebit in src/rent/credit-streams.ts says; the SQL twin the sweep and
-- the kept ledger use, held equal by test/rent/credit-streams-sql.test.ts. Changing one means a migration
-- changing the other and rebuilding the kept ledger (ledger_kept_rebuild).
create function is_direct_debit(type text, description text) returns boolean language sql immutable parallel safe
  return type = 'payment' and description ~* 'direct\s*debit|\mDD\M';

create table ledger_split (
  singleton   boolean primary key default true check (singleton),
  recent_from date not null
);

-- Indexed by date only, for the morning's move (a day's lines of 150; without it every line was read,
-- 0.6–0.7 s on the bench's 3.8 million): the sweep reads it whole, in parallel, and nothing else looks a
-- line up here (the importer never updates or deletes ledger lines; a test's update or delete pays a scan).
create table ledger_recent (
  transaction_id text not null,
  tenancy_ref    text not null,
  date           date not null,
  type           text not null,
  amount_pence   integer not null,
  -- a Direct Debit payment (is_direct_debit): the one thing the rules read from a line's description,
  -- decided once as the line arrives, so the table is a quarter narrower for the sweep's two passes
  dd             boolean not null
);

create index ledger_recent_by_date on ledger_recent (date);

create table ledger_settled (
  tenancy_ref text not null,
  year_start  date not null,
  -- every rent line's amount, then the credits (payments, HB, UC, as a positive number) and the charges
  -- (rent and charges) among them, as the KPIs' year sums count them
  balance     bigint not null,
  credits     bigint not null,
  charged     bigint not null,
  primary key (tenancy_ref, year_start)
);

-- One function for every write: the lines taken away (a delete, or an update's old lines), then the lines
-- added (an insert, or an update's new ones). Each goes to the recent part or the settled sums by the split.
create function ledger_kept_changed() returns trigger language plpgsql as $$
declare
  split date;
  sign int;
begin
  select recent_from into split from ledger_split for share;
  foreach sign in array case tg_op when 'INSERT' then array[1] when 'DELETE' then array[-1] else array[-1, 1] end loop
    if sign = -1 then
      delete from ledger_recent r using kept_removed o
        where o.account = 'rent' and o.date >= split and r.transaction_id = o.transaction_id;
      insert into ledger_settled as s (tenancy_ref, year_start, balance, credits, charged)
        select tenancy_ref, rent_year_start(date), -sum(amount_pence),
          coalesce(sum(amount_pence) filter (where type in ('payment', 'hb', 'uc')), 0),
          coalesce(-sum(amount_pence) filter (where type in ('rent', 'charge')), 0)
        from kept_removed where account = 'rent' and date < split
        group by 1, 2
      on conflict (tenancy_ref, year_start) do update
        set balance = s.balance + excluded.balance, credits = s.credits + excluded.credits, charged = s.charged + excluded.charged;
    else
      insert into ledger_recent (transaction_id, tenancy_ref, date, type, amount_pence, dd)
        select transaction_id, tenancy_ref, date, type, amount_pence, is_direct_debit(type, description)
        from kept_added where account = 'rent' and date >= split;
      insert into ledger_settled as s (tenancy_ref, year_start, balance, credits, charged)
        select tenancy_ref, rent_year_start(date), sum(amount_pence),
          coalesce(-sum(amount_pence) filter (where type in ('payment', 'hb', 'uc')), 0),
          coalesce(sum(amount_pence) filter (where type in ('rent', 'charge')), 0)
        from kept_added where account = 'rent' and date < split
        group by 1, 2
      on conflict (tenancy_ref, year_start) do update
        set balance = s.balance + excluded.balance, credits = s.credits + excluded.credits, charged = s.charged + excluded.charged;
    end if;
  end loop;
  return null;
end $$;

create function ledger_kept_truncated() returns trigger language plpgsql as $$
begin
  truncate ledger_recent, ledger_settled;
  return null;
end $$;

create trigger transactions_kept_added after insert on transactions
  referencing new table as kept_added for each statement execute function ledger_kept_changed();
create trigger transactions_kept_removed after delete on transactions
  referencing old table as kept_removed for each statement execute function ledger_kept_changed();
create trigger transactions_kept_changed after update on transactions
  referencing old table as kept_removed new table as kept_added for each statement execute function ledger_kept_changed();
create trigger transactions_kept_truncated after truncate on transactions
  for each statement execute function ledger_kept_truncated();

-- Moves the split forward to `before`: recent lines dated earlier are summed into the settled part.
-- Returns the split in force afterwards (unchanged when it is already at or past `before`).
create function ledger_kept_settle(before date) returns date language plpgsql as $$
declare
  split date;
begin
  select recent_from into split from ledger_split for update;
  if split >= before then
    return split;
  end if;
  with moved as (
    delete from ledger_recent where date < before returning tenancy_ref, date, type, amount_pence
  )
  insert into ledger_settled as s (tenancy_ref, year_start, balance, credits, charged)
    select tenancy_ref, rent_year_start(date), sum(amount_pence),
      coalesce(-sum(amount_pence) filter (where type in ('payment', 'hb', 'uc')), 0),
      coalesce(sum(amount_pence) filter (where type in ('rent', 'charge')), 0)
    from moved group by 1, 2
  on conflict (tenancy_ref, year_start) do update
    set balance = s.balance + excluded.balance, credits = s.credits + excluded.credits, charged = s.charged + excluded.charged;
  update ledger_split set recent_from = before;
  return before;
end $$;

-- Builds both parts afresh from `transactions` with the split at `split_at` (earlier or later than
-- before): what this migration does once, and what a benchmark or a test does to place the split.
create function ledger_kept_rebuild(split_at date) returns void language plpgsql as $$
begin
  perform 1 from ledger_split for update;
  truncate ledger_recent, ledger_settled;
  insert into ledger_split (singleton, recent_from) values (true, split_at)
    on conflict (singleton) do update set recent_from = excluded.recent_from;
  insert into ledger_recent (transaction_id, tenancy_ref, date, type, amount_pence, dd)
    select transaction_id, tenancy_ref, date, type, amount_pence, is_direct_debit(type, description)
    from transactions where account = 'rent' and date >= split_at;
  insert into ledger_settled (tenancy_ref, year_start, balance, credits, charged)
    select tenancy_ref, rent_year_start(date), sum(amount_pence),
      coalesce(-sum(amount_pence) filter (where type in ('payment', 'hb', 'uc')), 0),
      coalesce(sum(amount_pence) filter (where type in ('rent', 'charge')), 0)
    from transactions where account = 'rent' and date < split_at
    group by 1, 2;
end $$;

-- 150 days back: the split the daily job keeps (SETTLE_AFTER_DAYS in src/accounts/kept-ledger.ts).
select ledger_kept_rebuild(current_date - 150);
