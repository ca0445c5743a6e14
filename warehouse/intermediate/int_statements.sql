-- One statement per id: the kept copy (rule 2).
create or replace view int_statements as
with statement_copies as (
    select * from int_statement_copies
),

final as (
    select statement_copies.* exclude (kept)
    from statement_copies
    where statement_copies.kept
)

select * from final
