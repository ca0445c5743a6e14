-- Actors no roster identifier resolves (rule 1), and Groups, which never earn.
-- Voiding statements are an LRS's housekeeping and are left out.
create or replace table unmatched_actors as
select
    s.actor_type,
    s.actor_kind,
    s.actor_value,
    any_value(s.actor_name) as actor_name,
    count(*) as statements,
    min(s.ts) as first_seen,
    max(s.ts) as last_seen,
    min(s.statement_id) as example_statement_id
from int_statements as s
anti join int_worker_identifiers as i
    on i.kind = s.actor_kind and i.value = s.actor_value and s.actor_type = 'Agent'
where s.verb_id <> verb_voided()
group by s.actor_type, s.actor_kind, s.actor_value
