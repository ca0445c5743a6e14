#!/usr/bin/env bash
# Set up, then run the main job on the bundled sample program with embedded defaults:
# a DuckDB file in out/, the sample config and statements, status as of 2026-11-20.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/celedger run \
  --config sample/config \
  --statements sample/statements \
  --as-of 2026-11-20 \
  --out out
