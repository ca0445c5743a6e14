"""Weekly supervisor digests: compliance brought up to the day, then each supervisor
mailed about their own staff (and the digest archived)."""

from __future__ import annotations

from airflow.sdk import task

from pipelines import tasks
from pipelines.orchestration import COMPLIANCE, NETWORK_TIMEOUT, WAREHOUSE_POOL, celedger_dag, run_step


@celedger_dag(
    "celedger_digest",
    "0 7 * * MON",
    "digest",
    "Every Monday: compliance as of today, then each supervisor's digest by email.",
)
def celedger_digest():
    @task(pool=WAREHOUSE_POOL, outlets=[COMPLIANCE])
    def compliance_as_of_today() -> dict:
        return run_step(tasks.update_ledger)

    @task(execution_timeout=NETWORK_TIMEOUT)
    def mail_supervisors() -> dict:
        # a retry mails only those not mailed yet (pipelines.digest keeps who was sent)
        return run_step(tasks.send_digests)

    compliance_as_of_today() >> mail_supervisors()


# The digest mails every supervisor: it starts paused in every deployment, whatever
# DAGS_ARE_PAUSED_AT_CREATION says; unpause it once digest.yaml names the mail relay.
celedger_digest().is_paused_upon_creation = True
