-- Workers whose credits are recomputed. A full pass (first run, changed config, or
-- asked for) takes every worker; otherwise only those this batch can affect: the
-- actors of every copy of a new statement and of every statement a new void targets.
create or replace temp table int_scope_workers as
with batch_ids as not materialized (
    select * from int_batch_ids
),

voids as (
    select * from int_voids
),

statement_copies as (
    select * from int_statement_copies
),

identifiers as (
    select * from int_worker_identifiers
),

roster as (
    select * from cfg_roster
),

book as (
    select * from ledger_book
),

batch_statement_ids as (
    select batch_ids.statement_id from batch_ids
    union
    select voids.target_id
    from voids
    semi join batch_ids on batch_ids.statement_id = voids.voiding_id
),

batch_actors as (
    select distinct statement_copies.actor_kind, statement_copies.actor_value
    from statement_copies
    semi join batch_statement_ids on batch_statement_ids.statement_id = statement_copies.statement_id
),

incremental as (
    select distinct identifiers.worker_id
    from identifiers
    semi join batch_actors
        on batch_actors.actor_kind = identifiers.kind and batch_actors.actor_value = identifiers.value
),

everyone as (
    select roster.worker_id from roster
    union
    select distinct book.worker_id from book
),

final as (
    select everyone.worker_id from everyone where getvariable('full_pass')
    union all
    select incremental.worker_id from incremental where not getvariable('full_pass')
)

select * from final
