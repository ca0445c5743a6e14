-- Each holder's cycles against their track's minimums (rule 16), in the track's order, for
-- the renewal transcripts; $workers as in warehouse/site/workers.sql.
with minimums as (
    select * from compliance_track_minimums
),

track_minimums as (
    select * from cfg_track_minimums
),

final as (
    select
        minimums.worker_id,
        minimums.track,
        minimums.cycle,
        minimums.minimum,
        array_to_string(track_minimums.topics, ', ') as topics,
        minimums.required_hours,
        minimums.counted_hours,
        minimums.hours_needed,
        track_minimums.position
    from minimums
    inner join track_minimums
        on track_minimums.track = minimums.track and track_minimums.minimum = minimums.minimum
    where $workers is null or minimums.worker_id in (select unnest($workers::varchar[]))
)

select * from final
order by final.worker_id, final.track, final.cycle, final.position
