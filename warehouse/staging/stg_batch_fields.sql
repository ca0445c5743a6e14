-- Pull every field the rules need out of this batch's raw records in a single JSON
-- pass, materialised so the checks below read columns instead of re-parsing JSON.
-- raw_statements is read directly, as in conflicts.sql, for its rowid
create or replace temp table stg_batch_fields as
with undecodable as (
    select * from undecodable_records
),

-- a record's number in its file counts from the file's first row
file_starts as (
    select raw_statements.file_id, min(raw_statements.rowid) as first_rowid
    from raw_statements
    where raw_statements.batch_id = getvariable('batch_id')
    group by raw_statements.file_id
),

final as (
    select
        raw_statements.file_id,
        raw_statements.rowid - file_starts.first_rowid + 1 as record_no,
        raw_statements.is_json,
        undecodable.record_no is not null as undecodable,
        raw_statements.is_json and starts_with(ltrim(raw_statements.raw), '{') as is_object,
        case when raw_statements.is_json and starts_with(ltrim(raw_statements.raw), '{') then json_extract_string(
            raw_statements.raw, [
                '$.id', '$.actor.objectType', '$.actor.mbox', '$.actor.mbox_sha1sum', '$.actor.openid',
                '$.actor.account.homePage', '$.actor.account.name', '$.actor.member[0]', '$.actor.name',
                '$.verb.id', '$.object.objectType', '$.object.id', '$.timestamp', '$.stored',
                '$.result.duration', '$.result.score.scaled', '$.result.score.raw', '$.result.score.min',
                '$.result.score.max', '$.version', '$.actor.account', '$.context.contextActivities.parent',
                '$.context.contextActivities.grouping', '$.actor.member'
            ]
        ) end as extracted,
        -- DuckDB's reader also takes what JSON forbids and other readers of the raw text
        -- would read otherwise: NaN and Infinity, trailing commas (looked for outside the
        -- strings, in the few records that contain them at all) ...
        -- (a `case`, not `and`: DuckDB evaluates both sides of an `and` for every row, and the
        -- string-stripping regex costs seconds a million rows)
        case
            when raw_statements.is_json and (
                contains(lower(raw_statements.raw), 'nan') or contains(lower(raw_statements.raw), 'inf')
                or regexp_matches(raw_statements.raw, ',\s*[]}]')
            ) then regexp_matches(
                regexp_replace(raw_statements.raw, '"(?:[^"\\]|\\.)*"', '', 'g'), '(?i)nan|inf|,\s*[]}]'
            )
            else false
        end as lax_json,
        -- ... and a key twice in one object, of which DuckDB reads the first, Python the last:
        -- looked for in the statement and the objects whose fields the rules read
        case when raw_statements.is_json and starts_with(ltrim(raw_statements.raw), '{') then list_bool_or(
            list_transform(
                json_keys(raw_statements.raw, [
                    '$', '$.actor', '$.actor.account', '$.verb', '$.object', '$.result', '$.result.score',
                    '$.context', '$.context.contextActivities'
                ]),
                lambda keys: list_unique(keys) <> len(keys)
            )
        ) end as repeated_key
    from raw_statements
    inner join file_starts on file_starts.file_id = raw_statements.file_id
    -- lines pipelines/load.py could not decode as UTF-8
    left join undecodable
        on undecodable.file_id = raw_statements.file_id
        and undecodable.record_no = raw_statements.rowid - file_starts.first_rowid + 1
    where raw_statements.batch_id = getvariable('batch_id')
)

select * from final
