-- Statement ids this batch brought: the only ones whose kept copy or conflicts can change.
create or replace temp table int_batch_ids as
select distinct statement_id
from int_statement_copies
where batch_id = getvariable('batch_id')
