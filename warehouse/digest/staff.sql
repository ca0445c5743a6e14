-- Each supervisor's direct reports (roster supervisor_id, nothing inherited from further
-- up the chain) in the period that contains the as-of date. A report with no compliance
-- row in that period (left before it, or not hired yet) keeps its roster line, so every
-- report can be accounted for in the digest.
with roster as (
    select * from cfg_roster
),

periods as (
    select * from cfg_periods
),

worker_compliance as (
    select * from compliance_worker
),

current_period as (
    select periods.period, periods.start_date, periods.end_date
    from periods
    where $as_of between periods.start_date and periods.end_date
),

final as (
    select
        roster.supervisor_id,
        roster.worker_id,
        roster.name,
        coalesce(worker_compliance.role, roster.role) as role,
        coalesce(worker_compliance.facility, roster.facility) as facility,
        roster.hire_date,
        roster.end_date,
        worker_compliance.required_hours,
        worker_compliance.approved_hours,
        worker_compliance.pending_hours,
        worker_compliance.hours_needed,
        worker_compliance.status
    from roster
    cross join current_period
    left join worker_compliance
        on worker_compliance.worker_id = roster.worker_id and worker_compliance.period = current_period.period
    where roster.supervisor_id is not null
)

select * from final
order by final.supervisor_id, final.name, final.worker_id
