-- Append to the book what changed for the workers in scope: a credit that no longer
-- stands (voided, re-approved, recomputed) gets a reversal, and a credit that is new
-- or differs from the one on the book gets a credit entry. Rerunning on the same
-- input finds nothing to append. Entry ids hash the credit key and its position in
-- that key's history, so two warehouses fed the same input agree. Each run's entries
-- are appended sorted, so the book reads in a fixed order without sorting it whole.
insert into ledger_book
with book as (
    select * from ledger_book
),

scope_workers as (
    select * from int_scope_workers
),

credits as not materialized (
    select * from int_credits
),

voids as (
    select * from int_voids
),

scoped_book as (
    select book.*
    from book
    semi join scope_workers on scope_workers.worker_id = book.worker_id
),

-- the credits on the book that no reversal points at
active as (
    select credit_entries.*
    from scoped_book as credit_entries
    anti join scoped_book as reversals on reversals.reverses_entry_id = credit_entries.entry_id
    where credit_entries.entry_type = 'credit'
),

history as (
    select scoped_book.credit_key, count(*) as entries
    from scoped_book
    group by scoped_book.credit_key
),

reversed as (
    select active.*
    from active
    left join credits on credits.credit_key = active.credit_key
    where credits.credit_key is null or credits.content_hash <> active.content_hash
),

granted as (
    select credits.*, reversed.credit_key is not null as replaces_reversed
    from credits
    left join active on active.credit_key = credits.credit_key
    left join reversed on reversed.credit_key = credits.credit_key
    where active.credit_key is null or active.content_hash <> credits.content_hash
),

void_reasons as (
    select reversed.entry_id, string_agg(voids.voiding_id::varchar, ';' order by voids.voiding_id) as voiding_ids
    from reversed
    inner join voids on list_contains(string_split(reversed.statement_ids, ';'), voids.target_id::varchar)
    group by reversed.entry_id
),

reversal_entries as (
    select
        reversed.credit_key,
        coalesce(history.entries, 0) as seq,
        reversed.worker_id,
        reversed.period,
        reversed.activity_id,
        reversed.activity_kind,
        'reversal' as entry_type,
        -reversed.credited_hours as credited_hours,
        reversed.approval_state,
        reversed.qualifying,
        reversed.competencies,
        reversed.earned_at,
        concat_ws(';', reversed.statement_ids, void_reasons.voiding_ids) as statement_ids,
        reversed.entry_id as reverses_entry_id,
        reversed.content_hash
    from reversed
    left join history on history.credit_key = reversed.credit_key
    left join void_reasons on void_reasons.entry_id = reversed.entry_id
),

credit_entries as (
    select
        granted.credit_key,
        coalesce(history.entries, 0) + granted.replaces_reversed::int as seq,
        granted.worker_id,
        granted.period,
        granted.activity_id,
        granted.activity_kind,
        'credit' as entry_type,
        granted.credited_hours,
        granted.approval_state,
        granted.qualifying,
        granted.competencies,
        granted.earned_at,
        granted.statement_ids,
        null as reverses_entry_id,
        granted.content_hash
    from granted
    left join history on history.credit_key = granted.credit_key
),

new_entries as (
    select * from reversal_entries
    union all
    select * from credit_entries
),

final as (
    select
        'E' || substr(md5(new_entries.credit_key || '#' || new_entries.seq), 1, 20) as entry_id,
        new_entries.credit_key,
        new_entries.seq,
        new_entries.worker_id,
        new_entries.period,
        new_entries.activity_id,
        new_entries.activity_kind,
        new_entries.entry_type,
        new_entries.credited_hours,
        new_entries.approval_state,
        new_entries.qualifying,
        new_entries.competencies,
        new_entries.earned_at,
        new_entries.statement_ids,
        new_entries.reverses_entry_id,
        new_entries.content_hash
    from new_entries
)

select * from final
order by final.worker_id, final.credit_key, final.seq
