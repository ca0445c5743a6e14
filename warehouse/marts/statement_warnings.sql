-- Every accepted statement with defects in fields no rule reads, where it came from and
-- every warning.
create or replace view statement_warnings as
select
    w.statement_id,
    f.source,
    f.path as file,
    w.record_no as record,
    array_to_string(w.reasons, '; ') as reasons
from warning_records as w
inner join loaded_files as f on f.file_id = w.file_id
