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
    r.is_json and starts_with(ltrim(r.raw), '{') as is_object,
    case when r.is_json and starts_with(ltrim(r.raw), '{') then json_extract_string(r.raw, [
        '$.id', '$.actor.objectType', '$.actor.mbox', '$.actor.mbox_sha1sum', '$.actor.openid',
        '$.actor.account.homePage', '$.actor.account.name', '$.actor.member[0]', '$.actor.name',
        '$.verb.id', '$.object.objectType', '$.object.id', '$.timestamp', '$.stored',
        '$.result.duration', '$.result.score.scaled', '$.result.score.raw', '$.result.score.min',
        '$.result.score.max', '$.version', '$.actor.account', '$.context.contextActivities.parent',
        '$.context.contextActivities.grouping'
    ]) end as f
from raw_statements as r
inner join file_starts as s on s.file_id = r.file_id
where r.batch_id = getvariable('batch_id')
