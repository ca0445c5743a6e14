#!/usr/bin/env bash
# The embedded default deployment: `airflow standalone` (SQLite metadata, all components
# in one process tree) with celedger's DAGs, the sample config and folders under .airflow/.
# Ctrl-C stops it. Put a sources.yaml in the config folder to get pull DAGs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"  # standalone starts its components as `airflow ...`
export AIRFLOW_HOME="${AIRFLOW_HOME:-$PWD/.airflow}"
export AIRFLOW__CORE__DAGS_FOLDER="$PWD/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export CELEDGER_CONFIG="${CELEDGER_CONFIG:-$PWD/sample/config}"
export CELEDGER_LANDING="${CELEDGER_LANDING:-$AIRFLOW_HOME/landing}"
export CELEDGER_OUT="${CELEDGER_OUT:-$AIRFLOW_HOME/out}"
.venv/bin/airflow db migrate >/dev/null
.venv/bin/airflow pools set celedger_warehouse 1 "DuckDB allows one writer at a time" >/dev/null
exec .venv/bin/airflow standalone
