#!/usr/bin/env bash
# Debian's PostgreSQL, for the test that runs Airflow's scheduler against a real
# Postgres (tests/test_scheduler_postgres.py starts its own cluster on 127.0.0.1).
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
