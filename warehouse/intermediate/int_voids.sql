-- Which statement voids which. A void takes effect whichever of the two arrived
-- first; voiding a voiding statement has no effect.
-- CTEs read more than once read their tables directly: an import CTE would change which
-- of them DuckDB materialises (see the README's "How it works")
create or replace table int_voids as
with voiding as (
    select statement_id as voiding_id, object_id::uuid as target_id, ts as voided_at
    from int_statements
    where verb_id = verb_voided() and object_type = 'StatementRef'
),

final as (
    select voiding.voiding_id, voiding.target_id, voiding.voided_at
    from voiding
    anti join voiding as target_is_voiding on target_is_voiding.voiding_id = voiding.target_id
)

select * from final
