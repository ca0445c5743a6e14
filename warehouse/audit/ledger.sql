-- The whole book, with what its entries must agree with: the catalog's hours for credits
-- that stand, the credit each reversal reverses, and the statements each entry names.
with book as (
    select
        b.*,
        b.entry_type = 'credit'
        and not exists (select 1 from ledger_book as r where r.reverses_entry_id = b.entry_id) as standing
    from ledger_book as b
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
)

select
    b.entry_id,
    b.entry_type,
    b.activity_kind,
    b.approval_state,
    b.period,
    b.standing,
    b.credited_hours::double as credited_hours,
    -b.credited_hours::double as negated_hours,
    case when b.standing then c.ce_hours::double end as catalog_hours,
    o.credited_hours::double as reversed_credit_hours,
    b.reverses_entry_id,
    coalesce(u.missing, 0) as untraceable_statements
from book as b
left join cfg_catalog as c on c.activity_id = b.activity_id
left join ledger_book as o on o.entry_id = b.reverses_entry_id
left join untraceable as u on u.entry_id = b.entry_id
