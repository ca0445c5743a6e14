-- The statements this batch accepted, as they were sent, for expectations/raw_statements.json:
-- the quality gate checks the xAPI rules again, independently of staging's own checks.
select
    raw_statement_id as id,
    actor_type,
    identifier_count,
    verb_id,
    object_type,
    object_id,
    timestamp_text,
    stored_text,
    duration_text,
    version,
    (epoch(ts) - epoch(coalesce(stored_ts, getvariable('as_of_end')))) / 3600.0 as hours_ahead_of_stored
from stg_batch_records
where len(reasons) = 0
