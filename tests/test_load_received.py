"""pipelines/load.py's received time: a statement with neither `timestamp` nor `stored` (which
xAPI allows) is dated when celedger received it, as an LRS sets `stored`: the landing time
in its pull or inbox manifest, else its file's modification time. The time is recorded in
loaded_files when the file loads, so reruns give the same answers."""

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

from pipelines.pull import pull
from pipelines.run import run
from tests.support import ANN, COMPLETED, MODULE, statement

# 22:00 in New York on the last day of FY2026, already 1 October (FY2027) in UTC
LAST_EVENING = datetime(2026, 10, 1, 2, 0, tzinfo=UTC)
NOVEMBER = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
SOURCES = "sources:\n  - name: vendor-drop\n    kind: inbox\n    path: inbox/vendor-drop\n    carries: [course]\n"


def undated(label: str) -> dict:
    body = statement(label, ANN, COMPLETED, MODULE, None)
    del body["stored"]
    return body


def touch(path: Path, instant: datetime) -> None:
    nanoseconds = int(instant.timestamp()) * 10**9
    os.utime(path, ns=(nanoseconds, nanoseconds))


def credits(result) -> list[tuple]:
    return result.rows("select period, earned_at, credited_hours from ledger_book where worker_id = 'W1'")


def test_a_statement_given_to_run_is_dated_by_its_files_modification_time(program):
    path = program.add("undated.ndjson", [undated("u")])
    touch(path, LAST_EVENING)
    result = program.build()
    assert result.rows("select reasons from quarantine") == []
    assert credits(result) == [("FY2026", LAST_EVENING, 3)]  # the local day decides the period
    assert result.rows("select received_at from loaded_files") == [(LAST_EVENING,)]


def test_a_timestamp_or_stored_still_comes_first(program):
    stored_only = undated("s") | {"stored": "2026-03-02T15:00:00Z"}
    path = program.add("dated.ndjson", [stored_only])
    touch(path, LAST_EVENING)
    assert credits(program.build()) == [("FY2026", datetime(2026, 3, 2, 15, tzinfo=UTC), 3)]


def landed(program) -> Path:
    """The undated statement dropped in an inbox and pulled into a landing zone whose manifest
    says it landed LAST_EVENING; the segment file itself modified in November."""
    (program.config / "sources.yaml").write_text(SOURCES)
    inbox = program.config / "inbox" / "vendor-drop"
    inbox.mkdir(parents=True)
    (inbox / "drop.ndjson").write_text(json.dumps(undated("u")) + "\n")
    landing = program.root / "landing"
    (result,) = pull(program.config, landing)
    assert result.error is None
    state = landing / "_state" / "vendor-drop.json"
    data = json.loads(state.read_text())
    data["manifest"][0]["pulled_at"] = "2026-10-01T02:00:00.000000Z"
    state.write_text(json.dumps(data))
    touch(landing / "vendor-drop" / "000001.ndjson", NOVEMBER)
    return landing


def test_a_landed_statement_is_dated_by_its_landing_time(program):
    landing = landed(program)
    result = program.build(paths=[landing])
    assert credits(result) == [("FY2026", LAST_EVENING, 3)]  # the manifest's time, not the file's


def test_a_rerun_uses_the_recorded_time(program):
    landing = landed(program)
    first = credits(program.build(paths=[landing]))
    state = landing / "_state" / "vendor-drop.json"
    state.write_text(state.read_text().replace("2026-10-01T02:00:00.000000Z", "2026-11-02T12:00:00.000000Z"))
    assert credits(program.build(paths=[landing], full=True)) == first


def test_the_same_landing_zone_run_twice_publishes_the_same_files(program, tmp_path):
    landing = landed(program)
    outputs = []
    for name in ("one", "two"):
        out = tmp_path / name
        run(program.config, [landing], date(2026, 11, 20), out, tmp_path / f"{name}.duckdb")
        outputs.append({p.name: p.read_bytes() for p in sorted(out.glob("*.csv"))})
    assert outputs[0] == outputs[1]
    ledger = outputs[0]["ledger_entries.csv"].decode()
    assert ",FY2026," in ledger and "2026-10-01 02:00:00+00" in ledger
