#!/usr/bin/env bash
# ./grid serve: runs a silo in the foreground (Ctrl+C or SIGTERM drains and stops it gracefully).
#   ./grid serve [--redis HOST:PORT] [--urls URL] [--silo-port N] [--gateway-port M] [--device cpu|cuda:N] [--model DIR] [--name NAME] [--with-redis]
# Defaults: Redis at localhost:6379, http://127.0.0.1:5080, Orleans ports 11111/30000, the shipped model.
# --with-redis starts a local redis-server for the silo (AOF, appendfsync always, data in run/redis) and stops it after.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
args=()
with_redis=false
redis=localhost:6379
while (($#)); do
  case $1 in
    -h|--help)
      sed -n '2,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      echo "Other options go to the silo as they are (e.g. --Grid:MaxBatch 16); see docs/silo.md."
      exit 0 ;;
    --with-redis) with_redis=true; shift ;;
    --redis) redis=$2; args+=("$1" "$2"); shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
silo=(dotnet "$root/artifacts/bin/Grid.Silo/release/Grid.Silo.dll" "${args[@]}")
if ! $with_redis; then
  if ! (exec 3<>"/dev/tcp/${redis%:*}/${redis##*:}") 2>/dev/null; then
    echo "serve: no Redis answers at $redis; start one (redis-server --appendonly yes --appendfsync always) or use --with-redis" >&2
    exit 1
  fi
  # The silo replaces this script: SIGTERM/SIGINT reach it directly and it stops gracefully.
  exec "${silo[@]}"
fi

mkdir -p "$root/run/redis"
port=${redis##*:}
redis-server --port "$port" --bind 127.0.0.1 --dir "$root/run/redis" --appendonly yes --appendfsync always \
  --save "" --daemonize yes --pidfile "$root/run/redis/redis.pid" --logfile "$root/run/redis/redis.log"
stop_redis() { kill "$(cat "$root/run/redis/redis.pid" 2>/dev/null)" 2>/dev/null || true; }
trap stop_redis EXIT
echo "serve: redis-server on 127.0.0.1:$port (data in run/redis)"
# The silo runs as a child so that Redis can be stopped after it; SIGTERM/SIGINT are forwarded to it, and the script
# waits for its graceful stop before stopping Redis.
"${silo[@]}" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true' TERM INT
while true; do
  status=0
  wait "$pid" || status=$?
  kill -0 "$pid" 2>/dev/null || break   # a trapped signal interrupts wait: wait again until the silo has exited
done
exit "$status"
