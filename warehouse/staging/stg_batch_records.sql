-- Type this batch's records and collect every reason a record is not a usable xAPI
-- statement, so quarantine can report all of them at once, not the first one found.
-- Staging's own checks come first, in their wording; then the defects the xAPI schema
-- found (stg_schema_violations, pipelines/validation.py), weighed by severity at the end.
create or replace temp table stg_batch_records as
with named as (
    select
        file_id,
        record_no,
        is_json,
        undecodable,
        is_object,
        lax_json,
        repeated_key,
        f[1] as id,
        coalesce(f[2], 'Agent') as actor_type,
        f[3] as mbox,
        f[4] as mbox_sha1sum,
        f[5] as openid,
        f[6] as account_home_page,
        f[7] as account_name,
        f[8] as first_member,
        f[9] as actor_name,
        f[10] as verb_id,
        coalesce(f[11], 'Activity') as object_type,
        f[12] as object_id,
        f[13] as timestamp_text,
        f[14] as stored_text,
        f[15] as duration_text,
        try_cast(f[16] as double) as score_scaled,
        try_cast(f[17] as double) as score_raw,
        try_cast(f[18] as double) as score_min,
        try_cast(f[19] as double) as score_max,
        f[20] as version,
        f[21] as account,
        f[22] as context_parent,
        f[23] as context_grouping,
        f[24] as members,
        f[2] is null and f[3] is null and f[4] is null and f[5] is null and f[21] is null
        and f[8] is null and f[9] is null as actor_missing,
        f[11] is null and f[12] is null as object_missing,
        received_at
    from stg_batch_fields
    -- when celedger received the file: the statement's time when it has neither
    -- timestamp nor stored, as an LRS would set stored (rule 4)
    inner join (select file_id, received_at from loaded_files) using (file_id)
),

checked as (
    select
        *,
        (mbox is not null)::int + (mbox_sha1sum is not null)::int
        + (openid is not null)::int + (account is not null)::int as identifier_count,
        iso_timestamp(timestamp_text) as timestamp_value,
        iso_timestamp(stored_text) as stored_value,
        duration_text is null or (
            regexp_full_match(duration_text, duration_pattern())
            and duration_text <> 'P' and not ends_with(duration_text, 'T')
            and not duration_fraction_misplaced(duration_text)
            and not duration_weeks_mixed(duration_text)
        ) as duration_ok,
        -- only attendance is measured by its duration
        case when verb_id = verb_attended() then
            regexp_extract(duration_text, duration_pattern(), ['y', 'mo', 'w', 'd', 'h', 'mi', 's'])
        end as duration_parts
    from named
),

staged as (
select
    file_id,
    record_no,
    try_cast(id as uuid) as statement_id,
    id as raw_statement_id,
    -- the fields as sent, for the quality gate's own checks (expectations/raw_statements.json)
    identifier_count,
    timestamp_text,
    stored_text,
    duration_text,
    version,
    actor_type,
    actor_name,
    case
        when mbox is not null then 'mbox'
        when mbox_sha1sum is not null then 'mbox_sha1sum'
        when openid is not null then 'openid'
        when account is not null then 'account'
    end as actor_kind,
    case
        when mbox is not null then lower(mbox)
        when mbox_sha1sum is not null then lower(mbox_sha1sum)
        when openid is not null then openid
        when account is not null then account_home_page || '|' || account_name
    end as actor_value,
    verb_id,
    object_type,
    case when object_type = 'StatementRef' then lower(object_id) else object_id end as object_id,
    coalesce(timestamp_value, stored_value, received_at) as ts,
    stored_value as stored_ts,
    case when duration_ok then duration_seconds(duration_parts) end as duration_seconds,
    list_filter(
        list_concat(context_activity_ids(context_parent), context_activity_ids(context_grouping)),
        lambda x: x is not null
    ) as context_ids,
    case
        when undecodable then ['not UTF-8 text (undecodable bytes shown as \xNN)']
        when not is_json then ['not valid JSON']
        when not is_object then ['not a JSON object']
        else list_filter([
            case when lax_json then 'not strict JSON (NaN, Infinity or a trailing comma)' end,
            case when repeated_key then 'a key appears twice in one object' end,
            case when id is null then 'missing id' end,
            case when id is not null and not regexp_full_match(id, uuid_pattern())
                then 'id is not a UUID' end,
            case when actor_missing then 'missing actor' end,
            case when not actor_missing and actor_type not in ('Agent', 'Group')
                then 'actor objectType must be Agent or Group' end,
            case when not actor_missing and actor_type = 'Agent' and identifier_count <> 1
                then 'actor must have exactly one identifier (has ' || identifier_count || ')' end,
            case when actor_type = 'Group' and identifier_count > 1
                then 'group must have at most one identifier (has ' || identifier_count || ')' end,
            -- an empty member list is xAPI; a member that is no list the xAPI schema reports
            case when actor_type = 'Group' and identifier_count = 0 and members is null
                then 'anonymous group without members' end,
            case when mbox is not null and not regexp_full_match(mbox, '(?i)mailto:[^@\s]+@[^@\s]+')
                then 'actor mbox is not a mailto IRI' end,
            case when mbox_sha1sum is not null and not regexp_full_match(mbox_sha1sum, '[0-9A-Fa-f]{40}')
                then 'actor mbox_sha1sum is not a SHA1 hex digest' end,
            case when openid is not null and not regexp_full_match(openid, iri_pattern())
                then 'actor openid is not a URI' end,
            case when account is not null and (account_home_page is null or account_name is null)
                then 'actor account needs homePage and name' end,
            case when verb_id is null then 'missing verb id' end,
            case when verb_id is not null and not regexp_full_match(verb_id, iri_pattern())
                then 'verb id is not an IRI' end,
            case when object_missing then 'missing object' end,
            case when object_type not in ('Activity', 'Agent', 'Group', 'StatementRef', 'SubStatement')
                then 'unknown object objectType ' || object_type end,
            case when not object_missing and object_type = 'Activity'
                and (object_id is null or not regexp_full_match(object_id, iri_pattern()))
                then 'object id is not an IRI' end,
            case when object_type = 'StatementRef'
                and (object_id is null or not regexp_full_match(object_id, uuid_pattern()))
                then 'StatementRef id is not a UUID' end,
            case when verb_id = verb_voided() and object_type <> 'StatementRef'
                then 'voiding statement must reference a StatementRef' end,
            case when timestamp_text is not null and timestamp_value is null
                then 'timestamp ' || timestamp_refusal(timestamp_text) end,
            case when stored_text is not null and stored_value is null
                then 'stored ' || timestamp_refusal(stored_text) end,
            -- periods, local days and Python's datetime need four-digit years (pipelines/warehouse.py)
            case when not usable_instant(timestamp_value) then 'timestamp is outside the years ' || usable_years() end,
            case when not usable_instant(stored_value) then 'stored is outside the years ' || usable_years() end,
            -- a day's grace for clocks and zones; without `stored`, the time celedger received
            -- it stands in, as an LRS would have stored it (never the as-of day: a report as of
            -- a past day must not quarantine for good what was recorded since)
            case when timestamp_value > coalesce(stored_value, received_at) + interval 1 day
                then 'timestamp is far in the future' end,
            case when not duration_ok then 'result.duration is not an ISO 8601 duration' end,
            case when version is not null and not regexp_full_match(version, '[12]\.0(\.\d+)?')
                then 'unsupported version ' || version end,
            case when score_scaled is not null and (score_scaled < -1 or score_scaled > 1)
                then 'result.score.scaled outside -1..1' end,
            case when score_min is not null and score_max is not null and score_min > score_max
                then 'result.score.min above max' end,
            case when score_raw is not null and (score_raw < score_min or score_raw > score_max)
                then 'result.score.raw outside min..max' end
        ], lambda x: x is not null)
    end as staged_reasons
from checked
),

schema_found as (
    select file_id, record_no, list({'reason': reason, 'field': field} order by n) as found
    from stg_schema_violations
    group by file_id, record_no
),

weighed as (
    select
        s.*,
        list_transform(s.staged_reasons, lambda r: reason_field(r)) as staged_fields,
        coalesce(list_filter(v.found, lambda x: x.field <> ''), []) as severe,
        coalesce(list_transform(list_filter(v.found, lambda x: x.field = ''), lambda x: x.reason), []) as harmless
    from staged as s
    left join schema_found as v on v.file_id = s.file_id and v.record_no = s.record_no
),

judged as (
    select
        * exclude (severe),
        -- the schema's reasons about a field staging said nothing about
        list_transform(
            list_filter(severe, lambda x: not list_contains(staged_fields, x.field)), lambda x: x.reason
        ) as severe,
        -- severity: a defect in a field the rules read quarantines the statement with every
        -- reason; any other leaves it accepted, with warnings; `validation: strict` in
        -- policy.yaml quarantines every statement with a defect
        len(staged_reasons) > 0 or len(severe) > 0
        or (getvariable('strict_validation') and len(harmless) > 0) as quarantined
    from weighed
)

select
    * exclude (staged_reasons, staged_fields, severe, harmless, quarantined),
    case when quarantined then list_concat(staged_reasons, severe, harmless) else [] end as reasons,
    case when quarantined then [] else harmless end as warnings
from judged
;

-- the extracted fields are typed now; free their memory for what follows
drop table stg_batch_fields
