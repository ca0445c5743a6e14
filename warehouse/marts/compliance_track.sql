-- Rules 15 and 17: each holder's cycle of each track, its hours counted after caps, the
-- hours caps cut, the minimums still short and its status as of the run date.
create or replace table compliance_track as
with cycles as (
    select * from int_track_cycles
),

credits as (
    select * from int_track_credits
),

caps as (
    select * from cfg_track_caps
),

cycle_minimums as (
    select * from compliance_track_minimums
),

minimum_order as (
    select * from cfg_track_minimums
),

-- rule 15: the credits under one cap add at most the cap's hours
cap_groups as (
    select
        credits.worker_id,
        credits.track,
        credits.cycle,
        sum(credits.credited_hours) as credited_hours,
        least(sum(credits.credited_hours), coalesce(any_value(caps.hours), sum(credits.credited_hours)))
            as counted_hours
    from credits
    left join caps on caps.track = credits.track and caps.cap = credits.cap
    group by credits.worker_id, credits.track, credits.cycle, credits.cap
),

hours as (
    select
        cap_groups.worker_id,
        cap_groups.track,
        cap_groups.cycle,
        sum(cap_groups.counted_hours) as counted_hours,
        sum(cap_groups.credited_hours) - sum(cap_groups.counted_hours) as capped_hours
    from cap_groups
    group by cap_groups.worker_id, cap_groups.track, cap_groups.cycle
),

-- rule 17's elapsed fraction f: whole local days, the as-of day included, counted from
-- the later of the cycle's first day and certified_on
paced as (
    select
        cycles.*,
        coalesce(hours.counted_hours, 0) as counted_hours,
        coalesce(hours.capped_hours, 0) as capped_hours,
        elapsed_fraction(
            greatest(cycles.cycle_start, cycles.certified_on), cycles.cycle_end, getvariable('as_of')::date
        ) as elapsed_fraction
    from cycles
    left join hours
        on hours.worker_id = cycles.worker_id and hours.track = cycles.track and hours.cycle = cycles.cycle
),

minimums as (
    select
        paced.worker_id,
        paced.track,
        paced.cycle,
        bool_and(cycle_minimums.hours_needed = 0) as all_met,
        bool_and(
            on_pace(cycle_minimums.counted_hours, cycle_minimums.required_hours, paced.elapsed_fraction)
        ) as on_pace,
        coalesce(string_agg(
            cycle_minimums.minimum || ':' || cycle_minimums.hours_needed, ';' order by minimum_order.position
        ) filter (where cycle_minimums.hours_needed > 0), '') as minimums_short
    from paced
    inner join cycle_minimums
        on cycle_minimums.worker_id = paced.worker_id
        and cycle_minimums.track = paced.track
        and cycle_minimums.cycle = paced.cycle
    inner join minimum_order
        on minimum_order.track = cycle_minimums.track and minimum_order.minimum = cycle_minimums.minimum
    group by paced.worker_id, paced.track, paced.cycle
),

measured as (
    select
        paced.*,
        coalesce(minimums.all_met, true) as minimums_met,
        coalesce(minimums.on_pace, true) as minimums_on_pace,
        coalesce(minimums.minimums_short, '') as minimums_short
    from paced
    left join minimums
        on minimums.worker_id = paced.worker_id and minimums.track = paced.track and minimums.cycle = paced.cycle
),

final as (
    select
        measured.worker_id,
        measured.track,
        measured.credential,
        measured.certified_on,
        measured.cycle,
        measured.cycle_start,
        measured.cycle_end,
        measured.role,
        measured.facility,
        measured.region,
        measured.supervisor_id,
        measured.required_hours::decimal(9, 2) as required_hours,
        measured.counted_hours::decimal(9, 2) as counted_hours,
        measured.capped_hours::decimal(9, 2) as capped_hours,
        greatest(measured.required_hours - measured.counted_hours, 0)::decimal(9, 2) as hours_needed,
        measured.minimums_short,
        case
            when measured.cycle_end < add_months(measured.certified_on, measured.waive_months) then 'waived'
            when measured.end_date >= measured.cycle_start and measured.end_date < measured.cycle_end
                then 'separated'
            when measured.expires_on >= measured.cycle_start and measured.expires_on < measured.cycle_end
                then 'separated'
            when measured.counted_hours >= measured.required_hours and measured.minimums_met then 'compliant'
            when getvariable('as_of')::date > measured.cycle_end then 'non_compliant'
            when on_pace(measured.counted_hours, measured.required_hours, measured.elapsed_fraction)
                and measured.minimums_on_pace
                then 'on_track'
            else 'at_risk'
        end as status,
        getvariable('as_of')::date as as_of
    from measured
)

select * from final
