-- Every accepted statement with defects in fields no rule reads, where it came from and
-- every warning.
create or replace view statement_warnings as
with warned as (
    select * from warning_records
),

files as (
    select * from loaded_files
),

final as (
    select
        warned.statement_id,
        files.source,
        files.path as file,
        warned.record_no as record,
        array_to_string(warned.reasons, '; ') as reasons
    from warned
    inner join files on files.file_id = warned.file_id
)

select * from final
