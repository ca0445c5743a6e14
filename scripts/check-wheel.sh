#!/usr/bin/env bash
# Build celedger's wheel, install it into a fresh virtualenv (its declared dependencies,
# pinned by requirements.lock) and run the sample program from a temporary folder. It must
# exit 0 and write out/compliance_worker.csv byte for byte as the checkout's .venv/bin/celedger
# does. Any failure stops the script with a non-zero exit: a build error, a data file missing
# from the wheel, a missing dependency, a failed run, a CSV that differs.
# CHECK_WHEEL_KEEP=1 keeps the temporary folder for a look afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
source scripts/find-python.sh
[ -x .venv/bin/celedger ] || { echo "check-wheel: run scripts/setup.sh first (no .venv/bin/celedger)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/celedger-wheel.XXXXXX")
if [ "${CHECK_WHEEL_KEEP:-}" = 1 ]; then
  echo "check-wheel: keeping $tmp" >&2
else
  trap 'rm -rf "$tmp"' EXIT
fi
started=$SECONDS
step() { echo "check-wheel: [$((SECONDS - started))s] $*" >&2; }
quietly() {  # pip's notes (the machine's extra indexes) go to a log, shown only on failure
  "$@" >"$tmp/pip.log" 2>&1 || { cat "$tmp/pip.log" >&2; return 1; }
}
pip=(--disable-pip-version-check --no-input)

# Built from a copy of the working tree's files (tracked and new, not ignored ones), so a
# build/ or *.egg-info left by an earlier build cannot leak into the wheel.
step "copying the source"
mkdir "$tmp/src"
git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' file; do [ -f "$file" ] && printf '%s\0' "$file"; done \
  | tar --null -T - -cf - | tar -xf - -C "$tmp/src"

step "building the wheel"
quietly .venv/bin/python -m pip wheel "${pip[@]}" --no-deps -w "$tmp/dist" "$tmp/src"
wheel=$(echo "$tmp"/dist/celedger-*.whl)
[ -f "$wheel" ] || { echo "check-wheel: expected one celedger wheel in $tmp/dist" >&2; exit 1; }

step "checking the wheel holds every data file"
.venv/bin/python - "$wheel" "$tmp/src" <<'EOF'
import sys
import zipfile
from pathlib import Path

wheel, src = sys.argv[1], Path(sys.argv[2])
shipped = set(zipfile.ZipFile(wheel).namelist())
wanted = set()
for path in (p.relative_to(src) for p in src.rglob("*") if p.is_file()):
    if path.parts[0] in ("schemas", "warehouse", "expectations"):  # shipped as pipelines/_data/<folder>/
        wanted.add(f"pipelines/_data/{path}")
    elif path.parts[0] == "pipelines":  # the code and pipelines/templates/
        wanted.add(str(path))
if missing := sorted(wanted - shipped):
    sys.exit("check-wheel: the wheel lacks " + ", ".join(missing))
print(f"check-wheel: the wheel holds all {len(wanted)} files", file=sys.stderr)
EOF

run_sample() {  # FOLDER CELEDGER...: the sample program, run from FOLDER into FOLDER/out
  local folder=$1
  shift
  mkdir -p "$folder"
  (cd "$folder" && "$@" run --config "$repo/sample/config" --statements "$repo/sample/statements" \
    --as-of 2026-11-20 --out out >run.log 2>&1) || {
    echo "check-wheel: the sample run in $folder failed:" >&2
    cat "$folder/run.log" >&2
    return 1
  }
  [ -s "$folder/out/compliance_worker.csv" ] || { echo "check-wheel: $folder/out/compliance_worker.csv not written" >&2; return 1; }
}

# The checkout's run (the reference) goes on while the fresh virtualenv is filled.
# PYTHONPATH: .venv's celedger runs this checkout's code even if its editable install points elsewhere.
step "running the sample with the checkout (in the background)"
run_sample "$tmp/checkout" env PYTHONPATH="$repo" "$repo/.venv/bin/celedger" &
checkout_run=$!

step "installing the wheel and its dependencies (pinned by requirements.lock) into a fresh virtualenv"
"$python" -m venv "$tmp/venv"
# --no-compile: Python compiles what it imports; byte-compiling every dependency doubles the time.
quietly "$tmp/venv/bin/python" -m pip install "${pip[@]}" --no-compile -c requirements.lock "$wheel"
quietly "$tmp/venv/bin/python" -m pip check

step "running the sample with the installed wheel"
# From a folder outside the checkout, with nothing on PYTHONPATH: the installed package only.
(cd "$tmp" && env -u PYTHONPATH "$tmp/venv/bin/python" -c '
import pipelines.resources as r
assert "site-packages" in str(r.PACKAGE) and r.ROOT == r.PACKAGE / "_data", r.ROOT
')
run_sample "$tmp/installed" env -u PYTHONPATH "$tmp/venv/bin/celedger"

step "waiting for the checkout's run"
wait "$checkout_run"

cmp "$tmp/installed/out/compliance_worker.csv" "$tmp/checkout/out/compliance_worker.csv"
step "passed: the installed wheel's compliance_worker.csv equals the checkout's"
