-- Statements that can earn credit: resolved to a worker, neither voiding nor voided.
-- A view, so a changed roster resolves old statements on the next run.
create or replace view int_effective_statements as
select
    i.worker_id,
    s.statement_id,
    s.verb_id,
    s.object_type,
    s.object_id,
    s.ts,
    s.duration_seconds,
    s.context_ids
from int_statements as s
inner join int_worker_identifiers as i on i.kind = s.actor_kind and i.value = s.actor_value
where s.actor_type = 'Agent'
    and s.verb_id <> 'http://adlnet.gov/expapi/verbs/voided'
    and s.statement_id not in (select target_id from int_voids)
