-- Each worker's compliance row per period, with the roster's names and dates, for the
-- facility lists and the worker pages. $tz is the policy's time zone; $first and $next
-- (either null for no bound) take the workers from $first up to, not including, $next.
with supervisors as (
    select worker_id, name
    from cfg_roster
)

select
    c.worker_id,
    coalesce(r.name, c.worker_id) as name,
    c.period,
    c.role,
    c.facility,
    c.region,
    c.supervisor_id,
    s.name as supervisor_name,
    r.hire_date,
    r.end_date,
    c.required_hours,
    c.approved_hours,
    c.pending_hours,
    c.hours_needed,
    c.status,
    c.competencies_covered,
    timezone($tz, c.last_activity_at)::date as last_activity
from compliance_worker as c
left join cfg_roster as r on r.worker_id = c.worker_id
left join supervisors as s on s.worker_id = c.supervisor_id
where ($first is null or c.worker_id >= $first) and ($next is null or c.worker_id < $next)
order by c.worker_id, c.period
