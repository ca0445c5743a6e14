-- The worker pages' ledger tables: every entry of the book (credits and reversals), in
-- worker order and, within each worker and period, in book order. Each row carries the
-- activity's title, the entry that reversed a credit, the time it was earned in the
-- policy's zone ($tz), and whether that was after the as-of day ($as_of_end, the first
-- instant after it) so it does not count yet. The worker pages word the notes.
-- $workers (a list of worker ids, or null for all) takes only those workers' entries: a
-- rerun draws only the pages that changed. Rows keep the book's order keys, so that the
-- rows alone (their hashes, site.page_sums) tell the order a page shows them in.
with book as not materialized (
    select * from ledger_book
    where $workers is null or worker_id in (select unnest($workers::varchar[]))
),

activities as (
    select * from cfg_catalog
),

titles as (
    select activities.activity_id, min(activities.title) as title
    from activities
    group by activities.activity_id
),

-- the entries that reverse another, read from the whole book: a page drawn alone shows
-- what it shows when drawn with all the others
reversals as (
    select * from ledger_book
    where ledger_book.reverses_entry_id is not null
),

reversed as (
    select reversals.reverses_entry_id as entry_id, min(reversals.entry_id) as reversed_by
    from reversals
    group by reversals.reverses_entry_id
),

final as (
    select
        book.worker_id,
        book.period,
        book.entry_id,
        book.entry_type,
        strftime(timezone($tz, book.earned_at), '%Y-%m-%d %H:%M') as earned,
        coalesce(titles.title, book.activity_id) as title,
        book.activity_kind,
        book.credited_hours,
        book.approval_state,
        replace(book.competencies, ';', ' ') as competencies,
        book.qualifying,
        book.reverses_entry_id,
        reversed.reversed_by,
        book.earned_at >= $as_of_end as after_as_of,
        -- the book's order within a worker and period, not shown: the rows keep the
        -- time in microseconds (a timestamp with time zone costs Python several times
        -- any other column), and entry_id is the md5 of credit_key and seq
        epoch_us(book.earned_at) as earned_us,
        book.earned_at,
        book.credit_key,
        book.seq
    from book
    left join titles on titles.activity_id = book.activity_id
    left join reversed on reversed.entry_id = book.entry_id
)

select * exclude (earned_at, credit_key, seq) from final
order by final.worker_id, final.period, final.earned_at, final.credit_key, final.seq
