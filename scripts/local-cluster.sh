#!/usr/bin/env bash
# Runs the cluster as local processes, no Docker needed: the rank server on the base port (8080) and N clients on
# the ports after it, their logs interleaved with a name prefix as `docker compose logs` does. The clients start
# one after another, each once the one before has registered, so that client-k gets rank k-1; a table of ports
# and ranks follows once all are registered. Ctrl-C stops the clients first (they unregister), then the server.
#
# Usage: scripts/local-cluster.sh [--base-port P] [N]    N clients (default 3); server on P, clients on P+1..P+N
# Settings are environment variables, e.g.: RANK_SERVER_LEASE_TTL=5s scripts/local-cluster.sh 3
set -euo pipefail

usage() {
  echo "usage: $0 [--base-port P] [number of clients, 0..900]   (P: 1024..64000, default 8080)" >&2
  exit 2
}
base_port=8080
clients=3
while (($#)); do
  case "$1" in
    --base-port) (($# >= 2)) || usage; base_port="$2"; shift 2 ;;
    --base-port=*) base_port="${1#*=}"; shift ;;
    -h | --help) usage ;;
    *) [[ "$1" =~ ^[0-9]+$ ]] || usage; clients="$1"; shift ;;
  esac
done
if [[ ! "$clients" =~ ^[0-9]+$ ]] || ((clients > 900)) || [[ ! "$base_port" =~ ^[0-9]+$ ]] ||
  ((base_port < 1024 || base_port > 64000)); then
  usage
fi
cd "$(dirname "$0")/.."
source scripts/java21.sh # sets $java and JAVA_HOME

server_port=$base_port
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if listening "$server_port"; then
  echo "Port $server_port is already in use: stop whatever listens there first, or pick another --base-port." >&2
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
ports=()
died=() # "client-2 (port 8082)"

# Prefixes every line of a process's output with its name. Ignores Ctrl-C so that it still
# forwards what the process prints while it shuts down.
prefix_lines() {
  trap '' INT TERM
  local prefix line
  prefix="$(printf '%-*s | ' "$width" "$1")"
  while IFS= read -r line || [[ -n "$line" ]]; do
    printf '%s%s\n' "$prefix" "$line"
  done
}

# Starts a JVM in the background; $! is the JVM itself, so the printed PID is the one to signal. Disowned: the
# script polls its processes itself, and bash then prints no "Killed" job notices when someone kills one.
start() {
  local name="$1" port="$2"
  shift 2
  "$java" "$@" > >(prefix_lines "$name") 2>&1 &
  names+=("$name")
  pids+=("$!")
  ports+=("$port")
  disown "$!"
}

alive() {
  local pid
  for pid in "$@"; do
    if kill -0 "$pid" 2>/dev/null; then echo "$pid"; fi
  done
}

# GET http://127.0.0.1:port/path, the whole answer (headers and body); nothing if no answer within 2 s.
http_get() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n" "$2" >&3 &&
    cat <&3' _ "$1" "$2" 2>/dev/null || true
}
ready() { http_get "$1" /actuator/health/readiness | grep -q '"status":"UP"'; }

# Waits until the process is ready (for a client: registered); fails if it exits first or takes over 90 s.
await_ready() {
  local pid="$1" port="$2" deadline=$((SECONDS + 90))
  # Alive first: another process answering on the port must not pass for this one.
  until [[ -n "$(alive "$pid")" ]] && ready "$port"; do
    [[ -n "$(alive "$pid")" ]] || return 1
    if ((SECONDS >= deadline)); then
      echo "Not ready after 90 s on port $port; carrying on" >&2
      return 0
    fi
    sleep 0.2
  done
  sleep 0.1
  [[ -n "$(alive "$pid")" ]] # still there: it was this process that answered
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
  sleep 0.2 # lets the log prefixers print the last lines
  exit 0
}
trap stop INT TERM
# If the script dies some other way, take no process with it.
trap 'kill -KILL "${pids[@]}" 2>/dev/null || true' EXIT

start server "$server_port" -jar "$server_jar" --server.port="$server_port"
echo "Waiting for the server on http://localhost:$server_port"
if ! await_ready "${pids[0]}" "$server_port"; then
  echo "The server exited during start-up; see its log above." >&2
  exit 1
fi

for ((i = 1; i <= clients; i++)); do
  port=$((server_port + i))
  start "client-$i" "$port" -Xmx64m -Xss256k -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -jar "$client_jar" --server.port="$port" --rank.client.server-url="http://localhost:$server_port"
  if ! await_ready "${pids[-1]}" "$port"; then
    echo "client-$i exited during start-up (port $port); see its log above. Carrying on without it." >&2
    died+=("client-$i (port $port)")
  fi
done

# The port -> rank table, read from the server, once every client that started is registered.
members="$(http_get "$server_port" /api/v1/members)"
rank_on() {
  local member
  member="$(grep -o "{[^{}]*\"address\":\"[^\"]*:$1\"[^{}]*}" <<<"$members" | head -n 1 || true)"
  if [[ "$member" =~ \"rank\":([0-9]+) ]]; then echo "${BASH_REMATCH[1]}"; else echo "-"; fi
}
echo
printf '%-*s  %-8s  %-5s  %s\n' "$width" name pid port rank
running=0
for i in "${!names[@]}"; do
  [[ -n "$(alive "${pids[$i]}")" ]] || continue
  if ((i == 0)); then
    printf '%-*s  %-8s  %-5s  %s\n' "$width" server "${pids[0]}" "$server_port" "-    dashboard: http://localhost:$server_port"
  else
    printf '%-*s  %-8s  %-5s  %s\n' "$width" "${names[$i]}" "${pids[$i]}" "${ports[$i]}" "$(rank_on "${ports[$i]}")"
    running=$((running + 1))
  fi
done
echo "$running of $clients clients running"
for gone in "${died[@]}"; do echo "Not running: $gone exited during start-up"; done
echo "Ranking:  curl -s http://localhost:$server_port/api/v1/members"
echo "Faults:   kill -TERM <pid> (graceful), kill -KILL <pid> (crash), kill -STOP <pid> then kill -CONT <pid> (freeze)"
echo "Ctrl-C stops everything."
echo

# Polls rather than waits: the processes are disowned. Stops everything if the server goes.
while [[ -n "$(alive "${pids[0]}")" ]]; do
  sleep 1
done
echo "The server exited; stopping the clients"
stop
