#!/usr/bin/env bash
# Throughput of authy-sandbox vs a minimal hyper server, both release builds, measured with wrk
# (keep-alive) at -t1 -c1 and -t2 -c64. Prints a table and writes the "Sandbox" section of
# BENCHMARKS.md.
#
# Usage: bench/sandbox.sh     (DURATION=3 seconds per run, ROUNDS=3 interleaved rounds; the
#                             table shows the median of the rounds)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${DURATION:-3}
ROUNDS=${ROUNDS:-3}
KEY=bench-key-0123456789abcdef
ENDPOINT=/protected/json/app/details
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }

echo "building release binaries..." >&2
cargo build --release -q -p authy-sandbox --bin authy-sandbox --example hello_baseline

TMP=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT

# start NAME VAR CMD...: runs a server in the background (its pid goes to PIDS, so the EXIT
# trap stops it), waits for the URL it prints first and stores it in VAR.
start() {
    local name=$1 var=$2; shift 2
    "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
    PIDS+=($!)
    for _ in $(seq 1 100); do
        if [ -s "$TMP/$name.out" ]; then printf -v "$var" '%s' "$(head -n1 "$TMP/$name.out")"; return; fi
        sleep 0.05
    done
    echo "$name did not start" >&2; cat "$TMP/$name.err" >&2; exit 1
}

start sandbox SANDBOX_URL "$TARGET_DIR/release/authy-sandbox" --quiet --api-key "$KEY"
SANDBOX_PID=${PIDS[-1]}
start baseline BASELINE_URL "$TARGET_DIR/release/examples/hello_baseline"
BASELINE_PID=${PIDS[-1]}

# -c1 is latency-bound: on a shared 2-core machine the scheduler (cross-CPU wake-ups, other
# jobs) dominates it. Those runs pin wrk and both servers to CPU 0 (when taskset exists); the
# -c64 runs use every CPU.
CPUS_ALL="0-$(($(nproc) - 1))"
pin() { # pin CPULIST: moves every thread of both servers
    command -v taskset >/dev/null || return 0
    taskset -a -p -c "$1" "$SANDBOX_PID" >/dev/null
    taskset -a -p -c "$1" "$BASELINE_PID" >/dev/null
}
WRK1=(wrk)
if command -v taskset >/dev/null; then WRK1=(taskset -c 0 wrk); fi

# rps URL THREADS CONNS -> requests/s (integer); fails on socket errors or non-2xx answers.
rps() {
    local out cmd=(wrk)
    if [ "$3" = 1 ]; then pin 0; cmd=("${WRK1[@]}"); else pin "$CPUS_ALL"; fi
    out=$("${cmd[@]}" -t"$2" -c"$3" -d"${DURATION}s" -H "X-Authy-API-Key: $KEY" "$1")
    if grep -q "Non-2xx\|Socket errors" <<<"$out"; then
        echo "wrk reported errors for $1:" >&2; echo "$out" >&2; exit 1
    fi
    awk '/^Requests\/sec:/ { printf "%d", $2 }' <<<"$out"
}

# A user for the dynamic endpoint (status: lock, lookup, JSON encoding of a fresh answer).
curl -sf -X POST -H "X-Authy-API-Key: $KEY" \
    -d 'user[email]=bench@example.com&user[cellphone]=5551234567&user[country_code]=1' \
    "$SANDBOX_URL/protected/json/users/new" >/dev/null
STATUS=/protected/json/users/1/status

# Warm-up.
wrk -t1 -c4 -d1s -H "X-Authy-API-Key: $KEY" "$SANDBOX_URL$ENDPOINT" >/dev/null
wrk -t1 -c4 -d1s "$BASELINE_URL/" >/dev/null

# The machine is shared: run every configuration ROUNDS times, interleaved, and keep the median.
median() { tr ' ' '\n' <<<"$*" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
declare -A RUNS
for round in $(seq 1 "$ROUNDS"); do
    echo "round $round/$ROUNDS..." >&2
    RUNS[S1]+=" $(rps "$SANDBOX_URL$ENDPOINT" 1 1)"
    RUNS[B1]+=" $(rps "$BASELINE_URL/" 1 1)"
    RUNS[S64]+=" $(rps "$SANDBOX_URL$ENDPOINT" 2 64)"
    RUNS[B64]+=" $(rps "$BASELINE_URL/" 2 64)"
    RUNS[D1]+=" $(rps "$SANDBOX_URL$STATUS" 1 1)"
    RUNS[D64]+=" $(rps "$SANDBOX_URL$STATUS" 2 64)"
done
S1=$(median ${RUNS[S1]}); B1=$(median ${RUNS[B1]})
S64=$(median ${RUNS[S64]}); B64=$(median ${RUNS[B64]})
D1=$(median ${RUNS[D1]}); D64=$(median ${RUNS[D64]})
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
R1=$(awk -v a="$S1" -v b="$B1" 'BEGIN { printf "%.2f", a / b }')
R64=$(awk -v a="$S64" -v b="$B64" 'BEGIN { printf "%.2f", a / b }')

SECTION=$(cat <<MD
## Sandbox

\`bench/sandbox.sh\` — release \`authy-sandbox\` vs \`sandbox/examples/hello_baseline.rs\` (bare
hyper 1 server, same tokio setup: 2 workers), wrk keep-alive with the \`X-Authy-API-Key\` header,
median of ${ROUNDS} interleaved rounds of ${DURATION} s per run (all runs:
sandbox -c1 [${RUNS[S1]# }], baseline -c1 [${RUNS[B1]# }], sandbox -c64 [${RUNS[S64]# }],
baseline -c64 [${RUNS[B64]# }]); \`-c1\` runs pin wrk and both servers to CPU 0 (latency-bound: this measures serving
cost rather than cross-CPU wake-ups), \`-c64\` runs share all $(nproc) cores between wrk and the
servers (load average
before the last run: $LOAD — other jobs were running, so expect noise).
\`GET $ENDPOINT\` goes through routing, percent-decoding, parameter parsing, the key check and one
state lock (request counter + stats); its constant answer is encoded once. \`GET $STATUS\`
also looks the user up and encodes a fresh JSON answer.
Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(uname -m).

| wrk | authy-sandbox req/s | baseline req/s | sandbox / baseline | goal |
|---|---:|---:|---:|---:|
| \`-t1 -c1\` | $S1 | $B1 | $R1 | ≥ 20000 |
| \`-t2 -c64\` | $S64 | $B64 | $R64 | ≥ 50000 |
| \`-t1 -c1\`, users/1/status | $D1 | | | |
| \`-t2 -c64\`, users/1/status | $D64 | | | |
MD
)

echo "$SECTION"

BENCH="$ROOT/BENCHMARKS.md"
[ -f "$BENCH" ] || printf '# Benchmarks\n' >"$BENCH"
# Replace an existing "## Sandbox" section (up to the next "## " heading), else append.
awk -v section="$SECTION" '
    /^## / { if (skip) skip = 0; if ($0 == "## Sandbox") { skip = 1; if (!done) { print section; print ""; done = 1 } ; next } }
    !skip { print }
    END { if (!done) { print ""; print section } }
' "$BENCH" >"$TMP/bench.md"
cp "$TMP/bench.md" "$BENCH"
echo "updated $BENCH" >&2
