-- Decisions that do not count (rule 9): made by someone other than the worker's own
-- supervisor, on the roster or not, or by the worker themselves. They are listed with
-- the reason so the program office can follow them up.
create or replace table ignored_approvals as
with approvals as (
    select * from cfg_approvals
),

roster as not materialized (
    select * from cfg_roster
),

final as (
    select
        approvals.worker_id,
        approvals.activity_id,
        approvals.decision,
        approvals.supervisor_id,
        approvals.decided_at,
        roster.supervisor_id as own_supervisor_id,
        case
            when approvals.supervisor_id = approvals.worker_id then 'a worker never approves their own credit'
            when approvals.supervisor_id is null then 'no supervisor_id'
            when approvals.supervisor_id not in (select staff.worker_id from roster as staff)
                then 'decided by someone not on the roster'
            else 'decided by someone other than the worker''s supervisor'
        end as reason
    from approvals
    inner join roster on roster.worker_id = approvals.worker_id
    where approvals.supervisor_id is distinct from roster.supervisor_id
        or approvals.supervisor_id = approvals.worker_id
)

select * from final
