-- Rule 6: a course completed, passed or (cmi5) satisfied earns its catalog hours once
-- per period, in the period of the earliest such statement; cmi5's waived never earns.
create or replace temp table int_credits_course as
with statements as (
    select * from int_scoped_statements where is_completion_verb(verb_id)
),

courses as (
    select * from cfg_catalog where kind = 'course'
),

final as (
    select
        statements.worker_id,
        courses.activity_id,
        'course' as activity_kind,
        statements.period,
        min(statements.ts) as earned_at,
        first(statements.statement_id::varchar order by statements.ts, statements.statement_id) as statement_ids,
        any_value(courses.ce_hours) as hours,
        statements.worker_id || '|' || courses.activity_id || '|' || statements.period as credit_key
    from statements
    inner join courses on courses.activity_id = statements.object_id
    group by statements.worker_id, courses.activity_id, statements.period
)

select * from final
