-- Append to the book what changed for the workers in scope: a credit that no longer
-- stands (voided, re-approved, recomputed) gets a reversal, and a credit that is new
-- or differs from the one on the book gets a credit entry. Rerunning on the same
-- input finds nothing to append. Entry ids hash the credit key and its position in
-- that key's history, so two warehouses fed the same input agree. Each run's entries
-- are appended sorted, so the book reads in a fixed order without sorting it whole.
insert into ledger_book
with scoped_book as (
    select b.*
    from ledger_book as b
    semi join int_scope_workers as w on w.worker_id = b.worker_id
),

active as (
    select c.*
    from scoped_book as c
    anti join scoped_book as r on r.reverses_entry_id = c.entry_id
    where c.entry_type = 'credit'
),

history as (
    select credit_key, count(*) as entries
    from scoped_book
    group by credit_key
),

reversed as (
    select a.*
    from active as a
    left join int_credits as d on d.credit_key = a.credit_key
    where d.credit_key is null or d.content_hash <> a.content_hash
),

granted as (
    select d.*, r.credit_key is not null as replaces_reversed
    from int_credits as d
    left join active as a on a.credit_key = d.credit_key
    left join reversed as r on r.credit_key = d.credit_key
    where a.credit_key is null or a.content_hash <> d.content_hash
),

void_reasons as (
    select r.entry_id, string_agg(v.voiding_id::varchar, ';' order by v.voiding_id) as voiding_ids
    from reversed as r
    inner join int_voids as v on list_contains(string_split(r.statement_ids, ';'), v.target_id::varchar)
    group by r.entry_id
),

new_entries as (
    select
        r.credit_key,
        coalesce(h.entries, 0) as seq,
        r.worker_id, r.period, r.activity_id, r.activity_kind,
        'reversal' as entry_type,
        -r.credited_hours as credited_hours,
        r.approval_state, r.qualifying, r.competencies, r.earned_at,
        concat_ws(';', r.statement_ids, vr.voiding_ids) as statement_ids,
        r.entry_id as reverses_entry_id,
        r.content_hash
    from reversed as r
    left join history as h on h.credit_key = r.credit_key
    left join void_reasons as vr on vr.entry_id = r.entry_id
    union all
    select
        g.credit_key,
        coalesce(h.entries, 0) + g.replaces_reversed::int as seq,
        g.worker_id, g.period, g.activity_id, g.activity_kind,
        'credit' as entry_type,
        g.credited_hours,
        g.approval_state, g.qualifying, g.competencies, g.earned_at,
        g.statement_ids,
        null as reverses_entry_id,
        g.content_hash
    from granted as g
    left join history as h on h.credit_key = g.credit_key
)

select
    'E' || substr(md5(credit_key || '#' || seq), 1, 20) as entry_id,
    credit_key, seq, worker_id, period, activity_id, activity_kind, entry_type, credited_hours,
    approval_state, qualifying, competencies, earned_at, statement_ids, reverses_entry_id,
    content_hash
from new_entries
order by worker_id, credit_key, seq
