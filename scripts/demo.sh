#!/usr/bin/env bash
# The main job: a broker (started if none runs), the database, and the telemetry app.
# DEMO_SECONDS=N stops the app after N seconds; otherwise it runs until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-postgres.sh
bash scripts/kafka/kafka.sh start >/dev/null
pnpm run build:packages >/dev/null
if [[ -n ${DEMO_SECONDS:-} ]]; then
  exec timeout --signal=TERM --preserve-status "$DEMO_SECONDS" pnpm exec nest start telemetry
fi
exec pnpm exec nest start telemetry
