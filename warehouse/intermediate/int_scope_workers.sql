-- Workers whose credits are recomputed. A full pass (first run, changed config, or
-- asked for) takes every worker; otherwise only those this batch can affect: the
-- actors of every copy of a new statement and of every statement a new void targets.
create or replace temp table int_scope_workers as
with batch_statement_ids as (
    select statement_id from int_batch_ids
    union
    select v.target_id
    from int_voids as v
    semi join int_batch_ids as b on b.statement_id = v.voiding_id
),

batch_actors as (
    select distinct s.actor_kind, s.actor_value
    from int_statement_copies as s
    semi join batch_statement_ids as b on b.statement_id = s.statement_id
),

incremental as (
    select distinct i.worker_id
    from int_worker_identifiers as i
    semi join batch_actors as a on a.actor_kind = i.kind and a.actor_value = i.value
),

everyone as (
    select worker_id from cfg_roster
    union
    select distinct worker_id from ledger_book
)

select worker_id from everyone where getvariable('full_pass')
union all
select worker_id from incremental where not getvariable('full_pass')
