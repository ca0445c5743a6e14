-- How many workers (separated ones left out, as in the rates) cover each competency
-- category, per level and period: the competency coverage charts.
with worker_compliance as (
    select * from compliance_worker
),

codes as (
    select
        worker_compliance.period,
        worker_compliance.region,
        worker_compliance.facility,
        unnest(string_split(worker_compliance.competencies_covered, ';')) as code
    from worker_compliance
    where worker_compliance.status <> 'separated' and worker_compliance.competencies_covered <> ''
),

final as (
    select
        case
            when grouping(codes.facility) = 0 then 'facility'
            when grouping(codes.region) = 0 then 'region'
            else 'national'
        end as level,
        codes.region,
        codes.facility,
        codes.period,
        codes.code,
        count(*) as workers
    from codes
    group by grouping sets (
        (codes.period, codes.code),
        (codes.period, codes.region, codes.code),
        (codes.period, codes.region, codes.facility, codes.code)
    )
)

select * from final
order by final.level, final.region, final.facility, final.period, final.code
