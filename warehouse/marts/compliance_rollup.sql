-- Status counts at the three levels the program office reads; separated workers are
-- counted but left out of the rates (rule 11).
create or replace temp table compliance_rollup as
with worker_compliance as (
    select * from compliance_worker
),

final as (
    select
        case
            when grouping(worker_compliance.facility) = 0 then 'facility'
            when grouping(worker_compliance.region) = 0 then 'region'
            else 'national'
        end as level,
        worker_compliance.period,
        worker_compliance.region,
        worker_compliance.facility,
        count(*) as workers,
        count(*) filter (where worker_compliance.status = 'compliant') as compliant,
        count(*) filter (where worker_compliance.status = 'on_track') as on_track,
        count(*) filter (where worker_compliance.status = 'at_risk') as at_risk,
        count(*) filter (where worker_compliance.status = 'non_compliant') as non_compliant,
        count(*) filter (where worker_compliance.status = 'separated') as separated,
        round(100.0 * count(*) filter (where worker_compliance.status = 'compliant')
            / nullif(count(*) filter (where worker_compliance.status <> 'separated'), 0), 1)::decimal(5, 1)
            as percent_compliant,
        round(avg(worker_compliance.approved_hours) filter (where worker_compliance.status <> 'separated'), 2)
            ::decimal(9, 2) as mean_approved_hours
    from worker_compliance
    group by grouping sets (
        (worker_compliance.period),
        (worker_compliance.period, worker_compliance.region),
        (worker_compliance.period, worker_compliance.region, worker_compliance.facility)
    )
)

select * from final
