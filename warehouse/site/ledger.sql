-- The worker pages' ledger tables: every entry (credits and reversals) in book order
-- within each period, drawn here as HTML table rows, one string per worker and period.
-- DuckDB renders the 800,000 rows of a large book in parallel, where Python took half
-- a minute. Each row carries the activity's title, the entry that reversed a credit,
-- and whether it was earned after the as-of day ($as_of_end) and so does not count yet.
-- Escaping matches Python's html.escape(quote=True), which the rest of the site uses.
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

entries as (
    select
        b.worker_id,
        b.period,
        b.entry_id,
        b.entry_type,
        b.earned_at,
        b.credit_key,
        b.seq,
        strftime(timezone($tz, b.earned_at), '%Y-%m-%d %H:%M') as earned,
        coalesce(t.title, b.activity_id) as activity,
        b.activity_kind,
        b.credited_hours::varchar as hours,
        b.approval_state,
        coalesce(nullif(replace(b.competencies, ';', ' '), ''), '—') as competencies,
        concat_ws('; ',
            case when b.approval_state = 'pending' then 'awaits the supervisor''s decision' end,
            case when b.approval_state = 'rejected' then 'rejected by the supervisor: counts nowhere' end,
            case when not b.qualifying then 'no core-competency category: does not count' end,
            case when b.reverses_entry_id is not null then 'reverses ' || b.reverses_entry_id end,
            case when r.reversed_by is not null then 'reversed by ' || r.reversed_by end,
            case when b.earned_at >= $as_of_end then 'earned after the as-of date' end
        ) as notes
    from ledger_book as b
    left join titles as t on t.activity_id = b.activity_id
    left join reversed as r on r.entry_id = b.entry_id
    where b.worker_id >= $first and ($next is null or b.worker_id < $next)
),

escaped as (
    select
        worker_id,
        period,
        earned_at,
        credit_key,
        seq,
        list_transform(
            [entry_type, entry_id, earned, activity, activity_kind, hours, approval_state, competencies, notes],
            lambda v: replace(replace(replace(replace(replace(
                coalesce(v, ''), '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#x27;')
        ) as v
    from entries
),

html_rows as (
    select
        worker_id,
        period,
        earned_at,
        credit_key,
        seq,
        '<tr class="' || v[1] || '" data-entry="' || v[2] || '">'
        || '<td class="when">' || v[3] || '</td><td>' || v[4] || '<div class="sub">'
        || v[5] || ' · <span class="id">' || v[2] || '</span></div></td>'
        || '<td>' || v[1] || '</td><td class="num">' || v[6] || '</td>'
        || '<td>' || v[7] || '</td><td>' || v[8] || '</td>'
        || '<td class="notes">' || v[9] || '</td></tr>' as row_html
    from escaped
)

select
    worker_id,
    period,
    string_agg(row_html, chr(10) order by earned_at, credit_key, seq) as rows_html
from html_rows
group by worker_id, period
order by worker_id, period
