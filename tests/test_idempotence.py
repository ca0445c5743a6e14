"""Rerunning on the same input gives the same outputs, whether the warehouse is new or not."""

import hashlib
import shutil
from datetime import date
from pathlib import Path

import pytest

from pipelines.run import run
from tests.support import ATTENDED, COMPLETED, MODULE, WEBINAR, statement, void

pytestmark = pytest.mark.system  # whole runs, repeated

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample"


def published_files(out: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.iterdir())
        if p.suffix in (".csv", ".parquet", ".html")
    }


def run_sample(out: Path, warehouse: Path, statements: Path = SAMPLE / "statements"):
    return run(SAMPLE / "config", [statements], date(2026, 11, 20), out, warehouse)


def test_running_twice_on_the_same_warehouse_changes_nothing(tmp_path):
    first = run_sample(tmp_path / "out", tmp_path / "wh.duckdb")
    outputs = published_files(tmp_path / "out")
    second = run_sample(tmp_path / "out", tmp_path / "wh.duckdb")
    assert (second.records_loaded, second.ledger_entries_added) == (0, 0)
    assert first.ledger_entries_added > 500
    assert published_files(tmp_path / "out") == outputs


def test_a_fresh_warehouse_fed_the_same_input_publishes_identical_files(tmp_path):
    run_sample(tmp_path / "a", tmp_path / "a.duckdb")
    run_sample(tmp_path / "b", tmp_path / "b.duckdb")
    assert published_files(tmp_path / "a") == published_files(tmp_path / "b")
    assert len(published_files(tmp_path / "a")) == 32  # 15 tables as CSV and Parquet, 2 pages


def test_a_full_recompute_on_an_existing_warehouse_appends_nothing(tmp_path):
    run_sample(tmp_path / "out", tmp_path / "wh.duckdb")
    again = run(SAMPLE / "config", [SAMPLE / "statements"], date(2026, 11, 20), tmp_path / "out",
                tmp_path / "wh.duckdb", full=True)  # fmt: skip
    assert (again.full_pass, again.ledger_entries_added) == (True, 0)


def test_loading_in_two_batches_reaches_the_same_ledger_as_one(program):
    ann = "ann.peer@va.example.gov"
    early = [statement("a", ann, COMPLETED, MODULE, "2026-01-05T15:00:00Z"),
             statement("w1", ann, ATTENDED, WEBINAR, "2026-01-06T15:00:00Z", "PT30M")]  # fmt: skip
    late = [
        statement("w2", ann, ATTENDED, WEBINAR, "2026-01-06T15:40:00Z", "PT30M"),
        void("v", ann, "a", "2026-02-01T00:00:00Z"),
    ]
    program.add("1.ndjson", early)
    program.run()
    program.add("2.ndjson", late)
    batched = program.run()
    assert batched.run.full_pass is False
    # net of credits and reversals: the webinar at 60 minutes, the voided module gone
    net = batched.rows(
        "select activity_id, sum(credited_hours) from ledger_book group by 1 having sum(credited_hours) <> 0"
    )
    assert net == [(WEBINAR, 1)]

    shutil.rmtree(program.out)
    (program.root / "warehouse.duckdb").unlink()
    at_once = program.run()
    assert at_once.rows("select activity_id, credited_hours, entry_type from ledger_book") == [(WEBINAR, 1, "credit")]
    assert at_once.worker("W1", "FY2026") == batched.worker("W1", "FY2026")


def test_the_sample_loaded_file_by_file_ends_with_the_same_compliance_as_loaded_at_once(tmp_path):
    files = sorted((SAMPLE / "statements").rglob("*.*json"))
    files = [f for f in files if not f.name.startswith("_")]
    seen = []
    for file in files:  # each run adds one more file: later runs are incremental
        seen.append(file)
        result = run(SAMPLE / "config", seen, date(2026, 11, 20), tmp_path / "step", tmp_path / "step.duckdb")
    assert result.full_pass is False and result.files_loaded == 1
    run_sample(tmp_path / "once", tmp_path / "once.duckdb")
    for table in ("compliance_worker", "compliance_facility", "compliance_region", "compliance_national",
                  "quarantine", "unmatched_actors", "uncatalogued_activities"):  # fmt: skip
        stepped = sorted((tmp_path / "step" / f"{table}.csv").read_text().splitlines())
        at_once = sorted((tmp_path / "once" / f"{table}.csv").read_text().splitlines())
        assert stepped == at_once, table
