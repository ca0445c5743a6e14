-- The credit each rule grants today to the workers in scope (rules 5-7 and 9-10).
-- Compared with the book in marts/ledger_book.sql, it yields new credits and reversals.
create or replace temp table int_credits as
with effective as (
    -- a full pass takes everyone; skipping the semi-join then saves a million probes
    select e.*
    from int_effective_statements as e
    where getvariable('full_pass')
    union all
    select e.*
    from int_effective_statements as e
    semi join int_scope_workers as w on w.worker_id = e.worker_id
    where not getvariable('full_pass')
),

attendance as (
    select
        e.worker_id,
        c.activity_id,
        c.ce_hours * 60 as scheduled_minutes,
        least(sum(coalesce(e.duration_seconds, 0)) / 60.0, c.ce_hours * 60) as attended_minutes,
        min(e.ts) as earned_at,
        first(e.period order by e.ts, e.statement_id) as period,
        array_to_string(list_sort(list(e.statement_id::varchar)), ';') as statement_ids
    from effective as e
    inner join cfg_catalog as c on c.activity_id = e.object_id and c.kind = 'webinar'
    where e.verb_id = 'http://adlnet.gov/expapi/verbs/attended'
    group by e.worker_id, c.activity_id, c.ce_hours
),

webinar_credits as (
    select
        worker_id,
        activity_id,
        'webinar' as activity_kind,
        period,
        earned_at,
        statement_ids,
        floor(attended_minutes / getvariable('increment_minutes')) * getvariable('increment_minutes') / 60.0
            as hours,
        worker_id || '|' || activity_id as credit_key
    from attendance
    where attended_minutes >= getvariable('min_attendance_ratio') * scheduled_minutes
        and attended_minutes >= getvariable('increment_minutes')
),

course_credits as (
    select
        e.worker_id,
        c.activity_id,
        'course' as activity_kind,
        e.period,
        min(e.ts) as earned_at,
        first(e.statement_id::varchar order by e.ts, e.statement_id) as statement_ids,
        any_value(c.ce_hours) as hours,
        e.worker_id || '|' || c.activity_id || '|' || e.period as credit_key
    from effective as e
    inner join cfg_catalog as c on c.activity_id = e.object_id and c.kind = 'course'
    -- cmi5's satisfied counts like completed; its waived never earns (rule 6)
    where e.verb_id in (
        'http://adlnet.gov/expapi/verbs/completed',
        'http://adlnet.gov/expapi/verbs/passed',
        'https://w3id.org/xapi/adl/verbs/satisfied'
    )
    group by e.worker_id, c.activity_id, e.period
),

homework_posts as (
    select e.*, unnest(list_distinct(list_prepend(e.object_id, e.context_ids))) as assignment_id
    from effective as e
    where e.verb_id in (
        'http://adlnet.gov/expapi/verbs/commented',
        'http://adlnet.gov/expapi/verbs/responded',
        'http://id.tincanapi.com/verb/replied'
    )
),

homework_credits as (
    select
        p.worker_id,
        c.activity_id,
        'homework' as activity_kind,
        p.period,
        min(p.ts) as earned_at,
        first(p.statement_id::varchar order by p.ts, p.statement_id) as statement_ids,
        any_value(c.ce_hours) as hours,
        p.worker_id || '|' || c.activity_id || '|' || p.period as credit_key
    from homework_posts as p
    inner join cfg_catalog as c on c.activity_id = p.assignment_id and c.kind = 'homework'
    group by p.worker_id, c.activity_id, p.period
),

credits as (
    select * from webinar_credits
    union all
    select * from course_credits
    union all
    select * from homework_credits
),

-- rule 9: the latest decision of the worker's own supervisor, the later line of
-- approvals.csv between decisions made at the same instant; never the worker's own
own_supervisor_decisions as (
    select
        a.worker_id,
        a.activity_id,
        first(a.decision order by a.decided_at desc, a.line_no desc) as decision
    from cfg_approvals as a
    inner join cfg_roster as r on r.worker_id = a.worker_id and r.supervisor_id = a.supervisor_id
    where a.supervisor_id <> a.worker_id
    group by a.worker_id, a.activity_id
),

decided as (
    select
        c.*,
        cat.competencies,
        case
            when cat.approved then 'approved'
            when d.decision is not null then d.decision
            else 'pending'
        end as approval_state
    from credits as c
    inner join cfg_catalog as cat on cat.activity_id = c.activity_id
    left join own_supervisor_decisions as d
        on d.worker_id = c.worker_id and d.activity_id = c.activity_id
)

select
    credit_key,
    worker_id,
    period,
    activity_id,
    activity_kind,
    hours::decimal(9, 2) as credited_hours,
    approval_state,
    competencies <> '' as qualifying,
    competencies,
    earned_at,
    statement_ids,
    md5(concat_ws('|',
        period, activity_kind, hours::decimal(9, 2), approval_state, competencies,
        epoch_us(earned_at), statement_ids
    )) as content_hash
from decided
