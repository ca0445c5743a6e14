"""The DuckDB warehouse: connection, schema, config tables and what the models read.

The models (SQL files under warehouse/, run by pipelines/models.py) take the run's
parameters as DuckDB variables and policy-dependent macros, so the SQL stays plain files.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import duckdb

from pipelines import resources
from pipelines.config import Config, one_line
from pipelines.errors import CeledgerError, RunBlocked

if TYPE_CHECKING:
    from pipelines.sources import Source

DDL = resources.WAREHOUSE_DDL
MODELS = resources.WAREHOUSE


# DuckDB spills to disk past this; it keeps a million-statement run under 2 GB of memory.
MEMORY_LIMIT = os.environ.get("CELEDGER_DUCKDB_MEMORY", "1GB")


# The instants the warehouse can hold for every zone and period scheme: their local
# dates, period labels and period ends all have four-digit years that Python's datetime
# (years 1..9999) can represent. Statements outside are quarantined, as-of dates refused.
FIRST_USABLE_DAY = date(1001, 1, 1)
LAST_USABLE_DAY = date(9998, 12, 31)

# The patterns staging checks statements with, each a SQL macro of that name. The
# published statement schema (schemas/xapi-statement.schema.json) uses the same ones for
# its IRI and timestamp forms (tests/test_statement_schema.py holds them together).
# Written in syntax RE2 and ECMA-262 read alike: explicit classes, never \s, \S or \d,
# which mean ASCII in one engine and Unicode in another.
PATTERNS = {
    # a scheme and something after it, without white space or a control character,
    # Unicode ones included
    "iri_pattern": (
        "[A-Za-z][A-Za-z0-9+.\\-]*:[^\\x00-\\x20\\x7f-\\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+"
    ),
    # ISO 8601 date-time, with a zone offset within -14:00..+14:00 and never -00:00
    "timestamp_pattern": (
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\\.[0-9]+)?)?"
        "(?:Z|\\+(?:(?:0[0-9]|1[0-3])(?::?[0-5][0-9])?|14(?::?00)?)"
        "|-(?:(?:0[1-9]|1[0-3])(?::?[0-5][0-9])?|00:?(?:0[1-9]|[1-5][0-9])|14(?::?00)?))?"
    ),
}


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """The warehouse, its schema and macros; a file that cannot be opened is a one-line error."""
    try:
        con = duckdb.connect(str(path))
    except duckdb.Error as err:
        raise unusable_warehouse(path, err) from None
    con.execute("set TimeZone = 'UTC'")
    con.execute("set memory_limit = ?", [MEMORY_LIMIT])
    con.execute(DDL.read_text())
    con.execute(shared_macros())
    con.execute((MODELS / "macros.sql").read_text())
    return con


def unusable_warehouse(path: Path, err: duckdb.Error) -> CeledgerError:
    """Why DuckDB would not open the file: in use, not a DuckDB file, or not writable."""
    message = one_line(err)
    if "Conflicting lock" in message or "Could not set lock" in message:
        return RunBlocked(f"{path}: the warehouse is in use by another process; try again when it is done")
    if "not a valid DuckDB database" in message or "duckdb file" in message.lower():
        return CeledgerError(f"{path}: not a DuckDB warehouse file")
    return RunBlocked(f"{path}: cannot open the warehouse ({message.split(': ', 1)[-1]})")


def shared_macros() -> str:
    """SQL macros for what staging shares with the rest: patterns and the usable years."""
    lines = [
        f"create or replace temp macro {name}() as '{p.replace(chr(39), chr(39) * 2)}';" for name, p in PATTERNS.items()
    ]
    first, last = FIRST_USABLE_DAY.isoformat(), (LAST_USABLE_DAY + timedelta(days=1)).isoformat()
    lines += [
        "create or replace temp macro usable_instant(ts) as "
        f"ts >= '{first}T00:00:00Z'::timestamptz and ts < '{last}T00:00:00Z'::timestamptz;",
        f"create or replace temp macro usable_years() as '{FIRST_USABLE_DAY.year}..{LAST_USABLE_DAY.year}';",
    ]
    return "\n".join(lines)


def set_variables(con: duckdb.DuckDBPyConnection, **values: object) -> None:
    for name, value in values.items():
        con.execute(f"set variable {name} = ?", [value])


def define_periods(con: duckdb.DuckDBPyConnection, config: Config, as_of: date) -> None:
    """Periods from the earliest statement's to the one containing the as-of date (rule 12).

    Period boundaries are local midnights; they become UTC instants here, once, so SQL
    labels a statement by comparing instants instead of converting a million
    timestamps to local time. `as_of_end` is the instant the as-of day ends. The
    earliest statement's local day (the as-of day without statements) is the variable
    `first_day`, where the tracks' cycles begin too (int_track_cycles).
    """
    first, last = con.execute("select min(ts), max(ts) from int_statement_copies where kept").fetchone()
    zone = ZoneInfo(config.policy.timezone)
    scheme = config.policy.periods
    first_day = first.astimezone(zone).date() if first else as_of
    last_day = max(last.astimezone(zone).date() if last else as_of, as_of)
    set_variables(con, first_day=first_day)
    labelled = scheme.periods_between(first_day, last_day)
    cases = " ".join(
        f"when ts < '{local_midnight(end + timedelta(days=1), zone)}'::timestamptz then '{label}'"
        for label, _, end in labelled[:-1]
    )
    body = f"case {cases} else '{labelled[-1][0]}' end" if cases else f"'{labelled[-1][0]}'"
    con.execute(f"create or replace temp macro period_of(ts) as {body}")
    reported = scheme.periods_between(first_day, as_of)
    con.execute("create or replace table cfg_periods (period varchar, start_date date, end_date date)")
    con.executemany("insert into cfg_periods values (?, ?, ?)", [list(p) for p in reported])


def define_as_of(con: duckdb.DuckDBPyConnection, config: Config, as_of: date) -> None:
    """The as-of date, the instant its local day ends (rule 12: credit counts by local
    day) and the zone its days are counted in."""
    set_variables(con, as_of=as_of, as_of_end=as_of_end(as_of, config.policy.timezone), timezone=config.policy.timezone)


def as_of_end(as_of: date, timezone: str) -> datetime:
    """The instant the as-of day ends in the policy's time zone."""
    return local_midnight(as_of + timedelta(days=1), ZoneInfo(timezone))


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def define_policy(con: duckdb.DuckDBPyConnection, config: Config) -> None:
    """Macros whose bodies depend on the policy: local time and period labels."""
    policy = config.policy
    set_variables(
        con,
        proration=policy.proration,
        min_attendance_ratio=policy.min_attendance_ratio,
        increment_minutes=policy.increment_minutes,
        pace_slack_hours=policy.pace_slack_hours,
        min_batch_records=policy.min_batch_records,
        timezone=policy.timezone,  # the tracks' cycles are local days (rule 13)
        strict_validation=policy.validation == "strict",
    )


def load_sources_table(con: duckdb.DuckDBPyConnection, sources: list[Source]) -> None:
    """cfg_sources: each source in sources.yaml with how long it may stay silent (the
    quality gate's silence check); empty when the run has no sources.yaml."""
    con.execute("create or replace table cfg_sources (source varchar, max_silent_days integer)")
    if sources:
        con.executemany("insert into cfg_sources values (?, ?)", [[s.name, s.max_silent_days] for s in sources])


def load_config_tables(con: duckdb.DuckDBPyConnection, config: Config) -> None:
    """Config files as typed tables; the values were checked by pipelines.config."""
    selects = {
        "roster.csv": """
            select worker_id, nullif(name, '') as name, nullif(email, '') as email, role, facility,
                region, nullif(supervisor_id, '') as supervisor_id, hire_date::date as hire_date,
                nullif(end_date, '')::date as end_date
            from src""",
        "identities.csv": "select worker_id, kind, value from src",
        "catalog.csv": """
            select activity_id, title, kind, provider, ce_hours::decimal(9, 2) as ce_hours,
                array_to_string(list_sort(list_distinct(list_filter(
                    list_transform(string_split(coalesce(competencies, ''), ';'), lambda c: trim(c)),
                    lambda c: c <> ''))), ';') as competencies,
                lower(approved) = 'true' as approved,
                list_sort(list_distinct(list_filter(
                    list_transform(string_split(coalesce({topics}, ''), ';'), lambda t: trim(t)),
                    lambda t: t <> ''))) as topics
            from src""".replace("{topics}", "topics" if "topics" in config.csv_headers["catalog.csv"] else "null"),
        "certifications.csv": """
            select worker_id, credential, certified_on::date as certified_on,
                nullif(expires_on, '')::date as expires_on
            from src""",
    }
    empty = {
        "identities.csv": "worker_id varchar, kind varchar, value varchar",
        "certifications.csv": "worker_id varchar, credential varchar, certified_on date, expires_on date",
    }
    for name, select in selects.items():
        table = "cfg_" + name.removesuffix(".csv")
        path = config.csv_files.get(name)
        if path is None:
            con.execute(f"create or replace table {table} ({empty[name]})")
            continue
        columns = {column: "VARCHAR" for column in config.csv_headers[name]}
        con.execute(
            f"create or replace table {table} as with src as ("
            "select trim(columns(*)) from read_csv(?, columns = ?, header = true, auto_detect = false, "
            "delim = ',', quote = '\"', escape = '\"')"
            f") {select}",
            [str(path), columns],
        )
    load_approvals(con, config.approvals)
    con.execute("create or replace table cfg_requirements (role varchar, hours decimal(9, 2))")
    con.executemany(
        "insert into cfg_requirements values (?, ?)",
        [[role, hours] for role, hours in sorted(config.policy.requirements.items())],
    )
    load_tracks(con, config)


def load_tracks(con: duckdb.DuckDBPyConnection, config: Config) -> None:
    """policy.yaml's tracks (rules 13-17) as three tables; `position` keeps the policy's
    order, which decides the first matching cap and the order of minimums_short."""
    con.execute(
        "create or replace table cfg_tracks (track varchar, position integer, credential varchar, "
        "hours decimal(9, 2), months integer, anchor date, approval varchar, competency_aligned boolean, "
        "waive_months integer)"
    )
    con.execute(
        "create or replace table cfg_track_minimums (track varchar, position integer, minimum varchar, "
        "topics varchar[], hours decimal(9, 2))"
    )
    con.execute(
        "create or replace table cfg_track_caps (track varchar, position integer, cap varchar, "
        "kinds varchar[], topics varchar[], hours decimal(9, 2))"
    )
    for n, track in enumerate(config.policy.tracks):
        con.execute(
            "insert into cfg_tracks values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [track.name, n, track.credential, track.hours, track.months, track.anchor, track.approval,
             track.competency_aligned, track.waive_months],
        )  # fmt: skip
        for m, minimum in enumerate(track.minimums):
            con.execute(
                "insert into cfg_track_minimums values (?, ?, ?, ?, ?)",
                [track.name, m, minimum.name, list(minimum.topics), minimum.hours],
            )
        for c, cap in enumerate(track.caps):
            con.execute(
                "insert into cfg_track_caps values (?, ?, ?, ?, ?, ?)",
                [track.name, c, cap.name, list(cap.kinds), list(cap.topics), cap.hours],
            )


def load_approvals(con: duckdb.DuckDBPyConnection, rows: list[dict[str, str]]) -> None:
    """approvals.csv with each row's line number, which breaks ties between decisions (rule 9).

    DuckDB's CSV reader does not number lines, so the rows pipelines.config read and
    checked are inserted as columns, one list per column.
    """
    con.execute(
        "create or replace table cfg_approvals (worker_id varchar, activity_id varchar, decision varchar, "
        "supervisor_id varchar, decided_at timestamptz, line_no integer)"
    )
    if not rows:
        return
    columns = ["worker_id", "activity_id", "decision", "supervisor_id", "decided_at", "_line"]
    con.execute(
        "insert into cfg_approvals select c1, c2, c3, nullif(c4, ''), c5::timestamptz, c6::integer from (select "
        + ", ".join(f"unnest(?::varchar[]) as c{n}" for n in range(1, len(columns) + 1))
        + ")",
        [[row[column] for row in rows] for column in columns],
    )
