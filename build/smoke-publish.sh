#!/usr/bin/env bash
# Publishes the dashboard as the Dockerfile does, starts it from its output folder on a fresh data
# directory, waits for the health endpoint, then stops it gracefully. Exit 0 when healthy.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d); data=$(mktemp -d); port=${SMOKE_PORT:-5987}
trap 'kill "$pid" 2>/dev/null; rm -rf "$out" "$data"' EXIT
dotnet publish GanDashboard.Web/GanDashboard.Web.csproj -c Release -o "$out" -nologo -v quiet >/dev/null || { echo "smoke: publish failed"; exit 1; }
( cd "$out" && GanDashboard__DataDirectory="$data" ASPNETCORE_URLS="http://127.0.0.1:$port" exec dotnet GanDashboard.Web.dll ) >"$data/app.log" 2>&1 &
pid=$!
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && curl -fsS "http://127.0.0.1:$port/api/gan/health" | grep -q '"torch_available":true'; then
    kill -TERM "$pid"; wait "$pid" 2>/dev/null
    [ -f "$data/gandashboard.db" ] || { echo "smoke: no database was created"; exit 1; }
    echo "smoke: published app answered its health checks and stopped cleanly"
    exit 0
  fi
  sleep 1
done
echo "smoke: the published app did not become healthy; its log:"; tail -30 "$data/app.log"
exit 1
