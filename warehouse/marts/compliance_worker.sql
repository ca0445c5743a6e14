-- Rules 11 and 12: what each employed worker owes in each period, what counts as of
-- the run date, and the resulting status. Only the workers in scope are recomputed,
-- unless the as-of date, the periods or the config changed (compliance_all).
delete from compliance_worker
where getvariable('compliance_all') or worker_id in (select worker_id from int_scope_workers);

insert into compliance_worker
with as_of as (
    select getvariable('as_of')::date as d
),

scope as (
    select worker_id from cfg_roster where getvariable('compliance_all')
    union all
    select worker_id from int_scope_workers where not getvariable('compliance_all')
),

employed as (
    select r.*, p.period, p.start_date, p.end_date as period_end
    from cfg_roster as r
    semi join scope as s on s.worker_id = r.worker_id
    inner join cfg_periods as p
        on r.hire_date <= p.end_date
        and (r.end_date is null or r.end_date >= p.start_date)
    where r.hire_date <= (select d from as_of)
),

requirement as (
    select
        e.*,
        q.hours as role_hours,
        case
            when getvariable('proration') = 'monthly' and e.hire_date > e.start_date then
                (year(e.period_end) * 12 + month(e.period_end))
                - (year(e.hire_date) * 12 + month(e.hire_date))
                + (day(e.hire_date) = 1)::int
            else 12
        end as owed_months,
        greatest(e.hire_date, e.start_date) as own_start
    from employed as e
    inner join cfg_requirements as q on q.role = e.role
),

counted as (
    select
        b.worker_id,
        b.period,
        sum(b.credited_hours) filter (where b.approval_state = 'approved') as approved_hours,
        sum(b.credited_hours) filter (where b.approval_state = 'pending') as pending_hours
    from ledger_book as b
    semi join scope as s on s.worker_id = b.worker_id
    where b.qualifying and b.earned_at < getvariable('as_of_end')
    group by b.worker_id, b.period
),

coverage as (
    select worker_id, period, string_agg(distinct code, ';' order by code) as competencies_covered
    from (
        select c.worker_id, c.period, unnest(string_split(c.competencies, ';')) as code
        from ledger_book as c
        semi join scope as s on s.worker_id = c.worker_id
        anti join ledger_book as r on r.reverses_entry_id = c.entry_id
        where c.entry_type = 'credit' and c.qualifying and c.approval_state = 'approved'
            and c.earned_at < getvariable('as_of_end')
    )
    group by worker_id, period
),

last_activity as (
    select e.worker_id, e.period, max(e.ts) as last_activity_at
    from int_effective_statements as e
    semi join scope as s on s.worker_id = e.worker_id
    where e.ts < getvariable('as_of_end')
    group by all
),

measured as (
    select
        q.worker_id,
        q.period,
        q.role,
        q.facility,
        q.region,
        q.supervisor_id,
        (ceil(q.role_hours * q.owed_months / 12.0 * 4) / 4)::decimal(9, 2) as required_hours,
        coalesce(c.approved_hours, 0)::decimal(9, 2) as approved_hours,
        coalesce(c.pending_hours, 0)::decimal(9, 2) as pending_hours,
        q.end_date is not null and q.end_date between q.start_date and q.period_end as separated,
        q.period_end,
        least(greatest(
            (datediff('day', q.own_start, (select d from as_of)) + 1)
            / (datediff('day', q.own_start, q.period_end) + 1), 0), 1) as elapsed_fraction,
        coalesce(v.competencies_covered, '') as competencies_covered,
        a.last_activity_at
    from requirement as q
    left join counted as c on c.worker_id = q.worker_id and c.period = q.period
    left join coverage as v on v.worker_id = q.worker_id and v.period = q.period
    left join last_activity as a on a.worker_id = q.worker_id and a.period = q.period
)

select
    worker_id,
    period,
    role,
    facility,
    region,
    supervisor_id,
    required_hours,
    approved_hours,
    pending_hours,
    greatest(required_hours - approved_hours, 0)::decimal(9, 2) as hours_needed,
    case
        when separated then 'separated'
        when approved_hours >= required_hours then 'compliant'
        when (select d from as_of) > period_end then 'non_compliant'
        when approved_hours >= required_hours * elapsed_fraction - getvariable('pace_slack_hours')
            then 'on_track'
        else 'at_risk'
    end as status,
    competencies_covered,
    last_activity_at,
    (select d from as_of) as as_of
from measured
