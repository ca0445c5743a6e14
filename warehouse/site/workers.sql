-- Each worker's compliance row per period, with the roster's names and dates, for the
-- facility lists and the worker pages. $tz is the policy's time zone.
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
    strftime(timezone($tz, c.last_activity_at), '%Y-%m-%d') as last_activity,
    -- everything above, so an unchanged worker page can be kept (pipelines/site_writer.py)
    md5(to_json([
        c.worker_id, r.name, c.period, c.role, c.facility, c.region, c.supervisor_id, s.name, r.hire_date::varchar,
        r.end_date::varchar, c.required_hours::varchar, c.approved_hours::varchar, c.pending_hours::varchar,
        c.hours_needed::varchar, c.status, c.competencies_covered, epoch_us(c.last_activity_at)::varchar, $tz
    ])) as digest
from compliance_worker as c
left join cfg_roster as r on r.worker_id = c.worker_id
left join supervisors as s on s.worker_id = c.supervisor_id
order by c.worker_id, c.period
