-- Rule 18: the sha2 of every certificate-of-completion attachment of each statement's
-- standing copy, read from the raw text the warehouse keeps (staging does not extract
-- attachments). Kept between runs and maintained like int_effective_statements: a full
-- pass looks at every statement again; otherwise only the ids the new batches brought,
-- whose standing copy may be a new one.
delete from int_statement_evidence
where getvariable('full_pass')
    or statement_id in (select int_batch_ids.statement_id from int_batch_ids);

insert into int_statement_evidence
with copies as (
    select * from int_statement_copies
),

batch_ids as (
    select * from int_batch_ids
),

standing_copies as (
    select copies.statement_id, copies.file_id, copies.record_no
    from copies
    where copies.kept and getvariable('full_pass')
    union all
    select copies.statement_id, copies.file_id, copies.record_no
    from copies
    semi join batch_ids on batch_ids.statement_id = copies.statement_id
    where copies.kept and not getvariable('full_pass')
),

wanted_files as (
    select distinct standing_copies.file_id from standing_copies
),

-- only the files that hold those copies: a filter here, not after a join, keeps DuckDB
-- from reading the raw text of every statement on an incremental run
raw as (
    select raw_statements.rowid as row_id, raw_statements.*
    from raw_statements
    where raw_statements.file_id in (select wanted_files.file_id from wanted_files)
),

-- a record is addressed by its offset from its file's first row (schemas/warehouse.sql)
file_starts as (
    select raw.file_id, min(raw.row_id) as first_row_id
    from raw
    group by raw.file_id
),

certified_records as (
    select
        raw.file_id,
        raw.row_id - file_starts.first_row_id + 1 as record_no,
        raw.raw
    from raw
    inner join file_starts on file_starts.file_id = raw.file_id
    -- a cheap look before the parse: the words hold no character JSON escapes but with
    -- \u, so a statement naming the usageType either carries them or uses a \u escape
    -- (a slash written \/ changes nothing here)
    where contains(raw.raw, 'certificate-of-completion') or contains(raw.raw, '\u')
),

attachments as (
    select
        standing_copies.statement_id,
        unnest(json_extract(certified_records.raw, '$.attachments[*]')) as attachment
    from standing_copies
    inner join certified_records
        on certified_records.file_id = standing_copies.file_id
        and certified_records.record_no = standing_copies.record_no
),

certificates as (
    select
        attachments.statement_id,
        json_extract_string(attachments.attachment, '$.sha2') as sha2
    from attachments
    where json_extract_string(attachments.attachment, '$.usageType')
        = 'http://id.tincanapi.com/attachment/certificate-of-completion'
),

final as (
    select
        certificates.statement_id,
        string_agg(distinct certificates.sha2, ';' order by certificates.sha2) as evidence
    from certificates
    where certificates.sha2 is not null
    group by certificates.statement_id
)

select * from final
