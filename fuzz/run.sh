#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 600), seeded from the shared CLI-keyring
# fixtures and fuzz/seeds. Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# Crashes land in fuzz/artifacts/<target>/; copy each into fuzz/regressions/<target>/ once fixed.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
fixtures=../../shared/fixtures/cli-keyring
run() {
  local target=$1; shift
  mkdir -p "corpus/$target"
  cargo +nightly fuzz run "$target" "corpus/$target" "$@" -- -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096
}
run cli_config $fixtures/*/home/.infisical seeds/response_decoding
run jwe_guard $fixtures/*/home/infisical-keyring
run response_decoding seeds/response_decoding
run dbus_message
