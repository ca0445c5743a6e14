-- Rules 11 and 12: what each employed worker owes in each period, what counts as of
-- the run date, and the resulting status. Only the workers in scope are recomputed,
-- unless the as-of date, the periods or the config changed (compliance_all).
delete from compliance_worker
where getvariable('compliance_all')
    or compliance_worker.worker_id in (select int_scope_workers.worker_id from int_scope_workers);

insert into compliance_worker
with roster as not materialized (
    select * from cfg_roster
),

scope_workers as (
    select * from int_scope_workers
),

periods as (
    select * from cfg_periods
),

requirements as (
    select * from cfg_requirements
),

book as not materialized (
    select * from ledger_book
),

effective_statements as (
    select * from int_effective_statements
),

as_of as (
    select getvariable('as_of')::date as as_of_date
),

scope as (
    select roster.worker_id from roster where getvariable('compliance_all')
    union all
    select scope_workers.worker_id from scope_workers where not getvariable('compliance_all')
),

employed as (
    select roster.*, periods.period, periods.start_date, periods.end_date as period_end
    from roster
    semi join scope on scope.worker_id = roster.worker_id
    inner join periods
        on roster.hire_date <= periods.end_date
        and (roster.end_date is null or roster.end_date >= periods.start_date)
    where roster.hire_date <= (select as_of.as_of_date from as_of)
),

owed as (
    select
        employed.*,
        requirements.hours as role_hours,
        case
            when getvariable('proration') = 'monthly' and employed.hire_date > employed.start_date then
                month_number(employed.period_end) - month_number(employed.hire_date)
                + (day(employed.hire_date) = 1)::int
            else 12
        end as owed_months,
        greatest(employed.hire_date, employed.start_date) as own_start
    from employed
    inner join requirements on requirements.role = employed.role
),

counted as (
    select
        book.worker_id,
        book.period,
        sum(book.credited_hours) filter (where book.approval_state = 'approved') as approved_hours,
        sum(book.credited_hours) filter (where book.approval_state = 'pending') as pending_hours
    from book
    semi join scope on scope.worker_id = book.worker_id
    where book.qualifying and book.earned_at < getvariable('as_of_end')
    group by book.worker_id, book.period
),

covered_codes as (
    select
        credit_entries.worker_id,
        credit_entries.period,
        unnest(string_split(credit_entries.competencies, ';')) as code
    from book as credit_entries
    semi join scope on scope.worker_id = credit_entries.worker_id
    anti join book as reversals on reversals.reverses_entry_id = credit_entries.entry_id
    where credit_entries.entry_type = 'credit' and credit_entries.qualifying
        and credit_entries.approval_state = 'approved'
        and credit_entries.earned_at < getvariable('as_of_end')
),

coverage as (
    select
        covered_codes.worker_id,
        covered_codes.period,
        string_agg(distinct covered_codes.code, ';' order by covered_codes.code) as competencies_covered
    from covered_codes
    group by covered_codes.worker_id, covered_codes.period
),

last_activity as (
    select
        effective_statements.worker_id,
        effective_statements.period,
        max(effective_statements.ts) as last_activity_at
    from effective_statements
    semi join scope on scope.worker_id = effective_statements.worker_id
    where effective_statements.ts < getvariable('as_of_end')
    group by all
),

measured as (
    select
        owed.worker_id,
        owed.period,
        owed.role,
        owed.facility,
        owed.region,
        owed.supervisor_id,
        (ceil(owed.role_hours * owed.owed_months / 12.0 * 4) / 4)::decimal(9, 2) as required_hours,
        coalesce(counted.approved_hours, 0)::decimal(9, 2) as approved_hours,
        coalesce(counted.pending_hours, 0)::decimal(9, 2) as pending_hours,
        owed.end_date is not null and owed.end_date between owed.start_date and owed.period_end as separated,
        owed.period_end,
        elapsed_fraction(owed.own_start, owed.period_end, (select as_of.as_of_date from as_of)) as elapsed_fraction,
        coalesce(coverage.competencies_covered, '') as competencies_covered,
        last_activity.last_activity_at
    from owed
    left join counted on counted.worker_id = owed.worker_id and counted.period = owed.period
    left join coverage on coverage.worker_id = owed.worker_id and coverage.period = owed.period
    left join last_activity on last_activity.worker_id = owed.worker_id and last_activity.period = owed.period
),

final as (
    select
        measured.worker_id,
        measured.period,
        measured.role,
        measured.facility,
        measured.region,
        measured.supervisor_id,
        measured.required_hours,
        measured.approved_hours,
        measured.pending_hours,
        greatest(measured.required_hours - measured.approved_hours, 0)::decimal(9, 2) as hours_needed,
        case
            when measured.separated then 'separated'
            when measured.approved_hours >= measured.required_hours then 'compliant'
            when (select as_of.as_of_date from as_of) > measured.period_end then 'non_compliant'
            when on_pace(measured.approved_hours, measured.required_hours, measured.elapsed_fraction) then 'on_track'
            else 'at_risk'
        end as status,
        measured.competencies_covered,
        measured.last_activity_at,
        (select as_of.as_of_date from as_of) as as_of
    from measured
)

select * from final
