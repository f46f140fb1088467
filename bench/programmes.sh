#!/usr/bin/env bash
# Member Training programme benchmark: seeds the benchmark province (MEMBERS members, default
# 300,000) into a fresh SQLite file, publishes this year's programme for every grassroots unit
# and registers PERCENT of their members (default 80; `sodoan seed-programmes`), starts the
# release server, and measures in one run, with wrk:
#   - the health endpoint (the ceiling), 16 connections;
#   - the province's programme figures (`GET /programmes/stats`), 16 connections, beside the raw
#     SQL time of the same reads on a warm SQLite connection (python's sqlite3, 2,000 runs);
#   - registrations of the members not registered yet (`POST /programmes/{id}/registrations` with
#     `member_id` and `Prefer: return=minimal`, as the branch cadre's phone sends it; each member
#     once), 64 connections;
#     afterwards the rows are counted in the database: nothing may be lost.
#   bench/programmes.sh [MEMBERS] [PERCENT] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
members="${1:-300000}"
percent="${2:-80}"
seconds="${3:-10}"
source bench/common.sh
seed_and_serve 18769 --members "$members"
"$bin" seed-programmes --province "$province" --percent "$percent"
db="$work/bench.db"
year=$(date +%Y)

# Who is left to register: one line per member, "programme member optional1 optional2".
python3 - "$db" "$year" >"$work/todo.txt" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); year = int(sys.argv[2])
optional = {}
for pid, iid in db.execute("SELECT programme_id, id FROM programme_items WHERE NOT required ORDER BY programme_id, id"):
    optional.setdefault(pid, []).append(iid)
for pid, path in db.execute("SELECT id, unit_path FROM programmes WHERE year = ?", (year,)).fetchall():
    upper = path + "~"
    for (mid,) in db.execute(
        "SELECT m.id FROM members m WHERE m.unit_path >= ? AND m.unit_path < ? AND m.status IN ('active','extended') "
        "AND NOT EXISTS (SELECT 1 FROM programme_registrations r WHERE r.member_id = m.id AND r.year = ?)",
        (path, upper, year)):
        a, b = optional[pid][:2]
        print(pid, mid, a, b)
PY
echo "members left to register: $(wc -l <"$work/todo.txt")"
before=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM programme_registrations').fetchone()[0])" "$db")

cat >"$work/register.lua" <<LUA
local threads = {}
function setup(thread) thread:set("slot", #threads); table.insert(threads, thread) end
function init(args)
  todo = {}
  for line in io.lines("$work/todo.txt") do table.insert(todo, line) end
  n = 0
end
request = function()
  local line = todo[1 + ((n * 2 + slot) % #todo)]
  n = n + 1
  local p, m, a, b = line:match("(%d+) (%d+) (%d+) (%d+)")
  return wrk.format("POST", "/api/v1/programmes/" .. p .. "/registrations",
    { ["Authorization"] = "Bearer $token", ["Content-Type"] = "application/json", ["Prefer"] = "return=minimal" },
    '{"member_id":' .. m .. ',"optional_item_ids":[' .. a .. ',' .. b .. '],"commitments":[]}')
end
LUA

echo
printf '%-44s %10s %10s %8s\n' endpoint "req/s" p99 non-2xx
report health "$(wrk -t2 -c16 -d"${seconds}s" --latency "$base/health")"
report "programme figures (province, 16 conn.)" "$(wrk -t2 -c16 -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$base/programmes/stats?unit_id=$province&year=$year")"
out=$(wrk -t2 -c64 -d"${seconds}s" --latency -s "$work/register.lua" "http://127.0.0.1:$port")
report "registrations (64 conn.)" "$out"
sent=$(awk '/requests in/ {print $1}' <<<"$out")
bad=$(awk '/Non-2xx/ {print $5}' <<<"$out")
sleep 2
after=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM programme_registrations').fetchone()[0])" "$db")

# The raw SQL of the figures: the unit and its children with their live members, then their counters.
raw=$(python3 - "$db" "$province" "$year" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1]); unit = int(sys.argv[2]); year = int(sys.argv[3])
def once():
    units = db.execute("SELECT id, name, live_members FROM org_units WHERE id = ? OR (parent_id = ? AND dissolved_on IS NULL)", (unit, unit)).fetchall()
    ids = [u[0] for u in units]
    marks = ",".join("?" * len(ids))
    return db.execute(f"SELECT unit_id, counter, n FROM programme_counts WHERE unit_id IN ({marks}) AND year = ?", (*ids, year)).fetchall()
for _ in range(200): once()
t = time.perf_counter()
for _ in range(2000): once()
print(f"{(time.perf_counter() - t) / 2000 * 1000:.3f}")
PY
)
health=$(cat "$work/health.rps"); stats=$(cat "$work/programme figures (province, 16 conn.).rps"); rate=$(cat "$work/registrations (64 conn.).rps")
python3 - "$health" "$stats" "$rate" "$sent" "${bad:-0}" "$before" "$after" "$raw" <<'PY'
import sys
health, stats, rate = map(float, sys.argv[1:4]); sent, bad, before, after = map(int, sys.argv[4:8]); raw = float(sys.argv[8])
cpu = 2 / stats * 1000  # ms of the machine's two cores per request
print(f"\nfigures: {stats / health:.3f} x health, {cpu:.2f} ms of CPU per request vs {raw:.3f} ms raw SQL ({cpu / raw:.1f} x)")
print(f"registrations: {rate:,.0f}/s = {rate / health:.3f} x health")
ok = sent - bad
print(f"registrations answered 2xx: {ok:,}; rows added in the database: {after - before:,}"
      + (" (nothing lost; the difference is the requests in flight at the deadline)" if ok <= after - before <= ok + 64 else " (MISMATCH)"))
PY
