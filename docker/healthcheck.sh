#!/bin/bash
# HEALTHCHECK for the inference images without curl or wget in the image: one HTTP/1.0 GET over
# bash's /dev/tcp. Healthy means "ready": a verified model is loaded (/q/health/ready answers 200).
# Usage: minibert-healthcheck [path]   (the management port QUARKUS_MANAGEMENT_PORT, default 9000, when
# QUARKUS_MANAGEMENT_ENABLED=true, as in the images; else the API port QUARKUS_HTTP_PORT, default 8080)
set -u
path="${1:-/q/health/ready}"
if [ "${QUARKUS_MANAGEMENT_ENABLED:-false}" = "true" ]; then
  port="${QUARKUS_MANAGEMENT_PORT:-9000}"
else
  port="${QUARKUS_HTTP_PORT:-8080}"
fi
exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 5 status <&3 || exit 1
exec 3<&-
case "$status" in
  "HTTP/1."?" 200"*) exit 0 ;;
  *) exit 1 ;;
esac
