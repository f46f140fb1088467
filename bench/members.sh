#!/usr/bin/env bash
# Member registry benchmark: seeds a province of N members (default 300,000) into a fresh
# SQLite file, starts the release server, and measures with wrk (64 connections, 2 threads):
# the health endpoint (the ceiling), a paged member list of the whole province, a name search,
# and member details. Prints requests/s, p99 latency and each figure as a ratio to health.
#   bench/members.sh [MEMBERS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
members="${1:-300000}"
seconds="${2:-10}"
source bench/common.sh
seed_and_serve 18765 --members "$members"
cat >"$work/detail.lua" <<LUA
math.randomseed(42)
request = function()
  return wrk.format("GET", "/api/v1/members/" .. math.random(1, $members), { ["Authorization"] = "Bearer $token" })
end
LUA

run() { # name, path or lua script
  local name="$1" target="$2" out
  if [[ "$target" == *.lua ]]; then
    out=$(wrk -t2 -c64 -d"${seconds}s" --timeout 30s --latency -s "$target" "http://127.0.0.1:$port")
  else
    out=$(wrk -t2 -c64 -d"${seconds}s" --timeout 30s --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port$target")
  fi
  local rps p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  timeouts=$(sed -n 's/.*timeout \([0-9]*\).*/\1/p' <<<"$out")
  printf '%s\t%s\t%s\t%s\n' "$name" "$rps" "$p99" "$(( ${errors:-0} + ${timeouts:-0} ))" >>"$work/results.tsv"
  # Let requests still queued in the server finish before the next run.
  until curl -sf -m 1 "http://127.0.0.1:$port/api/v1/health" >/dev/null; do sleep 0.5; done
  sleep 2
}

run health "/api/v1/health"
run "list (province, page 1)" "/api/v1/members?unit_id=$province"
run "name search 'nguyen van duc'" "/api/v1/members?unit_id=$province&q=nguyen%20van%20duc"
run "member detail (random)" "$work/detail.lua"

echo
echo "members: $members, wrk: 64 connections, 2 threads, ${seconds}s each, on $(nproc) cores"
python3 - "$work/results.tsv" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
health = float(rows[0][1])
print(f"{'endpoint':34} {'req/s':>10} {'x health':>9} {'p99':>10} {'failed':>8}")
for name, rps, p99, errors in rows:
    print(f"{name:34} {float(rps):>10.0f} {float(rps) / health:>9.3f} {p99:>10} {errors:>8}")
PY
