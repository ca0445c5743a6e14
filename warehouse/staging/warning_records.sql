-- Statements accepted with defects only in fields no rule reads: kept with every
-- warning, for the vendor's rejections report.
insert into warning_records
select file_id, record_no, getvariable('batch_id'), raw_statement_id, warnings
from stg_batch_records
where len(reasons) = 0 and len(warnings) > 0
