-- Compliance per worker, with the required hours negated so "approved + needed = required"
-- can be checked as a sum.
with worker_compliance as (
    select * from compliance_worker
),

final as (
    select
        worker_compliance.*,
        -worker_compliance.required_hours::double as negated_required_hours,
        worker_compliance.approved_hours::double as approved,
        worker_compliance.hours_needed::double as needed,
        worker_compliance.required_hours::double as required
    from worker_compliance
)

select * from final
