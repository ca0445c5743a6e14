-- Helpers shared by the models. Patterns are macros returning literals so DuckDB
-- compiles each regular expression once per query, not once per row.

-- The verbs the rules read, named once: xAPI's ADL vocabulary, cmi5's satisfied and the
-- forum verbs (rules 3, 5, 6 and 7).
create or replace temp macro verb_voided() as 'http://adlnet.gov/expapi/verbs/voided';

create or replace temp macro verb_attended() as 'http://adlnet.gov/expapi/verbs/attended';

-- cmi5's satisfied counts like completed; its waived never earns (rule 6)
create or replace temp macro is_completion_verb(verb) as verb in (
    'http://adlnet.gov/expapi/verbs/completed',
    'http://adlnet.gov/expapi/verbs/passed',
    'https://w3id.org/xapi/adl/verbs/satisfied'
);

create or replace temp macro is_homework_verb(verb) as verb in (
    'http://adlnet.gov/expapi/verbs/commented',
    'http://adlnet.gov/expapi/verbs/responded',
    'http://id.tincanapi.com/verb/replied'
);

-- Every verb the rules know: those above, `failed` (rule 6: earns nothing) and cmi5's
-- other defined verbs, which rule 6's cmi5 senders send in every session and which earn
-- nothing (waived, launched, initialized, terminated, abandoned). The quality gate
-- watches for a source whose statements on catalogued activities use other verbs.
create or replace temp macro is_known_verb(verb) as
    verb in (verb_voided(), verb_attended(), 'http://adlnet.gov/expapi/verbs/failed')
    or is_completion_verb(verb)
    or is_homework_verb(verb)
    or verb in (
        'https://w3id.org/xapi/adl/verbs/waived',
        'http://adlnet.gov/expapi/verbs/launched',
        'http://adlnet.gov/expapi/verbs/initialized',
        'http://adlnet.gov/expapi/verbs/terminated',
        'https://w3id.org/xapi/adl/verbs/abandoned'
    );

create or replace temp macro uuid_pattern() as
    '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}';

-- iri_pattern() (a scheme and something after it, without white space or control
-- characters, Unicode ones included), timestamp_pattern() (ISO 8601 with a zone offset
-- within -14:00..+14:00, never -00:00) and usable_instant(ts) (the years the warehouse
-- can hold) are defined by pipelines/warehouse.py (PATTERNS and the usable years), which
-- the statement schema's IRI and timestamp forms follow.

-- ISO 8601 durations; the last number may carry a decimal point or comma (rule 5). A
-- fraction before the last number is not ISO 8601: see duration_fraction_misplaced.
create or replace temp macro duration_pattern() as
    'P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?';

-- ISO 8601's weeks form stands alone (PnW): P4W1D and P1WT2H are no durations
create or replace temp macro duration_weeks_mixed(d) as
    contains(d, 'W') and not regexp_full_match(d, 'P\d+(?:[.,]\d+)?W');

-- a fraction followed by a further number, as in PT1.5H30M
create or replace temp macro duration_fraction_misplaced(d) as regexp_matches(d, '[.,]\d+[A-Z]+\d');

-- The instant an xAPI timestamp names, or null when it is not ISO 8601 (DuckDB's own
-- cast also takes forms such as a space for the T, which xAPI does not allow).
create or replace temp macro iso_timestamp(t) as
    case when regexp_full_match(t, timestamp_pattern()) then try_cast(t as timestamptz) end;

-- Why a timestamp iso_timestamp refused is unusable, completing "timestamp ..." or
-- "stored ...": DuckDB would apply an offset of +25:00 as 25 hours.
create or replace temp macro timestamp_refusal(t) as
    case
        when not regexp_full_match(t, timestamp_pattern())
            and regexp_full_match(t, '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?[+-][0-9]{2}(:?[0-9]{2})?')
            then 'has a zone offset outside -14:00..+14:00 or of -00:00'
        else 'is not an ISO 8601 date-time'
    end;

-- Years and months have no fixed length; xAPI durations for attendance never use
-- them, and 365 and 30 days are the conventional reading when one does. `parts` is
-- regexp_extract(duration, duration_pattern(), [y, mo, w, d, h, mi, s]).
create or replace temp macro duration_part_seconds(part, unit_seconds) as
    coalesce(try_cast(replace(nullif(part, ''), ',', '.') as double), 0) * unit_seconds;

create or replace temp macro duration_seconds(parts) as
    duration_part_seconds(parts.y, 31536000) + duration_part_seconds(parts.mo, 2592000)
    + duration_part_seconds(parts.w, 604800) + duration_part_seconds(parts.d, 86400)
    + duration_part_seconds(parts.h, 3600) + duration_part_seconds(parts.mi, 60)
    + duration_part_seconds(parts.s, 1);

-- contextActivities.parent and .grouping are arrays of activities; xAPI 1.0 senders
-- may send a single activity object instead, which an LRS must accept.
create or replace temp macro context_activity_ids(activities) as
    case
        when starts_with(activities, '[') then json_extract_string(activities, '$[*].id')
        when starts_with(activities, '{') then [json_extract_string(activities, '$.id')]
        -- absent, or a string or number (the xAPI schema quarantines those): no ids
        else []
    end;

-- Rules 7 and 17: the share of a period or cycle elapsed on the as-of day, in whole local
-- days with both ends counted, from the day the worker's time in it began; and whether
-- hours keep pace with what is owed by then, less the policy's slack.
create or replace temp macro elapsed_fraction(first_day, last_day, as_of) as
    least(greatest((datediff('day', first_day, as_of) + 1) / (datediff('day', first_day, last_day) + 1), 0), 1);
create or replace temp macro on_pace(hours, owed, fraction) as
    hours >= owed * fraction - getvariable('pace_slack_hours');

-- Rule 2: two copies of a statement are the same statement when they differ only in what
-- the LRS sets (stored, authority, version); this hash of the rest tells them apart.
create or replace temp macro statement_content_hash(raw) as
    md5(json_merge_patch(raw, '{"stored":null,"authority":null,"version":null}'));

-- Rule 13: adding months keeps the day of the month, clamped to the month's last day (DuckDB's
-- date + interval does exactly that); a cycle k starts at anchor + k * months, always
-- counted from the anchor, so a clamped day never drifts.
create or replace temp macro add_months(d, n) as (d + to_months(n))::date;

create or replace temp macro month_number(d) as year(d) * 12 + month(d);

-- the k of the cycle containing day d: the whole cycles of months between the anchor's
-- month and d's, less one when the clamped start of that cycle falls after d
create or replace temp macro cycle_index(anchor, months, d) as
    floor((month_number(d) - month_number(anchor)) / months)::integer
    - (add_months(anchor, floor((month_number(d) - month_number(anchor)) / months)::integer * months) > d)::integer;

-- The field the rules read that a staging reason is about (or the whole statement), named
-- as pipelines/statement_schema.py names the field of a schema violation (READ_FIELDS,
-- HOLDERS): staging adds the schema's reasons about a field only when it gave none of
-- its own about that field, so one defect is not reported twice in two wordings.
create or replace temp macro reason_field(reason) as case
    when reason in ('missing id', 'id is not a UUID') then 'id'
    when reason in ('missing actor', 'anonymous group without members')
        or starts_with(reason, 'actor ') or starts_with(reason, 'group ') then 'actor'
    when reason = 'missing verb id' or starts_with(reason, 'verb id ') then 'verb'
    when reason in ('missing object', 'voiding statement must reference a StatementRef')
        or starts_with(reason, 'unknown object objectType') or starts_with(reason, 'object id ')
        or starts_with(reason, 'StatementRef id ') then 'object'
    when starts_with(reason, 'timestamp ') then 'timestamp'
    when starts_with(reason, 'stored ') then 'stored'
    when starts_with(reason, 'result.duration ') then 'result.duration'
    when starts_with(reason, 'result.score') then 'result.score'
    when starts_with(reason, 'unsupported version ') then 'version'
    when reason in ('not valid JSON', 'not a JSON object') or starts_with(reason, 'not UTF-8') then 'statement'
end;
