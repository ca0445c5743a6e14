-- What each source (vendor, LRS, inbox) sent that was rejected, by reason: how many,
-- a few statement ids to look up, and the run dates it was first and last seen; and,
-- beside them (outcome `warning`), the warnings of the statements accepted with defects
-- in fields no rule reads.
create or replace table rejections as
with quarantined as (
    select * from quarantine_records
),

warned as (
    select * from warning_records
),

files as (
    select * from loaded_files
),

reasons as (
    select
        files.source,
        unnest(quarantined.reasons) as reason,
        quarantined.statement_id,
        quarantined.record_no,
        files.path,
        files.loaded_as_of,
        'quarantined' as outcome
    from quarantined
    inner join files on files.file_id = quarantined.file_id
),

warnings as (
    select
        files.source,
        unnest(warned.reasons) as reason,
        warned.statement_id,
        warned.record_no,
        files.path,
        files.loaded_as_of,
        'warning' as outcome
    from warned
    inner join files on files.file_id = warned.file_id
),

both_outcomes as (
    select * from reasons
    union all
    select * from warnings
),

final as (
    select
        both_outcomes.source,
        both_outcomes.reason,
        count(*) as statements,
        array_to_string(
            list_slice(
                list(
                    coalesce(both_outcomes.statement_id, '(record ' || both_outcomes.record_no || ')')
                    order by both_outcomes.path, both_outcomes.record_no
                ),
                1, 3
            ),
            ' '
        ) as example_statement_ids,
        min(both_outcomes.loaded_as_of) as first_seen,
        max(both_outcomes.loaded_as_of) as last_seen,
        both_outcomes.outcome
    from both_outcomes
    group by both_outcomes.source, both_outcomes.outcome, both_outcomes.reason
)

select * from final
