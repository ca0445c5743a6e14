-- Facility, region and national rows, each with the worker count its parts add up to.
with facilities as not materialized (
    select * from compliance_facility
),

regions as (
    select * from compliance_region
),

national as (
    select * from compliance_national
),

worker_compliance as (
    select * from compliance_worker
),

levels as (
    select
        'facility' as level, facilities.period, facilities.region, facilities.facility,
        facilities.* exclude (period, region, facility)
    from facilities
    union all
    select 'region', regions.period, regions.region, null, regions.* exclude (period, region)
    from regions
    union all
    select 'national', national.period, null, null, national.* exclude (period)
    from national
),

parts as (
    select facilities.period, facilities.region, sum(facilities.workers) as workers
    from facilities
    group by facilities.period, facilities.region
),

final as (
    select
        levels.* replace (levels.percent_compliant::double as percent_compliant),
        -levels.workers as negated_workers,
        case
            when levels.level = 'facility' then (
                select count(*) from worker_compliance
                where worker_compliance.period = levels.period and worker_compliance.region = levels.region
                    and worker_compliance.facility = levels.facility
            )
            when levels.level = 'region' then (
                select parts.workers from parts where parts.period = levels.period and parts.region = levels.region
            )
            else (select sum(parts.workers) from parts where parts.period = levels.period)
        end as workers_of_parts
    from levels
)

select * from final
