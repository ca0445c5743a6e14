-- The effective statements of the workers whose credit is recomputed: everyone's on a
-- full pass, else those of int_scope_workers. The one place the credit models'
-- incremental scope is written; a view, so each credit model reads it in its own plan
-- (a full pass skips the semi-join, which would cost a million probes).
create or replace temp view int_scoped_statements as
with effective_statements as not materialized (
    select * from int_effective_statements
),

scope_workers as (
    select * from int_scope_workers
),

final as (
    select effective_statements.*
    from effective_statements
    where getvariable('full_pass')
    union all
    select effective_statements.*
    from effective_statements
    semi join scope_workers on scope_workers.worker_id = effective_statements.worker_id
    where not getvariable('full_pass')
)

select * from final
