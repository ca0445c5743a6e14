-- The worker pages' ledger: every entry (credits and reversals) in book order within
-- each period, with the activity's title, the entry that reversed a credit, and
-- whether it was earned after the as-of day ($as_of_end) and so does not count yet.
with titles as (
    select activity_id, min(title) as title
    from cfg_catalog
    group by activity_id
),

reversed as (
    select reverses_entry_id as entry_id, min(entry_id) as reversed_by
    from ledger_book
    where reverses_entry_id is not null
    group by reverses_entry_id
)

select
    b.worker_id,
    b.period,
    b.entry_id,
    b.entry_type,
    strftime(timezone($tz, b.earned_at), '%Y-%m-%d %H:%M') as earned,
    coalesce(t.title, b.activity_id) as activity,
    b.activity_id,
    b.activity_kind,
    b.credited_hours,
    b.approval_state,
    b.qualifying,
    b.competencies,
    b.reverses_entry_id,
    r.reversed_by,
    b.earned_at >= $as_of_end as after_as_of
from ledger_book as b
left join titles as t on t.activity_id = b.activity_id
left join reversed as r on r.entry_id = b.entry_id
order by b.worker_id, b.period, b.earned_at, b.credit_key, b.seq
