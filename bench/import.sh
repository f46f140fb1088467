#!/usr/bin/env bash
# Import benchmark: seeds the benchmark province's tree (no members) into a fresh SQLite file,
# writes an .xlsx of N generated members (default 100,000) in the import template, starts the
# release server, uploads the file as the province leader (valid rows only) and follows the job
# until it ends. Prints the upload-to-done time, rows per second and the health endpoint's
# requests per second measured in the same run (the ceiling other benchmarks are compared to).
#   bench/import.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-100000}"
export PATH="$HOME/.cargo/bin:$PATH"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

cargo build -q --release -p backend --bin sodoan
bin="${CARGO_TARGET_DIR:-target}/release/sodoan"
work="$(mktemp -d)"
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
export DATABASE_URL="sqlite://$work/bench.db" JWT_SECRET="bench-secret-bench-secret-bench-secret" RUST_LOG=warn,sodoan::services::imports=info
"$bin" seed --members 0 | tee "$work/seed.txt"
"$bin" sample-import --rows "$rows" --out "$work/members.xlsx"
ls -l "$work/members.xlsx" | awk '{printf "file: %.1f MB\n", $5 / 1048576}'

port=18766
BIND_ADDR="127.0.0.1:$port" "$bin" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.2; done
base="http://127.0.0.1:$port/api/v1"
token=$(curl -sf -X POST "$base/auth/login" -H 'content-type: application/json' \
  -d '{"login":"bench.leader@sodoan.test","password":"bench-12345"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
province=$(sed -n 's/^Seeded province \([0-9]*\).*/\1/p' "$work/seed.txt")
health=$(wrk -t2 -c64 -d5s "$base/health" | awk '/Requests\/sec/ {print $2}')

started=$(date +%s.%N)
job=$(curl -sf -X POST "$base/imports?unit_id=$province&mode=valid_only&file_name=members.xlsx" \
  -H "Authorization: Bearer $token" -H 'content-type: application/octet-stream' --data-binary "@$work/members.xlsx" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
accepted=$(date +%s.%N)
while :; do
  state=$(curl -sf "$base/imports/$job" -H "Authorization: Bearer $token")
  status=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["status"])' "$state")
  [[ "$status" == done || "$status" == failed ]] && break
  sleep 0.2
done
ended=$(date +%s.%N)
python3 - "$state" "$started" "$accepted" "$ended" "$health" <<'PY'
import json, sys
job = json.loads(sys.argv[1]); started, accepted, ended, health = map(float, sys.argv[2:])
total = ended - started
print(f"\nstatus {job['status']}: {job['imported_rows']} imported, {job['error_rows']} rows with problems, of {job['total_rows']}")
print(f"upload + read + header check (until 202): {accepted - started:.1f} s")
print(f"upload to done: {total:.1f} s ({job['imported_rows'] / total:,.0f} rows/s)")
print(f"health in the same run: {health:,.0f} requests/s; import rows/s as a ratio to it: {job['imported_rows'] / total / health:.2f}")
PY
grep -o 'import done.*' "$work/server.log" || true
