"""The words every page and message says the same way: statuses, periods, hours, percents.

The report site and the supervisor digest are read by the same people (a supervisor
opens the site from the digest), so a status, a period and an empty figure must look
alike in both. The rule book's status codes stay in the tables and CSVs; these are
what people read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import duckdb

# Rule 12's statuses in the order stacks, legends and columns show them, with their label.
STATUS_LABELS = {
    "compliant": "Compliant",
    "on_track": "On track",
    "at_risk": "At risk",
    "non_compliant": "Non-compliant",
    "separated": "Separated",
}
STATUSES = list(STATUS_LABELS)
NEED_ATTENTION = ("at_risk", "non_compliant")  # what a supervisor is asked to act on
NO_FIGURE = "—"  # an hours or percent figure that does not exist (no row, no rated worker)


def status_label(status: str) -> str:
    """'At risk', as a heading or table cell shows it."""
    return STATUS_LABELS[status]


def status_words(status: str) -> str:
    """'at risk', as a sentence says it."""
    return STATUS_LABELS[status].lower()


def hours(value: Decimal | None) -> str:
    """Hours as the tables hold them: exact, two places."""
    return NO_FIGURE if value is None else f"{value:.2f}"


def percent(value: Decimal | None) -> str:
    return NO_FIGURE if value is None else f"{value:.1f}%"


@dataclass(frozen=True)
class Period:
    """A compliance period (rule 4) as the warehouse defined it for the run: cfg_periods."""

    label: str
    start: date
    end: date


def periods(con: duckdb.DuckDBPyConnection) -> list[Period]:
    """The run's periods, oldest first."""
    rows = con.execute("select period, start_date, end_date from cfg_periods order by start_date").fetchall()
    return [Period(*row) for row in rows]


def period_containing(con: duckdb.DuckDBPyConnection, day: date) -> Period | None:
    return next((p for p in periods(con) if p.start <= day <= p.end), None)
