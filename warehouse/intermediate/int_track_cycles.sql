-- Rule 13: each holder's renewal cycles for each track their credential owes, from the
-- later of their first cycle and the cycle of the earliest statement's day to the cycle
-- of the as-of date. Recomputed in full every run: it depends on the as-of date and the
-- config alone, and holders are few beside statements (macros.sql has the month
-- arithmetic).
create or replace temp table int_track_cycles as
with tracks as (
    select * from cfg_tracks
),

certifications as (
    select * from cfg_certifications
),

-- workers not yet hired on the as-of date are left out
workers as (
    select * from cfg_roster where cfg_roster.hire_date <= getvariable('as_of')::date
),

holders as (
    select
        workers.worker_id,
        workers.role,
        workers.facility,
        workers.region,
        workers.supervisor_id,
        workers.end_date,
        tracks.track,
        tracks.credential,
        tracks.hours as required_hours,
        tracks.months,
        coalesce(tracks.anchor, certifications.certified_on) as anchor,
        tracks.approval,
        tracks.competency_aligned,
        tracks.waive_months,
        certifications.certified_on,
        certifications.expires_on
    from certifications
    inner join tracks on tracks.credential = certifications.credential
    inner join workers on workers.worker_id = certifications.worker_id
    -- a credential granted after the as-of date owes nothing yet
    where certifications.certified_on <= getvariable('as_of')::date
),

cycle_range as (
    select
        holders.*,
        greatest(
            cycle_index(holders.anchor, holders.months, holders.certified_on),
            -- the earliest valid statement's local day, as for periods (warehouse.define_periods)
            cycle_index(holders.anchor, holders.months, getvariable('first_day')::date)
        ) as first_k,
        cycle_index(holders.anchor, holders.months, getvariable('as_of')::date) as last_k
    from holders
),

numbered as (
    select
        cycle_range.* exclude (first_k, last_k),
        unnest(generate_series(cycle_range.first_k, cycle_range.last_k)) as cycle_number
    from cycle_range
),

bounded as (
    select
        numbered.*,
        add_months(numbered.anchor, numbered.cycle_number * numbered.months) as cycle_start,
        add_months(numbered.anchor, (numbered.cycle_number + 1) * numbered.months) - 1 as cycle_end
    from numbered
),

final as (
    select
        bounded.* exclude (cycle_number),
        bounded.cycle_start::varchar || '/' || bounded.cycle_end::varchar as cycle
    from bounded
    -- cycles that start after the credential expires or the worker leaves are not owed
    where (bounded.expires_on is null or bounded.cycle_start <= bounded.expires_on)
        and (bounded.end_date is null or bounded.cycle_start <= bounded.end_date)
)

select * from final
