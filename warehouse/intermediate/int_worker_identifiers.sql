-- Every identifier that names a worker, normalised as staging normalises actors:
-- mbox and SHA1 sums lower-cased, accounts as homePage|name. A roster email yields
-- both the mbox and its SHA1 sum (of the address as written and lower-cased).
create or replace table int_worker_identifiers as
with roster as (
    select * from cfg_roster
),

identities as (
    select * from cfg_identities
),

roster_mbox as (
    select roster.worker_id, roster.email
    from roster
    where roster.email is not null
),

identifiers as (
    select roster_mbox.worker_id, 'mbox' as kind, lower('mailto:' || roster_mbox.email) as value from roster_mbox
    union
    select roster_mbox.worker_id, 'mbox_sha1sum', sha1('mailto:' || lower(roster_mbox.email)) from roster_mbox
    union
    select roster_mbox.worker_id, 'mbox_sha1sum', sha1('mailto:' || roster_mbox.email) from roster_mbox
    union
    select
        identities.worker_id,
        identities.kind,
        case
            when identities.kind = 'mbox' and starts_with(lower(identities.value), 'mailto:')
                then lower(identities.value)
            when identities.kind = 'mbox' then 'mailto:' || lower(identities.value)
            when identities.kind = 'mbox_sha1sum' then lower(identities.value)
            else identities.value
        end
    from identities
),

final as (
    select distinct identifiers.worker_id, identifiers.kind, identifiers.value
    from identifiers
)

select * from final
