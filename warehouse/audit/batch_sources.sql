-- This load's batch, one row per source, for expectations/batch_sources.json: taken after
-- staging, before the batch joins the warehouse, plus a row for each source sources.yaml
-- gives a max_silent_days (cfg_sources), whether or not it sent anything.
-- The shares are null for a source with fewer records in the batch than the policy's
-- quality.min_batch_records: a handful of records is too few to judge a feed by.
with batch_files as (
    select file_id, source
    from loaded_files
    where batch_id = getvariable('batch_id')
),

-- statements about a catalogued activity: their object, or a context parent or grouping
-- (a homework post's assignment); unnested and joined, which is far cheaper than
-- comparing every statement's list with the whole catalog
catalogued_by_context as (
    select distinct u.file_id, u.record_no
    from (select file_id, record_no, unnest(context_ids) as activity_id from stg_batch_records) as u
    semi join cfg_catalog as c on c.activity_id = u.activity_id
),

records as (
    select
        f.source,
        r.file_id,
        r.record_no,
        r.statement_id,
        r.verb_id,
        len(r.reasons) > 0 as quarantined,
        least(r.ts, r.stored_ts) as earliest_instant,
        greatest(r.ts, r.stored_ts) as latest_instant,
        r.object_id in (select c.activity_id from cfg_catalog as c) or k.record_no is not null as on_catalogued
    from stg_batch_records as r
    inner join batch_files as f on f.file_id = r.file_id
    left join catalogued_by_context as k on k.file_id = r.file_id and k.record_no = r.record_no
),

-- Rule 2: copies of an id with the same content (stored, authority and version aside)
-- are one statement. Only ids the batch carries more than once are read again.
repeated as (
    select file_id, record_no, statement_id, source
    from records
    where not quarantined and statement_id in (
        select statement_id from records where not quarantined group by statement_id having count(*) > 1
    )
),

file_starts as (
    select file_id, min(rowid) as first_rowid
    from raw_statements
    where file_id in (select file_id from repeated)
    group by file_id
),

contents as (
    select
        p.source,
        p.statement_id,
        md5(json_merge_patch(r.raw, '{"stored":null,"authority":null,"version":null}')) as content
    from raw_statements as r
    inner join file_starts as s on s.file_id = r.file_id
    inner join repeated as p on p.file_id = r.file_id and p.record_no = r.rowid - s.first_rowid + 1
),

conflicting as (
    select source, count(*) as copies
    from contents
    where statement_id in (
        select statement_id from contents group by statement_id having count(distinct content) > 1
    )
    group by source
),

per_source as (
    select
        source,
        count(*) as records,
        count(*) filter (where quarantined) as quarantined,
        count(*) filter (where not quarantined) as accepted,
        count(*) filter (where not quarantined and on_catalogued) as on_catalogued,
        count(*) filter (where not quarantined and on_catalogued and not is_known_verb(verb_id)) as unknown_verbs,
        list_sort(list_distinct(
            list(verb_id) filter (where not quarantined and on_catalogued and not is_known_verb(verb_id))
        ))[1:3] as unknown_verb_examples,
        min(earliest_instant) filter (where not quarantined) as earliest_instant,
        max(latest_instant) filter (where not quarantined) as latest_instant
    from records
    group by source
),

-- a source's newest file, by its modification time (a landed segment's is the moment it
-- landed), as a day in the policy's time zone; one that never delivered has been silent
-- since the warehouse's first load
silence as (
    select
        c.source,
        c.max_silent_days,
        getvariable('as_of') - coalesce(
            (
                select timezone(getvariable('timezone'), to_timestamp(max(l.mtime_ns) / 1e9))::date
                from loaded_files as l
                where l.source = c.source
            ),
            (select min(l.loaded_as_of) from loaded_files as l),
            getvariable('as_of')
        ) as silent_days
    from cfg_sources as c
    where c.max_silent_days is not null
)

select
    coalesce(p.source, s.source) as source,
    coalesce(p.records, 0) as records,
    coalesce(p.quarantined, 0) as quarantined,
    case when p.records >= getvariable('min_batch_records') then p.quarantined / p.records end as quarantined_share,
    case
        when p.records >= getvariable('min_batch_records') and p.accepted > 0
            then coalesce(k.copies, 0) / p.accepted
    end as conflicting_share,
    case
        when p.records >= getvariable('min_batch_records') and p.on_catalogued > 0
            then p.unknown_verbs / p.on_catalogued
    end as unknown_verb_share,
    array_to_string(p.unknown_verb_examples, ' ') as unknown_verbs,
    p.earliest_instant,
    p.latest_instant,
    s.max_silent_days,
    s.silent_days
from per_source as p
full join silence as s on s.source = p.source
left join conflicting as k on k.source = p.source
order by source
