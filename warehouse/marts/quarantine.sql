-- Every rejected record with all its reasons, where it came from and what it said.
create or replace view quarantine as
with quarantined as (
    select * from quarantine_records
),

files as (
    select * from loaded_files
),

final as (
    select
        quarantined.statement_id,
        files.source,
        files.path as file,
        quarantined.record_no as record,
        array_to_string(quarantined.reasons, '; ') as reasons,
        quarantined.raw
    from quarantined
    inner join files on files.file_id = quarantined.file_id
)

select * from final
