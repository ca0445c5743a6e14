"""rejections.html: for each vendor or source, what was rejected and why, at a glance.

The same rows are in rejections.csv; this page groups them by source so a training
vendor can be sent its own section.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby
from pathlib import Path

import duckdb

from pipelines.pages import render


@dataclass(frozen=True)
class Rejection:
    reason: str
    statements: int
    examples: str
    first_seen: date
    last_seen: date


@dataclass(frozen=True)
class Source:
    name: str
    total: int  # statements rejected, once for each of their reasons
    rejections: list[Rejection]


def write_rejections(con: duckdb.DuckDBPyConnection, out: Path) -> Path:
    rows = con.execute(
        "select source, reason, statements, example_statement_ids, first_seen, last_seen "
        "from rejections order by source, statements desc, reason, example_statement_ids, first_seen, last_seen"
    ).fetchall()
    sources = []
    for name, group in groupby(rows, key=lambda row: row[0]):
        rejections = [Rejection(*row[1:]) for row in group]
        sources.append(Source(name, sum(r.statements for r in rejections), rejections))
    path = out / "rejections.html"
    path.write_text(render("rejections.html", sources=sources), encoding="utf-8")
    return path
