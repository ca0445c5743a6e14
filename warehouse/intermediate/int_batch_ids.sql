-- Statement ids the batches loaded since the last ledger stage brought: the only ones whose
-- kept copy, conflicts or credit can have changed.
create or replace temp table int_batch_ids as
select distinct statement_id
from int_statement_copies
where batch_id >= getvariable('first_batch')
