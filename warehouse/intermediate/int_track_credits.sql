-- Rules 14 and 15: the ledger credits that count toward each holder's cycle, each with
-- the cap it falls under. A credit counts when it stands (no reversal), its earned_at's
-- local day lies in the cycle and on or before the as-of day, and the track admits it;
-- each activity counts once per cycle, by its earliest admitted credit. A table, not a
-- temp table: the worker pages list these credits as the renewal transcript.
create or replace table int_track_credits as
with cycles as (
    select * from int_track_cycles
),

book as (
    select * from ledger_book
),

activities as (
    select * from cfg_catalog
),

caps as (
    select * from cfg_track_caps
),

holder_book as (
    select book.*
    from book
    semi join cycles on cycles.worker_id = book.worker_id
),

standing_credits as (
    select
        holder_book.*,
        timezone(getvariable('timezone'), holder_book.earned_at)::date as earned_day
    from holder_book
    anti join holder_book as reversals on reversals.reverses_entry_id = holder_book.entry_id
    where holder_book.entry_type = 'credit'
        and holder_book.earned_at < getvariable('as_of_end')
),

-- approval none admits every credit, catalog those of activities the catalog approves,
-- supervisor those whose approval state is approved (rule 9); competency_aligned adds
-- rule 10
admitted as (
    select
        cycles.worker_id,
        cycles.track,
        cycles.cycle,
        standing_credits.entry_id,
        standing_credits.activity_id,
        standing_credits.activity_kind,
        standing_credits.credited_hours,
        standing_credits.approval_state,
        standing_credits.earned_at,
        coalesce(activities.topics, []) as topics
    from cycles
    inner join standing_credits
        on standing_credits.worker_id = cycles.worker_id
        and standing_credits.earned_day between cycles.cycle_start and cycles.cycle_end
    left join activities on activities.activity_id = standing_credits.activity_id
    where
        case cycles.approval
            when 'none' then true
            when 'catalog' then coalesce(activities.approved, false)
            else standing_credits.approval_state = 'approved'
        end
        and (not cycles.competency_aligned or standing_credits.qualifying)
),

once_per_activity as (
    select admitted.*
    from admitted
    qualify row_number() over (
        partition by admitted.worker_id, admitted.track, admitted.cycle, admitted.activity_id
        order by admitted.earned_at, admitted.entry_id
    ) = 1
),

-- the first cap, in the policy's order, whose kinds hold the activity's kind or whose
-- topics share one of its topics
first_cap as (
    select
        once_per_activity.*,
        caps.cap
    from once_per_activity
    left join caps
        on caps.track = once_per_activity.track
        and (list_contains(caps.kinds, once_per_activity.activity_kind)
            or list_has_any(caps.topics, once_per_activity.topics))
    qualify row_number() over (
        partition by once_per_activity.track, once_per_activity.cycle, once_per_activity.entry_id
        order by caps.position nulls last
    ) = 1
),

final as (
    select
        first_cap.worker_id,
        first_cap.track,
        first_cap.cycle,
        first_cap.entry_id,
        first_cap.activity_id,
        first_cap.activity_kind,
        first_cap.credited_hours,
        first_cap.approval_state,
        first_cap.earned_at,
        first_cap.topics,
        first_cap.cap
    from first_cap
)

select * from final
