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
export RUST_LOG=warn,sodoan::services::imports=info
source bench/common.sh
"$bin" sample-import --rows "$rows" --out "$work/members.xlsx"
ls -l "$work/members.xlsx" | awk '{printf "file: %.1f MB\n", $5 / 1048576}'
seed_and_serve 18766 --members 0
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
