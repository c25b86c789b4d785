-- A tenancy's pending escalations, looked up by tenancy: the worklist refresh and the missed-payments job
-- ask this of every account in a sweep batch. Without it the planner, with statistics taken before the
-- morning's held-contact tasks were raised, combined the pending index (by created_at) with the tenant
-- index and read every pending row once per tenancy: 0.1 ms a tenancy, most of the worklist refresh.
create index escalations_pending_by_tenancy on escalations (tenancy_ref) where status = 'pending';
