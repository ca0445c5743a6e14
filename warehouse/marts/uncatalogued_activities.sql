-- Activities statements name that the catalog does not know (rule 8). A statement
-- on a page of a catalogued course (parent or grouping in the catalog) is not
-- reported: it is part of something the catalog knows.
create or replace table uncatalogued_activities as
with statements as (
    select * from int_statements
),

identifiers as (
    select * from int_worker_identifiers
),

activities as not materialized (
    select * from cfg_catalog
),

final as (
    select
        statements.object_id as activity_id,
        count(*) as statements,
        count(distinct identifiers.worker_id) as workers,
        count(distinct statements.actor_kind || ':' || statements.actor_value) as actors,
        min(statements.ts) as first_seen,
        max(statements.ts) as last_seen,
        string_agg(distinct statements.verb_id, ';' order by statements.verb_id) as verbs
    from statements
    left join identifiers
        on identifiers.kind = statements.actor_kind and identifiers.value = statements.actor_value
        and statements.actor_type = 'Agent'
    where statements.object_type = 'Activity'
        and statements.verb_id <> verb_voided()
        and statements.object_id not in (select activities.activity_id from activities)
        and not list_has_any(statements.context_ids, (select list(activities.activity_id) from activities))
    group by statements.object_id
)

select * from final
