-- Decisions that do not count (rule 9): made by someone other than the worker's own
-- supervisor, on the roster or not, or by the worker themselves. They are listed with
-- the reason so the program office can follow them up.
create or replace table ignored_approvals as
select
    a.worker_id,
    a.activity_id,
    a.decision,
    a.supervisor_id,
    a.decided_at,
    r.supervisor_id as own_supervisor_id,
    case
        when a.supervisor_id = a.worker_id then 'a worker never approves their own credit'
        when a.supervisor_id is null then 'no supervisor_id'
        when a.supervisor_id not in (select worker_id from cfg_roster) then 'decided by someone not on the roster'
        else 'decided by someone other than the worker''s supervisor'
    end as reason
from cfg_approvals as a
inner join cfg_roster as r on r.worker_id = a.worker_id
where a.supervisor_id is distinct from r.supervisor_id or a.supervisor_id = a.worker_id
