#!/usr/bin/env bash
# Installs what building and testing Sổ Đoàn needs on a fresh Debian 12 machine.
# Idempotent: every step checks first and does nothing when the tool is already there.
#   scripts/install-tools.sh          tools to build and run the product
#   scripts/install-tools.sh --test   also PostgreSQL and Chromium for the test suite
set -euo pipefail

WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen version in Cargo.lock
BINARYEN_VERSION=132           # Debian's binaryen 108 produces bundles that do not start
SCHEMATHESIS_VERSION=4.32.5    # the API-document check (scripts/api-conformance)
TOOLS_DIR="${SODOAN_TOOLS_DIR:-$HOME/.cache/sodoan}"

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ $apt_updated -eq 0 ]; then say "apt-get update"; $sudo apt-get update -qq; apt_updated=1; fi
  say "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

command -v cargo >/dev/null || { echo "Rust is required: https://rustup.rs" >&2; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes, once)"
  cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
  command -v npm >/dev/null || apt_install nodejs npm
  say "npm install -g binaryen@$BINARYEN_VERSION"
  npm install -g --silent "binaryen@$BINARYEN_VERSION"
fi

if [ $want_test -eq 1 ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql
  apt_install chromium chromium-driver
  if ! "$TOOLS_DIR/venv/bin/schemathesis" --version 2>/dev/null | grep -q " $SCHEMATHESIS_VERSION"; then
    apt_install python3-venv
    say "pip install schemathesis==$SCHEMATHESIS_VERSION (into $TOOLS_DIR/venv)"
    python3 -m venv "$TOOLS_DIR/venv"
    "$TOOLS_DIR/venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
  fi
fi
