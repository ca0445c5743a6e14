-- One statement per id: the kept copy (rule 2).
create or replace view int_statements as
select * exclude (kept)
from int_statement_copies
where kept
