-- Actors no roster identifier resolves (rule 1), and Groups, which never earn.
-- Voiding statements are an LRS's housekeeping and are left out.
create or replace table unmatched_actors as
with statements as (
    select * from int_statements
),

identifiers as (
    select * from int_worker_identifiers
),

final as (
    select
        statements.actor_type,
        statements.actor_kind,
        statements.actor_value,
        any_value(statements.actor_name) as actor_name,
        count(*) as statements,
        min(statements.ts) as first_seen,
        max(statements.ts) as last_seen,
        min(statements.statement_id) as example_statement_id
    from statements
    anti join identifiers
        on identifiers.kind = statements.actor_kind and identifiers.value = statements.actor_value
        and statements.actor_type = 'Agent'
    where statements.verb_id <> verb_voided()
    group by statements.actor_type, statements.actor_kind, statements.actor_value
)

select * from final
