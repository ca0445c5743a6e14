"""The Great Expectations gate: suites run on every load, a broken ledger or compliance
table blocks publishing, and the last good tables stay in place."""

import hashlib
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines import quality, warehouse
from pipelines.quality import QualityGateFailed
from pipelines.run import run

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample"


def published(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.glob("*.*")) if p.is_file()}


def run_sample(tmp_path: Path):
    return run(SAMPLE / "config", [SAMPLE / "statements"], date(2026, 11, 20), tmp_path / "out", tmp_path / "wh.duckdb")


def corrupt(tmp_path: Path, sql: str) -> None:
    con = duckdb.connect(str(tmp_path / "wh.duckdb"))
    con.execute(sql)
    con.close()


def test_every_suite_validates_the_sample_and_data_docs_are_built(tmp_path):
    result = run_sample(tmp_path)
    assert result.timings["quality gate"] > 0
    docs = tmp_path / "out" / "data_docs"
    assert (docs / "index.html").exists()
    assert sorted(p.name for p in (docs / "validations").iterdir()) == [
        "compliance_rollup",
        "compliance_worker",
        "ledger",
        "raw_statements",
    ]


@pytest.mark.parametrize(
    "damage, failure",
    [
        (
            "update ledger_book set credited_hours = -2 where entry_id = (select min(entry_id) from ledger_book)",
            "ledger: expect_column_values_to_be_between(min_hours) [credits are positive]: "
            "1 unexpected, e.g. [-2.0] (see entry E",
        ),
        (
            "update ledger_book set credited_hours = credited_hours + 100 "
            "where entry_id = (select min(entry_id) from ledger_book)",
            "[no standing credit exceeds the catalog's hours]",
        ),
        (
            "update ledger_book set statement_ids = statement_ids || ';00000000-0000-4000-8000-000000000000' "
            "where entry_id = (select min(entry_id) from ledger_book)",
            "[every entry is traceable to statements in the warehouse]",
        ),
        (
            "insert into ledger_book select 'Ebogus', credit_key, seq + 1, worker_id, period, activity_id, "
            "activity_kind, 'reversal', -credited_hours / 2, approval_state, qualifying, competencies, earned_at, "
            "statement_ids, entry_id, content_hash from ledger_book "
            "where entry_id = (select min(entry_id) from ledger_book)",
            "[a reversal takes back exactly the hours of its credit]",
        ),
        (
            "insert into compliance_worker select * from compliance_worker limit 1",
            "compliance_worker: expect_compound_columns_to_be_unique(worker_id, period) "
            "[one row per worker and period]",
        ),
    ],
    ids=["negative hours", "over the catalog", "untraceable", "unbalanced reversal", "duplicate worker row"],
)
def test_a_broken_table_blocks_publishing_and_the_last_good_tables_stay(tmp_path, damage, failure):
    run_sample(tmp_path)
    before = published(tmp_path / "out")
    corrupt(tmp_path, damage)
    with pytest.raises(QualityGateFailed, match="nothing published") as raised:
        run_sample(tmp_path)
    assert failure in str(raised.value)
    assert published(tmp_path / "out") == before


def test_the_cli_says_which_expectation_failed_and_exits_3(tmp_path):
    run_sample(tmp_path)
    corrupt(
        tmp_path, "update ledger_book set credited_hours = -2 where entry_id = (select min(entry_id) from ledger_book)"
    )
    completed = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "run", "--config", str(SAMPLE / "config"),
         "--statements", str(SAMPLE / "statements"), "--as-of", "2026-11-20", "--out", str(tmp_path / "out"),
         "--warehouse", str(tmp_path / "wh.duckdb")],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert completed.returncode == 3
    assert completed.stderr.count("\n") == 1
    assert "quality gate failed, nothing published: ledger:" in completed.stderr


def staging_without_its_verb_check(tmp_path: Path, monkeypatch) -> None:
    models = tmp_path / "models"
    shutil.copytree(warehouse.MODELS, models)
    staging = models / "staging" / "020_stg_batch_records.sql"
    staging.write_text(staging.read_text().replace("not regexp_full_match(verb_id, iri_pattern())", "false"))
    monkeypatch.setattr(warehouse, "MODELS", models)


def assert_the_gate_refuses_webinar_lines(tmp_path: Path, count: int) -> None:
    """The sample's first `count` webinar statements, the last with a verb that is no IRI."""
    statements = tmp_path / "statements"
    statements.mkdir()
    lines = (SAMPLE / "statements" / "webinar-platform.ndjson").read_text().splitlines()[:count]
    lines[-1] = lines[-1].replace("http://adlnet.gov/expapi/verbs/attended", "attended")
    (statements / "s.ndjson").write_text("\n".join(lines) + "\n")
    with pytest.raises(QualityGateFailed, match=r"raw_statements: expect_column_values_to_match_regex\(verb_id\)"):
        run(SAMPLE / "config", [statements], date(2026, 11, 20), tmp_path / "out", tmp_path / "wh.duckdb")


def test_the_raw_suite_catches_what_staging_lets_through(tmp_path, monkeypatch):
    """With staging's verb check broken, the gate still refuses the load."""
    staging_without_its_verb_check(tmp_path, monkeypatch)
    assert_the_gate_refuses_webinar_lines(tmp_path, 1)
    assert not (tmp_path / "wh.duckdb").exists()


def test_the_raw_suite_checks_every_slice_of_a_large_batch(tmp_path, monkeypatch):
    """Validated two statements at a time, a bad verb in the last slice still stops the load."""
    staging_without_its_verb_check(tmp_path, monkeypatch)
    monkeypatch.setattr(quality, "SLICE_ROWS", 2)
    assert_the_gate_refuses_webinar_lines(tmp_path, 5)


def test_rejections_are_reported_per_source_with_examples(tmp_path):
    run_sample(tmp_path)
    rows = (tmp_path / "out" / "rejections.csv").read_text().splitlines()
    assert rows[0] == "source,reason,statements,example_statement_ids,first_seen,last_seen"
    assert "lms-completions,id is not a UUID,1,lms-export-000187,2026-11-20,2026-11-20" in rows
    assert len(rows) == 5
    page = (tmp_path / "out" / "rejections.html").read_text()
    assert "lms-completions: 3 rejection(s)" in page and "webinar-platform: 1 rejection(s)" in page
