"""The Airflow DAGs: they import cleanly, are tagged and retried, and run the whole chain
on the sample program with dag.test() against a real (SQLite) Airflow metadata DB."""

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.system  # Airflow

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample"
VENV_BIN = Path(sys.executable).parent


def airflow_env(home: Path, deployment: Path) -> dict[str, str]:
    return os.environ | {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "CELEDGER_CONFIG": str(deployment / "config"),
        "CELEDGER_LANDING": str(deployment / "landing"),
        "CELEDGER_OUT": str(deployment / "out"),
        "PATH": f"{VENV_BIN}:{os.environ['PATH']}",
    }


def make_deployment(folder: Path) -> Path:
    """The sample program as a deployment: its statements wait in a vendor inbox."""
    shutil.copytree(SAMPLE / "config", folder / "config")
    drop = folder / "drop"
    drop.mkdir()
    for path in (SAMPLE / "statements").rglob("*.*json"):
        if not path.name.startswith("_"):
            shutil.copy(path, drop / path.name)
    (folder / "config" / "sources.yaml").write_text(
        "sources:\n"
        "  - name: sample-drop\n    kind: inbox\n    path: ../drop\n"
        "  - name: webinars\n    kind: lrs\n    endpoint: http://127.0.0.1:9/xAPI/\n"
        "    username_env: WEBINARS_LRS_USER\n    password_env: WEBINARS_LRS_PASSWORD\n    schedule: '@daily'\n"
    )
    return folder


def harness(env: dict[str, str], *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "airflow_harness.py"), *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def airflow(tmp_path_factory):
    root = tmp_path_factory.mktemp("airflow")
    env = airflow_env(root / "home", make_deployment(root / "deployment"))
    migrate = subprocess.run(
        [str(VENV_BIN / "airflow"), "db", "migrate"], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    return env, root / "deployment"


def test_the_dags_import_cleanly_tagged_retried_and_every_task_has_a_timeout(airflow):
    env, deployment = airflow
    bag = harness(env, "dagbag")
    assert bag["import_errors"] == {}
    assert sorted(bag["dags"]) == [
        "celedger_digest",
        "celedger_ledger",
        "celedger_load",
        "celedger_publish",
        "celedger_pull_sample-drop",
        "celedger_pull_webinars",
    ]
    for dag_id, dag in bag["dags"].items():
        assert "celedger" in dag["tags"], dag_id
        assert all(task["retries"] >= 1 for task in dag["tasks"].values()), dag_id
    for dag_id, dag in bag["dags"].items():  # a hung pull, load or mail frees its slot and is retried
        timeouts = {task_id: task["execution_timeout"] for task_id, task in dag["tasks"].items()}
        assert all(seconds and 0 < seconds <= 4 * 3600 for seconds in timeouts.values()), (dag_id, timeouts)
    assert bag["dags"]["celedger_pull_webinars"]["tasks"]["pull_new_statements"]["execution_timeout"] <= 3600
    for writer in ("celedger_load", "celedger_ledger"):
        assert {t["pool"] for t in bag["dags"][writer]["tasks"].values()} == {"celedger_warehouse"}
    assert bag["dags"]["celedger_digest"]["tasks"]["compliance_as_of_today"]["pool"] == "celedger_warehouse"
    assert bag["dags"]["celedger_digest"]["schedule"] == "CronTriggerTimetable"
    assert bag["dags"]["celedger_load"]["schedule"] == "AssetTriggeredTimetable"
    assert bag["dags"]["celedger_pull_sample-drop"]["schedule"] == "CronTriggerTimetable"
    assert not (deployment / "out").exists() and not (deployment / "landing").exists()  # no I/O at import


def test_the_chain_runs_on_the_sample_program(airflow):
    env, deployment = airflow
    for dag_id in ("celedger_pull_sample-drop", "celedger_load", "celedger_ledger", "celedger_publish"):
        run = harness(env, "test", dag_id, "2026-11-20")
        assert run["state"] == "success", run
    national = {r["period"]: r for r in csv.DictReader((deployment / "out" / "compliance_national.csv").open())}
    assert (national["FY2026"]["compliant"], national["FY2026"]["non_compliant"]) == ("28", "7")
    assert (national["FY2027"]["on_track"], national["FY2027"]["at_risk"]) == ("18", "17")
    assert (deployment / "out" / "report.html").exists()
    assert sorted(p.name for p in (deployment / "drop" / "_taken").iterdir()) == [
        "forum-posts.ndjson",
        "late-post.json",
        "lms-completions.json",
        "webinar-platform.ndjson",
    ]
    again = harness(env, "test", "celedger_pull_sample-drop", "2026-11-20")
    assert again["tasks"] == {"pull_new_statements": "skipped"}  # nothing new: no landing event
