#!/usr/bin/env bash
# The Docker engine and registry the image tests use, on this machine only.
#
#   scripts/test-engine.sh start   start dockerd and the registry unless they already answer; prints
#                                  KEY=VALUE lines (DOCKER_HOST, PATH, REGISTRY, REGISTRY_USER,
#                                  REGISTRY_PASSWORD, STARTED) for the caller's environment
#   scripts/test-engine.sh stop [dockerd] [registry]
#                                  stops those, as named by STARTED: a caller stops only what it started
#
# dockerd runs with no bridge, no iptables, no forwarding and no masquerading: it creates no
# interface and no private-range address. Builds that install packages use `--network host`,
# training containers `--network none`. The registry listens on 127.0.0.1 only, with htpasswd
# (bcrypt) auth; its user and password are the ones the AWS emulator (moto) hands out from ECR's
# GetAuthorizationToken, so the image stage logs in exactly as it does against ECR.
# Images and registry data persist under $ENGINE_DATA between runs: that is the cache.
set -euo pipefail

ENGINE_DATA=${SAGEMAKER_YOLO_ENGINE_DATA:-/var/lib/sagemaker-yolo-engine}
ENGINE_RUN=${SAGEMAKER_YOLO_ENGINE_RUN:-/run/sagemaker-yolo-engine}
REGISTRY=${SAGEMAKER_YOLO_REGISTRY:-127.0.0.1:5042}
REGISTRY_USER=AWS
REGISTRY_PASSWORD=123456789012-auth-token # moto: "<account>-auth-token" for the default account
SOCKET="$ENGINE_RUN/docker.sock"
# The client that matches the daemon: Debian's 20.10 docker (BuildKit built in). A newer client
# elsewhere on PATH would look for a buildx plugin this machine does not have.
CLIENT_DIR="$ENGINE_RUN/bin"

docker_answers() { DOCKER_HOST="unix://$SOCKET" /usr/bin/docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
registry_answers() {
  # 401 without credentials: the registry is up and enforcing auth.
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$REGISTRY/v2/")" = 401 ]
}

wait_for() { # <what> <seconds> <command...>
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq "$seconds"); do
    "$@" && return 0
    sleep 1
  done
  echo "test-engine: $what did not answer within ${seconds}s" >&2
  return 1
}

start() {
  mkdir -p "$ENGINE_DATA" "$ENGINE_RUN" "$CLIENT_DIR"
  ln -sf /usr/bin/docker "$CLIENT_DIR/docker"
  local started=()
  if ! docker_answers; then
    [ -e /sys/class/net/docker0 ] && { echo "test-engine: a docker0 bridge exists; refusing" >&2; exit 1; }
    # setsid: the daemon outlives this script and is not hit by the caller's Ctrl-C.
    setsid /usr/sbin/dockerd \
      --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
      --data-root "$ENGINE_DATA/docker" --exec-root "$ENGINE_RUN/exec" \
      --pidfile "$ENGINE_RUN/dockerd.pid" -H "unix://$SOCKET" \
      >>"$ENGINE_RUN/dockerd.log" 2>&1 </dev/null &
    wait_for dockerd 60 docker_answers || { tail -20 "$ENGINE_RUN/dockerd.log" >&2; exit 1; }
    started+=(dockerd)
  fi
  if ! registry_answers; then
    mkdir -p "$ENGINE_DATA/registry"
    htpasswd -Bbn "$REGISTRY_USER" "$REGISTRY_PASSWORD" >"$ENGINE_RUN/htpasswd"
    cat >"$ENGINE_RUN/registry.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $ENGINE_DATA/registry
http:
  addr: $REGISTRY
auth:
  htpasswd:
    realm: sagemaker-yolo-test
    path: $ENGINE_RUN/htpasswd
YAML
    setsid /usr/bin/docker-registry serve "$ENGINE_RUN/registry.yml" \
      >>"$ENGINE_RUN/registry.log" 2>&1 </dev/null &
    echo $! >"$ENGINE_RUN/registry.pid"
    wait_for registry 30 registry_answers || { tail -20 "$ENGINE_RUN/registry.log" >&2; exit 1; }
    started+=(registry)
  fi
  echo "DOCKER_HOST=unix://$SOCKET"
  echo "PATH=$CLIENT_DIR:$PATH"
  echo "REGISTRY=$REGISTRY"
  echo "REGISTRY_USER=$REGISTRY_USER"
  echo "REGISTRY_PASSWORD=$REGISTRY_PASSWORD"
  echo "STARTED=${started[*]:-}"
}

stop_pidfile() { # <name> <pidfile>
  local pid
  pid=$(cat "$2" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 1; done
  echo "test-engine: $1 (pid $pid) did not stop in 60 s" >&2
}

stop() {
  for what in "$@"; do
    case "$what" in
      dockerd) stop_pidfile dockerd "$ENGINE_RUN/dockerd.pid" ;;
      registry) stop_pidfile registry "$ENGINE_RUN/registry.pid" && rm -f "$ENGINE_RUN/registry.pid" ;;
      *) echo "test-engine: unknown service $what" >&2; exit 2 ;;
    esac
  done
}

case "${1:-}" in
  start) start ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: $0 start | stop [dockerd] [registry]" >&2; exit 2 ;;
esac
