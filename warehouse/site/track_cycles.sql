-- The worker pages' renewal transcripts: each holder's cycles of each track (rules 13-17),
-- newest first. $workers as in warehouse/site/workers.sql.
with cycles as (
    select * from compliance_track
),

tracks as (
    select * from cfg_tracks
),

final as (
    select
        cycles.worker_id,
        cycles.track,
        cycles.credential,
        cycles.certified_on,
        cycles.cycle,
        cycles.cycle_start,
        cycles.cycle_end,
        cycles.required_hours,
        cycles.counted_hours,
        cycles.capped_hours,
        cycles.hours_needed,
        cycles.status,
        tracks.approval,
        tracks.competency_aligned
    from cycles
    inner join tracks on tracks.track = cycles.track
    where $workers is null or cycles.worker_id in (select unnest($workers::varchar[]))
)

select * from final
order by final.worker_id, final.track, final.cycle_start desc
