"""A single static HTML page a program office can open offline and print.

Kept deliberately plain (no scripts, no external assets); the drill-down site with
charts belongs to the publish step.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import duckdb

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
STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; }
table { border-collapse: collapse; margin-bottom: 2rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; }
th { background: #f0f0f0; }
@media print { body { margin: 0.5in; } }
"""
ROW_LIMIT = 500


def write_report(con: duckdb.DuckDBPyConnection, out: Path, as_of: date) -> Path:
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>CE compliance as of {as_of}</title><style>{STYLE}</style></head><body>",
        f"<h1>Continuing-education compliance as of {as_of}</h1>",
    ]
    for title, query in SECTIONS:
        cursor = con.execute(query)
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchmany(ROW_LIMIT + 1)
        parts.append(f"<h2>{html.escape(title)}</h2>")
        if not rows:
            parts.append("<p>None.</p>")
            continue
        parts.append("<table><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in columns) + "</tr>")
        for row in rows[:ROW_LIMIT]:
            parts.append("<tr>" + "".join(f"<td>{html.escape(cell(v))}</td>" for v in row) + "</tr>")
        parts.append("</table>")
        if len(rows) > ROW_LIMIT:
            parts.append(f"<p>First {ROW_LIMIT} rows; the CSV beside this page has them all.</p>")
    parts.append("</body></html>")
    path = out / "report.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def cell(value: object) -> str:
    return "" if value is None else str(value)
