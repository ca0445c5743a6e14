-- Each supervisor's direct reports' renewal cycles (rules 13-17) that end within $days days
-- of the as-of date ($as_of), soonest first, with the hours and minimums still needed.
-- Waived and separated cycles owe nothing more and are left out.
with cycles as (
    select * from compliance_track
),

roster as (
    select * from cfg_roster
),

final as (
    select
        roster.supervisor_id,
        cycles.worker_id,
        roster.name,
        cycles.track,
        cycles.credential,
        cycles.cycle_end,
        cycles.required_hours,
        cycles.counted_hours,
        cycles.hours_needed,
        cycles.minimums_short,
        cycles.status
    from cycles
    inner join roster on roster.worker_id = cycles.worker_id
    where roster.supervisor_id is not null
        and cycles.cycle_end between $as_of and $as_of + $days
        and cycles.status not in ('waived', 'separated')
)

select * from final
order by final.supervisor_id, final.cycle_end, final.name, final.worker_id, final.track
