-- Credit that waits for the worker's own supervisor (rule 9): credits still standing in
-- the book (no reversal points at them) whose approval state is pending, in any period,
-- because a decision on last year's credit can still change last year's status. A worker
-- who is their own supervisor is never asked: nobody approves their own CE (rule 9).
with entries as not materialized (
    select * from ledger_entries
),

roster as (
    select * from cfg_roster
),

activities as (
    select * from cfg_catalog
),

final as (
    select
        roster.supervisor_id,
        entries.worker_id,
        roster.name,
        entries.period,
        entries.activity_id,
        activities.title,
        entries.credited_hours,
        entries.qualifying,
        entries.earned_at
    from entries
    anti join entries as reversals on reversals.reverses_entry_id = entries.entry_id
    inner join roster on roster.worker_id = entries.worker_id
    left join activities on activities.activity_id = entries.activity_id
    where entries.entry_type = 'credit' and entries.approval_state = 'pending' and roster.supervisor_id is not null
        and roster.supervisor_id <> roster.worker_id
)

select * from final
order by final.supervisor_id, final.name, final.worker_id, final.earned_at, final.activity_id
