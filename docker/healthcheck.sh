#!/usr/bin/env bash
# Container healthcheck without curl or wget (the JRE image has neither): sends one HTTP GET through
# bash's /dev/tcp and succeeds only on a 200 (actuator health answers 503 unless UP).
# Usage: healthcheck [path]   (default /actuator/health, port SERVER_PORT or 8080)
set -euo pipefail
path="${1:-/actuator/health}"
exec 3<>"/dev/tcp/127.0.0.1/${SERVER_PORT:-8080}"
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
read -r -t 3 status_line <&3
[[ "$status_line" == HTTP/1.?" 200 "* ]]
