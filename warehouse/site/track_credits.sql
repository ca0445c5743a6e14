-- The activities that count toward each holder's cycle (rules 14-15), oldest first, with
-- the cap each falls under and its certificates (rule 18), for the renewal transcripts.
-- $tz is the policy's time zone; $workers as in warehouse/site/workers.sql.
with credits as (
    select * from int_track_credits
),

titles as (
    select cfg_catalog.activity_id, min(cfg_catalog.title) as title
    from cfg_catalog
    group by cfg_catalog.activity_id
),

evidence as (
    select * from ledger_evidence
),

final as (
    select
        credits.worker_id,
        credits.track,
        credits.cycle,
        timezone($tz, credits.earned_at)::date as earned,
        coalesce(titles.title, credits.activity_id) as title,
        credits.activity_kind,
        credits.credited_hours,
        credits.approval_state,
        array_to_string(credits.topics, ', ') as topics,
        credits.cap,
        credits.entry_id,
        coalesce(evidence.evidence, '') as evidence,
        epoch_us(credits.earned_at) as earned_us  -- the order, not shown
    from credits
    left join titles on titles.activity_id = credits.activity_id
    left join evidence on evidence.entry_id = credits.entry_id
    where $workers is null or credits.worker_id in (select unnest($workers::varchar[]))
)

select * from final
order by final.worker_id, final.track, final.cycle, final.earned_us, final.entry_id
