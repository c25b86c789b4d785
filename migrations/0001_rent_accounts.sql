-- Rent accounts as the housing system sends them: tenancies, their tenants, and the ledger.
-- Money is integer pence; rent dates are calendar dates (Europe/London), instants are timestamptz.

create table tenancies (
  tenancy_ref        text primary key,
  tenure             text not null check (tenure in ('secure','introductory','assured','assured_shorthold','flexible','temporary','licence')),
  start_date         date not null,
  end_date           date,
  rent_frequency     text not null check (rent_frequency in ('weekly','fortnightly','four_weekly','monthly')),
  rent_amount_pence  integer not null check (rent_amount_pence >= 0),
  rent_due_day       text not null,
  patch              text,
  officer_slack_id   text,
  benefit            text not null default 'none' check (benefit in ('none','hb','uc','uc_apa')),
  demo               boolean not null default false,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now()
);

create table tenants (
  tenancy_ref            text not null references tenancies (tenancy_ref) on delete cascade,
  tenant_no              smallint not null check (tenant_no >= 1),
  first_name             text not null,
  last_name              text not null,
  mobile_raw             text not null default '',
  -- E.164 when the number is a valid mobile; null when it is a landline, invalid or missing.
  mobile_e164            text,
  channel                text not null default 'sms' check (channel in ('sms','whatsapp','none')),
  language               text not null default 'en',
  date_of_birth          date,
  postcode               text,
  vulnerable             boolean not null default false,
  do_not_contact         boolean not null default false,
  breathing_space_start  date,
  breathing_space_end    date,
  breathing_space_mental_health boolean not null default false,
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now(),
  primary key (tenancy_ref, tenant_no)
);
create index tenants_mobile on tenants (mobile_e164) where mobile_e164 is not null;

create table transactions (
  transaction_id  text primary key,
  -- No foreign key: the importer (the only writer) refuses rows for unknown tenancies with a set-based
  -- check under its lock, and tenancies are never deleted. A per-row FK trigger was 40% of a bulk import.
  tenancy_ref     text not null,
  date            date not null,
  type            text not null check (type in ('rent','charge','payment','hb','uc','adjustment','write_off','refund','court_costs')),
  amount_pence    integer not null,
  account         text not null default 'rent' check (account in ('rent','service_charge','rechargeable_repair','court_costs','ta_charge','storage','loan')),
  description     text not null default '',
  imported_at     timestamptz not null default now()
);
create index transactions_by_tenancy on transactions (tenancy_ref, date);

-- Repayment arrangements: offers from tenants and the plans officers agree.
create table arrangements (
  id                  bigint generated always as identity primary key,
  tenancy_ref         text not null references tenancies (tenancy_ref) on delete cascade,
  tenant_no           smallint not null,
  amount_pence        integer not null check (amount_pence > 0),
  frequency           text not null check (frequency in ('weekly','fortnightly','four_weekly','monthly')),
  start_date          date not null,
  reason              text,
  raw_text            text,
  status              text not null check (status in ('proposed','countered','referred','active','kept','broken','completed','declined')),
  start_arrears_pence integer not null default 0,
  within_policy       boolean,
  decided_by          text,
  decided_at          timestamptz,
  created_at          timestamptz not null,
  updated_at          timestamptz not null
);
create index arrangements_by_tenancy on arrangements (tenancy_ref, created_at desc);
