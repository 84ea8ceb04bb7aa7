#!/usr/bin/env bash
# Lighthouse on every page of the published dashboard (Release, fresh data directory with one machine that went
# through a small pipeline, so pages show data), with Debian's Chromium and Lighthouse 12.2.3 pinned in
# build/lighthouse (12.x runs on Node 20; 13 needs Node 22). Prints a table of the four category scores.
#
#   build/lighthouse.sh                 desktop and mobile presets, all categories (the README's benchmark)
#   build/lighthouse.sh --ci            desktop only, accessibility/best practices/SEO, and fails below the targets
#                                       (accessibility and best practices 100, SEO >= 95); performance is not asserted
# LIGHTHOUSE_REPORTS=dir keeps the JSON reports there.
#   build/lighthouse.sh --ci --url http://127.0.0.1:5987 --machine ID   against an app already running with data
#                                       (build/smoke-publish.sh --lighthouse does that in CI, saving a second publish)
set -uo pipefail
cd "$(dirname "$0")/.."
ci=false; base=""; machine=""
while [ $# -gt 0 ]; do
  case "$1" in
    --ci) ci=true ;;
    --url) base=$2; shift ;;
    --machine) machine=$2; shift ;;
    *) echo "usage: build/lighthouse.sh [--ci] [--url BASE --machine ID]"; exit 2 ;;
  esac
  shift
done
port=${LIGHTHOUSE_PORT:-5989}
chromium=${GANDASHBOARD_CHROMIUM:-/usr/bin/chromium}
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

# Tools a fresh Debian 12 machine may lack: Node 20+ with npm, Chromium, curl.
need_apt=()
node_major=$(node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/')
[ "${node_major:-0}" -ge 20 ] || need_apt+=(nodejs npm)
[ -x "$chromium" ] || need_apt+=(chromium)
command -v curl >/dev/null || need_apt+=(curl)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "lighthouse: installing ${need_apt[*]} with apt-get"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null \
    || { echo "lighthouse: apt-get could not install ${need_apt[*]}"; exit 2; }
  node_major=$(node --version | sed -E 's/^v([0-9]+).*/\1/')
  [ "$node_major" -ge 18 ] || { echo "lighthouse: Node $(node --version) is too old for Lighthouse 12 (needs 18.16+)"; exit 2; }
fi
if [ ! -d build/lighthouse/node_modules/lighthouse ]; then
  (cd build/lighthouse && npm ci --no-audit --no-fund --loglevel=error) || { echo "lighthouse: npm ci failed"; exit 2; }
fi

out=$(mktemp -d); data=$(mktemp -d); reports=${LIGHTHOUSE_REPORTS:-$(mktemp -d)}; mkdir -p "$reports"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$out" "$data"; [ -n "${LIGHTHOUSE_REPORTS:-}" ] || rm -rf "$reports"; }
trap cleanup EXIT

if [ -z "$base" ]; then
  echo "lighthouse: publishing the dashboard (Release)"
  dotnet publish GanDashboard.Web/GanDashboard.Web.csproj -c Release -o "$out" -nologo -v quiet >/dev/null || { echo "lighthouse: publish failed"; exit 1; }
  # Sign-in off, chosen explicitly: Lighthouse audits the pages as a visitor without an account.
  ( cd "$out" && GanDashboard__DataDirectory="$data" GanDashboard__Auth__Mode=none ASPNETCORE_URLS="http://127.0.0.1:$port" Logging__LogLevel__Default=Warning exec dotnet GanDashboard.Web.dll ) >"$data/app.log" 2>&1 &
  pid=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 90); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 1; done
  curl -fsS "$base/healthz" >/dev/null || { echo "lighthouse: the app did not start; its log:"; tail -20 "$data/app.log"; exit 1; }

  # Sample data: one machine from the samples through a small pipeline, so every page has something to show.
  field() { grep -o "\"$1\": *\"[^\"]*\"" | head -1 | sed 's/.*: *"\(.*\)"/\1/'; }
  machine=$(field machine_id < samples/profiles/pump_ksb_etanorm_002.json)
  curl -fsS -X POST "$base/api/gan/machines" -H 'Content-Type: application/json' --data @samples/profiles/pump_ksb_etanorm_002.json >/dev/null \
    || { echo "lighthouse: could not create the sample machine"; exit 1; }
  task=$(curl -fsS -X POST "$base/api/gan/machines/$machine/pipeline" -H 'Content-Type: application/json' \
    --data '{"seed":{"samples":2000,"seed":1},"train":{"epochs":3,"seed":1},"generate":{"train_samples":1000,"val_samples":300,"test_samples":300,"seed":1},"validate":{"usefulness":false}}' | field task_id)
  for _ in $(seq 1 240); do
    status=$(curl -fsS "$base/api/gan/tasks/$task" | field status)
    case "$status" in SUCCESS) break ;; FAILURE|CANCELLED|INTERRUPTED) echo "lighthouse: sample pipeline ended $status"; exit 1 ;; esac
    sleep 1
  done
  [ "$status" = SUCCESS ] || { echo "lighthouse: sample pipeline still $status"; exit 1; }
fi

pages=(/ /upload /import /machines /training /generation /validation /analytics /batch /explorer)
[ -n "$machine" ] && pages+=("/machines/$machine")
if $ci; then presets=desktop; categories=accessibility,best-practices,seo; else presets=desktop,mobile; categories=performance,accessibility,best-practices,seo; fi
echo "lighthouse: $presets on ${#pages[@]} pages of $base"
node build/lighthouse/run.mjs "$base" "$reports" "$presets" "$categories" "${pages[@]}"; ran=$?

if $ci; then
  node build/lighthouse/summarize.mjs --assert "$reports"/*.json; status=$?
  [ "$ran" -eq 0 ] || { echo "lighthouse: some pages have no report (see above)"; status=1; }
  exit "$status"
fi
node build/lighthouse/summarize.mjs "$reports"/*.json
