-- Statements accepted with defects only in fields no rule reads: kept with every
-- warning, for the vendor's rejections report.
insert into warning_records
with batch_records as (
    select * from stg_batch_records
),

final as (
    select
        batch_records.file_id,
        batch_records.record_no,
        getvariable('batch_id') as batch_id,
        batch_records.raw_statement_id,
        batch_records.warnings
    from batch_records
    where len(batch_records.reasons) = 0 and len(batch_records.warnings) > 0
)

select * from final
