-- Rule 5: one credit per webinar a worker attended long enough, in the period of the
-- earliest attendance; the minutes attended (capped at the scheduled length) are
-- rounded down to whole increments.
create or replace temp table int_credits_webinar as
with statements as (
    select * from int_scoped_statements where verb_id = verb_attended()
),

webinars as (
    select * from cfg_catalog where kind = 'webinar'
),

attendance as (
    select
        statements.worker_id,
        webinars.activity_id,
        webinars.ce_hours * 60 as scheduled_minutes,
        least(sum(coalesce(statements.duration_seconds, 0)) / 60.0, webinars.ce_hours * 60) as attended_minutes,
        min(statements.ts) as earned_at,
        first(statements.period order by statements.ts, statements.statement_id) as period,
        array_to_string(list_sort(list(statements.statement_id::varchar)), ';') as statement_ids
    from statements
    inner join webinars on webinars.activity_id = statements.object_id
    group by statements.worker_id, webinars.activity_id, webinars.ce_hours
),

final as (
    select
        attendance.worker_id,
        attendance.activity_id,
        'webinar' as activity_kind,
        attendance.period,
        attendance.earned_at,
        attendance.statement_ids,
        floor(attendance.attended_minutes / getvariable('increment_minutes')) * getvariable('increment_minutes')
            / 60.0 as hours,
        attendance.worker_id || '|' || attendance.activity_id as credit_key
    from attendance
    where attendance.attended_minutes >= getvariable('min_attendance_ratio') * attendance.scheduled_minutes
        and attendance.attended_minutes >= getvariable('increment_minutes')
)

select * from final
