"""The warehouse chain, one DAG per step, each scheduled on the Asset the step before
updates: landing -> load and validate -> ledger -> publish."""

from __future__ import annotations

from functools import reduce

from airflow.sdk import dag, get_current_context, task

from pipelines.orchestration import (
    COMPLIANCE,
    DEFAULTS,
    PUBLISHED,
    START,
    WAREHOUSE,
    WAREHOUSE_POOL,
    as_of,
    landing_assets,
)


def on_any(assets):
    return reduce(lambda a, b: a | b, assets) if assets else None


@dag(
    dag_id="celedger_load",
    schedule=on_any(landing_assets()),
    start_date=START,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULTS,
    tags=["celedger", "warehouse"],
    doc_md="Load new landing segments into the warehouse; quarantine bad statements; audit the batch (GX).",
)
def celedger_load():
    @task(pool=WAREHOUSE_POOL, outlets=[WAREHOUSE])
    def load_and_validate() -> dict:
        from pipelines.deployment import Deployment
        from pipelines.tasks import load_landing

        return load_landing(Deployment.from_environment(), as_of(get_current_context()))

    load_and_validate()


@dag(
    dag_id="celedger_ledger",
    schedule=WAREHOUSE,
    start_date=START,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULTS,
    tags=["celedger", "warehouse"],
    doc_md="Credit, the ledger book and compliance for what was loaded; audited before commit (GX).",
)
def celedger_ledger():
    @task(pool=WAREHOUSE_POOL, outlets=[COMPLIANCE])
    def build_ledger() -> dict:
        from pipelines.deployment import Deployment
        from pipelines.tasks import update_ledger

        return update_ledger(Deployment.from_environment(), as_of(get_current_context()))

    build_ledger()


@dag(
    dag_id="celedger_publish",
    schedule=COMPLIANCE,
    start_date=START,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULTS,
    tags=["celedger", "publish"],
    doc_md="Publish the compliance tables (CSV, Parquet) and the program-office report.",
)
def celedger_publish():
    @task(outlets=[PUBLISHED])
    def publish_tables() -> dict:
        from pipelines.deployment import Deployment
        from pipelines.tasks import publish

        return publish(Deployment.from_environment(), as_of(get_current_context()))

    publish_tables()


celedger_load()
celedger_ledger()
celedger_publish()
