-- Type this batch's records and collect every reason a record is not a usable xAPI
-- statement, so quarantine can report all of them at once, not the first one found.
-- Staging's own checks come first, in their wording; then the defects the xAPI schema
-- found (stg_schema_violations, pipelines/validation.py), weighed by severity at the end.
create or replace temp table stg_batch_records as
with batch_fields as (
    select * from stg_batch_fields
),

files as (
    select loaded_files.file_id, loaded_files.received_at from loaded_files
),

schema_violations as (
    select * from stg_schema_violations
),

named as (
    select
        batch_fields.file_id,
        batch_fields.record_no,
        batch_fields.is_json,
        batch_fields.undecodable,
        batch_fields.is_object,
        batch_fields.lax_json,
        batch_fields.repeated_key,
        batch_fields.extracted[1] as id,
        coalesce(batch_fields.extracted[2], 'Agent') as actor_type,
        batch_fields.extracted[3] as mbox,
        batch_fields.extracted[4] as mbox_sha1sum,
        batch_fields.extracted[5] as openid,
        batch_fields.extracted[6] as account_home_page,
        batch_fields.extracted[7] as account_name,
        batch_fields.extracted[9] as actor_name,
        batch_fields.extracted[10] as verb_id,
        coalesce(batch_fields.extracted[11], 'Activity') as object_type,
        batch_fields.extracted[12] as object_id,
        batch_fields.extracted[13] as timestamp_text,
        batch_fields.extracted[14] as stored_text,
        batch_fields.extracted[15] as duration_text,
        try_cast(batch_fields.extracted[16] as double) as score_scaled,
        try_cast(batch_fields.extracted[17] as double) as score_raw,
        try_cast(batch_fields.extracted[18] as double) as score_min,
        try_cast(batch_fields.extracted[19] as double) as score_max,
        batch_fields.extracted[20] as version,
        batch_fields.extracted[21] as account,
        batch_fields.extracted[22] as context_parent,
        batch_fields.extracted[23] as context_grouping,
        batch_fields.extracted[24] as members,
        batch_fields.extracted[2] is null and batch_fields.extracted[3] is null
        and batch_fields.extracted[4] is null and batch_fields.extracted[5] is null
        and batch_fields.extracted[21] is null and batch_fields.extracted[8] is null
        and batch_fields.extracted[9] is null as actor_missing,
        batch_fields.extracted[11] is null and batch_fields.extracted[12] is null as object_missing,
        -- when celedger received the file: the statement's time when it has neither
        -- timestamp nor stored, as an LRS would set stored (rule 4)
        files.received_at
    from batch_fields
    inner join files on files.file_id = batch_fields.file_id
),

checked as (
    select
        named.*,
        (named.mbox is not null)::int + (named.mbox_sha1sum is not null)::int
        + (named.openid is not null)::int + (named.account is not null)::int as identifier_count,
        iso_timestamp(named.timestamp_text) as timestamp_value,
        iso_timestamp(named.stored_text) as stored_value,
        named.duration_text is null or (
            regexp_full_match(named.duration_text, duration_pattern())
            and named.duration_text <> 'P' and not ends_with(named.duration_text, 'T')
            and not duration_fraction_misplaced(named.duration_text)
            and not duration_weeks_mixed(named.duration_text)
        ) as duration_ok,
        -- only attendance is measured by its duration
        case when named.verb_id = verb_attended() then
            regexp_extract(named.duration_text, duration_pattern(), ['y', 'mo', 'w', 'd', 'h', 'mi', 's'])
        end as duration_parts
    from named
),

staged as (
    select
        checked.file_id,
        checked.record_no,
        try_cast(checked.id as uuid) as statement_id,
        checked.id as raw_statement_id,
        checked.actor_type,
        checked.actor_name,
        case
            when checked.mbox is not null then 'mbox'
            when checked.mbox_sha1sum is not null then 'mbox_sha1sum'
            when checked.openid is not null then 'openid'
            when checked.account is not null then 'account'
        end as actor_kind,
        case
            when checked.mbox is not null then lower(checked.mbox)
            when checked.mbox_sha1sum is not null then lower(checked.mbox_sha1sum)
            when checked.openid is not null then checked.openid
            when checked.account is not null then checked.account_home_page || '|' || checked.account_name
        end as actor_value,
        checked.verb_id,
        checked.object_type,
        case when checked.object_type = 'StatementRef' then lower(checked.object_id) else checked.object_id end
            as object_id,
        coalesce(checked.timestamp_value, checked.stored_value, checked.received_at) as ts,
        checked.stored_value as stored_ts,
        case when checked.duration_ok then duration_seconds(checked.duration_parts) end as duration_seconds,
        list_filter(
            list_concat(
                context_activity_ids(checked.context_parent), context_activity_ids(checked.context_grouping)
            ),
            lambda activity_id: activity_id is not null
        ) as context_ids,
        case
            when checked.undecodable then ['not UTF-8 text (undecodable bytes shown as \xNN)']
            when not checked.is_json then ['not valid JSON']
            when not checked.is_object then ['not a JSON object']
            else list_filter([
                case when checked.lax_json then 'not strict JSON (NaN, Infinity or a trailing comma)' end,
                case when checked.repeated_key then 'a key appears twice in one object' end,
                case when checked.id is null then 'missing id' end,
                case when checked.id is not null and not regexp_full_match(checked.id, uuid_pattern())
                    then 'id is not a UUID' end,
                case when checked.actor_missing then 'missing actor' end,
                case when not checked.actor_missing and checked.actor_type not in ('Agent', 'Group')
                    then 'actor objectType must be Agent or Group' end,
                case when not checked.actor_missing and checked.actor_type = 'Agent'
                    and checked.identifier_count <> 1
                    then 'actor must have exactly one identifier (has ' || checked.identifier_count || ')' end,
                case when checked.actor_type = 'Group' and checked.identifier_count > 1
                    then 'group must have at most one identifier (has ' || checked.identifier_count || ')' end,
                -- an empty member list is xAPI; a member that is no list the xAPI schema reports
                case when checked.actor_type = 'Group' and checked.identifier_count = 0 and checked.members is null
                    then 'anonymous group without members' end,
                case when checked.mbox is not null
                    and not regexp_full_match(checked.mbox, '(?i)mailto:[^@\s]+@[^@\s]+')
                    then 'actor mbox is not a mailto IRI' end,
                case when checked.mbox_sha1sum is not null
                    and not regexp_full_match(checked.mbox_sha1sum, '[0-9A-Fa-f]{40}')
                    then 'actor mbox_sha1sum is not a SHA1 hex digest' end,
                case when checked.openid is not null and not regexp_full_match(checked.openid, iri_pattern())
                    then 'actor openid is not a URI' end,
                case when checked.account is not null
                    and (checked.account_home_page is null or checked.account_name is null)
                    then 'actor account needs homePage and name' end,
                case when checked.verb_id is null then 'missing verb id' end,
                case when checked.verb_id is not null and not regexp_full_match(checked.verb_id, iri_pattern())
                    then 'verb id is not an IRI' end,
                case when checked.object_missing then 'missing object' end,
                case when checked.object_type not in ('Activity', 'Agent', 'Group', 'StatementRef', 'SubStatement')
                    then 'unknown object objectType ' || checked.object_type end,
                case when not checked.object_missing and checked.object_type = 'Activity'
                    and (checked.object_id is null or not regexp_full_match(checked.object_id, iri_pattern()))
                    then 'object id is not an IRI' end,
                case when checked.object_type = 'StatementRef'
                    and (checked.object_id is null or not regexp_full_match(checked.object_id, uuid_pattern()))
                    then 'StatementRef id is not a UUID' end,
                case when checked.verb_id = verb_voided() and checked.object_type <> 'StatementRef'
                    then 'voiding statement must reference a StatementRef' end,
                case when checked.timestamp_text is not null and checked.timestamp_value is null
                    then 'timestamp ' || timestamp_refusal(checked.timestamp_text) end,
                case when checked.stored_text is not null and checked.stored_value is null
                    then 'stored ' || timestamp_refusal(checked.stored_text) end,
                -- periods, local days and Python's datetime need four-digit years (pipelines/warehouse.py)
                case when not usable_instant(checked.timestamp_value)
                    then 'timestamp is outside the years ' || usable_years() end,
                case when not usable_instant(checked.stored_value)
                    then 'stored is outside the years ' || usable_years() end,
                -- a day's grace for clocks and zones; without `stored`, the time celedger received
                -- it stands in, as an LRS would have stored it (never the as-of day: a report as of
                -- a past day must not quarantine for good what was recorded since)
                case when checked.timestamp_value
                    > coalesce(checked.stored_value, checked.received_at) + interval 1 day
                    then 'timestamp is far in the future' end,
                case when not checked.duration_ok then 'result.duration is not an ISO 8601 duration' end,
                case when checked.version is not null and not regexp_full_match(checked.version, '[12]\.0(\.\d+)?')
                    then 'unsupported version ' || checked.version end,
                case when checked.score_scaled is not null
                    and (checked.score_scaled < -1 or checked.score_scaled > 1)
                    then 'result.score.scaled outside -1..1' end,
                case when checked.score_min is not null and checked.score_max is not null
                    and checked.score_min > checked.score_max
                    then 'result.score.min above max' end,
                case when checked.score_raw is not null
                    and (checked.score_raw < checked.score_min or checked.score_raw > checked.score_max)
                    then 'result.score.raw outside min..max' end
            ], lambda reason: reason is not null)
        end as staged_reasons
    from checked
),

schema_found as (
    select
        schema_violations.file_id,
        schema_violations.record_no,
        list({'reason': schema_violations.reason, 'field': schema_violations.field} order by schema_violations.n)
            as found
    from schema_violations
    group by schema_violations.file_id, schema_violations.record_no
),

weighed as (
    select
        staged.*,
        list_transform(staged.staged_reasons, lambda reason: reason_field(reason)) as staged_fields,
        coalesce(list_filter(schema_found.found, lambda violation: violation.field <> ''), []) as severe,
        coalesce(
            list_transform(
                list_filter(schema_found.found, lambda violation: violation.field = ''),
                lambda violation: violation.reason
            ),
            []
        ) as harmless
    from staged
    left join schema_found
        on schema_found.file_id = staged.file_id and schema_found.record_no = staged.record_no
),

judged as (
    select
        weighed.* exclude (severe),
        -- the schema's reasons about a field staging said nothing about
        list_transform(
            list_filter(
                weighed.severe, lambda violation: not list_contains(weighed.staged_fields, violation.field)
            ),
            lambda violation: violation.reason
        ) as severe,
        -- severity: a defect in a field the rules read quarantines the statement with every
        -- reason; any other leaves it accepted, with warnings; `validation: strict` in
        -- policy.yaml quarantines every statement with a defect
        len(weighed.staged_reasons) > 0 or len(weighed.severe) > 0
        or (getvariable('strict_validation') and len(weighed.harmless) > 0) as quarantined
    from weighed
),

final as (
    select
        judged.* exclude (staged_reasons, staged_fields, severe, harmless, quarantined),
        case
            when judged.quarantined then list_concat(judged.staged_reasons, judged.severe, judged.harmless)
            else []
        end as reasons,
        case when judged.quarantined then [] else judged.harmless end as warnings
    from judged
)

select * from final
;

-- the extracted fields are typed now; free their memory for what follows
drop table stg_batch_fields
