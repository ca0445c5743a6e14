-- The three published rollups in one shape: status counts, percent compliant and mean
-- approved hours per level (national, region, facility) and period.
with national as (
    select
        'national' as level, null::varchar as region, null::varchar as facility, period,
        workers, compliant, on_track, at_risk, non_compliant, separated, percent_compliant, mean_approved_hours
    from compliance_national
),

regional as (
    select
        'region' as level, region, null::varchar as facility, period,
        workers, compliant, on_track, at_risk, non_compliant, separated, percent_compliant, mean_approved_hours
    from compliance_region
),

facilities as (
    select
        'facility' as level, region, facility, period,
        workers, compliant, on_track, at_risk, non_compliant, separated, percent_compliant, mean_approved_hours
    from compliance_facility
)

select * from national
union all
select * from regional
union all
select * from facilities
order by level, region, facility, period
