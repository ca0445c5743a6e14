-- Each track's holders by status at the three levels the program office reads, counting
-- each holder's cycle that contains the as-of date; separated and waived holders are
-- counted but left out of the rate.
create or replace table compliance_track_summary as
with current_cycles as (
    select *
    from compliance_track
    where getvariable('as_of')::date between compliance_track.cycle_start and compliance_track.cycle_end
),

rolled_up as (
    select
        case
            when grouping(current_cycles.facility) = 0 then 'facility'
            when grouping(current_cycles.region) = 0 then 'region'
            else 'national'
        end as level,
        current_cycles.track,
        current_cycles.region,
        current_cycles.facility,
        count(*) as holders,
        count(*) filter (where current_cycles.status = 'compliant') as compliant,
        count(*) filter (where current_cycles.status = 'on_track') as on_track,
        count(*) filter (where current_cycles.status = 'at_risk') as at_risk,
        count(*) filter (where current_cycles.status = 'non_compliant') as non_compliant,
        count(*) filter (where current_cycles.status = 'separated') as separated,
        count(*) filter (where current_cycles.status = 'waived') as waived
    from current_cycles
    group by grouping sets (
        (current_cycles.track),
        (current_cycles.track, current_cycles.region),
        (current_cycles.track, current_cycles.region, current_cycles.facility)
    )
),

final as (
    select
        rolled_up.track,
        rolled_up.level,
        rolled_up.region,
        rolled_up.facility,
        rolled_up.holders,
        rolled_up.compliant,
        rolled_up.on_track,
        rolled_up.at_risk,
        rolled_up.non_compliant,
        rolled_up.separated,
        rolled_up.waived,
        round(100.0 * rolled_up.compliant
            / nullif(rolled_up.holders - rolled_up.separated - rolled_up.waived, 0), 1)::decimal(5, 1)
            as percent_compliant
    from rolled_up
)

select * from final
