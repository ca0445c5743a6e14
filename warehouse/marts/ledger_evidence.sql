-- Rule 18: each ledger entry's certificates, the sha2 sums of the certificate-of-completion
-- attachments of its statements (;-separated, sorted). Only entries that have any are
-- listed; ledger_entries shows the rest as empty.
create or replace table ledger_evidence as
with book as (
    select * from ledger_book
),

statement_evidence as (
    select int_statement_evidence.statement_id::varchar as statement_id, int_statement_evidence.evidence
    from int_statement_evidence
),

entry_statements as (
    select
        book.entry_id,
        unnest(string_split(book.statement_ids, ';')) as statement_id
    from book
),

entry_certificates as (
    select
        entry_statements.entry_id,
        unnest(string_split(statement_evidence.evidence, ';')) as sha2
    from entry_statements
    inner join statement_evidence on statement_evidence.statement_id = entry_statements.statement_id
),

final as (
    select
        entry_certificates.entry_id,
        string_agg(distinct entry_certificates.sha2, ';' order by entry_certificates.sha2) as evidence
    from entry_certificates
    group by entry_certificates.entry_id
)

select * from final
