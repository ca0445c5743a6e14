#!/usr/bin/env bash
# Set up (the project's venv and Ralph's), lint, and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/setup-ralph.sh >/dev/null  # the LRS the pull tests talk to
bash scripts/setup-browser.sh           # Chromium and tesseract, for the report site's browser test
bash scripts/setup-postgres.sh          # PostgreSQL, for the scheduler test
bash scripts/setup-compose-schema.sh    # the Compose Specification's JSON Schema, for the compose file test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
bash scripts/check-wheel.sh
.venv/bin/python -m pytest -n 2 --dist loadfile "$@"  # both cores; a file stays on one worker with its fixtures
