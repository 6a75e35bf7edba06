#!/usr/bin/env bash
# Runs the cluster as local processes, no Docker needed: the rank server on 8080 and N clients on
# 8081.., their logs interleaved with a name prefix as `docker compose logs` does.
# Ctrl-C stops the clients first (they unregister), then the server.
#
# Usage: scripts/local-cluster.sh [N]      N clients, default 3
# Settings are environment variables, e.g.: RANK_SERVER_LEASE_TTL=5s scripts/local-cluster.sh 3
set -euo pipefail

clients="${1:-3}"
if [[ ! "$clients" =~ ^[0-9]+$ ]] || ((clients > 900)); then
  echo "usage: $0 [number of clients, 0..900]" >&2
  exit 2
fi
cd "$(dirname "$0")/.."

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! command -v "$java" >/dev/null; then
  echo "No java found: set JAVA_HOME to a JDK 21 or newer." >&2
  exit 1
fi

server_port=8080
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if listening "$server_port"; then
  echo "Port $server_port is already in use: stop whatever listens there first." >&2
  exit 1
fi

find_jar() { compgen -G "$1/target/$1-*.jar" | head -n 1 || true; }
server_jar="$(find_jar rank-server)"
client_jar="$(find_jar rank-client)"
if [[ -z "$server_jar" || -z "$client_jar" ]]; then
  echo "Building the jars: ./mvnw -B -q -DskipTests package"
  ./mvnw -B -q -DskipTests -pl rank-server,rank-client -am package
  server_jar="$(find_jar rank-server)"
  client_jar="$(find_jar rank-client)"
fi

width=$((${#clients} + 7)) # "client-N"
((width >= 6)) || width=6  # "server"
names=()
pids=()

# Prefixes every line of a process's output with its name. Ignores Ctrl-C so that it still
# forwards what the process prints while it shuts down.
prefix_lines() {
  trap '' INT
  local prefix line
  prefix="$(printf '%-*s | ' "$width" "$1")"
  while IFS= read -r line || [[ -n "$line" ]]; do
    printf '%s%s\n' "$prefix" "$line"
  done
}

# Starts a JVM in the background; $! is the JVM itself, so the printed PID is the one to signal.
start() {
  local name="$1"
  shift
  "$java" "$@" > >(prefix_lines "$name") 2>&1 &
  names+=("$name")
  pids+=("$!")
}

alive() {
  local pid
  for pid in "$@"; do
    if kill -0 "$pid" 2>/dev/null; then echo "$pid"; fi
  done
}

# SIGTERM, up to 20 s to exit, then SIGKILL. SIGCONT first: a frozen (kill -STOP) JVM cannot handle SIGTERM.
terminate() {
  (($#)) || return 0
  kill -TERM "$@" 2>/dev/null || true
  kill -CONT "$@" 2>/dev/null || true
  local deadline=$((SECONDS + 20)) left=()
  while mapfile -t left < <(alive "$@") && ((${#left[@]})); do
    if ((SECONDS >= deadline)); then
      echo "Still running after 20 s, killing: ${left[*]}"
      kill -KILL "${left[@]}" 2>/dev/null || true
      return 0
    fi
    sleep 0.2
  done
}

stop() {
  trap '' INT TERM
  echo "Stopping the clients (they unregister), then the server"
  terminate "${pids[@]:1}"
  terminate "${pids[0]}"
  wait || true # lets the log prefixers print the last lines
  exit 0
}
trap stop INT TERM
# If the script dies some other way, take no process with it.
trap 'kill -KILL "${pids[@]}" 2>/dev/null || true' EXIT

start server -jar "$server_jar" --server.port="$server_port"
echo "Waiting for the server on http://localhost:$server_port"
until listening "$server_port"; do
  if [[ -z "$(alive "${pids[0]}")" ]]; then
    echo "The server exited during start-up; see its log above." >&2
    exit 1
  fi
  sleep 0.2
done

for ((i = 1; i <= clients; i++)); do
  start "client-$i" -Xmx64m -Xss256k -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -jar "$client_jar" --server.port=$((server_port + i))
done

echo
for i in "${!names[@]}"; do
  printf '%-*s  pid %-8s http://localhost:%d\n' "$width" "${names[$i]}" "${pids[$i]}" $((server_port + i))
done
echo "Ranking:  curl -s http://localhost:$server_port/api/v1/members"
echo "Faults:   kill -TERM <pid> (graceful), kill -KILL <pid> (crash), kill -STOP <pid> then kill -CONT <pid> (freeze)"
echo "Ctrl-C stops everything."
echo

wait || true
