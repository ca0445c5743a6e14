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

# worker, track, cycle: required, counted, capped, needed, minimums short, status (rules 13-17)
HAND_CHECKED_TRACKS = {
    ("W001", "ne-cpss", "2025-09-01/2027-08-31"): ("20.00", "27.75", "0.00", "0.00", "ethics:3.50", "at_risk"),
    ("W007", "ne-cpss", "2025-09-01/2027-08-31"): ("20.00", "21.00", "0.00", "0.00", "ethics:5.00", "at_risk"),
    ("W022", "ne-cpss", "2025-09-01/2027-08-31"): ("20.00", "16.50", "0.00", "3.50", "ethics:5.00", "separated"),
    ("W029", "ne-cpss", "2025-09-01/2027-08-31"): ("20.00", "11.00", "0.00", "9.00", "ethics:3.50", "waived"),
    ("W001", "pa-cps", "2024-03-15/2026-03-14"): (
        "36.00", "4.75", "0.00", "31.25", "ethics:3.00;peer_recovery:21.75", "non_compliant"
    ),
    ("W001", "pa-cps", "2026-03-15/2028-03-14"): (
        "36.00", "24.00", "0.00", "12.00", "ethics:0.50;peer_recovery:4.00", "on_track"
    ),
    ("W004", "pa-cps", "2025-01-31/2027-01-30"): (
        "36.00", "22.00", "0.00", "14.00", "ethics:0.50;peer_recovery:6.00", "at_risk"
    ),
    ("W012", "pa-cps", "2025-07-01/2027-06-30"): (
        "36.00", "13.00", "0.00", "23.00", "ethics:2.00;peer_recovery:15.50", "separated"
    ),
    ("W014", "tx-cps", "2025-02-28/2027-02-27"): ("20.00", "16.00", "0.00", "4.00", "", "at_risk"),
    ("W020", "tx-cps", "2024-12-31/2026-12-30"): ("20.00", "18.00", "0.00", "2.00", "", "on_track"),
    ("W026", "tx-cps", "2025-06-15/2027-06-14"): ("20.00", "21.25", "2.00", "0.00", "", "compliant"),
}  # fmt: skip

# track: holders, compliant, on_track, at_risk, non_compliant, separated, waived, percent compliant
HAND_CHECKED_TRACK_SUMMARY = {
    "ne-cpss": ("4", "0", "0", "2", "0", "1", "1", "0.0"),
    "pa-cps": ("3", "0", "1", "1", "0", "1", "0", "0.0"),
    "tx-cps": ("3", "1", "1", "1", "0", "0", "0", "33.3"),
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
              "quarantine", "unmatched_actors", "uncatalogued_activities", "conflicts", "compliance_track",
              "compliance_track_minimums", "compliance_track_summary"]  # fmt: skip
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
        "approval_state", "qualifying", "competencies", "earned_at", "statement_ids", "reverses_entry_id", "evidence",
    ]  # fmt: skip
    assert len({e["entry_id"] for e in entries}) == len(entries)
    assert all(e["statement_ids"] for e in entries)
    assert all(D(e["credited_hours"]) % D("0.25") == 0 for e in entries)


def test_the_track_rows_are_exactly_the_hand_computed_ones(published):
    out, stdout = published
    rows = {(r["worker_id"], r["track"], r["cycle"]): r for r in read(out, "compliance_track")}
    assert sorted(rows) == sorted(HAND_CHECKED_TRACKS)  # W010's CCAR-RC owes no track
    columns = ("required_hours", "counted_hours", "capped_hours", "hours_needed", "minimums_short", "status")
    for key, expected in HAND_CHECKED_TRACKS.items():
        assert tuple(rows[key][c] for c in columns) == expected, key
        assert rows[key]["as_of"] == "2026-11-20"
    minimums = {(r["worker_id"], r["track"], r["cycle"], r["minimum"]): r["hours_needed"]
                for r in read(out, "compliance_track_minimums")}  # fmt: skip
    for (worker, track, cycle), expected in HAND_CHECKED_TRACKS.items():
        short = dict(item.split(":") for item in filter(None, expected[4].split(";")))
        for (w, t, c, minimum), needed in minimums.items():
            if (w, t, c) == (worker, track, cycle):
                assert needed == short.get(minimum, "0.00"), (worker, track, cycle, minimum)
    assert len(minimums) == 12  # pa-cps: 4 cycles x 2 minimums; ne-cpss: 4 cycles x 1
    national = {r["track"]: r for r in read(out, "compliance_track_summary") if r["level"] == "national"}
    columns = ("holders", "compliant", "on_track", "at_risk", "non_compliant", "separated", "waived",
               "percent_compliant")  # fmt: skip
    assert {track: tuple(row[c] for c in columns) for track, row in national.items()} == HAND_CHECKED_TRACK_SUMMARY
    assert "tx-cps         3         1        1       1         0         0      0    33.3" in stdout


def test_certificates_are_the_evidence_of_their_ledger_entries(published):
    import json

    out, _ = published
    statements = json.loads((SAMPLE / "statements" / "lms-completions.json").read_text())
    certified = {s["id"]: s["attachments"][0]["sha2"] for s in statements if "attachments" in s}
    entries = [e for e in read(out, "ledger_entries") if e["evidence"]]
    assert [(e["worker_id"], e["activity_id"].rsplit("/", 1)[1]) for e in entries] == [
        ("W001", "trauma-informed-peer-support"),
        ("W007", "self-advocacy-and-leadership"),
    ]
    assert {e["statement_ids"]: e["evidence"] for e in entries} == certified
