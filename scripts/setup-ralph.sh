#!/usr/bin/env bash
# Create .venv-ralph (Python 3.11) holding Ralph, the LRS that the integration tests of the
# xAPI pull client run against (tests/lrs_server.py), with exactly the tested versions.
#
# Ralph lives in a virtualenv of its own: its extras (fastapi, pydantic 2, uvicorn...)
# conflict with Apache Airflow, so it never goes into .venv. requirements-ralph.lock is the
# `pip freeze` of a venv where `pip install 'ralph-malph[cli,lrs,backend-fs]==5.1.0' requests`
# was run and tested. Idempotent: a venv that already matches the lock is left as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
lock=requirements-ralph.lock
venv=.venv-ralph
source scripts/find-python.sh

# A venv of another Python (or a broken one) is rebuilt from scratch.
if [ -e "$venv" ] && ! "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
  echo "setup-ralph: $venv is not a working Python 3.11 venv; recreating it" >&2
  rm -rf "$venv"
fi
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"

wanted=$(grep -Ev '^[[:space:]]*(#|$)' "$lock" | tr '[:upper:]_' '[:lower:]-' | sort)
have=$("$venv/bin/python" -m pip freeze --disable-pip-version-check 2>/dev/null | tr '[:upper:]_' '[:lower:]-' | sort)
if [ "$wanted" != "$have" ] || [ ! -x "$venv/bin/ralph" ]; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$lock"
fi
"$venv/bin/ralph" --version
