-- Compliance per worker, with the required hours negated so "approved + needed = required"
-- can be checked as a sum.
select
    *,
    -required_hours::double as negated_required_hours,
    approved_hours::double as approved,
    hours_needed::double as needed,
    required_hours::double as required
from compliance_worker
