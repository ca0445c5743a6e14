#!/usr/bin/env bash
# The Compose Specification's JSON Schema for tests/test_compose.py (no Docker engine runs
# here), as docker-compose 1.29.2, the last Python release of Compose, ships it in its wheel
# (compose/config/compose_spec.json, Apache License 2.0). Taken from the package index,
# not kept in the repository; written to .cache/compose-spec.json. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
target=.cache/compose-spec.json
[ -s "$target" ] && exit 0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/compose-spec.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
.venv/bin/python -m pip download --quiet --disable-pip-version-check --no-deps "docker-compose==1.29.2" \
  -d "$tmp" >"$tmp/pip.log" 2>&1 || { cat "$tmp/pip.log" >&2; exit 1; }
mkdir -p .cache
.venv/bin/python - "$tmp"/docker_compose-1.29.2-*.whl "$target" <<'PY'
import sys
import zipfile
from pathlib import Path

wheel, target = sys.argv[1], Path(sys.argv[2])
target.write_bytes(zipfile.ZipFile(wheel).read("compose/config/compose_spec.json"))
PY
