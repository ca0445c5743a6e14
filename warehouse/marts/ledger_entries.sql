-- The published face of the book, in the rule book's columns and the book's order, with
-- each entry's certificates (rule 18; empty when none).
create or replace view ledger_entries as
with book as (
    select ledger_book.rowid as book_position, ledger_book.* from ledger_book
),

evidence as (
    select * from ledger_evidence
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
        book.reverses_entry_id,
        coalesce(evidence.evidence, '') as evidence,
        book.book_position
    from book
    left join evidence on evidence.entry_id = book.entry_id
)

select * exclude (book_position) from final order by final.book_position
