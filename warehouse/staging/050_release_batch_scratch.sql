-- The batch's records are staged or quarantined now; free their memory for the
-- intermediate models.
drop table stg_batch_records
