#!/usr/bin/env bash
# A real single-node Apache Kafka 4.x broker (KRaft, broker+controller) for development and tests,
# run from the official jars that Maven resolves once into .kafka/lib. No Docker needed.
#
#   kafka.sh start | stop | restart | status | logs [-f] | reset | jars | tool <class> [args...]
#
# Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_HOME (<repo>/.kafka), KAFKA_LIB (jars, $KAFKA_HOME/lib),
#              KAFKA_HEAP_OPTS (-Xms256m -Xmx1g), KAFKA_START_TIMEOUT (60 seconds).
#              KAFKA_SASL_PORT (unset: none) adds a SASL_PLAINTEXT listener with SCRAM-SHA-256 and SCRAM-SHA-512;
#              KAFKA_SASL_USERS ("mechanism:name:password ...", e.g. "SCRAM-SHA-256:alice:alice-secret") are
#              created when the data directory is formatted, so changing them takes a reset.
#              KAFKA_SSL_PORT (unset: none) adds an SSL listener (no client certificates) with the key and
#              certificate of KAFKA_SSL_KEYSTORE, a PKCS12 file opened with KAFKA_SSL_KEYSTORE_PASSWORD.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
home=${KAFKA_HOME:-$repo/.kafka}
port=${KAFKA_PORT:-9092}
controller_port=${KAFKA_CONTROLLER_PORT:-9093}
sasl_port=${KAFKA_SASL_PORT:-}
ssl_port=${KAFKA_SSL_PORT:-}
lib=${KAFKA_LIB:-$home/lib}
data=$home/data
logs=$home/logs
config=$home/server.properties
pidfile=$home/broker.pid
bootstrap=localhost:$port

log() { printf '[kafka] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

kafka_version() { sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml"; }

# Resolves the jars once; a marker records which pom produced them so a version bump re-resolves.
ensure_jars() {
  local marker=$lib/.resolved stamp
  stamp=$(sha1sum "$here/pom.xml" | cut -d' ' -f1)
  if [[ -f $marker && $(cat "$marker") == "$stamp" ]]; then return; fi
  command -v mvn >/dev/null || die "Maven (mvn) is required to fetch the Kafka jars; install it (apt-get install maven)"
  log "resolving Apache Kafka $(kafka_version) jars with Maven into $lib (once)"
  rm -rf "$lib" && mkdir -p "$lib"
  mvn -q -B -Dstyle.color=never -f "$here/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$lib" -DincludeScope=runtime \
    || die "Maven could not resolve org.apache.kafka:kafka_2.13:$(kafka_version); is Maven Central reachable?"
  echo "$stamp" >"$marker"
}

java_cmd() {
  command -v java >/dev/null || die "Java 17+ is required to run the broker"
  java -cp "$lib/*" -Dlog4j2.configurationFile="$here/log4j2.yaml" -Dkafka.logs.dir="$logs" "$@"
}

tool() { ensure_jars; java_cmd -Xmx256m "$@"; }

write_config() {
  mkdir -p "$data" "$logs"
  local listeners=PLAINTEXT://127.0.0.1:$port advertised=PLAINTEXT://localhost:$port protocols=PLAINTEXT:PLAINTEXT
  if [[ -n $sasl_port ]]; then
    listeners+=,SASL_PLAINTEXT://127.0.0.1:$sasl_port
    advertised+=,SASL_PLAINTEXT://localhost:$sasl_port
    protocols+=,SASL_PLAINTEXT:SASL_PLAINTEXT
  fi
  if [[ -n $ssl_port ]]; then
    [[ -f ${KAFKA_SSL_KEYSTORE:-} && -n ${KAFKA_SSL_KEYSTORE_PASSWORD:-} ]] \
      || die "KAFKA_SSL_PORT needs KAFKA_SSL_KEYSTORE (a PKCS12 file) and KAFKA_SSL_KEYSTORE_PASSWORD"
    listeners+=,SSL://127.0.0.1:$ssl_port
    advertised+=,SSL://localhost:$ssl_port
    protocols+=,SSL:SSL
  fi
  cat >"$config" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=localhost:$controller_port
listeners=$listeners,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=$advertised,CONTROLLER://localhost:$controller_port
listener.security.protocol.map=$protocols,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$data
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=1000
group.consumer.min.session.timeout.ms=1000
group.consumer.min.heartbeat.interval.ms=500
delete.topic.enable=true
EOF
  if [[ -n $ssl_port ]]; then
    cat >>"$config" <<EOF
listener.name.ssl.ssl.keystore.type=PKCS12
listener.name.ssl.ssl.keystore.location=$KAFKA_SSL_KEYSTORE
listener.name.ssl.ssl.keystore.password=$KAFKA_SSL_KEYSTORE_PASSWORD
listener.name.ssl.ssl.key.password=$KAFKA_SSL_KEYSTORE_PASSWORD
EOF
  fi
  # Broker and controller talk PLAINTEXT: the SASL listener's login modules need no credentials of their own.
  if [[ -n $sasl_port ]]; then
    cat >>"$config" <<EOF
sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
EOF
  fi
}

# KAFKA_SASL_USERS as StorageTool arguments in scram_args: --add-scram 'SCRAM-SHA-256=[name=alice,password=secret]' each.
scram_args=()
parse_sasl_users() {
  local entries entry mechanism name password
  read -ra entries <<<"${KAFKA_SASL_USERS:-}"
  for entry in "${entries[@]}"; do
    IFS=: read -r mechanism name password <<<"$entry"
    [[ $mechanism == SCRAM-SHA-256 || $mechanism == SCRAM-SHA-512 ]] \
      || die "KAFKA_SASL_USERS: '$mechanism' is not SCRAM-SHA-256 or SCRAM-SHA-512"
    # The tool's syntax separates fields with , and = and ends the list with ]: none may occur in a value.
    [[ -n $name && -n $password && $name$password != *[],=[]* ]] \
      || die "KAFKA_SASL_USERS: expected mechanism:name:password, without , = [ ] in the name or the password"
    scram_args+=(--add-scram "$mechanism=[name=$name,password=$password]")
  done
}

running_pid() {
  [[ -f $pidfile ]] || return 1
  local pid
  pid=$(cat "$pidfile")
  # Only a process that is our broker counts: a recycled pid must never be signalled.
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "kafka.Kafka $config"; then
    echo "$pid"
  else
    return 1
  fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

# Ready means a client request succeeds, not just an open socket.
wait_ready() {
  local deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-60})) pid=$1
  until port_open && grep -q 'Kafka Server started' "$logs/server.log" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { tail -n 40 "$logs/server.log" "$logs/stdout.log" >&2 || true; die "broker exited during start"; }
    ((SECONDS < deadline)) || die "broker did not start within ${KAFKA_START_TIMEOUT:-60}s (see $logs/server.log)"
    sleep 0.3
  done
  tool org.apache.kafka.tools.BrokerApiVersionsCommand --bootstrap-server "$bootstrap" >/dev/null \
    || die "broker port is open but it does not answer client requests"
}

start() {
  local pid started=$SECONDS
  if pid=$(running_pid); then
    log "already running (pid $pid)"
    echo "$bootstrap"
    return
  fi
  port_open && die "port $port is taken by another process; set KAFKA_PORT"
  ensure_jars
  write_config
  if [[ ! -f $data/meta.properties ]]; then
    local cluster_id
    parse_sasl_users
    cluster_id=$(java_cmd kafka.tools.StorageTool random-uuid)
    java_cmd kafka.tools.StorageTool format -t "$cluster_id" -c "$config" --standalone "${scram_args[@]}" \
      >"$logs/format.log" 2>&1 \
      || { cat "$logs/format.log" >&2; die "storage format failed"; }
  fi
  : >"$logs/server.log"
  # setsid: the broker outlives the shell that started it (CI steps, pnpm scripts).
  setsid java -cp "$lib/*" ${KAFKA_HEAP_OPTS:--Xms256m -Xmx1g} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$here/log4j2.yaml" -Dkafka.logs.dir="$logs" \
    kafka.Kafka "$config" >"$logs/stdout.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$pidfile"
  wait_ready "$pid"
  log "started Apache Kafka $(kafka_version) (pid $pid) in $((SECONDS - started))s"
  echo "$bootstrap"
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    log "not running"
    rm -f "$pidfile"
    return
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "broker did not stop within 30s; killing it"
    kill -KILL "$pid" || true
  fi
  rm -f "$pidfile"
  log "stopped (pid $pid)"
}

status() {
  local pid
  if pid=$(running_pid); then
    echo "running pid=$pid bootstrap=$bootstrap version=$(kafka_version) data=$data"
  else
    echo "stopped"
    return 3
  fi
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  restart) stop && start ;;
  status) status ;;
  logs) shift; if [[ ${1:-} == -f ]]; then tail -F "$logs/server.log"; else tail -n "${1:-200}" "$logs/server.log"; fi ;;
  reset) stop && rm -rf "$data" && log "data wiped ($data)" ;;
  jars) ensure_jars && echo "$lib" ;;
  tool) shift; [[ $# -ge 1 ]] || die "usage: kafka.sh tool <main class> [args...]"; tool "$@" ;;
  *) echo "usage: $0 start|stop|restart|status|logs [-f|N]|reset|jars|tool <class> [args...]" >&2; exit 2 ;;
esac
