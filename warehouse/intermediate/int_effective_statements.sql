-- Statements that can earn credit: resolved to a worker, neither voiding nor voided,
-- labelled with their period. Kept as a table and maintained per batch: a full pass
-- (a changed roster or policy) rebuilds it; otherwise only the ids this batch brought
-- and the targets of voids are looked at again.
delete from int_effective_statements
where getvariable('full_pass')
    or int_effective_statements.statement_id in (select int_batch_ids.statement_id from int_batch_ids)
    or int_effective_statements.statement_id in (select int_voids.target_id from int_voids);

insert into int_effective_statements
with statements as not materialized (
    select * from int_statements
),

batch_ids as (
    select * from int_batch_ids
),

identifiers as (
    select * from int_worker_identifiers
),

voids as (
    select * from int_voids
),

candidates as (
    select statements.*
    from statements
    where getvariable('full_pass')
    union all
    select statements.*
    from statements
    semi join batch_ids on batch_ids.statement_id = statements.statement_id
    where not getvariable('full_pass')
),

final as (
    select
        identifiers.worker_id,
        candidates.statement_id,
        candidates.verb_id,
        candidates.object_type,
        candidates.object_id,
        candidates.ts,
        period_of(candidates.ts) as period,
        candidates.duration_seconds,
        candidates.context_ids
    from candidates
    inner join identifiers
        on identifiers.kind = candidates.actor_kind and identifiers.value = candidates.actor_value
    anti join voids on voids.target_id = candidates.statement_id
    where candidates.actor_type = 'Agent'
        and candidates.verb_id <> verb_voided()
)

select * from final
