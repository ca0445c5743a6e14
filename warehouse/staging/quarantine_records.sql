-- Invalid records are kept with every reason and their raw text; nothing read is
-- ever dropped.
insert into quarantine_records
with rejected as (
    select file_id, record_no, raw_statement_id, reasons
    from stg_batch_records
    where len(reasons) > 0
),

file_starts as (
    select file_id, min(rowid) as first_rowid
    from raw_statements
    where batch_id = getvariable('batch_id')
    group by file_id
)

select q.file_id, q.record_no, getvariable('batch_id'), q.raw_statement_id, q.reasons, r.raw
from rejected as q
inner join file_starts as s on s.file_id = q.file_id
inner join raw_statements as r on r.file_id = q.file_id and r.rowid = s.first_rowid + q.record_no - 1
