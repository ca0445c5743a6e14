-- What each source (vendor, LRS, inbox) sent that was rejected, by reason: how many,
-- a few statement ids to look up, and the run dates it was first and last seen.
create or replace table rejections as
with quarantined as (
    select * from quarantine_records
),

files as (
    select * from loaded_files
),

reasons as (
    select
        files.source,
        unnest(quarantined.reasons) as reason,
        quarantined.statement_id,
        quarantined.record_no,
        files.path,
        files.loaded_as_of
    from quarantined
    inner join files on files.file_id = quarantined.file_id
),

final as (
    select
        reasons.source,
        reasons.reason,
        count(*) as statements,
        array_to_string(
            list_slice(
                list(
                    coalesce(reasons.statement_id, '(record ' || reasons.record_no || ')')
                    order by reasons.path, reasons.record_no
                ),
                1, 3
            ),
            ' '
        ) as example_statement_ids,
        min(reasons.loaded_as_of) as first_seen,
        max(reasons.loaded_as_of) as last_seen
    from reasons
    group by reasons.source, reasons.reason
)

select * from final
