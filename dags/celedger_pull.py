"""One pull DAG per source in sources.yaml: statements into the landing zone, announced
as that source's landing Asset."""

from __future__ import annotations

from airflow.sdk import task

from pipelines import tasks
from pipelines.deployment import Deployment
from pipelines.orchestration import NETWORK_TIMEOUT, celedger_dag, landing_asset

deployment = Deployment.from_environment()


def pull_dag(source: str, schedule: str):
    @celedger_dag(
        f"celedger_pull_{source}",
        schedule,
        "pull",
        f"Pull new xAPI statements from source `{source}` into the landing zone.",
    )
    def pull_source():
        @task(outlets=[landing_asset(source)], execution_timeout=NETWORK_TIMEOUT)
        def pull_new_statements() -> dict:
            from airflow.sdk.exceptions import AirflowSkipException

            pulled = tasks.pull_source(Deployment.from_environment(), source)
            if pulled["segments"] == 0:
                raise AirflowSkipException("nothing new")  # no landing event, no load run
            return pulled

        pull_new_statements()

    return pull_source()


for name, cron in deployment.source_names():
    globals()[f"celedger_pull_{name}"] = pull_dag(name, cron)
