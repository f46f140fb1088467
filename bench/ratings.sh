#!/usr/bin/env bash
# Ratings benchmark: seeds the benchmark province (MEMBERS members, default 300,000) into a fresh
# SQLite file with YEARS years of confirmed ratings (default 3) and next year's period open
# (`sodoan seed-ratings`), starts the release server, and measures in one run, with wrk:
#   - the health endpoint (the ceiling), 16 connections;
#   - the province's distribution with last year beside it and the units below
#     (`GET /ratings/stats`), 16 connections, beside the raw SQL of the same reads on a warm
#     SQLite connection;
#   - branches' proposals, each branch's whole list in one decision
#     (`POST /rating-periods/{id}/proposals`, every branch once), 16 connections: decisions/s
#     counted from 2xx answers only, and the ratings proposed afterwards;
#   - the grassroots units' confirmations of those lists, 64 connections: the ratings confirmed,
#     the periods' tallies and the province's counter afterwards (nothing lost).
#   bench/ratings.sh [MEMBERS] [YEARS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
members="${1:-300000}"
years="${2:-3}"
seconds="${3:-10}"
source bench/common.sh
seed_and_serve 18781 --members "$members"
kill "$server"; wait "$server" 2>/dev/null || true
"$bin" seed-ratings --province "$province" --years "$years"
BIND_ADDR="127.0.0.1:$port" "$bin" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "$base/health" >/dev/null && break; sleep 0.2; done
db="$work/bench.db"
year=$(date +%Y)
next=$((year + 1))
token=$(curl -sf -X POST "$base/auth/login" -H 'content-type: application/json' \
  -d '{"login":"bench.leader@sodoan.test","password":"bench-12345"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

# Next year's lists, one line a branch: "period rating rating …" (every rating at version 1).
python3 - "$db" "$next" >"$work/lists.txt" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
lists = {}
for period, unit, rid in db.execute("SELECT period_id, unit_id, id FROM ratings WHERE year = ? ORDER BY unit_id, id", (int(sys.argv[2]),)):
    lists.setdefault((period, unit), []).append(rid)
for (period, _), ids in lists.items():
    print(period, *ids)
PY
echo "branch lists to propose: $(wc -l <"$work/lists.txt"), cases each: ~$(awk '{n += NF - 1} END {print int(n / NR)}' "$work/lists.txt")"

cat >"$work/propose.lua" <<LUA
local threads = {}
function setup(thread) thread:set("slot", #threads); table.insert(threads, thread) end
function init(args)
  todo = {}
  for line in io.lines("$work/lists.txt") do table.insert(todo, line) end
  n = 0
end
request = function()
  local line = todo[1 + ((n * 2 + slot) % #todo)]
  n = n + 1
  local period = nil
  local items = {}
  for x in line:gmatch("%d+") do
    if period == nil then period = x else
      local level = (tonumber(x) % 10 == 0) and "excellent" or "good"
      table.insert(items, '{"id":' .. x .. ',"version":1,"level":"' .. level .. '"}')
    end
  end
  return wrk.format("POST", "/api/v1/rating-periods/" .. period .. "/proposals",
    { ["Authorization"] = "Bearer $token", ["Content-Type"] = "application/json" },
    '{"meeting_on":"$(date +%Y-%m-%d)","items":[' .. table.concat(items, ",") .. ']}')
end
LUA

echo
printf '%-44s %10s %10s %8s\n' endpoint "req/s" p99 non-2xx
report health "$(wrk -t2 -c16 -d"${seconds}s" --latency "$base/health")"
report "distribution (province, 16 conn.)" "$(wrk -t2 -c16 -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$base/ratings/stats?unit_id=$province&year=$year")"
out=$(wrk -t2 -c16 -d"${seconds}s" --latency -s "$work/propose.lua" "http://127.0.0.1:$port")
report "branch proposals (16 conn.)" "$out"
answered=$(awk '/requests in/ {print $1}' <<<"$out")
bad=$(awk '/Non-2xx/ {print $5}' <<<"$out")
sleep 1
proposed=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT count(*) FROM ratings WHERE year = ? AND state = 'proposed'\", (int(sys.argv[2]),)).fetchone()[0])" "$db" "$next")

# The proposed lists, a branch at a time, confirmed by the grassroots units under 64 connections:
# every list once, then again (each case refused as confirmed). Nothing may be lost: the rows
# confirmed, the periods' tallies and the province's counter must agree.
python3 - "$db" "$next" >"$work/proposed.txt" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
lists = {}
for period, unit, rid, version in db.execute("SELECT period_id, unit_id, id, version FROM ratings WHERE year = ? AND state = 'proposed' ORDER BY unit_id, id", (int(sys.argv[2]),)):
    lists.setdefault((period, unit), []).append(f"{rid}:{version}")
for (period, _), ids in lists.items():
    print(period, *ids)
PY
cat >"$work/confirm.lua" <<LUA
local threads = {}
function setup(thread) thread:set("slot", #threads); table.insert(threads, thread) end
function init(args)
  todo = {}
  for line in io.lines("$work/proposed.txt") do table.insert(todo, line) end
  n = 0
end
request = function()
  local line = todo[1 + ((n * 2 + slot) % #todo)]
  n = n + 1
  local period = nil
  local items = {}
  for x in line:gmatch("[%d:]+") do
    if period == nil then period = x else
      local id, version = x:match("(%d+):(%d+)")
      table.insert(items, '{"id":' .. id .. ',"version":' .. version .. '}')
    end
  end
  return wrk.format("POST", "/api/v1/rating-periods/" .. period .. "/confirmations",
    { ["Authorization"] = "Bearer $token", ["Content-Type"] = "application/json" },
    '{"decision_no":"40/QĐ-ĐTN","decided_on":"$(date +%Y-%m-%d)","items":[' .. table.concat(items, ",") .. ']}')
end
LUA
confirm_out=$(wrk -t2 -c64 -d"${seconds}s" --latency -s "$work/confirm.lua" "http://127.0.0.1:$port")
report "confirmations (64 conn.)" "$confirm_out"
# The requests still queued at wrk's deadline finish first; then one read transaction (one
# snapshot) reads the rows, the tallies and the counter.
for _ in $(seq 100); do [ "$(curl -s -o /dev/null -w '%{time_total}' "$base/health" | cut -c1)" = 0 ] && break; sleep 0.2; done
sleep 2
read -r rows tallies counter <<<"$(python3 - "$db" "$province" "$next" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None); province = int(sys.argv[2]); year = int(sys.argv[3])
db.execute("BEGIN")
rows = db.execute("SELECT count(*) FROM ratings WHERE year = ? AND state = 'confirmed'", (year,)).fetchone()[0]
tallies = db.execute("SELECT coalesce(sum(confirmed), 0) FROM rating_periods WHERE year = ?", (year,)).fetchone()[0]
counter = db.execute("SELECT coalesce(sum(n), 0) FROM unit_month_counts WHERE unit_id = ? AND month = ? AND counter = 'rating:confirmed'", (province, str(year))).fetchone()[0]
print(rows, tallies, counter)
PY
)"
echo "confirmations: $(wc -l <"$work/proposed.txt") proposed lists; ratings confirmed $rows, periods' tallies $tallies, province counter $counter"
[ "$rows" = "$tallies" ] && [ "$rows" = "$counter" ] && echo "  nothing lost: rows, tallies and counter agree" || echo "  MISMATCH"

raw=$(python3 - "$db" "$province" "$year" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1]); province = int(sys.argv[2]); year = int(sys.argv[3])
path = db.execute("SELECT path FROM org_units WHERE id = ?", (province,)).fetchone()[0]
def stats():
    # What GET /ratings/stats reads: the unit and those directly below, the counters of this year
    # and last under their keys, each one's count of units to rate, and the periods overdue.
    kids = [(r[0], r[1]) for r in db.execute("SELECT id, path FROM org_units WHERE parent_id = ? AND dissolved_on IS NULL", (province,))]
    ids = [province] + [k for k, _ in kids]
    marks = ",".join("?" * len(ids))
    db.execute(f"SELECT unit_id, month, counter, n FROM unit_month_counts WHERE unit_id IN ({marks}) AND counter IN "
               "('rating:created','rating:confirmed','rating:level:excellent','rating:level:good','rating:level:fulfilled',"
               "'rating:level:not_fulfilled','unit_rating:rated','unit_rating:up','unit_rating:dropped') AND month IN (?, ?)",
               (*ids, str(year - 1), str(year))).fetchall()
    for p in [path] + [p for _, p in kids]:
        db.execute("SELECT count(*) FROM org_units WHERE path >= ? AND path < ? AND kind IN ('grassroots','branch') AND dissolved_on IS NULL",
                   (p, p + "~")).fetchone()
    db.execute("SELECT unit_path FROM rating_periods WHERE unit_path >= ? AND unit_path < ? AND year = ? AND confirm_until < date('now') "
               "AND confirmed < ratings", (path, path + "~", year)).fetchall()
for _ in range(20): stats()
t = time.perf_counter()
for _ in range(200): stats()
print(f"{(time.perf_counter() - t) / 200 * 1000:.3f}")
PY
)
health=$(cat "$work/health.rps"); dist=$(cat "$work/distribution (province, 16 conn.).rps")
python3 - "$health" "$dist" "$raw" "$answered" "${bad:-0}" "$seconds" "$proposed" "$(wc -l <"$work/lists.txt")" <<'PY'
import sys
health, dist, raw = map(float, sys.argv[1:4]); answered, bad, seconds, proposed, lists = map(int, sys.argv[4:9])
cpu = 2 / dist * 1000
print(f"\ndistribution: {dist / health:.3f} x health, {cpu:.2f} ms of CPU per request vs {raw:.3f} ms raw SQL ({cpu / raw:.1f} x)")
ok = answered - bad
print(f"branch proposals: {ok / seconds:,.0f} decisions/s answered 2xx ({ok:,} of {answered:,}) for {lists:,} lists; ratings proposed: {proposed:,}")
if ok > lists:
    print(f"  every list was decided within the run ({lists / seconds:,.0f}/s at least); the decisions after it were a second one on a list, each case refused as stale")
PY
