#!/usr/bin/env bash
# A single Kafka broker whose client listener takes SASL_SSL only (TLS with a client certificate,
# then SCRAM-SHA-512), to try the gateway's secure settings on one machine. It makes a throwaway
# CA, the broker's and a client's certificates and one SCRAM user in its own folder, next to the
# broker of start.sh and on other ports. Nothing it makes is fit for production.
#
# usage: secure.sh start    make what is missing, start the broker, wait until it is ready and
#                           print the gateway's settings for it (KEY=value lines on stdout)
#        secure.sh stop     stop it cleanly (stop.sh)
#
# env: KAFKA_SECURE_DIR (<root>/.data/kafka-secure): certificates, data and logs
#      KAFKA_SECURE_PORT (9094): SASL_SSL, the only listener meant for clients
#      KAFKA_SECURE_INTERNAL_PORT (9096): PLAINTEXT on 127.0.0.1, for the broker's own traffic
#                                  and the readiness probe
#      KAFKA_SECURE_CONTROLLER_PORT (9095)   KAFKA_SECURE_USER (gateway)
#      KAFKA_SECURE_HEAP_OPTS ("-Xms128m -Xmx384m")   KAFKA_READY_TIMEOUT (90)
#      + what fetch.sh reads (KAFKA_VERSION, KAFKA_CACHE_DIR, ...)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PINNED="$(sed -n 's:.*<kafka\.version>\(.*\)</kafka\.version>.*:\1:p' "$HERE/pom.xml" | head -n1)"
KAFKA_VERSION="${KAFKA_VERSION:-$PINNED}"
LIBS="${KAFKA_CACHE_DIR:-$ROOT/.cache/kafka/$KAFKA_VERSION}/libs"
DIR="${KAFKA_SECURE_DIR:-$ROOT/.data/kafka-secure}"
PORT="${KAFKA_SECURE_PORT:-9094}"
INTERNAL_PORT="${KAFKA_SECURE_INTERNAL_PORT:-9096}"
CONTROLLER_PORT="${KAFKA_SECURE_CONTROLLER_PORT:-9095}"
USER_NAME="${KAFKA_SECURE_USER:-gateway}"
HEAP_OPTS="${KAFKA_SECURE_HEAP_OPTS:--Xms128m -Xmx384m}"
READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-90}"
if [[ -n "${JAVA:-}" ]]; then :; elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
LOG4J=(-Dlog4j2.configurationFile="$HERE/log4j2.properties" -Dlog4j2.shutdownHookEnabled=false)

log() { echo "[kafka-local/secure] $*" >&2; }

# A key and a certificate signed by the folder's CA: $1 name, $2 subject, $3 extensions.
issue() {
  openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 7 \
    -out "$1.pem" -extfile <(printf '%s\n' "$3") 2>/dev/null
  rm -f "$1.csr"
}

material() {
  [[ -f "$DIR/broker.p12" ]] && return 0
  log "making a throwaway CA, the broker's and a client's certificates in $DIR"
  (
    cd "$DIR"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 7 \
      -subj "/CN=meter-gateway throwaway CA" 2>/dev/null
    issue broker "/CN=127.0.0.1" "subjectAltName=IP:127.0.0.1,DNS:localhost"
    issue client "/CN=$USER_NAME" "extendedKeyUsage=clientAuth"
    openssl rand -hex 16 >store.password
    openssl rand -hex 16 >user.password
    openssl pkcs12 -export -in broker.pem -inkey broker.key -certfile ca.pem \
      -out broker.p12 -passout "pass:$(cat store.password)"
    chmod 600 ./*.key store.password user.password
  )
}

render() {
  cat >"$DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=SASL_SSL://127.0.0.1:$PORT,INTERNAL://127.0.0.1:$INTERNAL_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=SASL_SSL://127.0.0.1:$PORT,INTERNAL://127.0.0.1:$INTERNAL_PORT
inter.broker.listener.name=INTERNAL
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,SASL_SSL:SASL_SSL
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PKCS12
ssl.keystore.location=$DIR/broker.p12
ssl.keystore.password=$(cat "$DIR/store.password")
ssl.truststore.type=PEM
ssl.truststore.location=$DIR/ca.pem
# A SASL_SSL listener asks for a client certificate only when told so under its own name.
listener.name.sasl_ssl.ssl.client.auth=required
log.dirs=$DIR/kraft-logs
num.partitions=1
num.network.threads=2
num.io.threads=2
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
default.replication.factor=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
EOF
}

start() {
  "$HERE/fetch.sh"
  mkdir -p "$DIR"
  DIR="$(cd "$DIR" && pwd)"
  material
  render
  if [[ ! -f "$DIR/kraft-logs/meta.properties" ]]; then
    log "formatting storage with the SCRAM-SHA-512 user $USER_NAME"
    "$JAVA" -Xmx256m "${LOG4J[@]}" -Dkafka.logs.dir="$DIR/format-logs" \
      -cp "$LIBS/*" kafka.tools.StorageTool format --config "$DIR/server.properties" \
      --cluster-id "$(head -c 16 /dev/urandom | base64 | tr '+/' 'AB' | tr -d '=\n')" \
      --add-scram "SCRAM-SHA-512=[name=$USER_NAME,password=$(cat "$DIR/user.password")]" \
      --ignore-formatted >&2
  fi
  if ! KAFKA_DATA_DIR="$DIR" KAFKA_PORT="$INTERNAL_PORT" "$HERE/wait-ready.sh" --probe; then
    rm -f "$DIR/kafka.pid"
    # shellcheck disable=SC2086,SC2016  # word-split JVM opts; $$/$@ expand in the child
    setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$DIR/kafka.pid" \
      "$JAVA" $HEAP_OPTS "${LOG4J[@]}" -Dkafka.logs.dir="$DIR" \
      -cp "$LIBS/*" kafka.Kafka "$DIR/server.properties" \
      </dev/null >>"$DIR/kafka.out" 2>&1 &
    for _ in $(seq 1 50); do [[ -s "$DIR/kafka.pid" ]] && break; sleep 0.1; done
    log "broker pid $(cat "$DIR/kafka.pid" 2>/dev/null || echo '?'), logs: $DIR/server.log"
    KAFKA_DATA_DIR="$DIR" KAFKA_PORT="$INTERNAL_PORT" "$HERE/wait-ready.sh" "$READY_TIMEOUT"
  fi
  cat <<EOF
KAFKA_BROKERS=127.0.0.1:$PORT
KAFKA_SECURITY_PROTOCOL=SASL_SSL
KAFKA_SSL_CA_FILE=$DIR/ca.pem
KAFKA_SSL_CERT_FILE=$DIR/client.pem
KAFKA_SSL_KEY_FILE=$DIR/client.key
KAFKA_SASL_MECHANISM=SCRAM-SHA-512
KAFKA_SASL_USERNAME=$USER_NAME
KAFKA_SASL_PASSWORD=$(cat "$DIR/user.password")
EOF
}

case "${1:-}" in
  start) start ;;
  stop) KAFKA_DATA_DIR="$DIR" "$HERE/stop.sh" ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
