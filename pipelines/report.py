"""A single static HTML page a program office can open offline and print.

Kept deliberately plain (no scripts, no external assets); the drill-down site with
charts belongs to the publish step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from pipelines.pages import render

# Every query is ordered by all the columns it shows (after the order a reader wants), so
# rows that tie on the first keys still come out in one order: the page depends on the
# rows alone, never on the order DuckDB stores or returns them in.
SECTIONS = [
    ("National compliance", "select * from compliance_national order by period"),
    ("By region", "select * from compliance_region order by period, region"),
    ("By facility", "select * from compliance_facility order by period, region, facility"),
    (
        "Workers not compliant",
        "select worker_id, period, role, facility, supervisor_id, required_hours, approved_hours, "
        "pending_hours, hours_needed, status from compliance_worker "
        "where status in ('at_risk', 'non_compliant') order by period, facility, worker_id",
    ),
    (
        "Quarantined statements",
        "select source, statement_id, record, reasons from quarantine "
        "order by source, file, record, statement_id, reasons",
    ),
    (
        "Unmatched actors",
        "select * exclude (actor_value) from unmatched_actors "
        "order by statements desc, actor_type, actor_kind, actor_name, first_seen, last_seen, example_statement_id",
    ),
    ("Uncatalogued activities", "select * from uncatalogued_activities order by statements desc, activity_id"),
    (
        "Conflicting duplicates",
        "select statement_id, kept_source, conflicting_source from conflicts "
        "order by statement_id, kept_source, conflicting_source",
    ),
    (
        "Approvals by someone other than the supervisor",
        "select * from ignored_approvals order by worker_id, activity_id, decided_at, supervisor_id, decision, "
        "own_supervisor_id, reason",
    ),
]
ROW_LIMIT = 500


@dataclass(frozen=True)
class Section:
    title: str
    columns: list[str]
    rows: list[tuple]  # the first ROW_LIMIT, as DuckDB returns them
    more: bool  # the query has more rows than the page shows


def write_report(con: duckdb.DuckDBPyConnection, out: Path, as_of: date) -> Path:
    sections = []
    for title, query in SECTIONS:
        cursor = con.execute(query)
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchmany(ROW_LIMIT + 1)
        sections.append(Section(title, columns, rows[:ROW_LIMIT], len(rows) > ROW_LIMIT))
    path = out / "report.html"
    path.write_text(render("report.html", as_of=as_of, sections=sections, row_limit=ROW_LIMIT), encoding="utf-8")
    return path
