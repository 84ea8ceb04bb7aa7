#!/usr/bin/env bash
# Runs a two-node GanDashboard cluster on this machine without Docker: a private PostgreSQL (Debian's binaries, a fresh
# cluster under a temporary directory, run as the postgres user when started as root), the published app, and two
# nodes sharing one data directory: node-1 (dashboard + API + jobs) on http://127.0.0.1:5001 and node-2 (jobs only).
# Ctrl-C stops everything and deletes the temporary directory (set KEEP=1 to keep the data).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed: apt-get install -y postgresql" >&2; exit 2; }
work=$(mktemp -d /tmp/gandashboard-cluster.XXXXXX); chmod 755 "$work"
port=${PGPORT:-55432}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true
  as_pg "$bin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
  [ "${KEEP:-0}" = 1 ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT INT TERM

as_pg "$bin/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -o "-p $port -k $work -c listen_addresses=127.0.0.1" -w start >/dev/null
echo "PostgreSQL on 127.0.0.1:$port"
dotnet publish GanDashboard.Web/GanDashboard.Web.csproj -c Release -o "$work/app" -nologo -v quiet

mkdir -p "$work/data"; [ "$(id -u)" = 0 ] && chmod 777 "$work/data"
start_node() {  # name role http-port
  ( cd "$work/app" && GanDashboard__DatabaseProvider=postgres \
      ConnectionStrings__GanDashboard="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres" \
      GanDashboard__DataDirectory="$work/data" GanDashboard__Node__Name="$1" GanDashboard__Node__Role="$2" \
      ASPNETCORE_URLS="http://127.0.0.1:$3" exec dotnet GanDashboard.Web.dll ) >"$work/$1.log" 2>&1 &
  pids+=($!)
}
start_node node-1 all 5001
start_node node-2 worker 5002
for p in 5001 5002; do
  for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$p/healthz" >/dev/null 2>&1 && break; sleep 1; done
done
echo "Dashboard: http://127.0.0.1:5001 (node-1); node-2 runs jobs only. Logs: $work/node-*.log. Ctrl-C stops the cluster."
wait
