#!/usr/bin/env bash
# Install what tests/test_site.py drives: Debian's Chromium (headless DOM dumps and
# screenshots of the report site), tesseract-ocr (reads the screenshot back) and the
# fonts the pages are drawn in. Idempotent and quiet: apt-get runs only when something
# is missing. Needs root (or sudo), like any apt-get install.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr tesseract-ocr-eng)
for font in fonts-dejavu-core fonts-liberation; do
  dpkg-query -W -f='${Status}' "$font" 2>/dev/null | grep -q 'install ok installed' || missing+=("$font")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "setup-browser: root is needed to install ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >/dev/null
"${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
