-- Statements that can earn credit: resolved to a worker, neither voiding nor voided,
-- labelled with their period. Kept as a table and maintained per batch: a full pass
-- (a changed roster or policy) rebuilds it; otherwise only the ids this batch brought
-- and the targets of voids are looked at again.
delete from int_effective_statements
where getvariable('full_pass')
    or statement_id in (select statement_id from int_batch_ids)
    or statement_id in (select target_id from int_voids);

insert into int_effective_statements
with candidates as (
    select s.*
    from int_statements as s
    where getvariable('full_pass')
    union all
    select s.*
    from int_statements as s
    semi join int_batch_ids as b on b.statement_id = s.statement_id
    where not getvariable('full_pass')
)

select
    i.worker_id,
    s.statement_id,
    s.verb_id,
    s.object_type,
    s.object_id,
    s.ts,
    period_of(s.ts) as period,
    s.duration_seconds,
    s.context_ids
from candidates as s
inner join int_worker_identifiers as i on i.kind = s.actor_kind and i.value = s.actor_value
anti join int_voids as v on v.target_id = s.statement_id
where s.actor_type = 'Agent'
    and s.verb_id <> verb_voided()
