-- Valid records join every copy that ever arrived. Rule 2: the first stored copy of
-- an id stands (earliest `stored`, then order of arrival: file, then record); the
-- others are kept, unmarked, to judge conflicts.
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
    select s.* exclude (copies, kept)
    from int_statement_copies as s
    semi join batch as b on b.statement_id = s.statement_id
),

-- nearly every id arrives once: only repeated ids pay for ranking their copies
repeated_ids as (
    select statement_id, count(*) as copies
    from (select statement_id from batch union all select statement_id from earlier_copies)
    group by statement_id
    having count(*) > 1
),

ranked as (
    select
        c.*,
        r.copies,
        row_number() over (
            partition by c.statement_id order by c.stored_ts asc nulls last, c.file_id asc, c.record_no asc
        ) = 1 as kept
    from (select * from batch union all select * from earlier_copies) as c
    inner join repeated_ids as r on r.statement_id = c.statement_id
)

select b.*, 1 as copies, true as kept
from batch as b
anti join repeated_ids as r on r.statement_id = b.statement_id
union all
select * from ranked where batch_id = getvariable('batch_id');

-- earlier copies of ids this batch repeats: recount, and unmark any a new copy beats
update int_statement_copies as s
set copies = r.copies, kept = r.kept
from (
    select
        file_id,
        record_no,
        count(*) over (partition by statement_id) as copies,
        row_number() over (
            partition by statement_id order by stored_ts asc nulls last, file_id asc, record_no asc
        ) = 1 as kept,
        batch_id
    from int_statement_copies
    where statement_id in (
        select statement_id from int_statement_copies
        where batch_id = getvariable('batch_id') and copies > 1
    )
) as r
where s.file_id = r.file_id and s.record_no = r.record_no and r.batch_id <> getvariable('batch_id')
;

-- the batch is audited and staged: free its scratch rows for what follows
drop table stg_batch_records
