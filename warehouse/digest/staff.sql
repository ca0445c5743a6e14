-- Each supervisor's direct reports (roster supervisor_id, nothing inherited from further
-- up the chain) in the period that contains the as-of date. A report with no compliance
-- row in that period (left before it, or not hired yet) keeps its roster line, so every
-- report can be accounted for in the digest.
with period as (
    select period, start_date, end_date
    from cfg_periods
    where $as_of between start_date and end_date
)

select
    r.supervisor_id,
    r.worker_id,
    r.name,
    coalesce(c.role, r.role) as role,
    coalesce(c.facility, r.facility) as facility,
    r.hire_date,
    r.end_date,
    c.required_hours,
    c.approved_hours,
    c.pending_hours,
    c.hours_needed,
    c.status
from cfg_roster as r
cross join period as p
left join compliance_worker as c on c.worker_id = r.worker_id and c.period = p.period
where r.supervisor_id is not null
order by r.supervisor_id, r.name, r.worker_id
