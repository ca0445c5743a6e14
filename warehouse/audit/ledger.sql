-- A profile of the whole book for expectations/ledger.json: one row per kind of entry
-- (type, activity kind, approval, period, standing or not) with the extremes and the
-- counts of broken entries the expectations look at, and an example entry id for each
-- kind of breakage. Profiling in DuckDB keeps the gate cheap on a book of a million
-- entries; the expectations hold for every entry exactly when they hold for the profile.
with book as (
    select b.*, r.entry_id is null and b.entry_type = 'credit' as standing
    from ledger_book as b
    left join ledger_book as r on r.reverses_entry_id = b.entry_id
),

named_statements as (
    select entry_id, unnest(string_split(statement_ids, ';')) as statement_id
    from ledger_book
),

untraceable as (
    select n.entry_id, count(*) as missing
    from named_statements as n
    anti join int_statement_copies as s on s.statement_id = try_cast(n.statement_id as uuid)
    group by n.entry_id
),

checked as (
    select
        b.entry_id,
        b.entry_type,
        b.activity_kind,
        b.approval_state,
        b.period,
        b.standing,
        b.credited_hours::double as hours,
        b.standing and c.ce_hours is null as uncatalogued,
        b.standing and b.credited_hours > c.ce_hours as over_catalog,
        b.entry_type = 'reversal' and b.reverses_entry_id is null as orphan,
        b.entry_type = 'reversal' and o.credited_hours is distinct from -b.credited_hours as unbalanced,
        coalesce(u.missing, 0) as missing_statements
    from book as b
    left join cfg_catalog as c on c.activity_id = b.activity_id
    left join ledger_book as o on o.entry_id = b.reverses_entry_id
    left join untraceable as u on u.entry_id = b.entry_id
)

select
    entry_type,
    activity_kind,
    approval_state,
    period,
    standing,
    count(*) as entries,
    min(hours) as min_hours,
    max(hours) as max_hours,
    count(*) filter (where uncatalogued) as uncatalogued_standing_credits,
    count(*) filter (where over_catalog) as credits_over_catalog_hours,
    count(*) filter (where orphan) as reversals_without_credit,
    count(*) filter (where unbalanced) as unbalanced_reversals,
    sum(missing_statements) as untraceable_statement_ids,
    (select count(*) - count(distinct entry_id) from ledger_book) as repeated_entry_ids,
    min(entry_id) filter (
        where uncatalogued or over_catalog or orphan or unbalanced or missing_statements > 0
        or (entry_type = 'credit' and hours <= 0) or (entry_type = 'reversal' and hours >= 0)
    ) as example_broken_entry
from checked
group by entry_type, activity_kind, approval_state, period, standing
