#!/usr/bin/env bash
# Create .venv (Python 3.11) with exactly the tested versions, then celedger itself.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/find-python.sh
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
