-- Credit that waits for the worker's own supervisor (rule 9): credits still standing in
-- the book (no reversal points at them) whose approval state is pending, in any period,
-- because a decision on last year's credit can still change last year's status. A worker
-- who is their own supervisor is never asked: nobody approves their own CE (rule 9).
select
    r.supervisor_id,
    e.worker_id,
    r.name,
    e.period,
    e.activity_id,
    c.title,
    e.credited_hours,
    e.qualifying,
    e.earned_at
from ledger_entries as e
anti join ledger_entries as v on v.reverses_entry_id = e.entry_id
inner join cfg_roster as r on r.worker_id = e.worker_id
left join cfg_catalog as c on c.activity_id = e.activity_id
where e.entry_type = 'credit' and e.approval_state = 'pending' and r.supervisor_id is not null
    and r.supervisor_id <> r.worker_id
order by r.supervisor_id, r.name, e.worker_id, e.earned_at, e.activity_id
