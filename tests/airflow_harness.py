"""Runs Airflow in a process of its own for the tests, whose environment (AIRFLOW_HOME,
the DAGs folder, CELEDGER_*) the test sets: Airflow reads its configuration once, at
import, so it cannot share the test process.

    python tests/airflow_harness.py dagbag
    python tests/airflow_harness.py test DAG_ID [AS_OF]

Prints one JSON object on the last line of stdout.
"""

from __future__ import annotations

import json
import sys


def dagbag() -> dict:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag()
    return {
        "import_errors": {str(k): str(v) for k, v in bag.import_errors.items()},
        "dags": {
            dag_id: {
                "tags": sorted(dag.tags),
                "schedule": type(dag.timetable).__name__,
                "tasks": {
                    t.task_id: {
                        "retries": t.retries,
                        "pool": t.pool,
                        "execution_timeout": t.execution_timeout.total_seconds() if t.execution_timeout else None,
                    }
                    for t in dag.tasks
                },
            }
            for dag_id, dag in sorted(bag.dags.items())
        },
    }


def test(dag_id: str, as_of: str | None) -> dict:
    from airflow.dag_processing.dagbag import DagBag

    dag = DagBag().get_dag(dag_id)
    run = dag.test(run_conf={"as_of": as_of} if as_of else None)
    tasks = {ti.task_id: str(ti.state) for ti in run.get_task_instances()}
    return {"dag_id": dag_id, "state": str(run.state), "tasks": tasks}


if __name__ == "__main__":
    command = sys.argv[1]
    outcome = dagbag() if command == "dagbag" else test(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    print(json.dumps(outcome))
