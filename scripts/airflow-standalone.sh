#!/usr/bin/env bash
# The embedded default deployment: `airflow standalone` (SQLite metadata, all components
# in one process tree) running the sample program as a deployment, with no clicks:
#
# - the sample config is copied to $AIRFLOW_HOME/config (every start) and, on the first
#   start only (marker $AIRFLOW_HOME/.celedger-sample-seeded), its sources are seeded from
#   sample/statements: the webinar platform into a Ralph LRS on 127.0.0.1, the LMS and
#   course-forum exports into inboxes under $AIRFLOW_HOME/inbox/ (pipelines/deployment.py);
# - Ralph (from .venv-ralph, made by scripts/setup-ralph.sh if missing) serves the webinar
#   platform, with a password generated at each start and handed to the pull as
#   AIRFLOW_CONN_SAMPLE_WEBINAR_LRS (never written to a file);
# - a local SMTP catcher takes the supervisor digests into the Maildir $AIRFLOW_HOME/mail;
# - the DAGs start unpaused (this deployment only), so the pulls run at once and load,
#   ledger and publish follow on their Assets: $AIRFLOW_HOME/out/site/index.html.
#
# Ports: AIRFLOW__API__PORT (UI and API, 8080), CELEDGER_LRS_PORT (Ralph, 8100),
# CELEDGER_SMTP_PORT (the SMTP catcher, 8025). With CELEDGER_CONFIG set to a config folder
# of your own, nothing is seeded and neither Ralph nor the catcher is started.
# Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"  # standalone starts its components as `airflow ...`
export AIRFLOW_HOME="${AIRFLOW_HOME:-$PWD/.airflow}"
mkdir -p "$AIRFLOW_HOME"
export AIRFLOW__CORE__DAGS_FOLDER="$PWD/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
# This deployment only (docker-compose.yml and production keep DAGs paused at creation):
# every DAG starts unpaused but the digest, which celedger_digest.py keeps paused.
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=False
export AIRFLOW__API__PORT="${AIRFLOW__API__PORT:-8080}"
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="${AIRFLOW__CORE__EXECUTION_API_SERVER_URL:-http://localhost:$AIRFLOW__API__PORT/execution/}"
# One small machine runs everything: a few task processes at a time, and patience with an
# api-server that is still starting or busy with SQLite when the first pulls begin.
export AIRFLOW__CORE__PARALLELISM="${AIRFLOW__CORE__PARALLELISM:-4}"
export AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT="${AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT:-60}"
export CELEDGER_LANDING="${CELEDGER_LANDING:-$AIRFLOW_HOME/landing}"
export CELEDGER_OUT="${CELEDGER_OUT:-$AIRFLOW_HOME/out}"

started=()
stop_started() {
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_started EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait_for_http() {  # URL SECONDS PID LOG: until URL answers, or fail if PID died
  local deadline=$((SECONDS + $2))
  until .venv/bin/python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1" 2>/dev/null; do
    if ! kill -0 "$3" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      echo "airflow-standalone: $1 did not answer; see $4" >&2
      tail -n 20 "$4" >&2
      exit 1
    fi
    sleep 0.5
  done
}

if [ -z "${CELEDGER_CONFIG:-}" ]; then
  [ -x .venv-ralph/bin/ralph ] || bash scripts/setup-ralph.sh
  lrs_port="${CELEDGER_LRS_PORT:-8100}"
  smtp_port="${CELEDGER_SMTP_PORT:-8025}"
  export CELEDGER_CONFIG="$AIRFLOW_HOME/config"
  .venv/bin/python -m pipelines.deployment "$AIRFLOW_HOME" --smtp-port "$smtp_port"

  # Ralph: fresh credentials each start (`ralph auth -w` refuses a user already in auth.json)
  ralph="$AIRFLOW_HOME/ralph"
  mkdir -p "$ralph/app" "$ralph/data"
  lrs_user=celedger
  lrs_password="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(24))')"
  rm -f "$ralph/app/auth.json"
  ralph_env=(env -u VIRTUAL_ENV -u PYTHONPATH RALPH_APP_DIR="$ralph/app" RALPH_RUNSERVER_BACKEND=fs)
  "${ralph_env[@]}" .venv-ralph/bin/ralph auth -u "$lrs_user" -p "$lrs_password" -s all \
    -M "mailto:$lrs_user@example.org" -w >/dev/null
  (cd "$ralph/data" && exec "${ralph_env[@]}" "$repo/.venv-ralph/bin/ralph" runserver -b fs \
    -h 127.0.0.1 -p "$lrs_port" --fs-default-directory-path "$ralph/data") >"$ralph/ralph.log" 2>&1 &
  started+=($!)
  wait_for_http "http://127.0.0.1:$lrs_port/__lbheartbeat__" 60 "$!" "$ralph/ralph.log"
  export AIRFLOW_CONN_SAMPLE_WEBINAR_LRS="http://$lrs_user:$lrs_password@127.0.0.1:$lrs_port/xAPI/"
  echo "airflow-standalone: Ralph LRS for webinar-platform on http://127.0.0.1:$lrs_port/xAPI/ (log $ralph/ralph.log)" >&2

  # the digests' mail relay: every message lands in the Maildir $AIRFLOW_HOME/mail
  .venv/bin/python -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$AIRFLOW_HOME/mail" \
    >"$AIRFLOW_HOME/smtp.log" 2>&1 &
  started+=($!)
  echo "airflow-standalone: SMTP catcher on 127.0.0.1:$smtp_port, digests into $AIRFLOW_HOME/mail/new/" >&2
fi

.venv/bin/airflow db migrate >/dev/null
.venv/bin/airflow pools set celedger_warehouse 1 "DuckDB allows one writer at a time" >/dev/null
echo "airflow-standalone: UI on http://localhost:$AIRFLOW__API__PORT/ (admin password in $AIRFLOW_HOME/simple_auth_manager_passwords.json.generated)" >&2
.venv/bin/airflow standalone &
started+=($!)
wait "$!"
