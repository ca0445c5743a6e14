-- What each source (vendor, LRS, inbox) sent that was rejected, by reason: how many,
-- a few statement ids to look up, and the run dates it was first and last seen.
create or replace table rejections as
with reasons as (
    select
        f.source,
        unnest(q.reasons) as reason,
        q.statement_id,
        q.record_no,
        f.path,
        f.loaded_as_of
    from quarantine_records as q
    inner join loaded_files as f on f.file_id = q.file_id
)

select
    source,
    reason,
    count(*) as statements,
    array_to_string(
        list_slice(list(coalesce(statement_id, '(record ' || record_no || ')') order by path, record_no), 1, 3), ' '
    ) as example_statement_ids,
    min(loaded_as_of) as first_seen,
    max(loaded_as_of) as last_seen
from reasons
group by source, reason
