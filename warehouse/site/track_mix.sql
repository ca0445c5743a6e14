-- Each requirement track's holders by status in the cycle under way (rule 17), at the
-- national, region and facility levels, for the scope pages.
select
    compliance_track_summary.level,
    compliance_track_summary.region,
    compliance_track_summary.facility,
    compliance_track_summary.track,
    compliance_track_summary.holders,
    compliance_track_summary.compliant,
    compliance_track_summary.on_track,
    compliance_track_summary.at_risk,
    compliance_track_summary.non_compliant,
    compliance_track_summary.separated,
    compliance_track_summary.waived,
    compliance_track_summary.percent_compliant
from compliance_track_summary
order by compliance_track_summary.track
