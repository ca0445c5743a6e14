-- The region rows of compliance_rollup: each region's status counts and rates per period.
create or replace table compliance_region as
with rollups as (
    select * from compliance_rollup
),

final as (
    select rollups.period, rollups.region, rollups.* exclude (level, period, region, facility)
    from rollups
    where rollups.level = 'region'
)

select * from final
