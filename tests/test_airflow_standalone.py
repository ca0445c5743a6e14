"""The embedded deployment, started exactly as a newcomer starts it
(`bash scripts/airflow-standalone.sh`, here on free ports in a temporary AIRFLOW_HOME): with
no clicks the pull DAGs run (the webinar platform from a Ralph LRS on 127.0.0.1, the other
sample systems from inboxes), load, ledger and publish follow on their Assets, and the
published compliance equals `celedger run` on the sample; a file dropped into the vendor
inbox sets the chain off again at the next pull. Everything started is stopped."""

import contextlib
import csv
import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipelines.deployment import Deployment
from tests.lrs_server import _group_alive, free_port, ralph_available
from tests.test_dags import ROOT, SAMPLE, VENV_BIN

pytestmark = pytest.mark.system  # Airflow standalone, Ralph, the whole chain

OVERALL_SECONDS = 330  # the watchdog stops everything after this, whatever the test is doing
PULLS = ("celedger_pull_webinar-platform", "celedger_pull_lms", "celedger_pull_course-forum")
VENDOR_PULL = "celedger_pull_vendor-drop"
CHAIN = ("celedger_load", "celedger_ledger", "celedger_publish")
TABLES = ("compliance_worker", "compliance_facility", "compliance_region", "compliance_national", "ledger_entries")
WORKER = "W019"  # FY2027: 1.00 h, at risk, in the sample


def utc_text(moment: datetime) -> str:
    """How Airflow's SQLite metadata stores a UTC instant, so the two compare as text."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


class Metadata:
    """Airflow's own record of the runs, read straight from its SQLite file (read-only)."""

    def __init__(self, home: Path):
        self.path = home / "airflow.db"

    def rows(self, sql: str, *params) -> list[tuple]:
        if not self.path.exists():
            return []
        try:
            with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=5) as con:
                return con.execute(sql, params).fetchall()
        except sqlite3.OperationalError:  # not migrated yet, or busy: ask again later
            return []

    def pulled(self, dag_id: str, after: str = "") -> list[tuple[str, str]]:
        """(state, end) of the pull task instances that started after `after`."""
        return self.rows(
            "select state, coalesce(end_date, '') from task_instance where dag_id = ? and start_date > ?", dag_id, after
        )

    def chain_idle(self) -> bool:
        busy = self.rows(
            "select count(*) from dag_run where state in ('queued', 'running') and dag_id in (?, ?, ?)", *CHAIN
        )
        queued = self.rows("select count(*) from asset_dag_run_queue")
        return bool(busy and queued) and busy[0][0] == 0 and queued[0][0] == 0

    def published_after(self, moment: str) -> tuple | None:
        """The publish run that succeeded having started after `moment`, once the chain is idle."""
        runs = self.rows(
            "select run_id, run_type, run_after from dag_run where dag_id = 'celedger_publish'"
            " and state = 'success' and start_date > ? order by start_date desc",
            moment,
        )
        return runs[0] if runs and self.chain_idle() else None

    def run_types(self, dag_id: str) -> set[str]:
        return {r[0] for r in self.rows("select run_type from dag_run where dag_id = ?", dag_id)}


def first_publish(meta: Metadata) -> tuple | None:
    """The first publish that includes every source: each pull's first run done (a pull
    being retried is not), then the chain idle after a publish that began after them."""
    ends = []
    for dag_id in (*PULLS, VENDOR_PULL):
        pulled = meta.pulled(dag_id)
        if dag_id != VENDOR_PULL and any(state not in ("success", "skipped", "failed") for state, _ in pulled):
            return None
        landed = [end for state, end in pulled if state == "success"]
        if not landed:
            return None
        ends.append(min(landed))
    return meta.published_after(max(ends))


def wait_for(condition, deadline: float, what: str, logs: Path):
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(2)
    tail = (logs / "standalone.log").read_text(errors="replace")[-4000:] if (logs / "standalone.log").exists() else ""
    pytest.fail(f"timed out waiting for {what}\n--- standalone.log (end)\n{tail}")


def tables(out: Path) -> dict[str, str]:
    return {name: (out / f"{name}.csv").read_text(encoding="utf-8") for name in TABLES}


def new_completion(config: Path, reference_ledger: str) -> tuple[dict, float]:
    """A course completion, today, by WORKER, for a course they never had credit for."""
    roster = {r["worker_id"]: r for r in csv.DictReader((config / "roster.csv").open(encoding="utf-8"))}
    had = {r["activity_id"] for r in csv.DictReader(reference_ledger.splitlines()) if r["worker_id"] == WORKER}
    course = next(
        r
        for r in csv.DictReader((config / "catalog.csv").open(encoding="utf-8"))
        if r["kind"] == "course" and r["approved"] == "true" and r["activity_id"] not in had
    )
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    statement = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "name": roster[WORKER]["name"], "mbox": f"mailto:{roster[WORKER]['email']}"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
        "object": {
            "objectType": "Activity",
            "id": course["activity_id"],
            "definition": {"type": "http://adlnet.gov/expapi/activities/course", "name": {"en-US": course["title"]}},
        },
        "timestamp": now,
        "stored": now,
        "version": "1.0.3",
    }
    return statement, float(course["ce_hours"])


def approved_hours(out: Path, period: str) -> float:
    rows = csv.DictReader((out / "compliance_worker.csv").open(encoding="utf-8"))
    return next(float(r["approved_hours"]) for r in rows if r["worker_id"] == WORKER and r["period"] == period)


def stop_group(process: subprocess.Popen) -> None:
    """SIGTERM to the script's process group (Airflow's components, Ralph, the SMTP catcher),
    SIGKILL to whatever is left after 40 s; returns once none of them lives."""
    for sig, grace in ((signal.SIGTERM, 40), (signal.SIGKILL, 15)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        deadline = time.monotonic() + grace
        while _group_alive(process.pid) and time.monotonic() < deadline:
            process.poll()
            time.sleep(0.3)
        if not _group_alive(process.pid):
            break
    process.poll()


@pytest.mark.skipif(not ralph_available(), reason="Ralph is not installed: bash scripts/setup-ralph.sh")
def test_the_embedded_deployment_runs_the_sample_chain_with_no_clicks(tmp_path):
    started = time.monotonic()
    deadline = started + OVERALL_SECONDS - 45  # leave the watchdog's margin for stopping
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "CELEDGER_", "VIRTUAL_ENV"))}
    env |= {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(free_port()),
        "CELEDGER_LRS_PORT": str(free_port()),
        "CELEDGER_SMTP_PORT": str(free_port()),
    }
    log = (tmp_path / "standalone.log").open("w")
    process = subprocess.Popen(
        ["bash", "scripts/airflow-standalone.sh"],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    watchdog = threading.Timer(OVERALL_SECONDS, stop_group, [process])
    watchdog.start()
    meta = Metadata(home)
    try:
        publish = wait_for(lambda: first_publish(meta), deadline, "the first publish of every source", tmp_path)
        first_seconds = time.monotonic() - started
        published = tables(home / "out")
        assert (home / "out" / "site" / "index.html").is_file()
        for dag_id in CHAIN:
            assert meta.run_types(dag_id) == {"asset_triggered"}, dag_id
        for dag_id in (*PULLS, VENDOR_PULL):
            assert meta.run_types(dag_id) == {"scheduled"}, dag_id
        assert meta.rows("select is_paused from dag where dag_id = 'celedger_digest'") == [(1,)]
        # the webinar platform came over HTTP from Ralph: its landing segment holds what Ralph served
        landed = [json.loads(line) for f in sorted((home / "landing" / "webinar-platform").glob("*.ndjson"))
                  for line in f.read_text().splitlines()]  # fmt: skip
        served = (home / "ralph" / "data" / "fs_lrs.jsonl").read_text().splitlines()
        assert sorted(s["id"] for s in landed) == sorted(json.loads(line)["id"] for line in served)
        assert 0 < len(served) < 142

        # a new file in the vendor inbox: taken at the next pull, published again
        run_after = datetime.fromisoformat(publish[2]).replace(tzinfo=UTC)
        as_of = Deployment(home / "config", home / "landing", home / "out", home / "out" / "w").as_of(None, run_after)
        reference = tmp_path / "reference"
        done = subprocess.run(
            [str(VENV_BIN / "celedger"), "run", "--config", str(SAMPLE / "config"), "--statements",
             str(SAMPLE / "statements"), "--as-of", as_of.isoformat(), "--out", str(reference), "--quiet"],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        expected = tables(reference)
        for name in TABLES:
            assert published[name] == expected[name], f"{name}.csv differs from `celedger run` as of {as_of}"

        statement, hours = new_completion(SAMPLE / "config", expected["ledger_entries"])
        period = "FY2027"
        before = approved_hours(home / "out", period)
        dropped = utc_text(datetime.now(UTC))
        drop = home / "inbox" / "vendor-drop"
        (drop / ".new.ndjson").write_text(json.dumps(statement) + "\n")
        os.replace(drop / ".new.ndjson", drop / "late-completion.ndjson")  # whole, never half a file

        def second_publish():
            landed = [end for state, end in meta.pulled(VENDOR_PULL, dropped) if state == "success"]
            return meta.published_after(min(landed)) if landed else None

        wait_for(second_publish, deadline, "the dropped file to be published", tmp_path)
        assert statement["id"] in (home / "out" / "ledger_entries.csv").read_text()
        assert approved_hours(home / "out", period) == pytest.approx(before + hours)
        assert (drop / "_taken" / "late-completion.ndjson").is_file()
        print(f"first publish after {first_seconds:.0f} s, second after {time.monotonic() - started:.0f} s")
    finally:
        watchdog.cancel()
        stop_group(process)
        log.close()
    assert not _group_alive(process.pid), "a process the script started is still alive"
