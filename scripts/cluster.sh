#!/usr/bin/env bash
# Start the scale-out topology on this host: PostgreSQL 15 and Redis 7 (Debian packages) in a temp
# folder, three `vixshield serve` replicas sharing them, and nginx in front (deploy/nginx.conf.template).
#   scripts/cluster.sh            # nginx on 127.0.0.1:8080 (PORT=... to change), Ctrl-C stops everything
# PostgreSQL refuses root: as root it runs as the `postgres` user, its data folder chowned to it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
VIXSHIELD=${VIXSHIELD:-.venv/bin/vixshield}
PORT=${PORT:-8080}
REPLICAS=${REPLICAS:-3}
BASE_PORT=${BASE_PORT:-8101}
RUN=$(mktemp -d /tmp/vixshield-cluster-XXXXXX)
chmod 755 "$RUN"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$RUN"
}
trap cleanup EXIT INT TERM

free_port() { "$PY" -c 'from assistant.testing.services import free_port; print(free_port())'; }

PG_PORT=$(free_port); REDIS_PORT=$(free_port)
"$PY" -m assistant.testing.services postgres --port "$PG_PORT" --root "$RUN/pg" > "$RUN/pg.url" & pids+=($!)
"$PY" -m assistant.testing.services redis --port "$REDIS_PORT" --root "$RUN/redis" > "$RUN/redis.url" & pids+=($!)
for _ in $(seq 100); do [[ -s "$RUN/pg.url" && -s "$RUN/redis.url" ]] && break; sleep 0.2; done
export VIXSHIELD_DATABASE_URL=$(cat "$RUN/pg.url")
export VIXSHIELD_REDIS_URL=$(cat "$RUN/redis.url")
export VIXSHIELD_TRUSTED_PROXIES='["127.0.0.1"]'   # nginx, on this host
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
"$VIXSHIELD" index build   # once, before the replicas (each would otherwise rebuild a stale index itself)

upstreams=""
for i in $(seq 0 $((REPLICAS - 1))); do
  p=$((BASE_PORT + i))
  "$VIXSHIELD" serve --host 127.0.0.1 --port "$p" > "$RUN/replica$i.log" 2>&1 & pids+=($!)
  upstreams+="        server 127.0.0.1:$p max_fails=1 fail_timeout=5s;"$'\n'
done

mkdir -p "$RUN/nginx/temp" "$RUN/nginx/logs"; chmod 777 "$RUN/nginx/temp" "$RUN/nginx/logs"
"$PY" - "$PORT" "$RUN/nginx" "$upstreams" > "$RUN/nginx/nginx.conf" <<'PYEOF'
import sys
from assistant.testing.services import TEMPLATE
port, prefix, ups = sys.argv[1], sys.argv[2], sys.argv[3].rstrip("\n")
print(TEMPLATE.read_text().replace("@LISTEN@", f"127.0.0.1:{port}").replace("@UPSTREAMS@", ups).replace("@PREFIX@", prefix))
PYEOF
nginx -e stderr -p "$RUN/nginx" -c "$RUN/nginx/nginx.conf" -g 'daemon off;' & pids+=($!)

for i in $(seq 0 $((REPLICAS - 1))); do
  until curl -sf "http://127.0.0.1:$((BASE_PORT + i))/readyz" >/dev/null; do sleep 0.3; done
done
echo "cluster ready: http://127.0.0.1:$PORT  (replicas ${BASE_PORT}..$((BASE_PORT + REPLICAS - 1)), PostgreSQL $VIXSHIELD_DATABASE_URL, Redis $VIXSHIELD_REDIS_URL; logs in $RUN)"
wait -n "${pids[@]}"
