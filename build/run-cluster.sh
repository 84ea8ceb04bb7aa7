#!/usr/bin/env bash
# A local GanDashboard cluster without Docker: a private PostgreSQL server (build/test-postgres.sh) and N nodes of the
# web app (default 2, role 'all') on ports 5001, 5002, ... sharing one data directory. Ctrl-C stops everything and
# deletes the temporary database; the data directory is kept (pass DIR to reuse one).
#
#   build/run-cluster.sh [NODES] [DIR]
set -uo pipefail
cd "$(dirname "$0")/.."
nodes=${1:-2}
data=${2:-$(mktemp -d "${TMPDIR:-/tmp}/gandashboard-cluster.XXXXXX")}
pg=$(mktemp -d "${TMPDIR:-/tmp}/gandashboard-cluster-pg.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  wait 2>/dev/null
  build/test-postgres.sh stop "$pg"
  echo "cluster stopped; data kept in $data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

connection=$(build/test-postgres.sh start "$pg") || exit 2
dotnet build GanDashboard.Web -c Release -nologo -v quiet || exit 1
app=GanDashboard.Web/bin/Release/net10.0/linux-x64
mkdir -p "$data"
for n in $(seq 1 "$nodes"); do
  port=$((5000 + n))
  ( cd "$app" && GanDashboard__DatabaseProvider=postgres ConnectionStrings__GanDashboard="$connection" \
      GanDashboard__DataDirectory="$data" GanDashboard__Node__Name="node-$n" ASPNETCORE_URLS="http://127.0.0.1:$port" \
      exec dotnet GanDashboard.Web.dll ) >"$data/node-$n.log" 2>&1 &
  pids+=($!)
  echo "node-$n: http://127.0.0.1:$port (log $data/node-$n.log)"
done
echo "PostgreSQL: $connection"
echo "Ctrl-C stops the cluster."
wait
