-- The worker pages' ledger tables: every entry of the book (credits and reversals), in
-- worker order and, within each worker and period, in book order. Each row carries the
-- activity's title, the entry that reversed a credit, the time it was earned in the
-- policy's zone ($tz), and whether that was after the as-of day ($as_of_end, the first
-- instant after it) so it does not count yet. The worker pages word the notes.
-- $first and $next (either null for no bound) take the workers from $first up to, not
-- including, $next: a process drawing a share of the pages reads only its share.
with titles as (
    select activity_id, min(title) as title
    from cfg_catalog
    group by activity_id
),

reversed as (
    select reverses_entry_id as entry_id, min(entry_id) as reversed_by
    from ledger_book
    where reverses_entry_id is not null and ($first is null or worker_id >= $first) and ($next is null or worker_id < $next)
    group by reverses_entry_id
)

select
    b.worker_id,
    b.period,
    b.entry_id,
    b.entry_type,
    strftime(timezone($tz, b.earned_at), '%Y-%m-%d %H:%M') as earned,
    coalesce(t.title, b.activity_id) as title,
    b.activity_kind,
    b.credited_hours,
    b.approval_state,
    replace(b.competencies, ';', ' ') as competencies,
    b.qualifying,
    b.reverses_entry_id,
    r.reversed_by,
    b.earned_at >= $as_of_end as after_as_of
from ledger_book as b
left join titles as t on t.activity_id = b.activity_id
left join reversed as r on r.entry_id = b.entry_id
where ($first is null or b.worker_id >= $first) and ($next is null or b.worker_id < $next)
order by b.worker_id, b.period, b.earned_at, b.credit_key, b.seq
