#!/usr/bin/env bash
# Publishes the dashboard as the Dockerfile does, starts it from its output folder on a fresh data
# directory, waits for the health endpoint, runs a small pipeline (seed, train, generate, validate) through
# the API, so the published layout's native libraries (libtorch, its BLAS) are exercised, then stops it
# gracefully. Exit 0 when all of that worked. Sign-in is on: before the start an administrator and an operator's API
# key are made with the CLI in the same data directory (as an administrator would), the API refuses a call without the
# key (401) and the pipeline runs with it.
# With --lighthouse it also runs build/lighthouse.sh --ci against the running app (its data is the pipeline's), so CI
# publishes once for both; exit 4 then means the app worked but a page missed a Lighthouse target.
set -uo pipefail
cd "$(dirname "$0")/.."
lighthouse=false; [ "${1:-}" = "--lighthouse" ] && lighthouse=true
out=$(mktemp -d); data=$(mktemp -d); port=${SMOKE_PORT:-5987}
trap 'kill "$pid" 2>/dev/null; rm -rf "$out" "$data"' EXIT
dotnet publish GanDashboard.Web/GanDashboard.Web.csproj -c Release -o "$out" -nologo -v quiet >/dev/null || { echo "smoke: publish failed"; exit 1; }
dotnet build GanDashboard.Cli/GanDashboard.Cli.csproj -c Release -nologo -v quiet >/dev/null || { echo "smoke: CLI build failed"; exit 1; }
cli() { dotnet run --project GanDashboard.Cli -c Release --no-build --no-launch-profile -- "$@" --data-dir "$data"; }
# Passwords on standard input, as the CLI wants them; the key is printed once on standard output.
head -c 24 /dev/urandom | base64 | sed 's/$/a1/' | cli user add smoke-admin --role admin 2>/dev/null >/dev/null || { echo "smoke: user add failed"; exit 1; }
head -c 24 /dev/urandom | base64 | sed 's/$/a1/' | cli user add smoke-operator --role operator 2>/dev/null >/dev/null || { echo "smoke: user add failed"; exit 1; }
key=$(cli apikey create --user smoke-operator --name smoke 2>/dev/null) || { echo "smoke: apikey create failed"; exit 1; }
# Lighthouse audits the pages without signing in: for that run sign-in is off (the API key is still checked when sent).
mode=local; $lighthouse && mode=none
( cd "$out" && GanDashboard__DataDirectory="$data" GanDashboard__Auth__Mode="$mode" ASPNETCORE_URLS="http://127.0.0.1:$port" exec dotnet GanDashboard.Web.dll ) >"$data/app.log" 2>&1 &
pid=$!

api="http://127.0.0.1:$port/api/gan"
# The first string value of a JSON field (enough for these flat answers; no JSON tool on a fresh machine).
field() { grep -o "\"$1\": *\"[^\"]*\"" | head -1 | sed 's/.*: *"\(.*\)"/\1/'; }
curl() { command curl -H "X-API-Key: $key" "$@"; }
run_pipeline() {
  local id task status
  id=$(field machine_id < samples/profiles/pump_ksb_etanorm_002.json)
  curl -fsS -X POST "$api/machines" -H 'Content-Type: application/json' --data @samples/profiles/pump_ksb_etanorm_002.json >/dev/null || return 1
  task=$(curl -fsS -X POST "$api/machines/$id/pipeline" -H 'Content-Type: application/json' \
    --data '{"seed":{"samples":2000,"seed":1},"train":{"epochs":3,"seed":1},"generate":{"train_samples":1000,"val_samples":300,"test_samples":300,"seed":1},"validate":{"usefulness":false}}' \
    | field task_id) || return 1
  for _ in $(seq 1 240); do
    status=$(curl -fsS "$api/tasks/$task" | field status)
    case "$status" in
      SUCCESS) echo "smoke: pipeline task $task succeeded in the published app"; return 0 ;;
      FAILURE|CANCELLED|INTERRUPTED) echo "smoke: pipeline task ended $status: $(curl -fsS "$api/tasks/$task")"; return 1 ;;
    esac
    sleep 1
  done
  echo "smoke: pipeline task still $status after 240 s"; return 1
}

for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && curl -fsS "http://127.0.0.1:$port/api/gan/health" | grep -q '"torch_available":true'; then
    if [ "$mode" = local ]; then
      code=$(command curl -s -o /dev/null -w '%{http_code}' "$api/machines")
      [ "$code" = 401 ] || { echo "smoke: the API answered $code without a key (expected 401)"; exit 1; }
    fi
    run_pipeline || { echo "smoke: the pipeline failed in the published app; its log:"; tail -30 "$data/app.log"; exit 1; }
    lighthouse_status=0
    if $lighthouse; then
      build/lighthouse.sh --ci --url "http://127.0.0.1:$port" --machine "$(field machine_id < samples/profiles/pump_ksb_etanorm_002.json)" || lighthouse_status=4
    fi
    kill -TERM "$pid"; wait "$pid" 2>/dev/null
    [ -f "$data/gandashboard.db" ] || { echo "smoke: no database was created"; exit 1; }
    echo "smoke: published app answered its health checks and stopped cleanly"
    exit "$lighthouse_status"
  fi
  sleep 1
done
echo "smoke: the published app did not become healthy; its log:"; tail -30 "$data/app.log"
exit 1
