#!/usr/bin/env bash
# What a user's clean release build pays: wall and CPU time, binary size, for the same
# `main` with infisical-rs (default features, and without OpenSSL) and with the official
# Infisical Rust SDK 0.0.4. Each build starts from an empty target directory with the
# dependencies already downloaded; `cargo build --timings` reports land in
# target/cargo-timings/. Usage: bench/build-cost/measure.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
run() {
    local name=$1 dir=$2; shift 2
    (cd "$here/$dir" && cargo fetch -q && rm -rf target)
    local t0 out
    out=$( { cd "$here/$dir" && /usr/bin/time -f '%e %U %S' cargo build -q --release --timings "$@" ; } 2>&1 | tail -1)
    read -r wall user sys <<<"$out"
    local bin="$here/$dir/target/release/build-cost-$dir"
    local size
    size=$(stat -c %s "$bin")
    printf '| %s | %.0f s | %.0f s | %.1f MB |\n' "$name" "$wall" "$(echo "$user + $sys" | bc)" "$(echo "$size / 1000000" | bc -l)"
}
echo "| build | wall | CPU | binary |"
echo "|---|---:|---:|---:|"
run "official SDK 0.0.4" official
run "infisical-rs, default features" ours
run "infisical-rs, --no-default-features (no OpenSSL)" ours --no-default-features
