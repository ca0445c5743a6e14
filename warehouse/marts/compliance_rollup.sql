-- Status counts at the three levels the program office reads; separated workers are
-- counted but left out of the rates (rule 11).
create or replace temp table compliance_rollup as
select
    case
        when grouping(facility) = 0 then 'facility'
        when grouping(region) = 0 then 'region'
        else 'national'
    end as level,
    period,
    region,
    facility,
    count(*) as workers,
    count(*) filter (where status = 'compliant') as compliant,
    count(*) filter (where status = 'on_track') as on_track,
    count(*) filter (where status = 'at_risk') as at_risk,
    count(*) filter (where status = 'non_compliant') as non_compliant,
    count(*) filter (where status = 'separated') as separated,
    round(100.0 * count(*) filter (where status = 'compliant')
        / nullif(count(*) filter (where status <> 'separated'), 0), 1)::decimal(5, 1) as percent_compliant,
    round(avg(approved_hours) filter (where status <> 'separated'), 2)::decimal(9, 2)
        as mean_approved_hours
from compliance_worker
group by grouping sets ((period), (period, region), (period, region, facility))
