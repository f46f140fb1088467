#!/usr/bin/env bash
# Admission benchmark: seeds the benchmark province (MEMBERS members, default 300,000) and COUNT
# cases waiting for approval (default 40,000) into a fresh SQLite file, starts the release server,
# and measures with wrk in one run: the health endpoint (the ceiling), the province leader's
# approval inbox (64 and 4 connections), and approvals (`POST /admissions/{id}/transitions` with
# If-Match, each case approved once, each write audited), answered with the whole case and then
# with `Prefer: return=minimal`. Afterwards it counts the approved cases through the API: nothing
# may be lost.
#   bench/admissions.sh [MEMBERS] [COUNT] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
members="${1:-300000}"
count="${2:-40000}"
seconds="${3:-10}"
source bench/common.sh
seed_and_serve 18768 --members "$members"
seeded=$("$bin" seed-admissions --province "$province" --count "$count")
echo "$seeded"
first=$(sed -n 's/^Seeded admissions \([0-9]*\)\.\.=.*/\1/p' <<<"$seeded")

# approver FIRST [EXTRA_HEADER] writes a wrk script and names it: each request approves the next case from FIRST on (two wrk threads
# take alternate ids), so no case is approved twice.
approver() {
  cat >"$work/approve-$1.lua" <<LUA
local threads = {}
function setup(thread) thread:set("slot", #threads); table.insert(threads, thread) end
function init(args) n = 0 end
request = function()
  local id = $1 + n * 2 + slot
  n = n + 1
  return wrk.format("POST", "/api/v1/admissions/" .. id .. "/transitions",
    { ["Authorization"] = "Bearer $token", ["If-Match"] = '"2"', ["Content-Type"] = "application/json"${2:+, $2} },
    '{"action":"approve","decision_no":"15-QĐ/ĐTN","decided_on":"$(date +%F)","signer":"Bench"}')
end
LUA
  echo "$work/approve-$1.lua"
}

echo
printf '%-44s %10s %10s %8s\n' endpoint "req/s" p99 non-2xx
report health "$(wrk -t2 -c64 -d"${seconds}s" --latency "$base/health")"
report inbox "$(wrk -t2 -c64 -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$base/admissions/inbox")"
report "inbox, 4 connections" "$(wrk -t2 -c4 -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$base/admissions/inbox")"
out=$(wrk -t2 -c64 -d"${seconds}s" --latency -s "$(approver "$first")" "http://127.0.0.1:$port")
report approve "$out"
sent=$(awk '/requests in/ {print $1}' <<<"$out")
bad=$(awk '/Non-2xx/ {print $5}' <<<"$out")
# The second half of the cases, answered with `Prefer: return=minimal` (204 and the new version).
out=$(wrk -t2 -c64 -d"${seconds}s" --latency -s "$(approver $((first + count / 2)) '["Prefer"] = "return=minimal"')" "http://127.0.0.1:$port")
report "approve, return=minimal" "$out"
sent=$((sent + $(awk '/requests in/ {print $1}' <<<"$out")))
bad=$((${bad:-0} + $(awk '/Non-2xx/ {print $5}' <<<"$out" | grep . || echo 0)))
approved=$(curl -sf "$base/admissions/stats?unit_id=$province" -H "Authorization: Bearer $token" \
  | python3 -c 'import json,sys; print(dict((s, n) for s, n in json.load(sys.stdin)["in_progress"]).get("approved", 0))')
health=$(cat "$work/health.rps"); inbox=$(cat "$work/inbox.rps"); rate=$(cat "$work/approve.rps"); minimal=$(cat "$work/approve, return=minimal.rps")
python3 - "$health" "$inbox" "$rate" "$minimal" "$sent" "${bad:-0}" "$approved" <<'PY'
import sys
health, inbox, rate, minimal = map(float, sys.argv[1:5]); sent, bad, approved = map(int, sys.argv[5:8])
print(f"\ninbox: {inbox / health:.3f} x health; approvals: {rate:,.0f}/s = {rate / health:.3f} x health; "
      f"with return=minimal: {minimal:,.0f}/s = {minimal / health:.3f} x health")
# wrk stops counting at the deadline while up to 64 requests per run are still in flight on the server.
ok = sent - bad
print(f"approvals answered 2xx: {ok:,}; cases approved in the database: {approved:,}"
      + (" (nothing lost; the difference is the requests in flight at the deadlines)" if ok <= approved <= ok + 128 else " (MISMATCH)"))
PY
