#!/usr/bin/env bash
# The one benchmark command of libauthy (`make bench`): libauthy against what users would use
# instead, measured in ONE run against the SAME sandbox processes, interleaved rounds, medians.
# Rewrites the "## Library" section of BENCHMARKS.md (ratios, targets of issue 7, met / not
# met) and, unless SKIP_SANDBOX=1, the "## Sandbox" section (bench/sandbox.sh).
#
#   1. sequential calls/s through the C ABI (bench/c_calls.c) ÷ `wrk -t1 -c1`, HTTP and HTTPS
#   2. the same ÷ authy-python 2.2.6 (PyPI, in a throw-away venv under the target dir)
#   3. 1/4/32 threads sharing one client ÷ one client per thread (examples/bench_client.rs)
#   4. OneTouch callback verification ÷ bare HMAC: through the C ABI (bench/c_callback.c,
#      authy_callback_verify ÷ OpenSSL's HMAC, the way a C caller runs it) and in Rust
#      (examples/bench_signature.rs, run as it is); ÷ authy-python's validate_one_touch_signature
#      (bench/py_signature.py)
#   5. Twilio Verify: sequential GET /v2/Services/{VA} through the C ABI (bench/c_verify.c,
#      authy_verify_client_fetch_service) ÷ `wrk -t1 -c1` and ÷ twilio-python 9.13.0
#      (bench/py_verify.py), HTTP and HTTPS; the X-Twilio-Signature check of a Verify webhook
#      through the C ABI (authy_twilio_signature_verify, `bench/c_callback.c twilio`) ÷ OpenSSL's
#      HMAC-SHA1 and ÷ twilio-python's RequestValidator.validate (bench/py_twilio_signature.py)
#   6. RSS growth over 100k calls (C ABI), heap per client (examples/bench_memory.rs), stripped
#      libauthy.so size, incremental rebuild time of the authy crate
#   + instruction counts (callgrind) of the client side, wrk and the sandbox per request
#
# Every call of 1–3 and 6 is GET /protected/json/app/details (authy_client_app_details,
# authy-python's apps.fetch()). One HTTP and one HTTPS sandbox (--tls-self-signed --ca-out)
# serve the whole run; the HTTPS clients trust its certificate. Takes 5–8 minutes on 2 cores.
#
# Environment:
#   BENCH_ROUNDS=9      interleaved rounds of the sequential measurements (medians are reported)
#   BENCH_SECONDS=1     seconds per sequential measurement (wrk takes whole seconds)
#   BENCH_THREAD_ROUNDS=7 BENCH_THREAD_SECONDS=1  rounds and seconds of the threads measurements
#   BENCH_RSS_CALLS=100000
#   SKIP_PYTHON=1       no authy-python / twilio-python rows (e.g. offline: the venv needs PyPI once)
#   SKIP_CALLGRIND=1    no instruction counts
#   SKIP_BUILD_TIME=1   do not touch src/lib.rs and time the rebuild
#   SKIP_SANDBOX=1      do not run bench/sandbox.sh
#   BENCH_NO_WRITE=1    print the section, leave BENCHMARKS.md alone
#   BENCH_PARTS="seq vseq threads sig mem cg build"  only these parts (to work on one of them;
#                       the Verify webhook check is part of sig)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
REL=$CARGO_TARGET_DIR/release
EX=$REL/examples
ROUNDS=${BENCH_ROUNDS:-9}
SECS=${BENCH_SECONDS:-1}
THREAD_ROUNDS=${BENCH_THREAD_ROUNDS:-7}
THREAD_SECS=${BENCH_THREAD_SECONDS:-1}
RSS_CALLS=${BENCH_RSS_CALLS:-100000}
PY_VERSION=2.2.6
TW_VERSION=9.13.0
# The sandbox's default Verify credentials (sandbox/README.md: --account-sid, --auth-token).
VSID=AC00000000000000000000000000000000
VTOKEN=sandbox-auth-token-0123456789abcd
VBASIC=$(printf '%s:%s' "$VSID" "$VTOKEN" | base64 -w0)
KEY=bench-key-0123456789abcdef
ENDPOINT=/protected/json/app/details
VECTORS=$ROOT/tests/data/onetouch_signature_vectors.json
START=$(date +%s)
# The command as run, with the settings that shape it.
COMMAND="bench/run.sh${*:+ $*}"
SETTINGS=$(env | grep -E '^(BENCH_|SKIP_)' | sort | tr '\n' ' ' || true)
STARTED_AT=$(date -u '+%Y-%m-%d %H:%M:%S UTC')

TMP=$(mktemp -d)
# shellcheck source=scripts/sandbox-lib.sh
source "$ROOT/scripts/sandbox-lib.sh"
SANDBOX_BIN=$REL/authy-sandbox SANDBOX_KEY=$KEY
cleanup() {
    sandbox_stop_all
    rm -rf "$TMP"
}
trap cleanup EXIT

say() { echo "== $*" >&2; }
# BENCH_PARTS="seq threads sig mem cg build" runs only those parts (for working on one of them).
want() { [ -z "${BENCH_PARTS:-}" ] || [[ " $BENCH_PARTS " == *" $1 "* ]]; }
# The load of the machine before each section (other engineers' builds share it).
LOADS=""
SECTION_T0=$START
section() {
    local l now
    l=$(cut -d' ' -f1-3 /proc/loadavg) now=$(date +%s)
    say "$1 (load average $l; previous part took $((now - SECTION_T0)) s)"
    LOADS+="$1: $l; "
    SECTION_T0=$now
}
median() { tr ' ' '\n' <<<"$*" | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "nan"; exit }
    if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0 || a == "nan" || b == "nan") print "nan"; else printf "%.6g\n", a / b }'; }
fmt() { awk -v v="$1" -v d="${2:-0}" 'BEGIN { if (v == "nan" || v == "") print "–"; else printf "%.*f\n", d, v }'; }
# verdict VALUE ge|le LIMIT
verdict() {
    awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
        if (v == "nan" || v == "") { print "not measured"; exit }
        ok = (op == "ge") ? (v >= l) : (v <= l)
        print ok ? "✅ met" : "❌ not met" }'
}

# ---- build ------------------------------------------------------------------------------------
section "build"
cargo build --release -q -p authy --lib \
    --example bench_client --example bench_memory --example bench_signature
cargo build --release -q -p authy-sandbox --bin authy-sandbox
ln -sf libauthy.so "$REL/libauthy.so.0"
cc -O2 -Wall -Wextra -I"$ROOT/include" -o "$TMP/c_calls" bench/c_calls.c \
    -L"$REL" -lauthy -Wl,-rpath,"$REL"
cc -O2 -Wall -Wextra -I"$ROOT/include" -o "$TMP/c_verify" bench/c_verify.c \
    -L"$REL" -lauthy -Wl,-rpath,"$REL"
# The C callback driver (needs OpenSSL's headers: libssl-dev) and the vectors it reads.
mkdir -p "$TMP/cb"
BENCH_DUMP=$TMP/cb "$EX/bench_signature"
C_CALLBACK=
if cc -O2 -Wall -Wextra -I"$ROOT/include" -o "$TMP/c_callback" bench/c_callback.c \
    -L"$REL" -lauthy -lcrypto -Wl,-rpath,"$REL" 2>"$TMP/c_callback.err"; then
    C_CALLBACK=$TMP/c_callback
    # The Verify webhook it times, for bench/py_twilio_signature.py too.
    TW_DESC=$("$C_CALLBACK" twilio-dump "$TMP/cb" 1)
else
    echo "bench: bench/c_callback.c does not build (OpenSSL headers? apt install libssl-dev); its rows are left out" >&2
    cat "$TMP/c_callback.err" >&2
fi
BUILT=$(date +%s)

# authy-python 2.2.6 and twilio-python 9.13.0 (and the requests they pull in) in a venv of
# their own, made once.
PY=
if [ -z "${SKIP_PYTHON:-}" ]; then
    VENV=$CARGO_TARGET_DIR/bench/venv-authy-$PY_VERSION
    if ! "$VENV/bin/python" -c "import authy, twilio, sys; sys.exit(authy.__version__ != '$PY_VERSION' or twilio.__version__ != '$TW_VERSION')" 2>/dev/null; then
        say "installing authy==$PY_VERSION twilio==$TW_VERSION from PyPI into $VENV"
        rm -rf "$VENV"
        if python3 -m venv "$VENV" && "$VENV/bin/pip" install --quiet --disable-pip-version-check "authy==$PY_VERSION" "twilio==$TW_VERSION"; then
            :
        else
            echo "bench: could not install authy-python and twilio-python; their rows are left out" >&2
            rm -rf "$VENV"
        fi
    fi
    [ -x "$VENV/bin/python" ] && PY=$VENV/bin/python
    PY_DESC=$([ -n "$PY" ] && "$PY" -c 'import authy, twilio, requests, urllib3, sys; print("authy %s, twilio %s, requests %s, urllib3 %s, Python %s" % (authy.__version__, twilio.__version__, requests.__version__, urllib3.__version__, sys.version.split()[0]))' || echo "not installed")
fi

# ---- the sandboxes of the whole run -----------------------------------------------------------
sandbox_start PLAIN --quiet
sandbox_start TLS --quiet --tls-self-signed --ca-out @DIR/ca.pem
CA=$TLS_DIR/ca.pem
# The certificate names 127.0.0.1 too: both URLs use the IP literal, so that no client pays a
# name lookup (ureq's default resolver, authy-python) and the schemes differ only by TLS.
HTTP_URL=$PLAIN_URL HTTPS_URL=${TLS_URL/\/\/localhost:/\/\/127.0.0.1:}
say "sandboxes: $HTTP_URL and $HTTPS_URL"
url_of() { if [ "$1" = http ]; then echo "$HTTP_URL"; else echo "$HTTPS_URL"; fi; }
ca_of() { if [ "$1" = http ]; then echo -; else echo "$CA"; fi; }

# ---- 1 + 2: sequential calls ------------------------------------------------------------------
# One measurement: prints calls/s.
measure_seq() { # CLIENT SCHEME
    local url ca out
    url=$(url_of "$2") ca=$(ca_of "$2")
    case "$1" in
    wrk)
        out=$(wrk -t1 -c1 -d"${SECS}s" -H "X-Authy-API-Key: $KEY" "$url$ENDPOINT")
        if grep -q "Non-2xx\|Socket errors" <<<"$out"; then
            echo "wrk reported errors:" >&2; echo "$out" >&2; exit 1
        fi
        awk '/^Requests\/sec:/ { print $2 }' <<<"$out"
        ;;
    c) "$TMP/c_calls" seq "$url" "$KEY" "$ca" "$SECS" | awk '{ print $3 }' ;;
    ureq) "$EX/bench_client" seq bare "$url" "$KEY" "$ca" "$SECS" ;;
    py)
        if [ "$2" = https ]; then
            REQUESTS_CA_BUNDLE=$CA "$PY" bench/py_calls.py "$url" "$KEY" "$SECS" | awk '{ print $3 }'
        else
            "$PY" bench/py_calls.py "$url" "$KEY" "$SECS" | awk '{ print $3 }'
        fi
        ;;
    esac
}
declare -A SEQ SEQR SEQ_M SEQR_M
if want seq; then
section "sequential"
CLIENTS=(wrk c ureq)
[ -n "$PY" ] && CLIENTS+=(py)
# Warm-up of both sandboxes.
for scheme in http https; do
    wrk -t1 -c1 -d1s -H "X-Authy-API-Key: $KEY" "$(url_of $scheme)$ENDPOINT" >/dev/null
done
for round in $(seq 1 "$ROUNDS"); do
    schemes=(http https)
    [ $((round % 2)) = 0 ] && schemes=(https http)
    for scheme in "${schemes[@]}"; do
        unset this
        declare -A this=()
        # A B C D in odd rounds, D C B A in even ones: wrk and the C client always measure next
        # to each other, and each goes first as often as second.
        order=("${CLIENTS[@]}")
        if [ $((round % 2)) = 0 ]; then
            order=()
            for ((i = ${#CLIENTS[@]} - 1; i >= 0; i--)); do order+=("${CLIENTS[$i]}"); done
        fi
        for client in "${order[@]}"; do
            this[$client]=$(measure_seq "$client" "$scheme")
            [ -n "${this[$client]}" ] || { echo "bench: the $client measurement over $scheme failed" >&2; exit 1; }
            SEQ[$client.$scheme]+=" ${this[$client]}"
        done
        SEQR[c_wrk.$scheme]+=" $(div "${this[c]}" "${this[wrk]}")"
        SEQR[ureq_wrk.$scheme]+=" $(div "${this[ureq]}" "${this[wrk]}")"
        SEQR[c_ureq.$scheme]+=" $(div "${this[c]}" "${this[ureq]}")"
        [ -n "$PY" ] && SEQR[c_py.$scheme]+=" $(div "${this[c]}" "${this[py]}")"
        echo "   round $round $scheme: wrk ${this[wrk]}, C ${this[c]}, bare ureq ${this[ureq]}, authy-python ${this[py]:-–} calls/s" >&2
    done
done
for k in "${!SEQ[@]}"; do SEQ_M[$k]=$(median ${SEQ[$k]}); done
for k in "${!SEQR[@]}"; do SEQR_M[$k]=$(median ${SEQR[$k]}); done
fi
sm() { echo "${SEQ_M[$1]:-nan}"; }
sr() { echo "${SEQR_M[$1]:-nan}"; }

# ---- 5: sequential Verify calls ---------------------------------------------------------------
# GET /v2/Services/{VA} of a Service created once per sandbox (through the C ABI).
declare -A VA VSEQ VSEQR
measure_vseq() { # CLIENT SCHEME -> calls/s
    local url ca out
    url=$(url_of "$2") ca=$(ca_of "$2")
    case "$1" in
    wrk)
        out=$(wrk -t1 -c1 -d"${SECS}s" -H "Authorization: Basic $VBASIC" "$url/v2/Services/${VA[$2]}")
        if grep -q "Non-2xx\|Socket errors" <<<"$out"; then
            echo "wrk reported errors:" >&2; echo "$out" >&2; exit 1
        fi
        awk '/^Requests\/sec:/ { print $2 }' <<<"$out"
        ;;
    c) "$TMP/c_verify" seq "$url" "$VSID" "$VTOKEN" "$ca" "$SECS" "${VA[$2]}" | awk '{ print $3 }' ;;
    py)
        if [ "$2" = https ]; then
            REQUESTS_CA_BUNDLE=$CA "$PY" bench/py_verify.py "$url" "$VSID" "$VTOKEN" "$SECS" "${VA[$2]}" | awk '{ print $3 }'
        else
            "$PY" bench/py_verify.py "$url" "$VSID" "$VTOKEN" "$SECS" "${VA[$2]}" | awk '{ print $3 }'
        fi
        ;;
    esac
}
if want vseq; then
section "sequential Verify"
VCLIENTS=(wrk c)
[ -n "$PY" ] && VCLIENTS+=(py)
for scheme in http https; do
    VA[$scheme]=$("$TMP/c_verify" create "$(url_of $scheme)" "$VSID" "$VTOKEN" "$(ca_of $scheme)")
    wrk -t1 -c1 -d1s -H "Authorization: Basic $VBASIC" "$(url_of $scheme)/v2/Services/${VA[$scheme]}" >/dev/null
done
for round in $(seq 1 "$ROUNDS"); do
    schemes=(http https)
    [ $((round % 2)) = 0 ] && schemes=(https http)
    for scheme in "${schemes[@]}"; do
        unset this
        declare -A this=()
        # wrk C python, reversed every other round (wrk and C always next to each other).
        order=("${VCLIENTS[@]}")
        if [ $((round % 2)) = 0 ]; then
            order=()
            for ((i = ${#VCLIENTS[@]} - 1; i >= 0; i--)); do order+=("${VCLIENTS[$i]}"); done
        fi
        for client in "${order[@]}"; do
            this[$client]=$(measure_vseq "$client" "$scheme")
            [ -n "${this[$client]}" ] || { echo "bench: the Verify $client measurement over $scheme failed" >&2; exit 1; }
            VSEQ[$client.$scheme]+=" ${this[$client]}"
        done
        VSEQR[c_wrk.$scheme]+=" $(div "${this[c]}" "${this[wrk]}")"
        [ -n "$PY" ] && VSEQR[c_py.$scheme]+=" $(div "${this[c]}" "${this[py]}")"
        echo "   round $round $scheme: Verify wrk ${this[wrk]}, C ${this[c]}, twilio-python ${this[py]:-–} calls/s" >&2
    done
done
fi
vsm() { median ${VSEQ[$1]:-nan}; }
vsr() { median ${VSEQR[$1]:-nan}; }
vruns() { local v=${VSEQ[$1]:-}; echo "${v# }"; }

# ---- 3: threads sharing one client ÷ one client per thread ------------------------------------
declare -A THR
if want threads; then
section "threads"
for scheme in http https; do
    BENCH_ROUNDS=$THREAD_ROUNDS BENCH_SECONDS=$THREAD_SECS \
        "$EX/bench_client" threads "$(url_of $scheme)" "$KEY" "$(ca_of $scheme)" >"$TMP/threads.$scheme"
    while read -r t shared own ratio; do
        THR[$scheme.$t]="$shared $own $ratio"
    done <"$TMP/threads.$scheme"
done
fi
thr() { # SCHEME THREADS FIELD(1 shared, 2 own, 3 ratio)
    awk -v f="$3" '{ print $f }' <<<"${THR[$1.$2]:-nan nan nan}"
}

# ---- 4: callback signature verification -------------------------------------------------------
SIG_ROUNDS=3
declare -A SIG
if want sig; then
section "signature"
for round in $(seq 1 $SIG_ROUNDS); do
    # examples/bench_signature.rs as it is: rows "| POST callback, ... | N /s (X µs) | M /s (Y µs) | R |".
    env -u BENCH_ONLY -u BENCH_ITERS BENCH_RUNS=3 "$EX/bench_signature" >"$TMP/sig.$round" 2>/dev/null
    for method in POST GET; do
        row=$(grep -m1 "^| $method" "$TMP/sig.$round" || true)
        # The first two "(… µs)" cells: libauthy, bare HMAC.
        read -r lib bare < <(grep -o '([0-9.]* µs)' <<<"$row" | tr -d '(µs)' | tr '\n' ' '; echo)
        SIG[lib.$method]+=" ${lib:-nan}"
        SIG[bare.$method]+=" ${bare:-nan}"
        SIG[r_bare.$method]+=" $(div "${lib:-nan}" "${bare:-nan}")"
        SIG[row.$method]=$row
    done
    # The same vectors through the C ABI (authy_callback_verify) ÷ OpenSSL's bare HMAC.
    if [ -n "$C_CALLBACK" ]; then
        "$C_CALLBACK" time "$TMP/cb" 5 >"$TMP/csig.$round"
        while read -r method lib bare ratio; do
            SIG[clib.$method]+=" $lib"
            SIG[cbare.$method]+=" $bare"
            SIG[r_cbare.$method]+=" $ratio"
        done <"$TMP/csig.$round"
    fi
    # Verify's X-Twilio-Signature on one webhook: C ABI ÷ OpenSSL HMAC-SHA1, ÷ twilio-python.
    if [ -n "$C_CALLBACK" ]; then
        read -r _ tlib tbare tratio < <("$C_CALLBACK" twilio "$TMP/cb" 5)
        SIG[tlib]+=" $tlib"
        SIG[tbare]+=" $tbare"
        SIG[r_tbare]+=" $tratio"
        if [ -n "$PY" ]; then
            read -r _ tpy tres < <("$PY" bench/py_twilio_signature.py "$TMP/cb" 3)
            SIG[tpy]+=" $tpy"
            SIG[tpyres]=$tres
            SIG[r_tpy]+=" $(div "$tpy" "$tlib")"
        fi
        echo "   round $round: X-Twilio-Signature C ABI $tlib µs, OpenSSL $tbare µs, twilio-python ${tpy:-–} µs" >&2
    fi
    if [ -n "$PY" ]; then
        "$PY" bench/py_signature.py "$VECTORS" 3 >"$TMP/pysig.$round"
        while read -r method bytes us result; do
            SIG[py.$method]+=" $us"
            SIG[pyres.$method]=$result
            SIG[pybytes.$method]=$bytes
            lib_now=$(awk '{ print $NF }' <<<"${SIG[lib.$method]}")
            SIG[r_py.$method]+=" $(div "$us" "$lib_now")"
            clib_now=$(awk '{ print $NF }' <<<"${SIG[clib.$method]:-nan}")
            SIG[r_cpy.$method]+=" $(div "$us" "$clib_now")"
        done <"$TMP/pysig.$round"
    fi
    echo "   round $round: POST lib $(awk '{ print $NF }' <<<"${SIG[lib.POST]}") µs, bare $(awk '{ print $NF }' <<<"${SIG[bare.POST]}") µs, py $(awk '{ print $NF }' <<<"${SIG[py.POST]:-–}") µs; GET lib $(awk '{ print $NF }' <<<"${SIG[lib.GET]}") µs, bare $(awk '{ print $NF }' <<<"${SIG[bare.GET]}") µs, py $(awk '{ print $NF }' <<<"${SIG[py.GET]:-–}") µs" >&2
done
# What the bindings add (issue 14, target 1: reported), once after the rounds: the C ABI with
# the verified parameters (authy_callback_verify_params, what the Go and Ruby wrappers call)
# against authy_callback_verify, then the Go and Ruby wrappers on the same vectors and webhook
# (each optional: left out when its toolchain is missing). Medians, µs per check.
if [ -n "$C_CALLBACK" ]; then
    while read -r label lib verify _; do
        SIG[cparams.${label%-PARAMS}]=$lib
        SIG[cverify.${label%-PARAMS}]=$verify
    done < <("$C_CALLBACK" params "$TMP/cb" 5)
    if command -v go >/dev/null; then
        gobench=$TMP/go-bench.out
        (
            cd bindings/go
            export GOPATH="$CARGO_TARGET_DIR/go/path" GOCACHE="$CARGO_TARGET_DIR/go/cache" \
                GOMODCACHE="$CARGO_TARGET_DIR/go/path/pkg/mod" GOPROXY=off GOSUMDB=off GOFLAGS= \
                CGO_ENABLED=1 AUTHY_SANDBOX_BIN="$REL/authy-sandbox" AUTHY_BENCH_TWILIO_DIR="$TMP/cb" \
                CGO_CFLAGS="-I$ROOT/include" CGO_LDFLAGS="-L$REL -Wl,-rpath,$REL"
            go test -run '^$' -bench 'CallbackVerify|TwilioSignature' -benchtime 300ms -count 5
        ) >"$gobench" 2>&1 || echo "bench: the Go signature benchmarks failed (see below); their cells are left out" >&2
        for b in CallbackVerify/POST CallbackVerify/GET TwilioSignature; do
            SIG[go.$b]=$(median $(awk -v b="Benchmark$b-" 'index($1, b) == 1 { print $3 / 1000 }' "$gobench"))
        done
        grep -q '^ok' "$gobench" || tail -n 5 "$gobench" >&2
    fi
    if command -v ruby >/dev/null && ruby -e 'require "ffi"' 2>/dev/null; then
        while read -r name us; do
            SIG[rb.$name]=$us
        done < <(LIBAUTHY_PATH="$REL/libauthy.so" ruby bench/rb_signature.rb "$TMP/cb" 5 ||
            echo "bench: bench/rb_signature.rb failed; its cells are left out" >&2)
    fi
    echo "   bindings: C verify_params POST ${SIG[cparams.POST]:-–} / GET ${SIG[cparams.GET]:-–} µs; Go POST ${SIG[go.CallbackVerify/POST]:-–} / GET ${SIG[go.CallbackVerify/GET]:-–} / Twilio ${SIG[go.TwilioSignature]:-–} µs; Ruby POST ${SIG[rb.POST]:-–} / GET ${SIG[rb.GET]:-–} / Twilio ${SIG[rb.TWILIO]:-–} µs" >&2
fi
fi
sig() { median ${SIG[$1]:-nan}; }

# ---- 6: memory, size ---------------------------------------------------------------------------
RSS0=nan RSS1=nan RSS2=nan HEAP_DEFAULT=nan HEAP_BUILT=nan HEAP_CONN=nan HEAP_CONN_HTTP=nan
if want mem; then
section "memory"
read -r RSS0 RSS1 RSS2 < <("$TMP/c_calls" rss "$HTTPS_URL" "$KEY" "$CA" "$RSS_CALLS")
read -r HEAP_DEFAULT HEAP_BUILT HEAP_CONN < <("$EX/bench_memory" "$HTTPS_URL" "$KEY" "$CA")
read -r _ _ HEAP_CONN_HTTP < <("$EX/bench_memory" "$HTTP_URL" "$KEY" -)
fi
cp "$REL/libauthy.so" "$TMP/libauthy.so"
SO_FULL=$(stat -c %s "$TMP/libauthy.so")
strip --strip-unneeded "$TMP/libauthy.so"
SO_STRIPPED=$(stat -c %s "$TMP/libauthy.so")
SO_MB=$(awk -v b="$SO_STRIPPED" 'BEGIN { printf "%.2f", b / 1e6 }')
PANIC=$(sed -n '/^\[profile.release\]/,/^\[/ s/^panic *= *"\(.*\)"/\1/p' Cargo.toml)

# ---- instruction counts (deterministic, unlike the timings) ------------------------------------
CG_ROWS=""
if want cg && [ -z "${SKIP_CALLGRIND:-}" ] && command -v valgrind >/dev/null; then
    section "callgrind"
    N=300
    ir() { # callgrind output file -> total Ir ("nan" if missing or zero)
        local v
        v=$(awk '/^(summary|totals):/ { print $2; exit }' "$1" 2>/dev/null || true)
        if [ -n "$v" ] && [ "$v" != 0 ]; then echo "$v"; else echo nan; fi
    }
    # Client side: only the measured loop (--toggle-collect), N calls.
    cg_client() { # NAME SCHEME CMD... -> Ir per call
        local f=$TMP/cg.$1.$2 name=$1 scheme=$2; shift 2
        valgrind --tool=callgrind --callgrind-out-file="$f" --collect-atstart=no \
            "--toggle-collect=*bench_loop_*" "$@" >/dev/null 2>"$f.err" || { echo nan; return; }
        div "$(ir "$f")" "$N"
    }
    # wrk: the whole process, so the difference of a 3 s and a 1 s run per extra request.
    cg_wrk() { # SCHEME -> Ir per request
        local url r1 r3 i1 i3
        url=$(url_of "$1")
        for d in 1 3; do
            valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.wrk.$1.$d" \
                wrk -t1 -c1 -d${d}s -H "X-Authy-API-Key: $KEY" "$url$ENDPOINT" \
                >"$TMP/cg.wrk.$1.$d.out" 2>/dev/null
        done
        r1=$(awk '/requests in/ { print $1 }' "$TMP/cg.wrk.$1.1.out")
        r3=$(awk '/requests in/ { print $1 }' "$TMP/cg.wrk.$1.3.out")
        i1=$(ir "$TMP/cg.wrk.$1.1") i3=$(ir "$TMP/cg.wrk.$1.3")
        awk -v a="$i3" -v b="$i1" -v x="$r3" -v y="$r1" 'BEGIN { printf "%.0f\n", (a - b) / (x - y) }'
    }
    declare -A CG
    for scheme in http https; do
        url=$(url_of $scheme) ca=$(ca_of $scheme)
        CG[c.$scheme]=$(cg_client c $scheme "$TMP/c_calls" callgrind "$url" "$KEY" "$ca" $N)
        CG[lib.$scheme]=$(cg_client lib $scheme "$EX/bench_client" callgrind lib "$url" "$KEY" "$ca" $N)
        CG[bare.$scheme]=$(cg_client bare $scheme "$EX/bench_client" callgrind bare "$url" "$KEY" "$ca" $N)
        CG[wrk.$scheme]=$(cg_wrk $scheme)
    done
    # The sandbox: one under callgrind per scheme, driven by the C client with 200 and then
    # 1,200 more calls; the difference of the counts after each (callgrind_control -d is not
    # needed: two runs) per request.
    cat >"$TMP/vg-sandbox" <<SH
#!/bin/sh
exec valgrind --tool=callgrind --callgrind-out-file="\$CG_OUT" "$REL/authy-sandbox" "\$@"
SH
    chmod +x "$TMP/vg-sandbox"
    cg_sandbox() { # SCHEME -> Ir per request
        local counts=() n
        for n in 200 1200; do
            local flags=(--quiet)
            [ "$1" = https ] && flags+=(--tls-self-signed --ca-out @DIR/ca.pem)
            CG_OUT=$TMP/cg.sandbox.$1.$n SANDBOX_BIN=$TMP/vg-sandbox sandbox_start VG "${flags[@]}" || { echo nan; return; }
            local ca=-
            [ "$1" = https ] && ca=$VG_DIR/ca.pem
            "$TMP/c_calls" callgrind "${VG_URL/\/\/localhost:/\/\/127.0.0.1:}" "$KEY" "$ca" "$n" >/dev/null
            sandbox_stop VG
            counts+=("$(ir "$TMP/cg.sandbox.$1.$n")")
        done
        awk -v a="${counts[1]}" -v b="${counts[0]}" 'BEGIN { printf "%.0f\n", (a - b) / 1000 }'
    }
    CG[sandbox.http]=$(CG_OUT= cg_sandbox http)
    CG[sandbox.https]=$(CG_OUT= cg_sandbox https)
    # Callback verification: the BENCH_ITERS mode of examples/bench_signature.rs (its functions
    # lib_once and bare_verify, called N + 1 times each for the largest POST or GET vector).
    SIG_CG_ROWS=""
    for method in POST GET; do
        for f in lib_once bare_verify; do
            env -u BENCH_RUNS BENCH_ITERS=1000 BENCH_ONLY=$method valgrind --tool=callgrind \
                --callgrind-out-file="$TMP/cg.sig.$method.$f" --collect-atstart=no \
                "--toggle-collect=bench_signature::$f" "$EX/bench_signature" >/dev/null 2>&1 || true
            CG[sig.$method.$f]=$(div "$(ir "$TMP/cg.sig.$method.$f")" 1001)
        done
        SIG_CG_ROWS+="| $method | $(fmt "${CG[sig.$method.lib_once]}") | $(fmt "${CG[sig.$method.bare_verify]}") | $(fmt "$(awk -v a="${CG[sig.$method.lib_once]}" -v b="${CG[sig.$method.bare_verify]}" 'BEGIN { if (a == "nan" || b == "nan") print "nan"; else print a - b }')") |"$'\n'
    done
    if [ -n "$C_CALLBACK" ]; then
        cg_diff() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan") print "nan"; else print a - b }'; }
        for method in POST GET; do
            for f in lib_loop bare_loop params_loop; do
                valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.csig.$method.$f" --collect-atstart=no \
                    "--toggle-collect=$f" "$C_CALLBACK" callgrind "$TMP/cb" 500 "$method" >/dev/null 2>&1 || true
                CG[csig.$method.$f]=$(div "$(ir "$TMP/cg.csig.$method.$f")" 500)
            done
            SIG_CG_ROWS+="| $method, C ABI \`authy_callback_verify\` ÷ OpenSSL HMAC | $(fmt "${CG[csig.$method.lib_loop]}") | $(fmt "${CG[csig.$method.bare_loop]}") | $(fmt "$(cg_diff "${CG[csig.$method.lib_loop]}" "${CG[csig.$method.bare_loop]}")") |"$'\n'
            SIG_CG_ROWS+="| $method, C ABI \`authy_callback_verify_params\` + free ÷ \`authy_callback_verify\` (the verified tree) | $(fmt "${CG[csig.$method.params_loop]}") | $(fmt "${CG[csig.$method.lib_loop]}") | $(fmt "$(cg_diff "${CG[csig.$method.params_loop]}" "${CG[csig.$method.lib_loop]}")") |"$'\n'
        done
        for f in tw_lib_loop tw_bare_loop; do
            valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.csig.$f" --collect-atstart=no \
                "--toggle-collect=$f" "$C_CALLBACK" twilio-callgrind "$TMP/cb" 1000 >/dev/null 2>&1 || true
            CG[csig.$f]=$(div "$(ir "$TMP/cg.csig.$f")" 1000)
        done
        SIG_CG_ROWS+="| Verify webhook, C ABI \`authy_twilio_signature_verify\` ÷ OpenSSL HMAC-SHA1 (RustCrypto's SHA-1 also runs without SHA-NI here) | $(fmt "${CG[csig.tw_lib_loop]}") | $(fmt "${CG[csig.tw_bare_loop]}") | $(fmt "$(cg_diff "${CG[csig.tw_lib_loop]}" "${CG[csig.tw_bare_loop]}")") |"$'\n'
    fi
    for scheme in http https; do
        CG_ROWS+="| $scheme | $(fmt "${CG[c.$scheme]}") | $(fmt "${CG[lib.$scheme]}") | $(fmt "${CG[bare.$scheme]}") | $(fmt "${CG[wrk.$scheme]}") | $(fmt "${CG[sandbox.$scheme]}") | $(fmt "$(div "${CG[c.$scheme]}" "${CG[wrk.$scheme]}")" 1) | $(fmt "$(div "${CG[c.$scheme]}" "${CG[bare.$scheme]}")" 2) |"$'\n'
    done
fi

# ---- build time (last: it rebuilds the library) ------------------------------------------------
BUILD_ROW="| 6 | release build time | not measured (SKIP_BUILD_TIME) | | | – | – |"
if want build && [ -z "${SKIP_BUILD_TIME:-}" ]; then
    section "build time"
    touch src/lib.rs
    t0=$(date +%s.%N)
    cargo build --release -p authy --lib 2>"$TMP/build.err"
    t1=$(date +%s.%N)
    BUILD_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    BLOCKED=""
    grep -q "Blocking" "$TMP/build.err" && BLOCKED=" (waited for another build's lock: an upper bound)"
    BUILD_ROW="| 6 | release build time: incremental rebuild of the \`authy\` crate only (\`touch src/lib.rs; cargo build --release -p authy --lib\`: rlib + cdylib + staticlib, dependencies already built; a clean build is too slow to repeat here) | ${BUILD_S} s${BLOCKED} | | | – (no target) | – |"
fi
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
END=$(date +%s)

# ---- bench/sandbox.sh --------------------------------------------------------------------------
SANDBOX_STATUS="skipped (SKIP_SANDBOX)"
if [ -z "${SKIP_SANDBOX:-}" ] && [ -z "${BENCH_NO_WRITE:-}" ]; then
    section "bench/sandbox.sh"
    if bash bench/sandbox.sh >"$TMP/sandbox-bench.out"; then
        SANDBOX_STATUS="ran after this section ($(($(date +%s) - END)) s), see the Sandbox section"
    else
        SANDBOX_STATUS="FAILED, its section was not updated"
    fi
fi

# ---- the section ------------------------------------------------------------------------------
CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
WRK_V=$( (wrk -v 2>&1 || true) | head -n1 | sed 's/ Copyright.*//')
r1h=$(sr c_wrk.http) r1s=$(sr c_wrk.https)
r2h=$(sr c_py.http) r2s=$(sr c_py.https)
r4h=$(thr http 4 3) r4s=$(thr https 4 3)
sbP=$(sig r_bare.POST) sbG=$(sig r_bare.GET)
spP=$(sig r_py.POST) spG=$(sig r_py.GET)
scP=$(sig r_cbare.POST) scG=$(sig r_cbare.GET)
scpP=$(sig r_cpy.POST) scpG=$(sig r_cpy.GET)
stb=$(sig r_tbare) stp=$(sig r_tpy)
r5h=$(vsr c_wrk.http) r5s=$(vsr c_wrk.https)
r5ph=$(vsr c_py.http) r5ps=$(vsr c_py.https)
vcalls() { fmt "$(vsm "$1")"; }
calls() { fmt "$(sm "$1")"; }
runs() { local v=${SEQ[$1]:-}; echo "${v# }"; }
us() { fmt "$(sig "$1")" 2; }
wus() { fmt "${SIG[$1]:-nan}" 2; } # one measurement (the bindings' part runs once)
rss_growth=$(awk -v a="$RSS2" -v b="$RSS0" 'BEGIN { if (a == "nan" || b == "nan") print "nan"; else print a - b }')

SECTION=$(
    cat <<MD
## Library

\`$COMMAND\` (\`make bench\`${SETTINGS:+; with ${SETTINGS% }}), started $STARTED_AT, on $(nproc) × $CPU ($(uname -m)), $(uname -sr),
$(rustc --version), release build (\`panic = "$PANIC"\`). Load average (1, 5, 15 min) before each
part: ${LOADS% } at the end: $LOAD_END. The machine is shared with other engineers' builds and tests:
compare the ratios (taken between variants interleaved in the same rounds, against the same sandbox
process) rather than absolute numbers. Run time $((END - START)) s (build $((BUILT - START)) s);
\`bench/sandbox.sh\`: $SANDBOX_STATUS.

Sections 1–3 and 6 call \`GET $ENDPOINT\` (\`authy_client_app_details\`, authy-python's
\`apps.fetch()\`, wrk's one URL) on one HTTP and one HTTPS \`authy-sandbox\` (release,
\`--tls-self-signed\`; the clients trust its certificate, wrk does not check it) that serve the
whole run, both by IP (\`$HTTP_URL\`, \`$HTTPS_URL\`: no client resolves a name). Sequential: $ROUNDS rounds of ${SECS} s per client and scheme, the clients in the
order wrk, C, bare ureq, authy-python and reversed every other round (so wrk and C always run
next to each other); a ratio is the median of the per-round ratios. Peers: $WRK_V; authy-python:
${PY_DESC:-skipped}, one process, no keep-alive (it calls \`requests.request()\` per call).

### Against the peers (targets of issue 7)

| # | measurement | libauthy | peer | ratio | target | verdict |
|---|---|---:|---:|---:|---:|---|
| 1 | sequential calls/s, C ABI ÷ \`wrk -t1 -c1\`, HTTP | $(calls c.http) /s | $(calls wrk.http) /s | **$(fmt "$r1h" 3)** | ≥ 0.90 | $(verdict "$r1h" ge 0.90) |
| 1 | sequential calls/s, C ABI ÷ \`wrk -t1 -c1\`, HTTPS | $(calls c.https) /s | $(calls wrk.https) /s | **$(fmt "$r1s" 3)** | ≥ 0.90 | $(verdict "$r1s" ge 0.90) |
| 2 | sequential calls/s, C ABI ÷ authy-python $PY_VERSION, HTTP | $(calls c.http) /s | $(calls py.http) /s | **$(fmt "$r2h" 1)** | – (report) | – |
| 2 | sequential calls/s, C ABI ÷ authy-python $PY_VERSION, HTTPS | $(calls c.https) /s | $(calls py.https) /s | **$(fmt "$r2s" 1)** | – (report) | – |
| 3 | 4 threads sharing one \`Client\` ÷ one \`Client\` per thread, HTTP | $(fmt "$(thr http 4 1)") /s | $(fmt "$(thr http 4 2)") /s | **$(fmt "$r4h" 3)** | ≥ 0.95 | $(verdict "$r4h" ge 0.95) |
| 3 | 4 threads sharing one \`Client\` ÷ one \`Client\` per thread, HTTPS | $(fmt "$(thr https 4 1)") /s | $(fmt "$(thr https 4 2)") /s | **$(fmt "$r4s" 3)** | ≥ 0.95 | $(verdict "$r4s" ge 0.95) |
| 4 | OneTouch callback check through the C ABI (\`authy_callback_verify\`, bench/c_callback.c), largest POST vector: time ÷ OpenSSL bare HMAC-SHA256 + base64 + \`CRYPTO_memcmp\` of the ready string to sign | $(us clib.POST) µs | $(us cbare.POST) µs | **$(fmt "$scP" 2)** × | ≤ 2 × | $(verdict "$scP" le 2) |
| 4 | same through the C ABI, largest GET vector | $(us clib.GET) µs | $(us cbare.GET) µs | **$(fmt "$scG" 2)** × | ≤ 2 × | $(verdict "$scG" le 2) |
| 4 | same through the Go / Ruby bindings (\`authy.VerifyCallback\` / \`Authy::Native.verify_callback\`: both hand out the verified parameters, so they call \`authy_callback_verify_params\`), POST: time ÷ OpenSSL bare | Go $(wus go.CallbackVerify/POST) µs, Ruby $(wus rb.POST) µs | $(us cbare.POST) µs | **Go $(fmt "$(div "${SIG[go.CallbackVerify/POST]:-nan}" "$(sig cbare.POST)")" 2) / Ruby $(fmt "$(div "${SIG[rb.POST]:-nan}" "$(sig cbare.POST)")" 2)** × | – (report) | – |
| 4 | same, GET | Go $(wus go.CallbackVerify/GET) µs, Ruby $(wus rb.GET) µs | $(us cbare.GET) µs | **Go $(fmt "$(div "${SIG[go.CallbackVerify/GET]:-nan}" "$(sig cbare.GET)")" 2) / Ruby $(fmt "$(div "${SIG[rb.GET]:-nan}" "$(sig cbare.GET)")" 2)** × | – (report) | – |
| 4 | same through the C ABI: authy-python \`validate_one_touch_signature\` time ÷ libauthy, POST / GET | $(us clib.POST) / $(us clib.GET) µs | $(us py.POST) / $(us py.GET) µs | **$(fmt "$scpP" 1) / $(fmt "$scpG" 1)** × faster | ≥ 25 × | $(verdict "$scpP" ge 25) / $(verdict "$scpG" ge 25) |
| 4 | Rust \`verify_signature\` (examples/bench_signature.rs), largest POST vector: time ÷ bare HMAC-SHA256 (RustCrypto) + base64 compare | $(us lib.POST) µs | $(us bare.POST) µs | **$(fmt "$sbP" 2)** × | ≤ 2 × | $(verdict "$sbP" le 2) |
| 4 | same, largest GET vector | $(us lib.GET) µs | $(us bare.GET) µs | **$(fmt "$sbG" 2)** × | ≤ 2 × | $(verdict "$sbG" le 2) |
| 4 | same POST vector: authy-python \`validate_one_touch_signature\` time ÷ libauthy | $(us lib.POST) µs | $(us py.POST) µs | **$(fmt "$spP" 1)** × faster | ≥ 25 × | $(verdict "$spP" ge 25) |
| 4 | same GET vector: authy-python time ÷ libauthy | $(us lib.GET) µs | $(us py.GET) µs | **$(fmt "$spG" 1)** × faster | ≥ 25 × | $(verdict "$spG" ge 25) |
| 5 | sequential Verify calls/s (\`GET /v2/Services/{VA}\`), C ABI (\`authy_verify_client_fetch_service\`) ÷ \`wrk -t1 -c1\`, HTTP | $(vcalls c.http) /s | $(vcalls wrk.http) /s | **$(fmt "$r5h" 3)** | ≥ 0.90 (as 1) | $(verdict "$r5h" ge 0.90) |
| 5 | same, HTTPS | $(vcalls c.https) /s | $(vcalls wrk.https) /s | **$(fmt "$r5s" 3)** | ≥ 0.90 (as 1) | $(verdict "$r5s" ge 0.90) |
| 5 | sequential Verify calls/s, C ABI ÷ twilio-python $TW_VERSION (\`services(VA).fetch()\`), HTTP | $(vcalls c.http) /s | $(vcalls py.http) /s | **$(fmt "$r5ph" 1)** | – (report) | – |
| 5 | same, HTTPS | $(vcalls c.https) /s | $(vcalls py.https) /s | **$(fmt "$r5ps" 1)** | – (report) | – |
| 5 | Verify webhook \`X-Twilio-Signature\` check through the C ABI (\`authy_twilio_signature_verify\`, \`bench/c_callback.c twilio\`; ${TW_DESC:-not built}): time ÷ OpenSSL bare HMAC-SHA1 + base64 + \`CRYPTO_memcmp\` of the ready string URL + sorted params | $(us tlib) µs | $(us tbare) µs | **$(fmt "$stb" 2)** × | ≤ 2 × (as 4) | $(verdict "$stb" le 2) |
| 5 | same webhook: twilio-python \`RequestValidator.validate\` time ÷ libauthy (C ABI) | $(us tlib) µs | $(us tpy) µs | **$(fmt "$stp" 1)** × faster | – (report) | – |
| 5 | same webhook through the Go / Ruby bindings (\`authy.VerifyTwilioSignature\` / \`Authy::Native.verify_twilio_signature\`): time ÷ OpenSSL bare | Go $(wus go.TwilioSignature) µs, Ruby $(wus rb.TWILIO) µs | $(us tbare) µs | **Go $(fmt "$(div "${SIG[go.TwilioSignature]:-nan}" "$(sig tbare)")" 2) / Ruby $(fmt "$(div "${SIG[rb.TWILIO]:-nan}" "$(sig tbare)")" 2)** × | – (report) | – |
| 6 | stripped \`libauthy.so\` (\`strip --strip-unneeded\` of a copy; $(fmt "$(div "$SO_FULL" 1000000)" 2) MB as built, with line tables) | $SO_MB MB ($SO_STRIPPED B) | | | ≤ 2.0 MB, \`panic = "unwind"\` | $(verdict "$SO_MB" le 2.0) (panic = "$PANIC") |
| 6 | RSS growth over $RSS_CALLS calls through the C ABI, HTTPS, one client (VmRSS after 1,000 warm-up calls → after $((RSS_CALLS / 2)) → after $RSS_CALLS) | +$rss_growth KiB ($RSS0 → $RSS1 → $RSS2 KiB) | | | – (no growth expected) | $(awk -v g="$rss_growth" 'BEGIN { if (g == "nan") print "not measured"; else if (g <= 256) print "✅ flat (≤ 256 KiB)"; else print "❌ grows" }') |
| 6 | heap per \`Client\` (counting allocator, 200 kept): built with defaults / built for the HTTPS sandbox / after one call (one pooled connection each; HTTP: $(fmt "$HEAP_CONN_HTTP") B) | $HEAP_DEFAULT B / $HEAP_BUILT B / $HEAP_CONN B | | | – | – |
$BUILD_ROW

### 1–2. Sequential calls, all clients (median calls/s)

| scheme | \`wrk -t1 -c1\` | C ABI (\`bench/c_calls.c\`) | bare ureq 3.5 agent (Rust, no global timeout) | authy-python $PY_VERSION | C ÷ wrk | bare ureq ÷ wrk | C ÷ bare ureq | C ÷ authy-python |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
| HTTP | $(calls wrk.http) | $(calls c.http) | $(calls ureq.http) | $(calls py.http) | $(fmt "$r1h" 3) | $(fmt "$(sr ureq_wrk.http)" 3) | $(fmt "$(sr c_ureq.http)" 3) | $(fmt "$r2h" 1) |
| HTTPS | $(calls wrk.https) | $(calls c.https) | $(calls ureq.https) | $(calls py.https) | $(fmt "$r1s" 3) | $(fmt "$(sr ureq_wrk.https)" 3) | $(fmt "$(sr c_ureq.https)" 3) | $(fmt "$r2s" 1) |

Per round (calls/s): wrk HTTP [$(runs wrk.http)], C HTTP [$(runs c.http)], wrk HTTPS [$(runs wrk.https)],
C HTTPS [$(runs c.https)], bare ureq HTTP [$(runs ureq.http)] / HTTPS [$(runs ureq.https)],
authy-python HTTP [$(runs py.http)] / HTTPS [$(runs py.https)].

### 3. Threads sharing one client ÷ one client per thread (\`examples/bench_client.rs threads\`)

Total calls/s of all threads, $THREAD_ROUNDS rounds of $THREAD_SECS s, shared and own alternating (2 cores,
shared with the sandbox). With one thread both set-ups are the same: that row shows the noise.

| threads | HTTP shared | HTTP own | HTTP ratio | HTTPS shared | HTTPS own | HTTPS ratio |
|---:|---:|---:|---:|---:|---:|---:|
$(for t in 1 4 32; do echo "| $t | $(fmt "$(thr http $t 1)") | $(fmt "$(thr http $t 2)") | $(fmt "$(thr http $t 3)" 3) | $(fmt "$(thr https $t 1)") | $(fmt "$(thr https $t 2)") | $(fmt "$(thr https $t 3)" 3) |"; done)

### 4. OneTouch callback verification

\`examples/bench_signature.rs\` (run as it is, $SIG_ROUNDS times, interleaved with
\`bench/py_signature.py\`; medians): \`authy::signature::verify_signature\` on the largest real
POST (JSON body) and GET (query string) vectors of \`tests/data/onetouch_signature_vectors.json\`
against HMAC-SHA256 of the pre-built string to sign + base64 decode + constant-time compare.
authy-python's \`validate_one_touch_signature\` gets the same vectors already parsed into dicts
(\`json.loads\` / a Rack-style query parser, outside the timing: generous to it), timed with
\`timeit\` in one process; it returned POST ${SIG[pyres.POST]:-–}, GET ${SIG[pyres.GET]:-–}.
Last rows printed by bench_signature:

${SIG[row.POST]:-}
${SIG[row.GET]:-}

Through the bindings, once after the rounds (medians of 5 runs, µs per check; C:
\`c_callback params\`, Go: \`bindings/go/bench_signature_test.go\` (\`go test -bench\`, 5 × 300 ms),
Ruby: \`bench/rb_signature.rb\` (ffi gem); \`–\`: toolchain missing). The wrappers hand out the
verified parameters, so they pay for the owned tree of \`authy_callback_verify_params\`:

| check | C \`authy_callback_verify\` | C \`authy_callback_verify_params\` + free | Go | Ruby | Ruby, bare ffi call of \`authy_callback_verify\` |
|---|---:|---:|---:|---:|---:|
| POST callback | $(wus cverify.POST) | $(wus cparams.POST) | $(wus go.CallbackVerify/POST) | $(wus rb.POST) | $(wus rb.POST-FFI) |
| GET callback | $(wus cverify.GET) | $(wus cparams.GET) | $(wus go.CallbackVerify/GET) | $(wus rb.GET) | $(wus rb.GET-FFI) |
| Verify webhook (\`authy_twilio_signature_verify\`) | $(us tlib) | | $(wus go.TwilioSignature) | $(wus rb.TWILIO) | |

### 5. Twilio Verify

Sequential \`GET /v2/Services/{VA}\` (HTTP Basic, the sandbox's default Account SID and Auth
Token) of one Service created per sandbox through the C ABI, on the same two sandboxes: $ROUNDS
rounds of ${SECS} s per client and scheme, in the order wrk, C (\`bench/c_verify.c\`),
twilio-python (\`bench/py_verify.py\`: \`Client(...).verify.v2.services(VA).fetch()\`, one
process, its requests Session keeps the connection alive), reversed every other round; a ratio
is the median of the per-round ratios (median calls/s):

| scheme | \`wrk -t1 -c1\` | C ABI | twilio-python $TW_VERSION | C ÷ wrk | C ÷ twilio-python |
|---|---:|---:|---:|---:|---:|
| HTTP | $(vcalls wrk.http) | $(vcalls c.http) | $(vcalls py.http) | $(fmt "$r5h" 3) | $(fmt "$r5ph" 1) |
| HTTPS | $(vcalls wrk.https) | $(vcalls c.https) | $(vcalls py.https) | $(fmt "$r5s" 3) | $(fmt "$r5ps" 1) |

Per round (calls/s): wrk HTTP [$(vruns wrk.http)], C HTTP [$(vruns c.http)], twilio-python HTTP
[$(vruns py.http)]; wrk HTTPS [$(vruns wrk.https)], C HTTPS [$(vruns c.https)], twilio-python
HTTPS [$(vruns py.https)].

Webhook check: a \`challenge.approved\` Verify Push webhook (Version v2 fields as the sandbox
sends them: uuid, type, account and service SIDs, entity, factor, challenge, status, date,
JSON-string details, hidden details and metadata; ${TW_DESC:-not built}), signed with HMAC-SHA1.
\`c_callback twilio\` times \`authy_twilio_signature_verify(token, url, body, header)\` (parses
the form body, sorts, HMAC, compares; the URL has no port, so a mismatch would also try
\`:443\`: a valid header matches first) against OpenSSL \`HMAC(EVP_sha1())\` of the ready
string + \`EVP_EncodeBlock\` + \`CRYPTO_memcmp\`, interleaved runs of about 150 ms, medians, in
each of the $SIG_ROUNDS rounds of section 4. twilio-python's \`RequestValidator.validate(url,
params, header)\` gets the body already parsed into a dict (\`parse_qsl\`, outside the timing),
\`timeit\`; it returned ${SIG[tpyres]:-–}. Per round (µs): C ABI [$(echo ${SIG[tlib]:-})],
OpenSSL [$(echo ${SIG[tbare]:-})], twilio-python [$(echo ${SIG[tpy]:-})].
MD
)
if [ -n "$CG_ROWS" ]; then
    SECTION+=$(
        cat <<MD


### Instructions per call (valgrind callgrind, user space only)

Deterministic where the timings are not. Client columns count only the measured loop of $N calls
(\`--toggle-collect\`): the C ABI, the Rust API (\`authy::Client::app_details\`), and a bare ureq
agent. wrk: the whole process, (3 s run − 1 s run) ÷ (extra requests). Sandbox: the server
process under callgrind, (count after 1,200 calls − after 200) ÷ 1,000. System calls and the
kernel's TCP/TLS-free loopback work are not counted.

| scheme | C ABI | Rust API | bare ureq | wrk | sandbox (server side) | C ÷ wrk | C ÷ bare ureq |
|---|---:|---:|---:|---:|---:|---:|---:|
${CG_ROWS%$'\n'}

Signature checks, Ir per check: the Rust API (rows POST / GET: \`examples/bench_signature.rs\` with
\`BENCH_ITERS=1000\`, \`--toggle-collect\` on its \`lib_once\` / \`bare_verify\`) and the C ABI
(\`bench/c_callback.c callgrind DIR 500 POST|GET\` and \`twilio-callgrind DIR 1000\`, on its
\`lib_loop\` / \`bare_loop\` / \`params_loop\` / \`tw_lib_loop\` / \`tw_bare_loop\`). Under valgrind
RustCrypto's SHA-256 and SHA-1 run without SHA-NI (OpenSSL uses its AVX2 code), so a library column
carries more hashing than it does natively; the difference is the library's own work plus that.

| check | library | baseline | difference |
|---|---:|---:|---:|
${SIG_CG_ROWS%$'\n'}
MD
    )
fi

echo
echo "$SECTION"

if [ -n "${BENCH_NO_WRITE:-}" ]; then
    echo "BENCH_NO_WRITE: BENCHMARKS.md left as it is" >&2
    exit 0
fi
BENCH="$ROOT/BENCHMARKS.md"
[ -f "$BENCH" ] || printf '# Benchmarks\n' >"$BENCH"
# Replace the "## Library" section (up to the next "## " heading, or a "<!-- notes -->" line
# that starts the hand-written notes), else append it.
awk -v section="$SECTION" '
    /^## / || /^<!-- notes -->/ {
        if (skip) skip = 0
        if ($0 == "## Library") { skip = 1; if (!done) { print section; print ""; done = 1 }; next }
    }
    !skip { print }
    END { if (!done) { print ""; print section } }
' "$BENCH" >"$TMP/bench.md"
cp "$TMP/bench.md" "$BENCH"
echo "updated $BENCH (Library section); bench/run.sh took $(($(date +%s) - START)) s" >&2
