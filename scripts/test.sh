#!/usr/bin/env bash
# Set up everything the test suite needs, then run all of it (slow tests included).
# Used as is by the README's Quickstart and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: Chromium for the browser test (tests/test_browser.py),
# LibreOffice Calc to read back the XLSX export (tests/test_export_xlsx.py), Redis for
# the distributed crawl's tests (tests/test_distributed.py starts its own server).
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v libreoffice >/dev/null 2>&1 || need+=(libreoffice-calc)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "note: ${need[*]} missing and not root; the tests that need them will be skipped" >&2
  fi
fi

python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e ".[test]"
# pywb (WARC replay in tests/test_evidence.py) pins redis 2.10, which the distributed
# crawl's redis 5+ excludes: it gets a virtualenv of its own.
python3 -m venv .venv-pywb
.venv-pywb/bin/pip install -q --disable-pip-version-check "pywb>=2.9,<3"

.venv/bin/ruff check .
.venv/bin/ruff format --check .
status=0
.venv/bin/python -m pytest -n 2 "$@" || status=$?
if [ "$status" = 5 ]; then
  echo "error: pytest collected no tests" >&2
  exit 1
fi
exit "$status"
