-- The published face of the book, in the rule book's columns.
create or replace view ledger_entries as
with book as (
    select * from ledger_book
),

final as (
    select
        book.entry_id,
        book.worker_id,
        book.period,
        book.activity_id,
        book.activity_kind,
        book.entry_type,
        book.credited_hours,
        book.approval_state,
        book.qualifying,
        book.competencies,
        book.earned_at,
        book.statement_ids,
        book.reverses_entry_id
    from book
)

select * from final
