-- Each requirement track's holders by status in the cycle under way (rule 17), at the
-- national, region and facility levels, for the scope pages.
with summary as (
    select * from compliance_track_summary
),

final as (
    select
        summary.level,
        summary.region,
        summary.facility,
        summary.track,
        summary.holders,
        summary.compliant,
        summary.on_track,
        summary.at_risk,
        summary.non_compliant,
        summary.separated,
        summary.waived,
        summary.percent_compliant
    from summary
)

select * from final order by final.track
