"""Published CSV and Parquet files, attacked: an --out folder is only ever a folder, never
SQL, and a cell a spreadsheet would run as a formula is inert in the CSVs while Parquet
and the warehouse keep the true value."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.export import OUTPUTS
from tests.support import COMPLETED, COURSE, ROSTER, statement, void

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-20"
FORMULA = '=HYPERLINK("http://evil.example/","Open")'
CALC = "=cmd|' /C calc'!A0"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_number(text: str) -> bool:
    """Only a number (a reversal's negative hours) may start with a minus sign."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def published_csvs(out: Path) -> list[str]:
    return sorted(p.name for p in out.glob("*.csv"))


def cli_run(program, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "run", "--config", str(program.config),
         "--statements", str(program.statements_dir), "--as-of", AS_OF, "--out", str(out),
         "--warehouse", str(program.root / "wh.duckdb")],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip


# --- --out is a folder, never SQL --------------------------------------------------------


@pytest.mark.system
def test_an_out_folder_with_an_apostrophe_is_published_whole(program):
    program.add("s.ndjson", [statement("ann", "Ann.Peer@va.example.gov", COMPLETED, COURSE, "2026-10-10T15:00:00Z")])
    out = program.root / "Sam's exports"
    done = cli_run(program, out)
    assert done.returncode == 0, done.stderr
    assert published_csvs(out) == sorted(f"{table}.csv" for table in OUTPUTS)
    assert len(list(out.glob("*.parquet"))) == len(OUTPUTS)
    assert (out / "report.html").is_file() and not (out / ".celedger-export").exists()


@pytest.mark.system
def test_an_out_folder_crafted_as_sql_runs_none_of_it(program, tmp_path):
    program.add("s.ndjson", [statement("ann", "Ann.Peer@va.example.gov", COMPLETED, COURSE, "2026-10-10T15:00:00Z")])
    planted = tmp_path / "planted.csv"
    crafted = (
        f"x' (format csv); copy (select 'owned' as who) to '{planted}' (format csv); copy export_rows to '{tmp_path}/y"
    )
    out = tmp_path / crafted
    done = cli_run(program, out)
    assert done.returncode == 0, done.stderr
    assert not planted.exists() and not (tmp_path / "y").exists()  # the injected statements never ran
    assert published_csvs(out) == sorted(f"{table}.csv" for table in OUTPUTS)
    national = list(csv.DictReader((out / "compliance_national.csv").open()))
    assert [(row["period"], row["workers"]) for row in national] == [("FY2027", "4")]


# --- spreadsheet formulas -----------------------------------------------------------------


def hostile_program(program):
    """Formulas in a facility, a region, a vendor's actor name and a statement id; a reversal."""
    roster = [row[:4] + ((FORMULA, "+1+1") if row[0] == "W1" else row[4:6]) + row[6:] for row in ROSTER]
    program.write_config(roster=roster)
    program.add(
        "a.ndjson",
        [
            statement("ann", "Ann.Peer@va.example.gov", COMPLETED, COURSE, "2026-10-10T15:00:00Z"),
            statement(
                "stranger",
                {"objectType": "Agent", "name": CALC, "mbox": "mailto:stranger@vendor.example"},
                COMPLETED,
                COURSE,
                "2026-10-11T15:00:00Z",
            ),
            statement("bad-id", "bob.peer@va.example.gov", COMPLETED, COURSE, "2026-10-12T15:00:00Z", id="@SUM(1+1)"),
        ],
    )
    program.run(AS_OF)
    program.add("b.ndjson", [void("ann-void", "Ann.Peer@va.example.gov", "ann", "2026-10-20T15:00:00Z")])
    return program.run(AS_OF)


def test_no_csv_cell_starts_a_formula_and_numbers_stay_numbers(program):
    result = hostile_program(program)
    for name in published_csvs(result.out):
        with (result.out / name).open(newline="") as handle:
            for row in csv.reader(handle):
                for value in row:
                    assert not value.startswith(FORMULA_START) or is_number(value), (name, value)
    worker = {r["worker_id"]: r for r in csv.DictReader((result.out / "compliance_worker.csv").open(newline=""))}
    assert (worker["W1"]["facility"], worker["W1"]["region"]) == ("'" + FORMULA, "'+1+1")
    actors = list(csv.DictReader((result.out / "unmatched_actors.csv").open(newline="")))
    assert [a["actor_name"] for a in actors] == ["'" + CALC]
    quarantined = list(csv.DictReader((result.out / "quarantine.csv").open(newline="")))
    assert [q["statement_id"] for q in quarantined] == ["'@SUM(1+1)"]
    ledger = list(csv.DictReader((result.out / "ledger_entries.csv").open(newline="")))
    assert sorted(e["credited_hours"] for e in ledger if e["worker_id"] == "W1") == ["-12.00", "12.00"]


def test_parquet_and_the_warehouse_keep_the_true_values(program):
    result = hostile_program(program)
    con = duckdb.connect()
    try:
        parquet = con.execute(
            "select facility, region from read_parquet(?) where worker_id = 'W1'",
            [str(result.out / "compliance_worker.parquet")],
        ).fetchall()
        names = con.execute("select actor_name from read_parquet(?)", [str(result.out / "unmatched_actors.parquet")])
        assert names.fetchall() == [(CALC,)]
    finally:
        con.close()
    assert set(parquet) == {(FORMULA, "+1+1")}
    assert result.rows("select distinct facility, region from compliance_worker where worker_id = 'W1'") == [
        (FORMULA, "+1+1")
    ]
    assert result.rows("select statement_id from quarantine") == [("@SUM(1+1)",)]
