"""Weekly supervisor digests: compliance brought up to the day, then each supervisor
mailed about their own staff (and the digest archived)."""

from __future__ import annotations

from airflow.sdk import dag, get_current_context, task

from pipelines.orchestration import COMPLIANCE, DEFAULTS, START, WAREHOUSE_POOL, as_of


@dag(
    dag_id="celedger_digest",
    schedule="0 7 * * MON",
    start_date=START,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULTS,
    tags=["celedger", "digest"],
    doc_md="Every Monday: compliance as of today, then each supervisor's digest by email.",
)
def celedger_digest():
    @task(pool=WAREHOUSE_POOL, outlets=[COMPLIANCE])
    def compliance_as_of_today() -> dict:
        from pipelines.deployment import Deployment
        from pipelines.tasks import update_ledger

        return update_ledger(Deployment.from_environment(), as_of(get_current_context()))

    @task
    def mail_supervisors() -> dict:
        # a retry mails only those not mailed yet (pipelines.digest keeps who was sent)
        from pipelines.deployment import Deployment
        from pipelines.tasks import send_digests

        return send_digests(Deployment.from_environment(), as_of(get_current_context()))

    compliance_as_of_today() >> mail_supervisors()


celedger_digest()
