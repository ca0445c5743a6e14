"""What the celedger DAGs share: assets, defaults, the warehouse pool, the as-of date.

Here rather than in dags/ so every DAG file imports it the same way, whatever folder
Airflow parses them from.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pendulum
from airflow.sdk import Asset, dag, get_current_context

from pipelines.deployment import Deployment

START = pendulum.datetime(2026, 1, 1, tz="UTC")
# DuckDB takes one writer at a time: every task that writes the warehouse runs in this
# one-slot pool (created by scripts/airflow-setup.sh).
WAREHOUSE_POOL = "celedger_warehouse"
# Every task has a time limit, so a hung task (an LRS dripping a byte a second, a stalled
# mail relay, a stuck disk) fails, frees its pool slot and is retried instead of blocking
# the chain for ever. Warehouse steps take minutes for a million statements: two hours
# means hung. A pull or the digest mailing is network-bound and gets less.
WAREHOUSE_TIMEOUT = timedelta(hours=2)
NETWORK_TIMEOUT = timedelta(minutes=30)
DEFAULTS = {
    "owner": "celedger",
    "retries": 2,
    "retry_delay": timedelta(minutes=1),
    "execution_timeout": WAREHOUSE_TIMEOUT,
}

WAREHOUSE = Asset(name="celedger_warehouse", uri="celedger://warehouse/statements")
COMPLIANCE = Asset(name="celedger_compliance", uri="celedger://warehouse/compliance")
PUBLISHED = Asset(name="celedger_published", uri="celedger://out/published")


def landing_asset(source: str) -> Asset:
    return Asset(name=f"celedger_landing_{source}", uri=f"celedger://landing/{source}")


def landing_assets() -> list[Asset]:
    return [landing_asset(name) for name, _ in Deployment.from_environment().source_names()]


def as_of(context) -> object:
    """The date statuses are computed as of: `as_of` in the run's conf, else the day it was due."""
    conf = (context["dag_run"].conf or {}) if context.get("dag_run") else {}
    run_after = getattr(context.get("dag_run"), "run_after", None)
    return Deployment.from_environment().as_of(conf.get("as_of"), run_after)


def celedger_dag(dag_id: str, schedule, tag: str, doc: str):
    """The @dag decorator with what every celedger DAG shares: start, no catch-up, one run
    at a time, retries, a time limit for every task, tags."""
    return dag(
        dag_id=dag_id,
        schedule=schedule,
        start_date=START,
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULTS,
        tags=["celedger", tag],
        doc_md=doc,
    )


def run_step(step: Callable[[Deployment, date], dict]) -> dict:
    """Inside a task: a step of pipelines.tasks for this deployment, as of the run's date."""
    return step(Deployment.from_environment(), as_of(get_current_context()))
