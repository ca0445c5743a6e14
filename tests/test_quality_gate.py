"""The Great Expectations gate: suites run on every load, a broken ledger or compliance
table blocks publishing, and the last good tables stay in place."""

import hashlib
import shutil
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from pipelines import models, quality
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


@pytest.mark.system
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
def test_a_broken_table_blocks_publishing_and_the_last_good_tables_stay(sample_warehouse, tmp_path, damage, failure):
    shutil.copy(sample_warehouse, tmp_path / "wh.duckdb")  # the sample as run and published once a session
    shutil.copytree(sample_warehouse.parent / "out", tmp_path / "out")
    before = published(tmp_path / "out")
    corrupt(tmp_path, damage)
    with pytest.raises(QualityGateFailed, match="nothing published") as raised:
        run_sample(tmp_path)
    assert failure in str(raised.value)
    assert published(tmp_path / "out") == before


@pytest.mark.system
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
    copy = tmp_path / "models"
    shutil.copytree(models.MODELS, copy)
    staging = copy / "staging" / "stg_batch_records.sql"
    staging.write_text(staging.read_text().replace("not regexp_full_match(verb_id, iri_pattern())", "false"))
    monkeypatch.setattr(models, "MODELS", copy)


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


def test_rejections_are_reported_per_source_with_examples(sample_warehouse):
    out = sample_warehouse.parent / "out"
    rows = (out / "rejections.csv").read_text().splitlines()
    assert rows[0] == "source,reason,statements,example_statement_ids,first_seen,last_seen"
    assert "lms-completions,id is not a UUID,1,lms-export-000187,2026-11-20,2026-11-20" in rows
    assert len(rows) == 5
    page = (out / "rejections.html").read_text()
    assert "lms-completions: 3 rejection(s)" in page and "webinar-platform: 1 rejection(s)" in page


# --- hostile values in the Data Docs --------------------------------------------------------

SCRIPT = "https://x.example/<script>alert(1)</script>\u00a0"
IMAGE = "http://x.example/<img src=x onerror=alert(2)>\u00a0"


class Page(HTMLParser):
    """What a browser would make of a page: its elements, their attributes, script code, text."""

    def __init__(self):
        super().__init__()
        self.attributes: list[tuple[str, str, str | None]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.attributes += [(tag, name, value) for name, value in attrs]
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)


def hostile_statement() -> dict:
    """One batch row as warehouse/audit/raw_statements.sql selects it, its ids carrying markup."""
    return {
        "id": "00000000-0000-4000-8000-000000000000",
        "actor_type": "Agent",
        "identifier_count": 1,
        "verb_id": IMAGE,
        "object_type": "Activity",
        "object_id": SCRIPT,
        "timestamp_text": "2026-10-01T12:00:00Z",
        "stored_text": "2026-10-01T12:00:00Z",
        "duration_text": None,
        "version": "1.0.3",
        "hours_ahead_of_stored": 0.0,
    }


def test_a_payload_that_fails_a_suite_is_inert_text_in_the_data_docs(tmp_path):
    import pandas

    gate = quality.Gate(tmp_path / "data_docs")
    gate.ready()
    gate.validate("raw_statements", pandas.DataFrame([hostile_statement()]))
    with pytest.raises(QualityGateFailed) as raised:
        gate.verdict()
    assert repr(IMAGE) in str(raised.value)  # the error keeps the true value, on one line
    pages = list((tmp_path / "data_docs").rglob("*.html"))
    assert len(pages) >= 2  # the index and the validation
    shown = ""
    for path in pages:
        page = Page()
        page.feed(path.read_text(encoding="utf-8"))
        assert not any("alert(" in code for code in page.scripts), path
        assert not any("alert(" in (value or "") for _, _, value in page.attributes), path
        assert not [(tag, name) for tag, name, _ in page.attributes if name == "onerror"], path
        assert ("img", "src", "x") not in page.attributes, path
        shown += "".join(page.text)
    # shown as text, the invisible U+00A0 spelt out so the operator sees why it failed
    assert "https://x.example/<script>alert(1)</script>\\xa0" in shown
    assert "http://x.example/<img src=x onerror=alert(2)>\\xa0" in shown
