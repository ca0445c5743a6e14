-- Every identifier that names a worker, normalised as staging normalises actors:
-- mbox and SHA1 sums lower-cased, accounts as homePage|name. A roster email yields
-- both the mbox and its SHA1 sum (of the address as written and lower-cased).
create or replace table int_worker_identifiers as
with roster_mbox as (
    select worker_id, email
    from cfg_roster
    where email is not null
),

identifiers as (
    select worker_id, 'mbox' as kind, lower('mailto:' || email) as value from roster_mbox
    union
    select worker_id, 'mbox_sha1sum', sha1('mailto:' || lower(email)) from roster_mbox
    union
    select worker_id, 'mbox_sha1sum', sha1('mailto:' || email) from roster_mbox
    union
    select
        worker_id,
        kind,
        case
            when kind = 'mbox' and starts_with(lower(value), 'mailto:') then lower(value)
            when kind = 'mbox' then 'mailto:' || lower(value)
            when kind = 'mbox_sha1sum' then lower(value)
            else value
        end
    from cfg_identities
)

select distinct worker_id, kind, value from identifiers
