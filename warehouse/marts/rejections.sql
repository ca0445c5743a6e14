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

records as (
    select quarantined.file_id, quarantined.statement_id, quarantined.record_no, quarantined.reasons,
        'quarantined' as outcome
    from quarantined
    union all
    select warned.file_id, warned.statement_id, warned.record_no, warned.reasons, 'warning' as outcome
    from warned
),

both_outcomes as (
    select
        files.source,
        unnest(records.reasons) as reason,
        records.statement_id,
        records.record_no,
        files.path,
        files.loaded_as_of,
        records.outcome
    from records
    inner join files on files.file_id = records.file_id
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
