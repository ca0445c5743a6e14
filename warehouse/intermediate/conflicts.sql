-- A copy whose content differs from the kept copy (ignoring stored, authority and
-- version, which an LRS sets) is a conflict; identical copies change nothing.
delete from conflicts
where conflicts.statement_id in (select int_batch_ids.statement_id from int_batch_ids);

insert into conflicts
with files as not materialized (
    select * from loaded_files
),

-- CTEs read more than once read their tables directly: an import CTE would change which
-- of them DuckDB materialises (see the README's "How it works").
-- The kept copy of each id the batches brought, paired with each other copy of that id
repeated as (
    select
        kept_copies.statement_id,
        kept_copies.file_id as kept_file_id,
        kept_copies.record_no as kept_record_no,
        other_copies.file_id as copy_file_id,
        other_copies.record_no as copy_record_no
    from int_statement_copies as kept_copies
    semi join int_batch_ids on kept_copies.statement_id = int_batch_ids.statement_id
    inner join int_statement_copies as other_copies
        on other_copies.statement_id = kept_copies.statement_id
        and (other_copies.file_id, other_copies.record_no) <> (kept_copies.file_id, kept_copies.record_no)
    where kept_copies.kept and kept_copies.copies > 1
),

wanted as (
    select repeated.kept_file_id as file_id, repeated.kept_record_no as record_no from repeated
    union
    select repeated.copy_file_id, repeated.copy_record_no from repeated
),

-- a record's number in its file counts from the file's first row
file_starts as (
    select raw_statements.file_id, min(raw_statements.rowid) as first_rowid
    from raw_statements
    where raw_statements.file_id in (select wanted.file_id from wanted)
    group by raw_statements.file_id
),

contents as (
    select
        raw_statements.file_id,
        raw_statements.rowid - file_starts.first_rowid + 1 as record_no,
        raw_statements.raw,
        statement_content_hash(raw_statements.raw) as content_hash,
        try_cast(json_extract_string(raw_statements.raw, '$.stored') as timestamptz) as stored_ts
    from raw_statements
    inner join file_starts on file_starts.file_id = raw_statements.file_id
    semi join wanted
        on wanted.file_id = raw_statements.file_id
        and wanted.record_no = raw_statements.rowid - file_starts.first_rowid + 1
),

final as (
    select
        repeated.statement_id,
        kept_file.source as kept_source,
        kept_file.path as kept_file,
        kept_content.stored_ts as kept_stored,
        conflicting_file.source as conflicting_source,
        conflicting_file.path as conflicting_file,
        conflicting_content.stored_ts as conflicting_stored,
        kept_content.raw as kept_raw,
        conflicting_content.raw as conflicting_raw
    from repeated
    inner join contents as kept_content
        on kept_content.file_id = repeated.kept_file_id and kept_content.record_no = repeated.kept_record_no
    inner join contents as conflicting_content
        on conflicting_content.file_id = repeated.copy_file_id
        and conflicting_content.record_no = repeated.copy_record_no
    inner join files as kept_file on kept_file.file_id = kept_content.file_id
    inner join files as conflicting_file on conflicting_file.file_id = conflicting_content.file_id
    where kept_content.content_hash <> conflicting_content.content_hash
)

select * from final
