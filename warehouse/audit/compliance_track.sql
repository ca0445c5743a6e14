-- Each holder's cycles (rules 13-17), with hours as doubles for the suite's comparisons.
select
    *,
    required_hours::double as required,
    counted_hours::double as counted,
    capped_hours::double as capped,
    hours_needed::double as needed,
    datediff('day', cycle_start, cycle_end) as cycle_days
from compliance_track
