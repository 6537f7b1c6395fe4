#!/usr/bin/env bash
# Compares this SDK with a raw reqwest client (the limit for an HTTP client) and with the official Python and JS
# SDKs, against one release-built emulator on loopback. See BENCHMARKS.md for the method and the results.
#
# Usage, from anywhere in the repository:  benches/compare/run.sh
# Environment (all optional):
#   ROUNDS=5            rounds of the Rust clients; each round runs raw and the SDK once, in alternating order
#   SECONDS_PER_CASE=2  seconds per operation and mode in each Rust round
#   OFFICIAL_SECONDS=3  seconds per operation and mode for each official SDK
#   PINNED_ROUNDS=3     rounds of the Rust clients with the emulator on CPU 0 and the client on CPU 1 (0: none)
#   ONE_CPU_ROUNDS=3    rounds of the Rust clients, one call at a time, with the emulator and the client both on
#                       CPU 0; the official SDKs are measured once so too (0: none)
#   AWAKE_ROUNDS=3      rounds of the Rust clients, one call at a time on every CPU, with the CPUs kept polling
#                       instead of halting when idle (needs write access to /dev/cpu_dma_latency, else skipped); the
#                       official SDKs are measured once so too (0: none)
#   CONCURRENCY=64      calls in flight in the concurrent mode
#   STREAM_USERS=100000 users seeded in the emulator and streamed through into_stream()
#   REPORT=target/compare/report.md   where the report goes (it is printed too)
# Needs cargo, python3 (with venv and pip), node 20 and npm; installs the official SDKs into a temporary folder
# that is removed at the end. Nothing else is written outside target/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

rounds=${ROUNDS:-5}
seconds=${SECONDS_PER_CASE:-2}
pinned_rounds=${PINNED_ROUNDS:-3}
one_cpu_rounds=${ONE_CPU_ROUNDS:-3}
awake_rounds=${AWAKE_ROUNDS:-3}
official_seconds=${OFFICIAL_SECONDS:-3}
concurrency=${CONCURRENCY:-64}
stream_users=${STREAM_USERS:-100000}
report=${REPORT:-$root/target/compare/report.md}

for tool in cargo python3 node npm; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed" >&2; exit 1; }
done

work=$(mktemp -d)
emulator_pid=
awake_pid=
cleanup() {
  if [ -n "$awake_pid" ]; then kill "$awake_pid" 2>/dev/null || true; fi
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

log() { echo "== $*" >&2; }

log "building (release emulator, compare bench)"
cargo build --release -q -p authing-emulator
cargo bench --no-run -q --bench compare 2>/dev/null
compare() { cargo bench -q --bench compare -- "$@"; }
# Renames client $1 to "$1-$2" in result lines, for the passes reported apart.
renamed() { sed -E "s/\"client\": ?\"$1\"/\"client\":\"$1-$2\"/"; }
# Runs the raw client and the SDK for $1 rounds, which of them goes first alternating from round to round, on CPU $2
# (any when empty), and names their results "<client>-$3" (leaves the names when empty). The other arguments go to
# `compare run`.
rust_rounds() {
  local rounds=$1 cpu=$2 suffix=$3 round client order
  shift 3
  for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) -eq 1 ]; then order="raw sdk"; else order="sdk raw"; fi
    for client in $order; do
      ${cpu:+taskset -c "$cpu"} cargo bench -q --bench compare -- run --client "$client" \
        --config "$work/emulator.json" --prepared "$work/prepared.json" --seconds "$seconds" \
        --emulator-pid "$emulator_pid" "$@" \
        | if [ -n "$suffix" ]; then renamed "$client" "$suffix"; else cat; fi >>"$results"
    done
  done
}
# Runs each official SDK once, one call at a time, on CPU $1 (any when empty), and names its results "<client>-$2".
official_sequential() {
  local cpu=$1 suffix=$2
  ${cpu:+taskset -c "$cpu"} "$work/venv/bin/python" "$here/python_sdk.py" "$config" "$official_seconds" 1 sequential \
    | renamed python "$suffix" >>"$results"
  NODE_PATH="$work/js/node_modules" ${cpu:+taskset -c "$cpu"} node "$here/js_sdk.js" "$config" "$official_seconds" 1 \
    sequential | renamed js "$suffix" >>"$results"
}

log "installing the official SDKs into $work"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check 'authing==4.5.18' >"$work/pip.log" 2>&1 \
  || { cat "$work/pip.log" >&2; exit 1; }
mkdir -p "$work/js"
(cd "$work/js" && npm init -y >/dev/null && npm install -s --no-audit --no-fund 'authing-js-sdk@4.23.55' >"$work/npm.log" 2>&1) \
  || { cat "$work/npm.log" >&2; exit 1; }

results="$work/results.jsonl"
: >"$results"

log "a one-byte round trip over loopback, on two CPUs and on one"
python3 "$here/pingpong.py" >>"$results"

log "starting the emulator ($stream_users seeded users)"
cargo run --release -q -p authing-emulator -- --port 0 --seed-users "$stream_users" \
  >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!   # cargo run replaces itself with the emulator on Unix
for _ in $(seq 1 300); do
  [ -s "$work/emulator.out" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.err" >&2; exit 1; }
  sleep 0.1
done
head -n 1 "$work/emulator.out" >"$work/emulator.json"
[ -s "$work/emulator.json" ] || { echo "run.sh: the emulator printed nothing" >&2; exit 1; }
config=$(cat "$work/emulator.json")

log "setup: users through the management API, and the requests the SDK sends"
compare setup --config "$work/emulator.json" --out "$work/prepared.json" >&2

log "raw reqwest and the SDK: $rounds rounds of ${seconds}s per case, alternating"
rust_rounds "$rounds" "" "" --concurrency "$concurrency"

cpus=$(nproc)
if [ "$pinned_rounds" -gt 0 ] && [ "$cpus" -ge 2 ] && command -v taskset >/dev/null; then
  log "raw reqwest and the SDK on CPU 1, the emulator on CPU 0: $pinned_rounds rounds of ${seconds}s per case"
  taskset -a -p -c 0 "$emulator_pid" >/dev/null
  rust_rounds "$pinned_rounds" 1 pinned --concurrency "$concurrency"
  taskset -a -p -c "0-$((cpus - 1))" "$emulator_pid" >/dev/null
fi

# One call at a time on two CPUs, each round trip waits twice for an idle CPU to wake; on one CPU it does not.
if [ "$one_cpu_rounds" -gt 0 ] && command -v taskset >/dev/null; then
  log "every client on CPU 0 with the emulator, one call at a time: $one_cpu_rounds rounds of ${seconds}s per case"
  taskset -a -p -c 0 "$emulator_pid" >/dev/null
  rust_rounds "$one_cpu_rounds" 0 one-cpu --modes sequential
  official_sequential 0 one-cpu
  taskset -a -p -c "0-$((cpus - 1))" "$emulator_pid" >/dev/null
fi

# The same on every CPU, with idle CPUs polling instead of halting: a request for zero wake-up latency (PM QoS), as
# servers tuned for latency make. It holds while the file stays open; the kernel drops it when the holder exits.
hold_cpus_awake() {
  [ -w /dev/cpu_dma_latency ] || return 1
  python3 -c 'import os, signal, struct
os.write(os.open("/dev/cpu_dma_latency", os.O_WRONLY), struct.pack("i", 0))
signal.pause()' 2>/dev/null &
  awake_pid=$!
  sleep 0.5
  kill -0 "$awake_pid" 2>/dev/null || { awake_pid=; return 1; }
}
if [ "$awake_rounds" -gt 0 ] && [ "$cpus" -ge 2 ] && hold_cpus_awake; then
  log "every CPU kept awake, one call at a time: $awake_rounds rounds of ${seconds}s per case"
  python3 "$here/pingpong.py" | grep '"two CPUs"' | sed 's/"two CPUs"/"two CPUs kept awake"/' >>"$results"
  rust_rounds "$awake_rounds" "" awake --modes sequential
  official_sequential "" awake
  kill "$awake_pid"
  wait "$awake_pid" 2>/dev/null || true
  awake_pid=
elif [ "$awake_rounds" -gt 0 ]; then
  log "/dev/cpu_dma_latency cannot be held here: the pass with every CPU kept awake is skipped"
fi

log "official Python SDK (${official_seconds}s per case)"
"$work/venv/bin/python" "$here/python_sdk.py" "$config" "$official_seconds" "$concurrency" >>"$results"

log "official JS SDK (${official_seconds}s per case)"
NODE_PATH="$work/js/node_modules" node "$here/js_sdk.js" "$config" "$official_seconds" "$concurrency" >>"$results"

log "streaming users through into_stream()"
for count in 1000 "$stream_users"; do
  compare stream --config "$work/emulator.json" --count "$count" --page-size 100 >>"$results"
done

log "1 000 concurrent first calls on a cold ManagementClient (tests/token.rs)"
if cargo test -q --test token a_thousand_concurrent_first_calls_make_one_token_request >"$work/token.log" 2>&1; then
  echo '{"token_test": "passed"}' >>"$results"
else
  cat "$work/token.log" >&2
  echo '{"token_test": "failed"}' >>"$results"
fi

mkdir -p "$(dirname "$report")"
cp "$results" "${report%.md}.jsonl"
python3 - "$results" "$concurrency" >"$report" <<'EOF'
import json, sys, platform, subprocess

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
concurrency = sys.argv[2]
ops = ["users.list", "login_by_username", "check_login_status"]
modes = ["sequential", "concurrent"]
clients = ["raw", "sdk", "python", "js"]

calls, secs, ccpu, ecpu, hwm = {}, {}, {}, {}, {}
for r in rows:
    if "op" in r:
        key = (r["client"], r["op"], r["mode"])
        calls[key] = calls.get(key, 0) + r["calls"]
        secs[key] = secs.get(key, 0) + r["seconds"]
        if r.get("client_cpu_seconds") is not None:
            ccpu[key] = ccpu.get(key, 0) + r["client_cpu_seconds"]
        if r.get("emulator_cpu_seconds") is not None:
            ecpu[key] = ecpu.get(key, 0) + r["emulator_cpu_seconds"]
    elif "vm_hwm_kib" in r and "client" in r:
        hwm[r["client"]] = max(hwm.get(r["client"], 0), r["vm_hwm_kib"] or 0)

def rate(c, op, mode):
    k = (c, op, mode)
    return calls[k] / secs[k] if k in calls and secs[k] > 0 else None

def per_call(d, c, op, mode):
    """Microseconds per call of the seconds summed in `d` (client or emulator CPU) for a case."""
    k = (c, op, mode)
    return d[k] / calls[k] * 1e6 if k in d and calls.get(k) else None

def fmt(x, digits=0):
    return "n/a" if x is None else f"{x:,.{digits}f}"

def ratio(a, b, digits=2):
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.{digits}f}×"

out = []
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
out.append(f"Machine: {cpu}, {nproc} cores, Linux {platform.release()}. Concurrent = {concurrency} calls in flight.")
pingpongs = [f"{r['round_trip_us']} µs on {r['pingpong']}" for r in rows if "pingpong" in r]
if pingpongs:
    out.append("A one-byte round trip over loopback TCP between two processes (pingpong.py): " + ", ".join(pingpongs) + ".")
out.append("")
out.append("| operation | mode | raw reqwest calls/s | SDK calls/s | SDK / raw | Python calls/s | SDK / Python | JS calls/s | SDK / JS |")
out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
for op in ops:
    for mode in modes:
        raw, sdk, py, js = (rate(c, op, mode) for c in clients)
        out.append(f"| {op} | {mode} | {fmt(raw)} | {fmt(sdk)} | {ratio(sdk, raw)} | {fmt(py, 1)} | {ratio(sdk, py, 0)} | {fmt(js)} | {ratio(sdk, js, 1)} |")
out.append("")
out.append("Client CPU per call (µs, user + system of the client process over the same runs; /proc/PID/stat in 10 ms ticks "
           "for the Rust clients, os.times() for Python, process.cpuUsage() for Node), and the emulator's:\n")
out.append("| operation | mode | raw reqwest | SDK | Python | JS | SDK / raw | Python / SDK | JS / SDK | emulator per call (raw runs) | emulator busy (raw runs) |")
out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for op in ops:
    for mode in modes:
        raw, sdk, py, js = (per_call(ccpu, c, op, mode) for c in clients)
        k = ("raw", op, mode)
        busy = ecpu[k] / secs[k] * 100 if k in ecpu and secs.get(k) else None
        out.append(f"| {op} | {mode} | {fmt(raw)} | {fmt(sdk)} | {fmt(py)} | {fmt(js)} | {ratio(sdk, raw)} | "
                   f"{ratio(py, sdk, 0)} | {ratio(js, sdk, 1)} | {fmt(per_call(ecpu, 'raw', op, mode))} | {fmt(busy)} % |")
out.append("")
if any(k[0] == "raw-pinned" for k in calls):
    out.append("Raw reqwest and the SDK with the emulator on CPU 0 and the client on CPU 1, so that neither takes CPU "
               "from the other:\n")
    out.append("| operation | mode | raw reqwest calls/s | SDK calls/s | SDK / raw | raw CPU per call (µs) | SDK CPU per call (µs) |")
    out.append("|---|---|---:|---:|---:|---:|---:|")
    for op in ops:
        for mode in modes:
            raw, sdk = rate("raw-pinned", op, mode), rate("sdk-pinned", op, mode)
            out.append(f"| {op} | {mode} | {fmt(raw)} | {fmt(sdk)} | {ratio(sdk, raw)} | "
                       f"{fmt(per_call(ccpu, 'raw-pinned', op, mode))} | {fmt(per_call(ccpu, 'sdk-pinned', op, mode))} |")
    out.append("")
def sequential_pass(suffix, heading):
    """The tables of a pass that measured every client one call at a time, its clients named `<client>-<suffix>`."""
    if not any(k[0] == f"raw-{suffix}" for k in calls):
        return
    out.append(heading + "\n")
    out.append("| operation | raw reqwest calls/s | SDK calls/s | SDK / raw | Python calls/s | SDK / Python | JS calls/s | SDK / JS |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for op in ops:
        raw, sdk, py, js = (rate(f"{c}-{suffix}", op, "sequential") for c in clients)
        out.append(f"| {op} | {fmt(raw)} | {fmt(sdk)} | {ratio(sdk, raw)} | {fmt(py, 1)} | {ratio(sdk, py, 0)} | "
                   f"{fmt(js)} | {ratio(sdk, js, 1)} |")
    out.append("")
    out.append("Per call in the same pass, in µs (the round trip is one over the rate; CPU from the same sources as above):\n")
    out.append("| operation | raw round trip | raw CPU | SDK round trip | SDK CPU | JS round trip | JS CPU | emulator CPU (raw runs) |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for op in ops:
        cells = []
        for c in ("raw", "sdk", "js"):
            r = rate(f"{c}-{suffix}", op, "sequential")
            cells += [fmt(1e6 / r if r else None), fmt(per_call(ccpu, f"{c}-{suffix}", op, "sequential"))]
        emulator = per_call(ecpu, f"raw-{suffix}", op, "sequential")
        out.append(f"| {op} | {' | '.join(cells)} | {fmt(emulator)} |")
    out.append("")

sequential_pass("one-cpu", "Every client on CPU 0 with the emulator, one call at a time, so that no round trip waits for "
                "an idle CPU to wake:")
sequential_pass("awake", "Every client one call at a time on every CPU, with idle CPUs polling instead of halting "
                "(a PM QoS request for zero wake-up latency through /dev/cpu_dma_latency), so that no round trip waits "
                "for a halted CPU to wake:")
out.append("Peak memory of each client process (VmHWM, the largest over its runs):\n")
out.append("| client | VmHWM |")
out.append("|---|---:|")
names = {"raw": "raw reqwest", "sdk": "this SDK", "python": "official Python SDK", "js": "official JS SDK (Node)"}
for c in clients:
    out.append(f"| {names[c]} | {fmt(hwm.get(c, 0) / 1024, 1)} MiB |")
out.append("")
streams = [r for r in rows if "stream" in r]
if streams:
    out.append("Streaming users through `into_stream()` (pages of 100), one process each:\n")
    out.append("| users streamed | seconds | VmHWM |")
    out.append("|---:|---:|---:|")
    for r in streams:
        out.append(f"| {r['stream']:,} | {r['seconds']:.2f} | {r['vm_hwm_kib'] / 1024:.1f} MiB |")
    out.append("")
for r in rows:
    if "token_test" in r:
        out.append(f"1 000 concurrent first calls on a cold ManagementClient make one token request "
                   f"(tests/token.rs `a_thousand_concurrent_first_calls_make_one_token_request`): {r['token_test']}.")
print("\n".join(out))
EOF
cat "$report"
