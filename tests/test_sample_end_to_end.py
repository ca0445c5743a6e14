"""`celedger run` on the bundled sample program, checked against rows worked out by
hand from the rule book (sample/README.md shows the arithmetic)."""

import csv
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest

pytestmark = pytest.mark.system  # the command line on the whole sample

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample"

# worker, period: required, approved, pending, needed, status, competencies covered
HAND_CHECKED = {
    ("W004", "FY2026"): ("15.00", "16.00", "3.00", "0.00", "compliant", "C01;C02;C03;C04;C05;C07;C09;C11;C12"),
    ("W004", "FY2027"): ("15.00", "2.00", "0.00", "13.00", "on_track", "C02;C09;C11;C12"),
    ("W009", "FY2026"): ("15.00", "14.75", "0.00", "0.25", "non_compliant", "C01;C02;C05;C06;C07;C08;C09;C10;C11;C12"),
    ("W009", "FY2027"): ("15.00", "0.00", "0.00", "15.00", "at_risk", ""),
    ("W012", "FY2026"): ("15.00", "12.00", "0.00", "3.00", "separated", "C01;C02;C03;C05;C07;C09;C10;C11;C12"),
    ("W017", "FY2026"): ("15.00", "15.00", "0.00", "0.00", "compliant", "C03;C04;C05;C07;C08;C10;C11;C12"),
    ("W017", "FY2027"): ("15.00", "1.00", "0.00", "14.00", "at_risk", "C11;C12"),
    ("W018", "FY2026"): ("15.00", "15.00", "0.00", "0.00", "compliant", "C01;C02;C03;C04;C05;C08;C09;C10;C12"),
    ("W018", "FY2027"): ("15.00", "0.50", "0.00", "14.50", "at_risk", "C11;C12"),
    ("W024", "FY2026"): ("15.00", "15.50", "0.00", "0.00", "compliant", "C01;C02;C03;C04;C05;C06;C07;C09;C10;C11;C12"),
    ("W024", "FY2027"): ("15.00", "2.00", "0.00", "13.00", "on_track", "C01;C09;C11;C12"),
    ("W029", "FY2026"): ("7.50", "8.00", "0.00", "0.00", "compliant", "C01;C02;C03;C04;C05;C07;C08;C09;C12"),
    ("W030", "FY2026"): ("6.25", "6.00", "0.00", "0.25", "non_compliant", "C01;C02;C03;C04;C05;C06;C07;C08;C09"),
    ("W030", "FY2027"): ("15.00", "2.00", "0.00", "13.00", "on_track", "C07;C12"),
}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample-run")
    completed = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "run", "--config", str(SAMPLE / "config"),
         "--statements", str(SAMPLE / "statements"), "--as-of", "2026-11-20", "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    return out, completed.stdout


def read(out: Path, table: str) -> list[dict]:
    with (out / f"{table}.csv").open() as handle:
        return list(csv.DictReader(handle))


def test_the_hand_checked_workers_have_exactly_the_expected_rows(published):
    out, _ = published
    rows = {(r["worker_id"], r["period"]): r for r in read(out, "compliance_worker")}
    for key, (required, approved, pending, needed, status, covered) in HAND_CHECKED.items():
        row = rows[key]
        got = (row["required_hours"], row["approved_hours"], row["pending_hours"], row["hours_needed"])
        assert got == (required, approved, pending, needed), key
        assert (row["status"], row["competencies_covered"]) == (status, covered), key
        assert row["as_of"] == "2026-11-20"
    assert ("W012", "FY2027") not in rows  # separated before FY2027 began


def test_the_national_table_shows_the_expected_status_mix(published):
    out, _ = published
    national = {r["period"]: r for r in read(out, "compliance_national")}
    fy26, fy27 = national["FY2026"], national["FY2027"]
    assert (fy26["workers"], fy26["compliant"], fy26["non_compliant"], fy26["separated"]) == ("36", "28", "7", "1")
    assert fy26["percent_compliant"] == "80.0"  # 28 of the 35 who were not separated
    assert (fy27["workers"], fy27["on_track"], fy27["at_risk"], fy27["compliant"]) == ("35", "18", "17", "0")
    regions = read(out, "compliance_region")
    assert sorted({r["region"] for r in regions}) == ["VISN 1", "VISN 22"]
    for period in ("FY2026", "FY2027"):
        facility_total = sum(int(r["workers"]) for r in read(out, "compliance_facility") if r["period"] == period)
        assert facility_total == int(national[period]["workers"])


def test_the_sample_quirks_are_reported(published):
    out, stdout = published
    quarantine = read(out, "quarantine")
    assert sorted(r["reasons"] for r in quarantine) == [
        "actor must have exactly one identifier (has 2)",
        "id is not a UUID",
        "missing verb id",
        "timestamp is not an ISO 8601 date-time",
    ]
    assert all(r["raw"].startswith("{") for r in quarantine)
    assert [r["statement_id"] for r in read(out, "conflicts")] == ["236e6a23-3be2-46cb-982b-3086fd33e71b"]
    assert {r["actor_type"] for r in read(out, "unmatched_actors")} == {"Agent", "Group"}
    (uncatalogued,) = read(out, "uncatalogued_activities")
    assert (uncatalogued["statements"], uncatalogued["workers"]) == ("4", "3")
    assert [(r["worker_id"], r["supervisor_id"]) for r in read(out, "ignored_approvals")] == [("W004", "S01")]
    assert "report:" in stdout and "FY2026" in stdout


def test_every_output_is_published_as_csv_and_parquet_with_an_html_report(published):
    out, _ = published
    import duckdb

    tables = ["ledger_entries", "compliance_worker", "compliance_facility", "compliance_region", "compliance_national",
              "quarantine", "unmatched_actors", "uncatalogued_activities", "conflicts"]  # fmt: skip
    for table in tables:
        csv_rows = len(read(out, table))
        parquet_rows = duckdb.sql(f"select count(*) from '{out / (table + '.parquet')}'").fetchall()[0][0]
        assert csv_rows == parquet_rows, table
    assert "Continuing-education compliance as of 2026-11-20" in (out / "report.html").read_text()


def test_ledger_entries_carry_the_rule_book_columns_and_trace_to_statements(published):
    out, _ = published
    entries = read(out, "ledger_entries")
    assert list(entries[0]) == [
        "entry_id", "worker_id", "period", "activity_id", "activity_kind", "entry_type", "credited_hours",
        "approval_state", "qualifying", "competencies", "earned_at", "statement_ids", "reverses_entry_id",
    ]  # fmt: skip
    assert len({e["entry_id"] for e in entries}) == len(entries)
    assert all(e["statement_ids"] for e in entries)
    assert all(D(e["credited_hours"]) % D("0.25") == 0 for e in entries)
