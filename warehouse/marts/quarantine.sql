-- Every rejected record with all its reasons, where it came from and what it said.
create or replace view quarantine as
select
    q.statement_id,
    f.source,
    f.path as file,
    q.record_no as record,
    array_to_string(q.reasons, '; ') as reasons,
    q.raw
from quarantine_records as q
inner join loaded_files as f on f.file_id = q.file_id
