#!/usr/bin/env bash
# Branch life benchmark: seeds the benchmark province (MEMBERS members, default 300,000) into a
# fresh SQLite file with MONTHS months of every branch's monthly meetings and their sheets
# (default 36; `sodoan seed-meetings`), starts the release server, and measures in one run, with wrk:
#   - the health endpoint (the ceiling), 16 connections;
#   - attendance sheets saved (`PUT /meetings/{id}/attendance`, a whole branch's list with
#     `If-Match`, each branch's meeting of yesterday once), 16 connections;
#   - the province's page of branches that did not meet last month (`GET /meetings/missing`),
#     16 connections, beside the raw SQL of the same page on a warm SQLite connection;
#   - a grassroots unit's removal list (`GET /removal-candidates`), 16 connections, beside the
#     raw SQL of the sheets it reads.
#   bench/meetings.sh [MEMBERS] [MONTHS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
members="${1:-300000}"
months="${2:-36}"
seconds="${3:-10}"
source bench/common.sh
seed_and_serve 18771 --members "$members"
kill "$server"; wait "$server" 2>/dev/null || true
"$bin" seed-meetings --province "$province" --months "$months"
BIND_ADDR="127.0.0.1:$port" "$bin" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "$base/health" >/dev/null && break; sleep 0.2; done
db="$work/bench.db"
last_month=$(date -d "$(date +%Y-%m-01) -1 day" +%Y-%m)
year=$(date +%Y)

# Yesterday's meetings, one line each: "meeting member member …" (the branch's members).
python3 - "$db" >"$work/sheets.txt" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
members = {}
for mid, unit in db.execute("SELECT id, unit_id FROM members WHERE status IN ('active','extended')"):
    members.setdefault(unit, []).append(mid)
for mid, unit in db.execute("SELECT id, unit_id FROM meetings WHERE status = 'planned'").fetchall():
    if members.get(unit):
        print(mid, *members[unit])
PY
echo "sheets to take: $(wc -l <"$work/sheets.txt"), lines each: ~$(awk '{n += NF - 1} END {print int(n / NR)}' "$work/sheets.txt")"
# The seeding outlasts an access token (15 minutes): sign in again.
token=$(curl -sf -X POST "$base/auth/login" -H 'content-type: application/json' \
  -d '{"login":"bench.leader@sodoan.test","password":"bench-12345"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
grassroots=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT id FROM org_units WHERE kind = 'grassroots' ORDER BY live_members DESC LIMIT 1\").fetchone()[0])" "$db")

cat >"$work/sheet.lua" <<LUA
local threads = {}
function setup(thread) thread:set("slot", #threads); table.insert(threads, thread) end
function init(args)
  todo = {}
  for line in io.lines("$work/sheets.txt") do table.insert(todo, line) end
  n = 0
end
request = function()
  local line = todo[1 + ((n * 2 + slot) % #todo)]
  n = n + 1
  local id = nil
  local entries = {}
  for x in line:gmatch("%d+") do
    if id == nil then id = x else
      local status = (tonumber(x) % 10 == 3) and '"excused","reason":"Ốm"' or '"present"'
      table.insert(entries, '{"member_id":' .. x .. ',"status":' .. status .. '}')
    end
  end
  return wrk.format("PUT", "/api/v1/meetings/" .. id .. "/attendance",
    { ["Authorization"] = "Bearer $token", ["Content-Type"] = "application/json", ["If-Match"] = '"1"' },
    '{"entries":[' .. table.concat(entries, ",") .. ']}')
end
LUA

echo
printf '%-44s %10s %10s %8s\n' endpoint "req/s" p99 non-2xx
report health "$(wrk -t2 -c16 -d"${seconds}s" --latency "$base/health")"
sheets=$(wc -l <"$work/sheets.txt")
out=$(wrk -t2 -c16 -d"${seconds}s" --latency -s "$work/sheet.lua" "http://127.0.0.1:$port")
report "attendance sheets (16 conn.)" "$out"
sent=$(awk '/requests in/ {print $1}' <<<"$out")
report "did not meet (province, 16 conn.)" "$(wrk -t2 -c16 -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$base/meetings/missing?unit_id=$province&month=$last_month")"
report "removal list (grassroots, 16 conn.)" "$(wrk -t2 -c16 -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$base/removal-candidates?unit_id=$grassroots&year=$year")"
sleep 1
held=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT count(*) FROM meetings WHERE status = 'held' AND starts_at >= date('now', '-2 day')\").fetchone()[0])" "$db")

raw=$(python3 - "$db" "$province" "$last_month" "$grassroots" "$year" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1]); province = int(sys.argv[2]); month = sys.argv[3]; g = int(sys.argv[4]); year = sys.argv[5]
path = db.execute("SELECT path FROM org_units WHERE id = ?", (province,)).fetchone()[0]
gpath = db.execute("SELECT path FROM org_units WHERE id = ?", (g,)).fetchone()[0]
def missing():
    q = ("FROM org_units u LEFT JOIN org_units p ON p.id = u.parent_id WHERE u.path >= ? AND u.path < ? AND u.kind = 'branch' "
         "AND u.border = 0 AND u.dissolved_on IS NULL AND NOT EXISTS (SELECT 1 FROM unit_month_counts c WHERE c.unit_id = u.id "
         "AND c.counter = 'held:branch_meeting' AND c.month IN (?) AND c.n > 0)")
    db.execute("SELECT count(*) " + q, (path, path + "~", month)).fetchone()
    db.execute("SELECT u.id, u.name, p.name, u.border " + q + " ORDER BY u.path LIMIT 50", (path, path + "~", month)).fetchall()
def removal():
    db.execute("SELECT a.member_id, m.starts_at, a.status FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id "
               "JOIN members x ON x.id = a.member_id WHERE m.kind = 'branch_meeting' AND m.status = 'held' AND m.unit_path >= ? "
               "AND m.unit_path < ? AND m.starts_at >= ? AND m.starts_at < ? AND x.status IN ('active','extended')",
               (gpath, gpath + "~", year + "-01-01 00:00:00", str(int(year) + 1) + "-01-01 00:00:00")).fetchall()
out = []
for f in (missing, removal):
    for _ in range(20): f()
    t = time.perf_counter()
    for _ in range(200): f()
    out.append(f"{(time.perf_counter() - t) / 200 * 1000:.3f}")
print(" ".join(out))
PY
)
read -r raw_missing raw_removal <<<"$raw"
health=$(cat "$work/health.rps"); rate=$(cat "$work/attendance sheets (16 conn.).rps")
missing=$(cat "$work/did not meet (province, 16 conn.).rps"); removal=$(cat "$work/removal list (grassroots, 16 conn.).rps")
python3 - "$health" "$rate" "$missing" "$removal" "$raw_missing" "$raw_removal" "$sent" "$held" "$sheets" <<'PY'
import sys
health, rate, missing, removal, raw_m, raw_r = map(float, sys.argv[1:7]); sent, held, sheets = map(int, sys.argv[7:10])
print(f"\nattendance sheets: {rate:,.0f}/s = {rate / health:.3f} x health (target 500/s)")
print(f"sheets answered: {sent:,} for {sheets:,} meetings (a second save of one is a stale If-Match); meetings now held: {held:,}")
for name, rps, raw in (("did not meet", missing, raw_m), ("removal list", removal, raw_r)):
    cpu = 2 / rps * 1000
    print(f"{name}: {rps / health:.3f} x health, {cpu:.2f} ms of CPU per request vs {raw:.3f} ms raw SQL ({cpu / raw:.1f} x)")
PY
