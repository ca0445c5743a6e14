-- This load's batch, one row per source, for expectations/batch_sources.json: taken after
-- staging, before the batch joins the warehouse, plus a row for each source sources.yaml
-- gives a max_silent_days (cfg_sources), whether or not it sent anything.
-- The shares are null for a source with fewer records in the batch than the policy's
-- quality.min_batch_records: a handful of records is too few to judge a feed by.
with files as not materialized (
    select * from loaded_files
),

batch_records as not materialized (
    select * from stg_batch_records
),

activities as not materialized (
    select * from cfg_catalog
),

configured_sources as (
    select * from cfg_sources
),

batch_files as (
    select files.file_id, files.source, files.received_at
    from files
    where files.batch_id = getvariable('batch_id')
),

-- statements about a catalogued activity through a context parent or grouping (a homework
-- post's assignment): unnested and joined, far cheaper than comparing every statement's
-- list with the whole catalog
catalogued_by_context as (
    select distinct context_ids.file_id, context_ids.record_no
    from (
        select batch_records.file_id, batch_records.record_no, unnest(batch_records.context_ids) as activity_id
        from batch_records
    ) as context_ids
    semi join activities on activities.activity_id = context_ids.activity_id
),

records as (
    select
        batch_files.source,
        batch_records.file_id,
        batch_records.record_no,
        batch_records.statement_id,
        batch_records.verb_id,
        len(batch_records.reasons) > 0 as quarantined,
        least(batch_records.ts, batch_records.stored_ts) as earliest_instant,
        -- a statement cannot have happened, nor been stored, after celedger received it
        epoch(greatest(batch_records.ts, batch_records.stored_ts)) - epoch(batch_files.received_at)
            as seconds_after_receipt,
        batch_records.object_id in (select activities.activity_id from activities)
        or catalogued_by_context.record_no is not null as on_catalogued
    from batch_records
    inner join batch_files on batch_files.file_id = batch_records.file_id
    left join catalogued_by_context
        on catalogued_by_context.file_id = batch_records.file_id
        and catalogued_by_context.record_no = batch_records.record_no
),

-- Rule 2: copies of an id with the same content (stored, authority and version aside)
-- are one statement. Only ids the batch carries more than once are read again.
repeated_ids as (
    select records.statement_id
    from records
    where not records.quarantined
    group by records.statement_id
    having count(*) > 1
),

repeated as (
    select records.file_id, records.record_no, records.statement_id, records.source
    from records
    semi join repeated_ids on repeated_ids.statement_id = records.statement_id
    where not records.quarantined
),

-- a record's number in its file counts from the file's first row; raw_statements is read
-- directly, as in conflicts.sql, for its rowid
file_starts as (
    select raw_statements.file_id, min(raw_statements.rowid) as first_rowid
    from raw_statements
    where raw_statements.file_id in (select repeated.file_id from repeated)
    group by raw_statements.file_id
),

contents as (
    select
        repeated.source,
        repeated.statement_id,
        statement_content_hash(raw_statements.raw) as content
    from raw_statements
    inner join file_starts on file_starts.file_id = raw_statements.file_id
    inner join repeated
        on repeated.file_id = raw_statements.file_id
        and repeated.record_no = raw_statements.rowid - file_starts.first_rowid + 1
),

conflicted_ids as (
    select contents.statement_id
    from contents
    group by contents.statement_id
    having count(distinct contents.content) > 1
),

conflicting as (
    select contents.source, count(*) as copies
    from contents
    semi join conflicted_ids on conflicted_ids.statement_id = contents.statement_id
    group by contents.source
),

per_source as (
    select
        records.source,
        count(*) as records,
        count(*) filter (where records.quarantined) as quarantined,
        count(*) filter (where not records.quarantined) as accepted,
        count(*) filter (where not records.quarantined and records.on_catalogued) as on_catalogued,
        count(*) filter (
            where not records.quarantined and records.on_catalogued and not is_known_verb(records.verb_id)
        ) as unknown_verbs,
        list_sort(list_distinct(list(records.verb_id) filter (
            where not records.quarantined and records.on_catalogued and not is_known_verb(records.verb_id)
        )))[1:3] as unknown_verb_examples,
        min(records.earliest_instant) filter (where not records.quarantined) as earliest_instant,
        max(records.seconds_after_receipt) filter (where not records.quarantined) / 3600 as hours_after_receipt
    from records
    group by records.source
),

-- a source's newest file, by its modification time (a landed segment's is the moment it
-- landed), as a day in the policy's time zone
deliveries as (
    select
        files.source,
        timezone(getvariable('timezone'), to_timestamp(max(files.mtime_ns) / 1e9))::date as newest_day
    from files
    group by files.source
),

-- one that never delivered has been silent since the warehouse's first load
silence as (
    select
        configured_sources.source,
        configured_sources.max_silent_days,
        getvariable('as_of') - coalesce(
            deliveries.newest_day, (select min(files.loaded_as_of) from files), getvariable('as_of')
        ) as silent_days
    from configured_sources
    left join deliveries on deliveries.source = configured_sources.source
    where configured_sources.max_silent_days is not null
),

final as (
    select
        coalesce(per_source.source, silence.source) as source,
        coalesce(per_source.records, 0) as records,
        coalesce(per_source.quarantined, 0) as quarantined,
        case
            when per_source.records >= getvariable('min_batch_records')
                then per_source.quarantined / per_source.records
        end as quarantined_share,
        case
            when per_source.records >= getvariable('min_batch_records') and per_source.accepted > 0
                then coalesce(conflicting.copies, 0) / per_source.accepted
        end as conflicting_share,
        case
            when per_source.records >= getvariable('min_batch_records') and per_source.on_catalogued > 0
                then per_source.unknown_verbs / per_source.on_catalogued
        end as unknown_verb_share,
        array_to_string(per_source.unknown_verb_examples, ' ') as unknown_verbs,
        per_source.earliest_instant,
        per_source.hours_after_receipt,
        silence.max_silent_days,
        silence.silent_days
    from per_source
    full join silence on silence.source = per_source.source
    left join conflicting on conflicting.source = per_source.source
)

select * from final
order by source
