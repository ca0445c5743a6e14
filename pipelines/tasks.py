"""What the Airflow tasks do, as plain functions of a Deployment: the DAG files only wire
them to schedules, assets and pools. Each returns a small dict for XCom and raises on
failure so Airflow's retries apply.

The DAG files import this module while Airflow parses them, every few seconds: the
stages it calls (DuckDB, GX, the LRS client) are imported when a task runs, not here."""

from __future__ import annotations

from datetime import date

from pipelines.deployment import Deployment
from pipelines.errors import CeledgerError


def pull_source(deployment: Deployment, name: str) -> dict:
    from pipelines.pull import pull

    (result,) = pull(deployment.config, deployment.landing, only=name)
    if result.error:
        raise CeledgerError(result.error)
    return {"source": name, "statements": result.statements, "segments": result.segments}


def load_landing(deployment: Deployment, as_of: date) -> dict:
    from pipelines import run as stages

    deployment.landing.mkdir(parents=True, exist_ok=True)
    result = stages.load(deployment.config, [deployment.landing], as_of, deployment.out, deployment.warehouse)
    return {"files": result.files_loaded, "records": result.records_loaded}


def update_ledger(deployment: Deployment, as_of: date) -> dict:
    from pipelines import run as stages

    result = stages.build_ledger(deployment.config, as_of, deployment.out, deployment.warehouse)
    return {"entries_added": result.ledger_entries_added, "full_pass": result.full_pass}


def publish(deployment: Deployment, as_of: date) -> dict:
    from pipelines import run as stages

    result = stages.publish(as_of, deployment.out, deployment.warehouse)
    return {"report": str(result.report)}


def send_digests(deployment: Deployment, as_of: date) -> dict:
    from pipelines.digest import run_digest

    done = run_digest(deployment.config, deployment.warehouse, as_of, deployment.out)
    return {"digests": len(done.digests), "sent": len(done.sent)}
