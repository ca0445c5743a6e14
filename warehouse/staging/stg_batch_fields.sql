-- Pull every field the rules need out of this batch's raw records in a single JSON
-- pass, materialised so the checks below read columns instead of re-parsing JSON.
create or replace temp table stg_batch_fields as
with file_starts as (
    select file_id, min(rowid) as first_rowid
    from raw_statements
    where batch_id = getvariable('batch_id')
    group by file_id
)

select
    r.file_id,
    r.rowid - s.first_rowid + 1 as record_no,
    r.is_json,
    u.record_no is not null as undecodable,
    r.is_json and starts_with(ltrim(r.raw), '{') as is_object,
    case when r.is_json and starts_with(ltrim(r.raw), '{') then json_extract_string(r.raw, [
        '$.id', '$.actor.objectType', '$.actor.mbox', '$.actor.mbox_sha1sum', '$.actor.openid',
        '$.actor.account.homePage', '$.actor.account.name', '$.actor.member[0]', '$.actor.name',
        '$.verb.id', '$.object.objectType', '$.object.id', '$.timestamp', '$.stored',
        '$.result.duration', '$.result.score.scaled', '$.result.score.raw', '$.result.score.min',
        '$.result.score.max', '$.version', '$.actor.account', '$.context.contextActivities.parent',
        '$.context.contextActivities.grouping', '$.actor.member'
    ]) end as f,
    -- DuckDB's reader also takes what JSON forbids and other readers of the raw text
    -- would read otherwise: NaN and Infinity, trailing commas (looked for outside the
    -- strings, in the few records that contain them at all) ...
    -- (a `case`, not `and`: DuckDB evaluates both sides of an `and` for every row, and the
    -- string-stripping regex costs seconds a million rows)
    case
        when r.is_json and (
            contains(lower(r.raw), 'nan') or contains(lower(r.raw), 'inf') or regexp_matches(r.raw, ',\s*[]}]')
        ) then regexp_matches(regexp_replace(r.raw, '"(?:[^"\\]|\\.)*"', '', 'g'), '(?i)nan|inf|,\s*[]}]')
        else false
    end as lax_json,
    -- ... and a key twice in one object, of which DuckDB reads the first, Python the last:
    -- looked for in the statement and the objects whose fields the rules read
    case when r.is_json and starts_with(ltrim(r.raw), '{') then list_bool_or(list_transform(
        json_keys(r.raw, [
            '$', '$.actor', '$.actor.account', '$.verb', '$.object', '$.result', '$.result.score',
            '$.context', '$.context.contextActivities'
        ]),
        lambda keys: list_unique(keys) <> len(keys)
    )) end as repeated_key
from raw_statements as r
inner join file_starts as s on s.file_id = r.file_id
-- lines pipelines/load.py could not decode as UTF-8
left join undecodable_records as u on u.file_id = r.file_id and u.record_no = r.rowid - s.first_rowid + 1
where r.batch_id = getvariable('batch_id')
