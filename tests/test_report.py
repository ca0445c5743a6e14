"""report.html and rejections.html depend on the warehouse's rows, never on the order
DuckDB happens to store or return them in: two runs on the same input give the same bytes.
What they show from vendors is escaped."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.export import export_tables
from pipelines.rejections import write_rejections
from pipelines.report import write_report
from tests.support import CATALOG, COMPLETED, COURSE, MODULE, OUTSIDE, ROSTER, statement

pytestmark = pytest.mark.system  # whole runs, repeated

AS_OF = date(2026, 11, 20)


def program_with_ties(program):
    """Rows that tie on what the report sorts by: strangers with one statement each, two
    approvals that do not count, one statement id sent three ways."""
    strangers = [
        statement(f"stranger-{n}", f"stranger{n}@vendor.example", COMPLETED, COURSE, "2026-10-10T15:00:00Z")
        for n in range(6)
    ]
    program.write_config(
        roster=ROSTER,
        catalog=CATALOG,
        approvals=[
            ("W1", OUTSIDE, "approved", "S2", "2026-11-05"),
            ("W2", OUTSIDE, "rejected", "S2", "2026-11-05"),
            ("W2", MODULE, "approved", "W2", "2026-11-05"),
        ],
    )
    program.add("strangers.ndjson", strangers)
    for n in range(3):  # the same id, a different time in each file
        program.add(
            f"copy-{n}.ndjson",
            [statement("copied", "bob.peer@va.example.gov", COMPLETED, MODULE, f"2026-10-1{n}T15:00:00Z")],
        )
    return program.run(AS_OF.isoformat())


def pages_from(warehouse: Path, out: Path) -> dict[str, bytes]:
    """The pages, and the CSVs but the ledger's (the book's stored order is its order)."""
    out.mkdir()
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        written = [write_report(con, out, AS_OF), write_rejections(con, out), *export_tables(con, out)]
    finally:
        con.close()
    return {p.name: p.read_bytes() for p in written if p.suffix != ".parquet" and p.stem != "ledger_entries"}


def stored_in_order(warehouse: Path, copy: Path, direction: str) -> Path:
    """A copy of the warehouse whose every table is stored sorted by all columns, one way."""
    shutil.copy(warehouse, copy)
    con = duckdb.connect(str(copy))
    try:
        found = con.execute("select table_name from duckdb_tables() where not temporary").fetchall()
        tables = [row[0] for row in found]
        for table in tables:
            con.execute(f'create or replace table "{table}" as select * from "{table}" order by all {direction}')
    finally:
        con.close()
    return copy


def test_the_pages_are_the_same_however_the_warehouse_stores_its_rows(program, tmp_path):
    result = program_with_ties(program)
    assert len(result.rows("select * from unmatched_actors")) == 6  # the ties are there
    assert len(result.rows("select * from ignored_approvals")) == 3
    assert len(result.rows("select * from conflicts")) == 2
    ascending = stored_in_order(result.warehouse, tmp_path / "asc.duckdb", "asc")
    descending = stored_in_order(result.warehouse, tmp_path / "desc.duckdb", "desc")
    assert pages_from(ascending, tmp_path / "a") == pages_from(descending, tmp_path / "b")


def test_two_fresh_runs_on_the_same_input_give_the_same_report(program, tmp_path):
    program_with_ties(program)
    again = program.root / "again"
    shutil.copytree(program.out, tmp_path / "first")
    program.out = again
    (program.root / "warehouse.duckdb").unlink()
    program.run(AS_OF.isoformat())
    for page in ("report.html", "rejections.html"):
        assert (again / page).read_bytes() == (tmp_path / "first" / page).read_bytes(), page


PAYLOAD = "<script>alert(1)</script>\"'&"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#x27;&amp;"


def test_a_name_from_a_vendor_is_escaped_in_the_report(program):
    stranger = {"objectType": "Agent", "name": PAYLOAD, "mbox": "mailto:stranger@vendor.example"}
    program.add("vendor.ndjson", [statement("stranger", stranger, COMPLETED, COURSE, "2026-10-10T15:00:00Z")])
    page = (program.run(AS_OF.isoformat()).out / "report.html").read_text()
    assert f"<td>{ESCAPED}</td>" in page  # the unmatched actor's name
    assert "<script" not in page and "alert(1)</script>" not in page


def test_a_source_name_and_a_statement_id_from_a_vendor_are_escaped_in_the_rejections(program):
    bad = statement("bad", "bob.peer@va.example.gov", COMPLETED, COURSE, "2026-10-10T15:00:00Z")
    bad["id"] = PAYLOAD  # not a UUID: rejected, and shown as the example
    program.add(PAYLOAD.replace("/", "_") + ".ndjson", [bad])  # the file's name is the source's
    page = (program.run(AS_OF.isoformat()).out / "rejections.html").read_text()
    source = ESCAPED.replace("/", "_")
    assert f"<h2 id='{source}'>{source}: 1 rejection(s)</h2>" in page
    assert f"<td>{ESCAPED}</td>" in page
    assert "<script" not in page and "alert(1)</script>" not in page
