"""The warehouse chain, one DAG per step, each scheduled on the Asset the step before
updates: landing -> load and validate -> ledger -> publish."""

from __future__ import annotations

from functools import reduce

from airflow.sdk import task

from pipelines import tasks
from pipelines.orchestration import (
    COMPLIANCE,
    PUBLISHED,
    WAREHOUSE,
    WAREHOUSE_POOL,
    celedger_dag,
    landing_assets,
    run_step,
)


def on_any(assets):
    return reduce(lambda a, b: a | b, assets) if assets else None


@celedger_dag(
    "celedger_load",
    on_any(landing_assets()),
    "warehouse",
    "Load new landing segments into the warehouse; quarantine bad statements; audit the batch (GX).",
)
def celedger_load():
    @task(pool=WAREHOUSE_POOL, outlets=[WAREHOUSE])
    def load_and_validate() -> dict:
        return run_step(tasks.load_landing)

    load_and_validate()


@celedger_dag(
    "celedger_ledger",
    WAREHOUSE,
    "warehouse",
    "Credit, the ledger book and compliance for what was loaded; audited before commit (GX).",
)
def celedger_ledger():
    @task(pool=WAREHOUSE_POOL, outlets=[COMPLIANCE])
    def build_ledger() -> dict:
        return run_step(tasks.update_ledger)

    build_ledger()


@celedger_dag(
    "celedger_publish",
    COMPLIANCE,
    "publish",
    "Publish the compliance tables (CSV, Parquet), the report and the program-office site.",
)
def celedger_publish():
    # in the pool too: DuckDB lets no other process open the file, even read-only, while
    # a load or ledger run writes it, so a publish beside one fails with a lock conflict
    @task(pool=WAREHOUSE_POOL, outlets=[PUBLISHED])
    def publish_tables() -> dict:
        return run_step(tasks.publish)

    publish_tables()


celedger_load()
celedger_ledger()
celedger_publish()
