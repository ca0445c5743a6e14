-- A copy whose content differs from the kept copy (ignoring stored, authority and
-- version, which an LRS sets) is a conflict; identical copies change nothing.
delete from conflicts
where statement_id in (select statement_id from int_batch_ids);

insert into conflicts
with repeated as (
    select
        k.statement_id,
        k.file_id as kept_file_id,
        k.record_no as kept_record_no,
        s.file_id as copy_file_id,
        s.record_no as copy_record_no
    from int_statement_copies as k
    semi join int_batch_ids as b on k.statement_id = b.statement_id
    inner join int_statement_copies as s
        on s.statement_id = k.statement_id
        and (s.file_id, s.record_no) <> (k.file_id, k.record_no)
    where k.kept and k.copies > 1
),

wanted as (
    select kept_file_id as file_id, kept_record_no as record_no from repeated
    union
    select copy_file_id, copy_record_no from repeated
),

file_starts as (
    select file_id, min(rowid) as first_rowid
    from raw_statements
    where file_id in (select file_id from wanted)
    group by file_id
),

copies as (
    select
        r.file_id,
        r.rowid - s.first_rowid + 1 as record_no,
        r.raw,
        md5(json_merge_patch(r.raw, '{"stored":null,"authority":null,"version":null}')) as content_hash,
        try_cast(json_extract_string(r.raw, '$.stored') as timestamptz) as stored_ts
    from raw_statements as r
    inner join file_starts as s on s.file_id = r.file_id
    semi join wanted as w on w.file_id = r.file_id and w.record_no = r.rowid - s.first_rowid + 1
)

select
    p.statement_id,
    kf.source as kept_source,
    kf.path as kept_file,
    k.stored_ts as kept_stored,
    cf.source as conflicting_source,
    cf.path as conflicting_file,
    c.stored_ts as conflicting_stored,
    k.raw as kept_raw,
    c.raw as conflicting_raw
from repeated as p
inner join copies as k on k.file_id = p.kept_file_id and k.record_no = p.kept_record_no
inner join copies as c on c.file_id = p.copy_file_id and c.record_no = p.copy_record_no
inner join loaded_files as kf on kf.file_id = k.file_id
inner join loaded_files as cf on cf.file_id = c.file_id
where k.content_hash <> c.content_hash
