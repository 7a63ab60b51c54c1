#!/usr/bin/env bash
# Set up and run EventMate on this machine: SQLite in ./instance, demo data, http://127.0.0.1:5000,
# and the reminder dispatcher (`flask reminders run`) beside it.
# Options through the environment: HOST (default 127.0.0.1), PORT (default 5000), NO_DEMO=1.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-venv.sh requirements.txt
export FLASK_APP=app EVENTMATE_ENV="${EVENTMATE_ENV:-development}"
flask db upgrade
if [ -z "${NO_DEMO:-}" ]; then flask seed-demo; fi
# Morning reminders without cron: the push dispatcher loops beside the server and stops with it.
flask reminders run &
dispatcher=$!
trap 'kill "$dispatcher" 2>/dev/null || true; wait "$dispatcher" 2>/dev/null || true' EXIT
echo "== EventMate on http://${HOST:-127.0.0.1}:${PORT:-5000} (reminder dispatcher: pid $dispatcher)"
flask run --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}"
