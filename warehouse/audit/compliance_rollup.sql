-- Facility, region and national rows, each with the worker count its parts add up to.
with levels as (
    select 'facility' as level, period, region, facility, * exclude (period, region, facility)
    from compliance_facility
    union all
    select 'region', period, region, null, * exclude (period, region) from compliance_region
    union all
    select 'national', period, null, null, * exclude (period) from compliance_national
),

parts as (
    select period, region, sum(workers) as workers from compliance_facility group by period, region
)

select
    l.* replace (l.percent_compliant::double as percent_compliant),
    -l.workers as negated_workers,
    case
        when l.level = 'facility' then (select count(*) from compliance_worker as w
            where w.period = l.period and w.region = l.region and w.facility = l.facility)
        when l.level = 'region' then (select p.workers from parts as p where p.period = l.period and p.region = l.region)
        else (select sum(p.workers) from parts as p where p.period = l.period)
    end as workers_of_parts
from levels as l
