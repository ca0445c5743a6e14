-- Decisions made by someone other than the worker's own supervisor do not count
-- (rule 9); they are listed so the program office can follow them up.
create or replace table ignored_approvals as
select a.worker_id, a.activity_id, a.decision, a.supervisor_id, a.decided_at,
    r.supervisor_id as own_supervisor_id
from cfg_approvals as a
inner join cfg_roster as r on r.worker_id = a.worker_id
where a.supervisor_id is distinct from r.supervisor_id
