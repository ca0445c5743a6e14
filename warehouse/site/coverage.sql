-- How many workers (separated ones left out, as in the rates) cover each competency
-- category, per level and period: the competency coverage charts.
with codes as (
    select period, region, facility, unnest(string_split(competencies_covered, ';')) as code
    from compliance_worker
    where status <> 'separated' and competencies_covered <> ''
)

select
    case
        when grouping(facility) = 0 then 'facility'
        when grouping(region) = 0 then 'region'
        else 'national'
    end as level,
    region,
    facility,
    period,
    code,
    count(*) as workers
from codes
group by grouping sets ((period, code), (period, region, code), (period, region, facility, code))
order by level, region, facility, period, code
