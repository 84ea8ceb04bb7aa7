#!/usr/bin/env bash
# Runs every test of GanDashboard with line coverage, installing first what a fresh Debian 12
# machine lacks (Debian's Chromium for the browser tests, PostgreSQL for the cluster tests). Ends with "N passed, N failed, N skipped"
# summed over all test assemblies, and exits with dotnet test's status.
set -uo pipefail
cd "$(dirname "$0")"

if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null \
    || { echo "error: could not install chromium with apt-get; install it and run again." >&2; exit 2; }
fi
# The PostgreSQL and cluster tests start a private server of their own (initdb + pg_ctl under a temporary directory,
# stopped when the test process ends); they only need Debian's binaries.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "Installing Debian's PostgreSQL for the PostgreSQL and cluster tests..."
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null \
    || { echo "error: could not install postgresql with apt-get; install it and run again." >&2; exit 2; }
fi

results="TestResults"
rm -rf "$results"
log=$(mktemp)
# Release: the numeric code (TVAE, seed simulator, quality metrics) runs about twice as fast optimised, and the
# smoke and Lighthouse publishes below reuse the same build.
dotnet test GanDashboard.Tests/GanDashboard.Tests.csproj -c Release \
  --settings coverage.runsettings --collect "XPlat Code Coverage" --results-directory "$results" \
  2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# VSTest prints one summary line per assembly: "Passed!  - Failed: 0, Passed: 6, Skipped: 0, Total: 6".
read -r passed failed skipped < <(grep -E '(Passed|Failed)! +- Failed:' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
coverage=$(find "$results" -name 'coverage.cobertura.xml' | head -1)
if [ -n "$coverage" ]; then
  rate=$(grep -o 'line-rate="[0-9.]*"' "$coverage" | head -1 | grep -o '[0-9.]*')
  echo "Line coverage: $(awk -v r="$rate" 'BEGIN {printf "%.1f", r * 100}') % ($coverage)"
fi
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

# The deployment check: the published app starts from its output folder and answers its health checks; then
# Lighthouse's accessibility, best practices and SEO targets on every page of that same app (two checks, one publish).
build/smoke-publish.sh --lighthouse
case $? in
  0) passed=$((passed + 2)) ;;
  4) passed=$((passed + 1)); failed=$((failed + 1)); status=1 ;;
  *) failed=$((failed + 2)); status=1 ;;
esac
# No NuGet or npm package with a high or critical advisory (says so and goes on when no advisory source answers).
if build/vulnerability-check.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
