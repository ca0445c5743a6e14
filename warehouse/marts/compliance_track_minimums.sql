-- Rule 16: each holder's cycle against each of its track's minimums. The counted credits
-- with at least one of a minimum's topics serve it, at their full hours (caps do not
-- reduce them), and one credit may serve several minimums.
create or replace table compliance_track_minimums as
with cycles as (
    select * from int_track_cycles
),

minimums as (
    select * from cfg_track_minimums
),

credits as (
    select * from int_track_credits
),

cycle_minimums as (
    select
        cycles.worker_id,
        cycles.track,
        cycles.cycle,
        minimums.minimum,
        minimums.topics,
        minimums.hours as required_hours
    from cycles
    inner join minimums on minimums.track = cycles.track
),

counted as (
    select
        cycle_minimums.worker_id,
        cycle_minimums.track,
        cycle_minimums.cycle,
        cycle_minimums.minimum,
        any_value(cycle_minimums.required_hours) as required_hours,
        coalesce(sum(credits.credited_hours), 0) as counted_hours
    from cycle_minimums
    left join credits
        on credits.worker_id = cycle_minimums.worker_id
        and credits.track = cycle_minimums.track
        and credits.cycle = cycle_minimums.cycle
        and list_has_any(credits.topics, cycle_minimums.topics)
    group by cycle_minimums.worker_id, cycle_minimums.track, cycle_minimums.cycle, cycle_minimums.minimum
),

final as (
    select
        counted.worker_id,
        counted.track,
        counted.cycle,
        counted.minimum,
        counted.required_hours::decimal(9, 2) as required_hours,
        counted.counted_hours::decimal(9, 2) as counted_hours,
        greatest(counted.required_hours - counted.counted_hours, 0)::decimal(9, 2) as hours_needed
    from counted
)

select * from final
