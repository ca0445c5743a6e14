-- Each holder's cycles (rules 13-17), with hours as doubles for the suite's comparisons.
with cycles as (
    select * from compliance_track
),

final as (
    select
        cycles.*,
        cycles.required_hours::double as required,
        cycles.counted_hours::double as counted,
        cycles.capped_hours::double as capped,
        cycles.hours_needed::double as needed,
        datediff('day', cycles.cycle_start, cycles.cycle_end) as cycle_days
    from cycles
)

select * from final
