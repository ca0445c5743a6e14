"""The Great Expectations gate: suites run on every load, a batch that does not look like a
working feed or a broken ledger or compliance table blocks publishing, and the last good
tables stay in place."""

import hashlib
import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from pipelines import models, quality
from pipelines.quality import QualityGateFailed
from pipelines.run import run
from tests.support import ANN, ATTENDED, COMPLETED, COURSE, MODULE, POLICY, WEBINAR, statement

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
        "batch_sources",
        "compliance_rollup",
        "compliance_track",
        "compliance_worker",
        "ledger",
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


# --- the batch, per source (expectations/batch_sources.json) ----------------------------------

AS_OF = "2026-11-20"  # in the test policy's America/New_York


def with_policy(program, quality: dict[str, float]) -> None:
    if quality:
        program.write_config(policy=POLICY + "quality:\n" + "".join(f"  {k}: {v}\n" for k, v in quality.items()))


def attendances(label: str, count: int) -> list[dict]:
    """`count` different statements: Ann attending the webinar an hour a day in January."""
    return [
        statement(f"{label}-{n}", ANN, ATTENDED, WEBINAR, f"2026-01-{n + 1:02d}T15:00:00Z", "PT1H")
        for n in range(count)
    ]


def assert_refused(program, failure: str, as_of: str = AS_OF) -> str:
    """The run stops at the gate, naming `failure`: nothing committed, nothing published."""
    before = published(program.out) if program.out.exists() else {}
    with pytest.raises(QualityGateFailed, match="quality gate failed, nothing published: batch_sources") as raised:
        program.run(as_of)
    assert failure in str(raised.value)
    assert published(program.out) == before
    return str(raised.value)


@pytest.mark.parametrize(
    "quality, good, bad, passes",
    [
        ({"max_quarantined_share": 0.2}, 15, 5, False),  # 5 of 20 records quarantined: 0.25
        ({"max_quarantined_share": 0.3}, 15, 5, True),
        ({}, 9, 11, False),  # the default, 0.5
        ({}, 10, 10, True),
        ({}, 0, 3, True),  # 3 of 3 quarantined, but 3 records are too few to judge a feed by
        ({"min_batch_records": 3}, 0, 3, False),
    ],
)
def test_a_source_with_too_much_quarantined_stops_the_load(program, quality, good, bad, passes):
    with_policy(program, quality)
    broken = [dict(s, id=f"lms-export-{n}") for n, s in enumerate(attendances("broken", bad))]
    program.add("lms/feed.ndjson", attendances("good", good) + broken)
    if passes:
        result = program.run(AS_OF)
        assert result.rows("select count(*) from quarantine where source = 'lms'") == [(bad,)]
    else:
        failure = assert_refused(program, "expect_column_values_to_be_between(quarantined_share) [a source's batch")
        assert f"e.g. [{bad / (good + bad)}] (source lms)" in failure


def test_ids_the_batch_carries_with_different_contents_stop_the_load(program):
    """Ten statements sent twice, the second time with other durations: each id names two
    statements, which rule 2 would settle one at a time as conflicts."""
    first = attendances("twice", 10)
    other = [dict(s, result={"duration": "PT2H"}) for s in first]
    program.add("lms/feed.ndjson", first + other)
    failure = assert_refused(program, "expect_column_values_to_be_between(conflicting_share) [ids are unique")
    assert "e.g. [1.0] (source lms)" in failure


def test_copies_with_the_same_content_are_one_statement_and_pass(program):
    """Rule 2: the same ten statements again, stored later and by another version: no conflict."""
    first = attendances("twice", 10)
    again = [dict(s, stored="2026-02-01T00:00:00Z", version="1.0.0") for s in first]
    program.add("lms/feed.ndjson", first + again)
    result = program.run(AS_OF)
    assert result.rows("select count(*) from conflicts") == [(0,)]
    assert result.rows("select count(*), count(*) filter (where kept) from int_statement_copies") == [(20, 10)]


def test_a_few_conflicts_are_rule_2s_business(program):
    """One id of twenty sent with two contents: rule 2 keeps the first stored and reports it."""
    first = attendances("once", 20)
    program.add("lms/feed.ndjson", [*first, dict(first[0], result={"duration": "PT2H"})])
    assert program.run(AS_OF).rows("select count(*) from conflicts") == [(1,)]


RECEIVED = datetime(2026, 11, 21, 5, 0, tzinfo=ZoneInfo("UTC"))  # the feed's file, as celedger got it


@pytest.mark.parametrize(
    "when, failure",
    [
        ("1970-01-01T00:00:00Z", "expect_column_values_to_be_between(earliest_instant) [no timestamp or stored before"),
        ("2013-04-25T23:59:59Z", "expect_column_values_to_be_between(earliest_instant)"),
        ("2013-04-26T00:00:00Z", None),
        # received 2026-11-21T05:00Z; a day's grace after it
        ("2026-11-22T05:00:00Z", None),
        ("2026-11-22T05:00:01Z", "expect_column_values_to_be_between(hours_after_receipt) [no timestamp or stored"),
    ],
)
def test_a_timestamp_outside_the_window_stops_the_load(program, when, failure):
    feed = program.add("lms/feed.ndjson", [*attendances("good", 3), statement("odd", ANN, COMPLETED, MODULE, when)])
    os.utime(feed, (RECEIVED.timestamp(), RECEIVED.timestamp()))
    if failure is None:
        program.run(AS_OF)
    else:
        assert "(source lms)" in assert_refused(program, failure)


def test_a_report_as_of_a_past_day_loads_statements_stored_since(program):
    """The window is the statements' own receipt, not the as-of date: a report as of last
    month takes this week's statements (and counts none of them, rule 12)."""
    late = statement("late", ANN, COMPLETED, MODULE, "2026-12-01T15:00:00Z", stored="2026-12-01T15:00:05Z")
    feed = program.add("lms/feed.ndjson", [*attendances("good", 3), late])
    received = datetime(2026, 12, 1, 16, 0, tzinfo=ZoneInfo("UTC")).timestamp()
    os.utime(feed, (received, received))
    result = program.run(AS_OF)
    assert result.rows("select count(*) from quarantine") == [(0,)]


def staging_without_its_24_hour_rule(tmp_path: Path, monkeypatch) -> None:
    copy = tmp_path / "models"
    shutil.copytree(models.MODELS, copy)
    staging = copy / "staging" / "stg_batch_records.sql"
    rule = "then 'timestamp is far in the future' end"
    assert rule in staging.read_text()
    staging.write_text(staging.read_text().replace(rule, "and false " + rule))
    monkeypatch.setattr(models, "MODELS", copy)


def test_the_gate_catches_a_future_timestamp_staging_lets_through(program, monkeypatch):
    """With staging's rule 4 check broken, the gate's window still refuses the load."""
    staging_without_its_24_hour_rule(program.root, monkeypatch)
    future = statement("future", ANN, COMPLETED, MODULE, "2027-01-05T15:00:00Z", stored="2026-01-05T15:00:00Z")
    program.add("lms/feed.ndjson", [*attendances("good", 3), future])
    assert_refused(program, "expect_column_values_to_be_between(hours_after_receipt)")
    assert not (program.root / "warehouse.duckdb").exists()


def sources_yaml(program, **max_silent_days: int) -> None:
    (program.config / "sources.yaml").write_text(
        "sources:\n"
        + "".join(
            f"  - name: {name}\n    kind: inbox\n    path: inbox/{name}\n"
            + (f"    max_silent_days: {days}\n" if days is not None else "")
            for name, days in max_silent_days.items()
        )
    )


def delivered(path: Path, local: str) -> None:
    """The file landed at a local time in New York (the test policy's zone)."""
    moment = datetime.fromisoformat(local).replace(tzinfo=ZoneInfo("America/New_York"))
    os.utime(path, (moment.timestamp(), moment.timestamp()))


@pytest.mark.parametrize(
    "landed, passes",
    [("2026-11-17T00:30:00", True), ("2026-11-16T23:30:00", False)],  # 3 and 4 days before the as-of date
)
def test_a_source_silent_for_longer_than_it_may_be_stops_the_load(program, landed, passes):
    sources_yaml(program, lms=3, other=None)
    delivered(program.add("lms/feed.ndjson", attendances("old", 3)), landed)
    if passes:
        program.run(AS_OF)
    else:
        failure = assert_refused(program, "a_to_be_greater_than_b(max_silent_days, silent_days) [no source is silent")
        assert "e.g. [(3, 4)] (source lms)" in failure


@pytest.mark.system
def test_the_cli_names_the_silent_source_and_exits_3(program):
    sources_yaml(program, lms=3)
    delivered(program.add("lms/feed.ndjson", attendances("old", 3)), "2026-11-10T12:00:00")
    completed = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "run", "--config", str(program.config),
         "--statements", str(program.statements_dir), "--as-of", AS_OF, "--out", str(program.out)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert completed.returncode == 3
    assert completed.stderr.count("\n") == 1
    assert "[no source is silent for longer than its max_silent_days" in completed.stderr
    assert "e.g. [(3, 10)] (source lms)" in completed.stderr
    assert not list(program.out.glob("*.csv"))


def test_a_source_that_never_delivered_is_silent_since_the_first_load(program):
    sources_yaml(program, lms=None, webinars=2)
    program.add("lms/feed.ndjson", attendances("lms", 3))
    program.run(AS_OF)  # the warehouse begins today: nobody has been silent yet
    program.run("2026-11-22")
    assert "(source webinars)" in assert_refused(program, "max_silent_days, silent_days", as_of="2026-11-23")


def course_statements(label: str, verbs: list[str], activity: str = COURSE) -> list[dict]:
    return [
        statement(f"{label}-{n}", ANN, verb, activity, f"2026-02-{n % 28 + 1:02d}T15:00:00Z")
        for n, verb in enumerate(verbs)
    ]


TYPO = "http://adlnet.gov/expapi/verbs/complete"
CMI5 = [
    "http://adlnet.gov/expapi/verbs/launched",
    "http://adlnet.gov/expapi/verbs/initialized",
    COMPLETED,
    "http://adlnet.gov/expapi/verbs/terminated",
    "https://w3id.org/xapi/adl/verbs/abandoned",
]


def test_a_source_using_verbs_the_rules_do_not_know_stops_the_load(program):
    program.add("lms/feed.ndjson", course_statements("lms", [TYPO] * 11 + [COMPLETED] * 9))
    failure = assert_refused(program, "expect_column_values_to_be_between(unknown_verb_share)")
    assert f"e.g. [0.55] (source lms), unknown_verbs: {TYPO}" in failure


def test_cmi5_sessions_and_uncatalogued_activities_use_verbs_the_gate_accepts(program):
    uncatalogued = "https://training.example.org/courses/not-in-the-catalog"
    sessions = course_statements("cmi5", CMI5 * 4)
    program.add("lms/feed.ndjson", sessions + course_statements("elsewhere", [TYPO] * 30, uncatalogued))
    program.run(AS_OF)


def test_rejections_are_reported_per_source_with_examples(sample_warehouse):
    out = sample_warehouse.parent / "out"
    rows = (out / "rejections.csv").read_text().splitlines()
    assert rows[0] == "source,reason,statements,example_statement_ids,first_seen,last_seen,outcome"
    assert "lms-completions,id is not a UUID,1,lms-export-000187,2026-11-20,2026-11-20,quarantined" in rows
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


def hostile_source() -> dict:
    """One row as warehouse/audit/batch_sources.sql selects it, from a source whose name and
    verbs carry markup and whose verbs the rules do not know."""
    import pandas

    return {
        "source": SCRIPT,
        "records": 20,
        "quarantined": 0,
        "quarantined_share": 0.0,
        "conflicting_share": 0.0,
        "unknown_verb_share": 1.0,
        "unknown_verbs": IMAGE,
        "earliest_instant": pandas.Timestamp("2026-10-01T12:00:00Z"),
        "hours_after_receipt": -1.0,
        "max_silent_days": None,
        "silent_days": None,
    }


def hostile_book() -> dict:
    """One row as warehouse/audit/ledger.sql selects it, its texts carrying markup: the Data
    Docs show a text expectation's unexpected values (the batch suite's are numbers)."""
    return {
        "entry_type": "credit",
        "activity_kind": SCRIPT,
        "approval_state": "approved",
        "period": IMAGE,
        "standing": True,
        "entries": 1,
        "min_hours": 1.0,
        "max_hours": 1.0,
        "uncatalogued_standing_credits": 0,
        "credits_over_catalog_hours": 0,
        "reversals_without_credit": 0,
        "unbalanced_reversals": 0,
        "untraceable_statement_ids": 0,
        "repeated_entry_ids": 0,
        "example_broken_entry": None,
    }


def test_a_payload_that_fails_a_suite_is_inert_text_in_the_data_docs(tmp_path):
    import pandas

    limits = {"max_quarantined_share": 0.5, "max_conflicting_share": 0.5, "max_unknown_verb_share": 0.5}
    gate = quality.Gate(tmp_path / "data_docs", limits)
    gate.ready()
    gate.validate("batch_sources", pandas.DataFrame([hostile_source()]))
    gate.validate("ledger", pandas.DataFrame([hostile_book()]))
    with pytest.raises(QualityGateFailed) as raised:
        gate.verdict()
    assert f"(source {SCRIPT}), unknown_verbs: {IMAGE}" in str(raised.value)  # the true values, on one line
    assert "\n" not in str(raised.value)
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


def test_the_track_suite_refuses_a_cycle_called_compliant_that_is_short(tmp_path, monkeypatch):
    """With rule 17's compliant test broken in the model, the compliance_track suite stops the run."""
    copy = tmp_path / "models"
    shutil.copytree(models.MODELS, copy)
    track = copy / "marts" / "compliance_track.sql"
    rule = "when measured.counted_hours >= measured.required_hours and measured.minimums_met then 'compliant'"
    assert rule in track.read_text()
    track.write_text(track.read_text().replace(rule, "when true then 'compliant'"))
    monkeypatch.setattr(models, "MODELS", copy)
    with pytest.raises(QualityGateFailed) as raised:
        run_sample(tmp_path)
    assert "compliance_track: expect_column_pair_values_a_to_be_greater_than_b" in str(raised.value)
    assert "[compliant means counted >= required]" in str(raised.value)
