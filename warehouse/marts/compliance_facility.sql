-- The facility rows of compliance_rollup: each facility's status counts and rates per period.
create or replace table compliance_facility as
with rollups as (
    select * from compliance_rollup
),

final as (
    select rollups.period, rollups.region, rollups.facility, rollups.* exclude (level, period, region, facility)
    from rollups
    where rollups.level = 'facility'
)

select * from final
