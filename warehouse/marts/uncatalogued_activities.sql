-- Activities statements name that the catalog does not know (rule 8). A statement
-- on a page of a catalogued course (parent or grouping in the catalog) is not
-- reported: it is part of something the catalog knows.
create or replace table uncatalogued_activities as
select
    s.object_id as activity_id,
    count(*) as statements,
    count(distinct i.worker_id) as workers,
    count(distinct s.actor_kind || ':' || s.actor_value) as actors,
    min(s.ts) as first_seen,
    max(s.ts) as last_seen,
    string_agg(distinct s.verb_id, ';' order by s.verb_id) as verbs
from int_statements as s
left join int_worker_identifiers as i
    on i.kind = s.actor_kind and i.value = s.actor_value and s.actor_type = 'Agent'
where s.object_type = 'Activity'
    and s.verb_id <> verb_voided()
    and s.object_id not in (select activity_id from cfg_catalog)
    and not list_has_any(s.context_ids, (select list(activity_id) from cfg_catalog))
group by s.object_id
