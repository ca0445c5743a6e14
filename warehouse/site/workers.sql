-- Each worker's compliance row per period, with the roster's names and dates, for the
-- facility lists and the worker pages. $tz is the policy's time zone; $workers (a list of
-- worker ids, or null for all) takes only those workers' rows.
with worker_compliance as (
    select * from compliance_worker
),

roster as not materialized (
    select * from cfg_roster
),

supervisors as (
    select roster.worker_id, roster.name
    from roster
),

final as (
    select
        worker_compliance.worker_id,
        coalesce(roster.name, worker_compliance.worker_id) as name,
        worker_compliance.period,
        worker_compliance.role,
        worker_compliance.facility,
        worker_compliance.region,
        worker_compliance.supervisor_id,
        supervisors.name as supervisor_name,
        roster.hire_date,
        roster.end_date,
        worker_compliance.required_hours,
        worker_compliance.approved_hours,
        worker_compliance.pending_hours,
        worker_compliance.hours_needed,
        worker_compliance.status,
        worker_compliance.competencies_covered,
        timezone($tz, worker_compliance.last_activity_at)::date as last_activity
    from worker_compliance
    left join roster on roster.worker_id = worker_compliance.worker_id
    left join supervisors on supervisors.worker_id = worker_compliance.supervisor_id
    where $workers is null or worker_compliance.worker_id in (select unnest($workers::varchar[]))
)

select * from final
order by final.worker_id, final.period
