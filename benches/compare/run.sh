#!/usr/bin/env bash
# Measures this SDK, a straightforward reqwest + serde_json + rsa client, and the official Python and JS SDKs
# against one release-built emulator on loopback, then writes a markdown report and prints it. See BENCHMARKS.md.
#
# Usage, from anywhere in the repository:  benches/compare/run.sh
# Environment (all optional):
#   SECONDS_PER_CASE=5   seconds of each Rust client per operation and mode
#   OFFICIAL_SECONDS=5   seconds of each official SDK per operation and mode
#   CONCURRENCY=64       calls in flight in the concurrent mode
#   STREAM_USERS=100000  users seeded in the emulator and streamed through into_stream() (beside 1 000)
#   REPORT=target/compare/report.md   where the report goes (the raw results go beside it, as .jsonl)
# A check run that takes a few minutes:  SECONDS_PER_CASE=1 OFFICIAL_SECONDS=1 STREAM_USERS=10000 benches/compare/run.sh
# Needs cargo, python3 (with venv and pip), node 20 and npm; installs the official SDKs into a temporary folder
# that is removed at the end. Nothing else is written outside target/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

seconds=${SECONDS_PER_CASE:-5}
official_seconds=${OFFICIAL_SECONDS:-5}
concurrency=${CONCURRENCY:-64}
stream_users=${STREAM_USERS:-100000}
report=${REPORT:-$root/target/compare/report.md}

for tool in cargo python3 node npm; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed" >&2; exit 1; }
done

work=$(mktemp -d)
emulator_pid=
cleanup() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
log() { echo "== $*" >&2; }

log "building (release emulator, compare bench)"
cargo build --release -q -p authing-emulator
cargo bench -p authing-benches --no-run -q --bench compare 2>/dev/null
compare() { cargo bench -p authing-benches -q --bench compare -- "$@"; }

log "installing the official SDKs into $work"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check 'authing==4.5.18' >"$work/pip.log" 2>&1 \
  || { cat "$work/pip.log" >&2; exit 1; }
mkdir -p "$work/js"
(cd "$work/js" && npm init -y >/dev/null && npm install -s --no-audit --no-fund 'authing-js-sdk@4.23.55' >"$work/npm.log" 2>&1) \
  || { cat "$work/npm.log" >&2; exit 1; }

log "starting the emulator ($stream_users seeded users)"
"${CARGO_TARGET_DIR:-$root/target}/release/authing-emulator" --port 0 --seed-users "$stream_users" \
  >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
for _ in $(seq 1 300); do
  [ -s "$work/emulator.out" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.err" >&2; exit 1; }
  sleep 0.1
done
head -n 1 "$work/emulator.out" >"$work/emulator.json"
[ -s "$work/emulator.json" ] || { echo "run.sh: the emulator printed nothing" >&2; exit 1; }
config=$(cat "$work/emulator.json")
results="$work/results.jsonl"

log "this SDK and the straightforward client (${seconds}s per case each)"
compare run --config "$work/emulator.json" --seconds "$seconds" --concurrency "$concurrency" >"$results"

log "official Python SDK (${official_seconds}s per case)"
"$work/venv/bin/python" "$here/python_sdk.py" "$config" "$official_seconds" "$concurrency" >>"$results"

log "official JS SDK (${official_seconds}s per case)"
NODE_PATH="$work/js/node_modules" node "$here/js_sdk.js" "$config" "$official_seconds" "$concurrency" >>"$results"

log "streaming 1 000 and $stream_users users through into_stream()"
for count in 1000 "$stream_users"; do
  compare stream --config "$work/emulator.json" --count "$count" >>"$results"
done

log "1 000 concurrent first calls on a fresh ManagementClient"
compare token >>"$results"

mkdir -p "$(dirname "$report")"
cp "$results" "${report%.md}.jsonl"
commit=$(git describe --always --dirty 2>/dev/null || echo unknown)
compare report --results "$results" --commit "$commit" --concurrency "$concurrency" >"$report"
cat "$report"
