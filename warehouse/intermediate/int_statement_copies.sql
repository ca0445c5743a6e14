-- Valid records join every copy that ever arrived. Rule 2: the first stored copy of
-- an id stands (earliest `stored`, then order of arrival: file, then record); the
-- others are kept, unmarked, to judge conflicts.
-- CTEs read more than once read their tables directly: an import CTE would change which
-- of them DuckDB materialises (see the README's "How it works")
insert into int_statement_copies
with batch as (
    select
        file_id, record_no, getvariable('batch_id') as batch_id, statement_id, actor_type, actor_name,
        actor_kind, actor_value, verb_id, object_type, object_id, ts, stored_ts, duration_seconds,
        context_ids
    from stg_batch_records
    where len(reasons) = 0
),

earlier_copies as (
    select int_statement_copies.* exclude (copies, kept)
    from int_statement_copies
    semi join batch on batch.statement_id = int_statement_copies.statement_id
),

copy_ids as (
    select batch.statement_id from batch
    union all
    select earlier_copies.statement_id from earlier_copies
),

-- nearly every id arrives once: only repeated ids pay for ranking their copies
repeated_ids as (
    select copy_ids.statement_id, count(*) as copies
    from copy_ids
    group by copy_ids.statement_id
    having count(*) > 1
),

-- every copy of the batch's ids, new and earlier
all_copies as (
    select * from batch
    union all
    select * from earlier_copies
),

ranked as (
    select
        all_copies.*,
        repeated_ids.copies,
        row_number() over (
            partition by all_copies.statement_id
            order by all_copies.stored_ts asc nulls last, all_copies.file_id asc, all_copies.record_no asc
        ) = 1 as kept
    from all_copies
    inner join repeated_ids on repeated_ids.statement_id = all_copies.statement_id
),

single_copies as (
    select batch.*, 1 as copies, true as kept
    from batch
    anti join repeated_ids on repeated_ids.statement_id = batch.statement_id
),

final as (
    select * from single_copies
    union all
    select * from ranked where ranked.batch_id = getvariable('batch_id')
)

select * from final;

-- earlier copies of ids this batch repeats: recount, and unmark any a new copy beats
update int_statement_copies as statement_copies
set copies = recounted.copies, kept = recounted.kept
from (
    select
        repeated_copies.file_id,
        repeated_copies.record_no,
        count(*) over (partition by repeated_copies.statement_id) as copies,
        row_number() over (
            partition by repeated_copies.statement_id
            order by
                repeated_copies.stored_ts asc nulls last, repeated_copies.file_id asc, repeated_copies.record_no asc
        ) = 1 as kept,
        repeated_copies.batch_id
    from int_statement_copies as repeated_copies
    where repeated_copies.statement_id in (
        select batch_copies.statement_id
        from int_statement_copies as batch_copies
        where batch_copies.batch_id = getvariable('batch_id') and batch_copies.copies > 1
    )
) as recounted
where statement_copies.file_id = recounted.file_id and statement_copies.record_no = recounted.record_no
    and recounted.batch_id <> getvariable('batch_id')
;

-- the batch is audited and staged: free its scratch rows for what follows
drop table stg_batch_records
