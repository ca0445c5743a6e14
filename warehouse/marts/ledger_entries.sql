-- The published face of the book, in the rule book's columns.
create or replace view ledger_entries as
select
    entry_id, worker_id, period, activity_id, activity_kind, entry_type, credited_hours,
    approval_state, qualifying, competencies, earned_at, statement_ids, reverses_entry_id
from ledger_book
