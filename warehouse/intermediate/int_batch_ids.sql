-- Statement ids the batches loaded since the last ledger stage brought: the only ones whose
-- kept copy, conflicts or credit can have changed.
create or replace temp table int_batch_ids as
with statement_copies as (
    select * from int_statement_copies
),

final as (
    select distinct statement_copies.statement_id
    from statement_copies
    where statement_copies.batch_id >= getvariable('first_batch')
)

select * from final
