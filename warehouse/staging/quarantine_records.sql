-- Invalid records are kept with every reason and their raw text; nothing read is
-- ever dropped.
-- raw_statements is read directly, as in conflicts.sql, for its rowid
insert into quarantine_records
with batch_records as (
    select * from stg_batch_records
),

rejected as (
    select batch_records.file_id, batch_records.record_no, batch_records.raw_statement_id, batch_records.reasons
    from batch_records
    where len(batch_records.reasons) > 0
),

-- a record's number in its file counts from the file's first row
file_starts as (
    select raw_statements.file_id, min(raw_statements.rowid) as first_rowid
    from raw_statements
    where raw_statements.batch_id = getvariable('batch_id')
    group by raw_statements.file_id
),

final as (
    select
        rejected.file_id,
        rejected.record_no,
        getvariable('batch_id') as batch_id,
        rejected.raw_statement_id,
        rejected.reasons,
        raw_statements.raw
    from rejected
    inner join file_starts on file_starts.file_id = rejected.file_id
    inner join raw_statements
        on raw_statements.file_id = rejected.file_id
        and raw_statements.rowid = file_starts.first_rowid + rejected.record_no - 1
)

select * from final
