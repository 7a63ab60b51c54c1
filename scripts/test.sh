#!/usr/bin/env bash
# Set up and run every check: lint, format, the outbox's JavaScript rules (Node's test runner),
# unit, HTTP, PostgreSQL (when a server answers on 127.0.0.1:5432 or DATABASE_URL) and browser
# tests (installs Debian's Chromium when missing).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k scans`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-venv.sh requirements-dev.txt

if ! command -v chromium >/dev/null 2>&1; then
  echo "== Installing Debian's Chromium for the browser tests"
  sudo_cmd=""
  if [ "$(id -u)" != "0" ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi

# Browser-side test tools from npm (axe-core), pinned by package-lock.json; never served to users.
npm_wanted="$(sha256sum package-lock.json | cut -d' ' -f1)"
if ! command -v npm >/dev/null 2>&1; then
  echo "== npm not found: the axe-core accessibility tests will be skipped (and say so)"
elif [ "$(cat node_modules/.installed-lock 2>/dev/null)" != "$npm_wanted" ]; then
  echo "== npm ci (test tools: axe-core)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$npm_wanted" > node_modules/.installed-lock
fi

echo "== ruff"
ruff check .
ruff format --check .

echo "== node --test (the outbox's queue rules)"
node --test tests/js/

# Most tests wait (on a database, a server, a browser) rather than compute, so three processes
# keep two CPUs busy; each file runs whole in one process (its fixtures are built once).
# PYTEST_WORKERS=0 runs everything in this process.
echo "== pytest"
python -m pytest -n "${PYTEST_WORKERS:-3}" --dist loadfile "$@"
