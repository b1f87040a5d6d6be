#!/usr/bin/env bash
# The main job (README command 1): a broker (started if none answers), a database (the local
# server, or an embedded PGlite when there is none), the telemetry service and the simulator
# for DEMO_SECONDS (default 60), a live line, then the report. Ctrl-C ends the load early and
# still reports. Logs: .data/demo/. See apps/telemetry/README.md for the knobs.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[demo] %s\n' "$*" >&2; }

if [[ -n ${KAFKA_BOOTSTRAP:-} ]]; then
  export DEMO_BROKER="given by KAFKA_BOOTSTRAP"
elif (exec 3<>"/dev/tcp/127.0.0.1/${KAFKA_PORT:-9092}") 2>/dev/null; then
  export DEMO_BROKER="already running"
else
  log "starting the Kafka broker"
  bash scripts/kafka/kafka.sh start >/dev/null
  export DEMO_BROKER="started by the demo"
fi

# Starts the local Debian cluster when one is installed; without one the demo embeds PostgreSQL.
if [[ -z ${DATABASE_URL:-} ]]; then
  bash scripts/ensure-postgres.sh 2>/dev/null || log "no local PostgreSQL server: using an embedded one (PGlite)"
fi

log "building"
pnpm run build:packages >/dev/null
pnpm exec nest build telemetry >/dev/null
exec node apps/telemetry/dist/demo/demo.main.js
