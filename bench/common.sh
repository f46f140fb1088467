# Shared by the benchmark scripts (sourced): builds the release server, makes a scratch folder
# with a fresh SQLite file, and after `seed_and_serve ARGS…` leaves $bin, $work, $port, $base,
# $token (the seeded province leader's) and $province set; the server stops on exit.
export PATH="$HOME/.cargo/bin:$PATH"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

cargo build -q --release -p backend --bin sodoan
bin="${CARGO_TARGET_DIR:-target}/release/sodoan"
work="$(mktemp -d)"
server=""
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
export DATABASE_URL="sqlite://$work/bench.db" JWT_SECRET="bench-secret-bench-secret-bench-secret"
export RUST_LOG="${RUST_LOG:-warn}"

# Seeds the benchmark province (`sodoan seed ARGS…`), starts the server on $1 and signs in.
seed_and_serve() {
  port="$1"; shift
  "$bin" seed "$@" | tee "$work/seed.txt"
  BIND_ADDR="127.0.0.1:$port" "$bin" serve >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.2; done
  base="http://127.0.0.1:$port/api/v1"
  token=$(curl -sf -X POST "$base/auth/login" -H 'content-type: application/json' \
    -d '{"login":"bench.leader@sodoan.test","password":"bench-12345"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  province=$(sed -n 's/^Seeded province \([0-9]*\).*/\1/p' "$work/seed.txt")
}

# report NAME WRK_OUTPUT: prints requests/s, p99 and non-2xx answers on one line, and keeps the
# rate in "$work/NAME.rps" for the ratios.
report() {
  local rps p99 bad
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$2")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$2")
  bad=$(awk '/Non-2xx/ {print $5}' <<<"$2")
  printf '%-44s %10s %10s %8s\n' "$1" "$rps" "$p99" "${bad:-0}"
  echo "$rps" >"$work/$1.rps"
}
