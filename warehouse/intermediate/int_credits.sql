-- The credit each rule grants today to the workers in scope: the webinar, course and
-- homework credits (rules 5-7) with their approval (rule 9) and competencies (rule 10).
-- Compared with the book in marts/ledger_book.sql, it yields new credits and reversals.
create or replace temp table int_credits as
with credits as (
    select * from int_credits_webinar
    union all
    select * from int_credits_course
    union all
    select * from int_credits_homework
),

activities as (
    select * from cfg_catalog
),

approvals as (
    select * from cfg_approvals
),

roster as (
    select * from cfg_roster
),

-- rule 9: the latest decision of the worker's own supervisor, the later line of
-- approvals.csv between decisions made at the same instant; never the worker's own
own_supervisor_decisions as (
    select
        approvals.worker_id,
        approvals.activity_id,
        first(approvals.decision order by approvals.decided_at desc, approvals.line_no desc) as decision
    from approvals
    inner join roster
        on roster.worker_id = approvals.worker_id and roster.supervisor_id = approvals.supervisor_id
    where approvals.supervisor_id <> approvals.worker_id
    group by approvals.worker_id, approvals.activity_id
),

decided as (
    select
        credits.*,
        activities.competencies,
        case
            when activities.approved then 'approved'
            when own_supervisor_decisions.decision is not null then own_supervisor_decisions.decision
            else 'pending'
        end as approval_state
    from credits
    inner join activities on activities.activity_id = credits.activity_id
    left join own_supervisor_decisions
        on own_supervisor_decisions.worker_id = credits.worker_id
        and own_supervisor_decisions.activity_id = credits.activity_id
),

final as (
    select
        decided.credit_key,
        decided.worker_id,
        decided.period,
        decided.activity_id,
        decided.activity_kind,
        decided.hours::decimal(9, 2) as credited_hours,
        decided.approval_state,
        decided.competencies <> '' as qualifying,
        decided.competencies,
        decided.earned_at,
        decided.statement_ids,
        md5(concat_ws('|',
            decided.period, decided.activity_kind, decided.hours::decimal(9, 2), decided.approval_state,
            decided.competencies, epoch_us(decided.earned_at), decided.statement_ids
        )) as content_hash
    from decided
)

select * from final
