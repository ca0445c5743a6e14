-- Rule 7: a forum post on a homework assignment (the post's object, or an activity of
-- its context) earns the assignment's hours once per period.
create or replace temp table int_credits_homework as
with statements as (
    select * from int_scoped_statements
),

posts as (
    select
        statements.*,
        unnest(list_distinct(list_prepend(statements.object_id, statements.context_ids))) as assignment_id
    from statements
    where is_homework_verb(statements.verb_id)
),

assignments as (
    select * from cfg_catalog where kind = 'homework'
),

final as (
    select
        posts.worker_id,
        assignments.activity_id,
        'homework' as activity_kind,
        posts.period,
        min(posts.ts) as earned_at,
        first(posts.statement_id::varchar order by posts.ts, posts.statement_id) as statement_ids,
        any_value(assignments.ce_hours) as hours,
        posts.worker_id || '|' || assignments.activity_id || '|' || posts.period as credit_key
    from posts
    inner join assignments on assignments.activity_id = posts.assignment_id
    group by posts.worker_id, assignments.activity_id, posts.period
)

select * from final
