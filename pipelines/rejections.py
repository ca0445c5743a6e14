"""rejections.html: for each vendor or source, what was rejected and why, at a glance,
and beside it the warnings: defects in fields no rule reads, in statements that were
accepted (docs/rules.md, "What is quarantined").

The same rows are in rejections.csv (its `outcome` says which is which); this page groups
them by source so a training vendor can be sent its own section.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    warned: int = 0  # warnings of accepted statements, once for each
    warnings: list[Rejection] = field(default_factory=list)


def write_rejections(con: duckdb.DuckDBPyConnection, out: Path) -> Path:
    rows = con.execute(
        "select source, outcome, reason, statements, example_statement_ids, first_seen, last_seen "
        "from rejections order by source, statements desc, reason, example_statement_ids, first_seen, last_seen"
    ).fetchall()
    sources = []
    for name, group in groupby(rows, key=lambda row: row[0]):
        group = list(group)
        rejections = [Rejection(*row[2:]) for row in group if row[1] == "quarantined"]
        warnings = [Rejection(*row[2:]) for row in group if row[1] == "warning"]
        total, warned = (sum(r.statements for r in found) for found in (rejections, warnings))
        sources.append(Source(name, total, rejections, warned, warnings))
    path = out / "rejections.html"
    path.write_text(render("rejections.html", sources=sources), encoding="utf-8")
    return path
