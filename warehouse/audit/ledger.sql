-- A profile of the whole book for expectations/ledger.json: one row per kind of entry
-- (type, activity kind, approval, period, standing or not) with the extremes and the
-- counts of broken entries the expectations look at, and an example entry id for each
-- kind of breakage. Profiling in DuckDB keeps the gate cheap on a book of a million
-- entries; the expectations hold for every entry exactly when they hold for the profile.
with entries as not materialized (
    select * from ledger_book
),

activities as (
    select * from cfg_catalog
),

statement_copies as (
    select * from int_statement_copies
),

book as (
    select entries.*, reversals.entry_id is null and entries.entry_type = 'credit' as standing
    from entries
    left join entries as reversals on reversals.reverses_entry_id = entries.entry_id
),

named_statements as (
    select entries.entry_id, unnest(string_split(entries.statement_ids, ';')) as statement_id
    from entries
),

untraceable as (
    select named_statements.entry_id, count(*) as missing
    from named_statements
    anti join statement_copies on statement_copies.statement_id = try_cast(named_statements.statement_id as uuid)
    group by named_statements.entry_id
),

checked as (
    select
        book.entry_id,
        book.entry_type,
        book.activity_kind,
        book.approval_state,
        book.period,
        book.standing,
        book.credited_hours::double as hours,
        book.standing and activities.ce_hours is null as uncatalogued,
        book.standing and book.credited_hours > activities.ce_hours as over_catalog,
        book.entry_type = 'reversal' and book.reverses_entry_id is null as orphan,
        book.entry_type = 'reversal' and reversed_credits.credited_hours is distinct from -book.credited_hours
            as unbalanced,
        coalesce(untraceable.missing, 0) as missing_statements
    from book
    left join activities on activities.activity_id = book.activity_id
    left join entries as reversed_credits on reversed_credits.entry_id = book.reverses_entry_id
    left join untraceable on untraceable.entry_id = book.entry_id
),

final as (
    select
        checked.entry_type,
        checked.activity_kind,
        checked.approval_state,
        checked.period,
        checked.standing,
        count(*) as entries,
        min(checked.hours) as min_hours,
        max(checked.hours) as max_hours,
        count(*) filter (where checked.uncatalogued) as uncatalogued_standing_credits,
        count(*) filter (where checked.over_catalog) as credits_over_catalog_hours,
        count(*) filter (where checked.orphan) as reversals_without_credit,
        count(*) filter (where checked.unbalanced) as unbalanced_reversals,
        sum(checked.missing_statements) as untraceable_statement_ids,
        (select count(*) - count(distinct entries.entry_id) from entries) as repeated_entry_ids,
        min(checked.entry_id) filter (
            where checked.uncatalogued or checked.over_catalog or checked.orphan or checked.unbalanced
            or checked.missing_statements > 0
            or (checked.entry_type = 'credit' and checked.hours <= 0)
            or (checked.entry_type = 'reversal' and checked.hours >= 0)
        ) as example_broken_entry
    from checked
    group by checked.entry_type, checked.activity_kind, checked.approval_state, checked.period, checked.standing
)

select * from final
