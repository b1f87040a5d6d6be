#!/usr/bin/env bash
# Makes sure the PostgreSQL server the tests use answers; starts the local Debian cluster if it
# is down. With DATABASE_URL set, only checks that server.
set -euo pipefail
url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
ready() { pg_isready -q -d "$url" 2>/dev/null; }
ready && exit 0
if [[ -z ${DATABASE_URL:-} ]] && command -v pg_ctlcluster >/dev/null && [[ -d /etc/postgresql ]]; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "[postgres] starting local cluster $version/main" >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 50); do ready && exit 0; sleep 0.2; done
fi
echo "[postgres] no PostgreSQL answers at $url; start one or set DATABASE_URL" >&2
exit 1
