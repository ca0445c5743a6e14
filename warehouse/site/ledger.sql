-- The worker pages' ledger tables: every entry (credits and reversals) in book order
-- within each period, drawn here as HTML table rows, one string per worker and period.
-- DuckDB renders the 800,000 rows of a large book in parallel, where Python took half
-- a minute. Each row carries the activity's title, the entry that reversed a credit,
-- and whether it was earned after the as-of day ($as_of_end) and so does not count yet.
-- Free text (titles, competency codes from the catalog) is escaped as Python's
-- html.escape(quote=True) escapes the rest of the site; the other fields are ids, numbers,
-- dates and the fixed words the ledger suite checks. `digest` fingerprints the rows so
-- an unchanged worker page can be kept (pipelines/site_writer.py).
-- It runs for one slice of workers at a time ($first <= worker_id < $next, $next null
-- for the last), so the rows of a large book are never all held at once.
with titles as (
    select activity_id, min(title) as title
    from cfg_catalog
    group by activity_id
),

reversed as (
    select reverses_entry_id as entry_id, min(entry_id) as reversed_by
    from ledger_book
    where reverses_entry_id is not null and worker_id >= $first and ($next is null or worker_id < $next)
    group by reverses_entry_id
),

html_rows as (
    select
        b.worker_id,
        b.period,
        b.earned_at,
        b.credit_key,
        b.seq,
        concat(
            '<tr class="', b.entry_type, '" data-entry="', b.entry_id, '"><td class="when">',
            strftime(timezone($tz, b.earned_at), '%Y-%m-%d %H:%M'), '</td><td>',
            replace(replace(replace(replace(replace(coalesce(t.title, b.activity_id),
                '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#x27;'),
            '<div class="sub">', b.activity_kind, ' · <span class="id">', b.entry_id, '</span></div></td><td>',
            b.entry_type, '</td><td class="num">', b.credited_hours::varchar, '</td><td>', b.approval_state,
            '</td><td>',
            replace(replace(replace(replace(replace(coalesce(nullif(replace(b.competencies, ';', ' '), ''), '—'),
                '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#x27;'),
            '</td><td class="notes">',
            concat_ws('; ',
                case when b.approval_state = 'pending' then 'awaits the supervisor&#x27;s decision' end,
                case when b.approval_state = 'rejected' then 'rejected by the supervisor: counts nowhere' end,
                case when not b.qualifying then 'no core-competency category: does not count' end,
                case when b.reverses_entry_id is not null then 'reverses ' || b.reverses_entry_id end,
                case when r.reversed_by is not null then 'reversed by ' || r.reversed_by end,
                case when b.earned_at >= $as_of_end then 'earned after the as-of date' end
            ),
            '</td></tr>'
        ) as row_html
    from ledger_book as b
    left join titles as t on t.activity_id = b.activity_id
    left join reversed as r on r.entry_id = b.entry_id
    where b.worker_id >= $first and ($next is null or b.worker_id < $next)
),

tables as (
    select
        worker_id,
        period,
        string_agg(row_html, chr(10) order by earned_at, credit_key, seq) as rows_html
    from html_rows
    group by worker_id, period
)

select worker_id, period, rows_html, md5(rows_html) as digest
from tables
order by worker_id, period
