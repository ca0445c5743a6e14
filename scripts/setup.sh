#!/usr/bin/env bash
# Create .venv (Python 3.11) with exactly the tested versions, then celedger itself.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/find-python.sh
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
# celedger, editable, unless .venv already has this checkout's: reinstalling it while tests
# run beside (scripts/airflow-standalone.sh calls this) would hide the package for a moment.
here=$(pwd)/pipelines
if ! .venv/bin/python -I -c 'import pipelines, pathlib, sys; sys.exit(pathlib.Path(pipelines.__file__).parent != pathlib.Path(sys.argv[1]))' "$here" 2>/dev/null; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
fi
