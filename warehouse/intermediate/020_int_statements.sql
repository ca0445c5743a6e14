-- One statement per id: the kept copy (rule 2).
create or replace view int_statements as
select * exclude (kept)
from stg_statements
where kept
