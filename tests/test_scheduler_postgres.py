"""Airflow as in production, on a small scale: its api-server, scheduler and
dag-processor on a real PostgreSQL (on 127.0.0.1), the LocalExecutor, and the celedger
chain run by the scheduler itself: a pull triggered by hand, then load, ledger and
publish set off by the Assets each step updates."""

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.lrs_server import free_port
from tests.postgres_server import PostgresServer
from tests.test_dags import VENV_BIN, airflow_env, make_deployment

pytestmark = pytest.mark.system  # Airflow on PostgreSQL

CHAIN = ("celedger_pull_sample-drop", "celedger_load", "celedger_ledger", "celedger_publish")


def airflow(env, *args: str, timeout: int = 120) -> str:
    done = subprocess.run(
        [str(VENV_BIN / "airflow"), *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"airflow {' '.join(args)}: {done.stderr[-2000:]}"
    return done.stdout


def runs(env, dag_id: str) -> list[dict]:
    out = airflow(env, "dags", "list-runs", dag_id, "-o", "json")
    listing = [line for line in out.splitlines() if line.startswith(("[{", "[]"))]
    return json.loads(listing[-1]) if listing else []


@pytest.fixture
def production_like(tmp_path):
    postgres = PostgresServer().start()
    deployment = make_deployment(tmp_path / "deployment")
    api_port = free_port()
    env = airflow_env(tmp_path / "home", deployment) | {
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": postgres.create_database("airflow"),
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",  # the test unpauses the chain; the digest waits
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__API_AUTH__JWT_SECRET": "celedger-test-secret",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
    }
    processes = []
    try:
        airflow(env, "db", "migrate", timeout=300)
        airflow(env, "pools", "set", "celedger_warehouse", "1", "DuckDB allows one writer")
        for component in ("api-server", "scheduler", "dag-processor"):
            log = (tmp_path / f"{component}.log").open("w")
            processes.append(
                subprocess.Popen(
                    [str(VENV_BIN / "airflow"), component],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            )
        yield env, deployment, tmp_path
    finally:
        for process in processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        postgres.stop()


def wait_for(condition, seconds: float, what: str, logs: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(3)
    tails = "\n".join(f"--- {p.name}\n{p.read_text()[-1500:]}" for p in sorted(logs.glob("*.log")))
    pytest.fail(f"timed out waiting for {what}\n{tails}")


@pytest.mark.skipif(sys.platform != "linux", reason="runs PostgreSQL from Debian's package")
def test_the_scheduler_runs_the_chain_on_postgres(production_like):
    env, deployment, logs = production_like
    listed = lambda: all(dag_id in airflow(env, "dags", "list", "-o", "plain") for dag_id in CHAIN)  # noqa: E731
    wait_for(listed, 180, "the dag-processor to parse the DAGs", logs)
    # consumers first: unpausing the pull DAG starts its hourly run at once, and an Asset
    # event reaches only DAGs that are unpaused when it is sent; whichever pull run lands
    # the drop (that one or the trigger below), the chain then hears of it
    for dag_id in reversed(CHAIN):
        airflow(env, "dags", "unpause", dag_id)
    airflow(env, "dags", "trigger", "celedger_pull_sample-drop")

    def published() -> bool:
        return all(any(run["state"] == "success" for run in runs(env, dag_id)) for dag_id in CHAIN[1:])

    wait_for(published, 420, "the asset-triggered chain to publish", logs)
    for dag_id in CHAIN[1:]:
        assert [r["run_id"].split("__")[0] for r in runs(env, dag_id)] == ["asset_triggered"], dag_id
    national = {r["period"]: r for r in csv.DictReader((deployment / "out" / "compliance_national.csv").open())}
    assert (national["FY2026"]["compliant"], national["FY2026"]["non_compliant"]) == ("28", "7")
    assert national["FY2026"]["separated"] == "1"
