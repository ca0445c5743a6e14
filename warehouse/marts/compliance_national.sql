-- The national rows of compliance_rollup: the whole program's status counts and rates per period.
create or replace table compliance_national as
with rollups as (
    select * from compliance_rollup
),

final as (
    select rollups.period, rollups.* exclude (level, period, region, facility)
    from rollups
    where rollups.level = 'national'
)

select * from final
