#!/usr/bin/env bash
# Prepares a fresh machine (or refreshes a used one) for the demo and the tests. Idempotent.
#  - Debian packages that librdkafka's source build needs, Java and Maven for the broker, and
#    Chromium for the operator console's browser test
#  - pnpm, then `pnpm install` building @confluentinc/kafka-javascript from its bundled librdkafka
#  - the Apache Kafka broker jars (Maven, once)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*" >&2; }

debian_packages=(build-essential python3 pkg-config libssl-dev libsasl2-dev libzstd-dev liblz4-dev
  libcurl4-openssl-dev zlib1g-dev openjdk-17-jre-headless maven postgresql-client chromium openssl)
if command -v dpkg-query >/dev/null; then
  missing=()
  for pkg in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  # A JDK from another vendor serves the broker as well as Debian's JRE.
  if command -v java >/dev/null; then missing=("${missing[@]/openjdk-17-jre-headless/}"); fi
  missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
  if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    sudo_cmd=(); [[ $(id -u) == 0 ]] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  log "not a Debian system: install the equivalents of ${debian_packages[*]} yourself"
fi

pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [[ $(pnpm --version 2>/dev/null) != "$pnpm_version" ]]; then
  log "installing pnpm $pnpm_version"
  npm install -g --silent "pnpm@$pnpm_version"
fi

# No prebuilt librdkafka binary can be downloaded here: build the bundled source, linking the
# system's OpenSSL/SASL/zstd/lz4/curl, against the Node headers installed with Node itself.
export CKJS_LINKING=dynamic
node_headers=$(dirname "$(dirname "$(command -v node)")")
[[ -f $node_headers/include/node/node.h ]] && export npm_config_nodedir=$node_headers
pnpm install --reporter=append-only 2>&1 | grep -vE '^\.\.\./.*install: (gyp info|  CC|  CXX|  LINK)' || { log "pnpm install failed"; exit 1; }
node -e "require('@confluentinc/kafka-javascript')" 2>/dev/null || node -e "require('./packages/kafka-batch/node_modules/@confluentinc/kafka-javascript')" \
  || { log "@confluentinc/kafka-javascript did not build; see the output above"; exit 1; }

bash scripts/kafka/kafka.sh jars >/dev/null
log "ready"
