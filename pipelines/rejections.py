"""rejections.html: for each vendor or source, what was rejected and why, at a glance.

The same rows are in rejections.csv; this page groups them by source so a training
vendor can be sent its own section.
"""

from __future__ import annotations

import html
from itertools import groupby
from pathlib import Path

import duckdb

from pipelines.report import STYLE


def write_rejections(con: duckdb.DuckDBPyConnection, out: Path) -> Path:
    rows = con.execute(
        "select source, reason, statements, example_statement_ids, first_seen, last_seen "
        "from rejections order by source, statements desc, reason, example_statement_ids, first_seen, last_seen"
    ).fetchall()
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Rejected statements by source</title><style>{STYLE}</style></head><body>",
        "<h1>Rejected statements by source</h1>",
    ]
    if not rows:
        parts.append("<p>No statement was rejected.</p>")
    for source, group in groupby(rows, key=lambda row: row[0]):
        group = list(group)
        total = sum(row[2] for row in group)
        parts.append(f"<h2 id='{html.escape(source)}'>{html.escape(source)}: {total} rejection(s)</h2>")
        parts.append(
            "<table><tr><th>reason</th><th>statements</th><th>examples</th><th>first seen</th><th>last seen</th></tr>"
        )
        for _, reason, count, examples, first, last in group:
            cells = (reason, count, examples, first, last)
            parts.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
        parts.append("</table>")
    parts.append("<p>A statement with several problems is counted under each of its reasons.</p></body></html>")
    path = out / "rejections.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
