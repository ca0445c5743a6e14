-- The three published rollups in one shape: status counts, percent compliant and mean
-- approved hours per level (national, region, facility) and period.
with national as (
    select * from compliance_national
),

regions as (
    select * from compliance_region
),

facilities as (
    select * from compliance_facility
),

final as (
    select
        'national' as level, null::varchar as region, null::varchar as facility, national.period,
        national.workers, national.compliant, national.on_track, national.at_risk, national.non_compliant,
        national.separated, national.percent_compliant, national.mean_approved_hours
    from national
    union all
    select
        'region' as level, regions.region, null::varchar as facility, regions.period,
        regions.workers, regions.compliant, regions.on_track, regions.at_risk, regions.non_compliant,
        regions.separated, regions.percent_compliant, regions.mean_approved_hours
    from regions
    union all
    select
        'facility' as level, facilities.region, facilities.facility, facilities.period,
        facilities.workers, facilities.compliant, facilities.on_track, facilities.at_risk, facilities.non_compliant,
        facilities.separated, facilities.percent_compliant, facilities.mean_approved_hours
    from facilities
)

select * from final
order by final.level, final.region, final.facility, final.period
