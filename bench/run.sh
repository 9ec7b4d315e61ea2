#!/usr/bin/env bash
# The one benchmark command of libauthy (`make bench`): libauthy against what users would use
# instead, measured in ONE run against the SAME sandbox processes, interleaved rounds, medians.
# Rewrites the "## Library" section of BENCHMARKS.md (ratios, the targets of issue 14, met / not
# met, a callgrind figure per target) and, unless SKIP_SANDBOX=1, the "## Sandbox" section
# (bench/sandbox.sh). Parts (BENCH_PARTS names in brackets):
#
#   [seq]     sequential calls/s through the C ABI (bench/c_calls.c) ÷ `wrk -t1 -c1`, ÷ a bare
#             ureq agent and ÷ authy-python 2.2.6 (PyPI, in a throw-away venv under the target
#             dir), HTTP and HTTPS (issue 14 target 3)
#   [vseq]    Twilio Verify: sequential GET /v2/Services/{VA} through the C ABI (bench/c_verify.c,
#             authy_verify_client_fetch_service) ÷ `wrk -t1 -c1`, ÷ a bare ureq agent and
#             ÷ twilio-python 9.13.0 (bench/py_verify.py), HTTP and HTTPS (targets 3 and 5)
#   [threads] 1/4/32 pthreads sharing one client ÷ one client per thread through the C ABI
#             (`bench/c_calls.c threads`; target 2), the same in Rust (examples/bench_client.rs,
#             a report), and `strace -f -c -e trace=futex` futex calls per call (when strace
#             is installed)
#   [sig]     OneTouch callback verification ÷ bare HMAC: through the C ABI (bench/c_callback.c,
#             authy_callback_verify ÷ OpenSSL's HMAC, the way a C caller runs it) and in Rust
#             (examples/bench_signature.rs, run as it is); ÷ authy-python's
#             validate_one_touch_signature (bench/py_signature.py); the X-Twilio-Signature check
#             of a Verify webhook through the C ABI (authy_twilio_signature_verify,
#             `bench/c_callback.c twilio`) ÷ OpenSSL's HMAC-SHA1 and ÷ twilio-python's
#             RequestValidator.validate (bench/py_twilio_signature.py) (targets 1 and 5)
#   [mem]     RSS per connection through the C ABI (`bench/c_calls.c mem`) for 1, 32 and 256
#             pooled connections, one client per connection and one shared client (target 4);
#             RSS growth over 100k calls; heap per client (examples/bench_memory.rs)
#   [size]    stripped libauthy.so as built, and built with fat LTO and one codegen unit into
#             a scratch target dir (<target>/bench-lto; SKIP_LTO=1 leaves it out)
#   [cg]      instruction counts (callgrind) per target: client side, wrk and the sandbox per
#             request, the library's own share over a bare ureq agent, threads
#   [build]   incremental rebuild time of the authy crate
#
# Every Authy call is GET /protected/json/app/details (authy_client_app_details, authy-python's
# apps.fetch()). One HTTP and one HTTPS sandbox (--tls-self-signed --ca-out) serve the whole
# run; the HTTPS clients trust its certificate. Takes 10–14 minutes on 2 cores (about 4 more
# the first time the fat-LTO build runs).
#
# Environment:
#   BENCH_ROUNDS=9      interleaved rounds of the sequential measurements (medians are reported)
#   BENCH_SECONDS=1     seconds per sequential measurement (wrk takes whole seconds)
#   BENCH_THREAD_ROUNDS=7 BENCH_THREAD_SECONDS=1 BENCH_THREAD_SLICES=10  rounds, seconds per set-up
#                       and slices of the C threads measurements
#   BENCH_RUST_THREAD_ROUNDS=3  rounds of the Rust threads report (0: left out)
#   BENCH_MEM_REPEATS=3 runs of each memory measurement (medians)
#   BENCH_RSS_CALLS=100000
#   SKIP_PYTHON=1       no authy-python / twilio-python rows (e.g. offline: the venv needs PyPI once)
#   SKIP_CALLGRIND=1    no instruction counts
#   SKIP_LTO=1          no fat-LTO build
#   SKIP_BUILD_TIME=1   do not touch src/lib.rs and time the rebuild
#   SKIP_SANDBOX=1      do not run bench/sandbox.sh
#   BENCH_NO_WRITE=1    print the section, leave BENCHMARKS.md alone
#   BENCH_PARTS="seq vseq threads sig mem size cg build"  only these parts (to work on one of them)
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
THREAD_SLICES=${BENCH_THREAD_SLICES:-10}
RUST_THREAD_ROUNDS=${BENCH_RUST_THREAD_ROUNDS:-3}
MEM_REPEATS=${BENCH_MEM_REPEATS:-3}
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
# BENCH_PARTS="seq vseq threads sig mem size cg build" runs only those parts (for working on one).
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
sub() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan" || a == "" || b == "") print "nan"; else print a - b }'; }
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
cc -O2 -Wall -Wextra -pthread -I"$ROOT/include" -o "$TMP/c_calls" bench/c_calls.c \
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
make_services() { # VA[http] and VA[https], once
    local scheme
    for scheme in http https; do
        [ -n "${VA[$scheme]:-}" ] ||
            VA[$scheme]=$("$TMP/c_verify" create "$(url_of $scheme)" "$VSID" "$VTOKEN" "$(ca_of $scheme)")
    done
}
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
    ureq) "$EX/bench_client" seq bare-verify "$url" "$VSID:$VTOKEN" "$ca" "$SECS" "${VA[$2]}" ;;
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
VCLIENTS=(wrk c ureq)
[ -n "$PY" ] && VCLIENTS+=(py)
make_services
for scheme in http https; do
    wrk -t1 -c1 -d1s -H "Authorization: Basic $VBASIC" "$(url_of $scheme)/v2/Services/${VA[$scheme]}" >/dev/null
done
for round in $(seq 1 "$ROUNDS"); do
    schemes=(http https)
    [ $((round % 2)) = 0 ] && schemes=(https http)
    for scheme in "${schemes[@]}"; do
        unset this
        declare -A this=()
        # wrk C ureq python, reversed every other round (wrk and C always next to each other).
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
        VSEQR[c_ureq.$scheme]+=" $(div "${this[c]}" "${this[ureq]}")"
        VSEQR[ureq_wrk.$scheme]+=" $(div "${this[ureq]}" "${this[wrk]}")"
        [ -n "$PY" ] && VSEQR[c_py.$scheme]+=" $(div "${this[c]}" "${this[py]}")"
        echo "   round $round $scheme: Verify wrk ${this[wrk]}, C ${this[c]}, bare ureq ${this[ureq]}, twilio-python ${this[py]:-–} calls/s" >&2
    done
done
fi
vsm() { median ${VSEQ[$1]:-nan}; }
vsr() { median ${VSEQR[$1]:-nan}; }
vruns() { local v=${VSEQ[$1]:-}; echo "${v# }"; }

# ---- 3: threads sharing one client ÷ one client per thread ------------------------------------
# Through the C ABI (`c_calls threads-ab`): THREADS pthreads started on a barrier, total
# calls/s; both set-ups in one process (0.3 s warm-up of each), interleaved in short slices
# (shared, own, own, shared...), so that a change of load on this shared machine falls on both
# alike; a ratio is the median of the per-round ratios.
declare -A THC THR FUTEX
THREAD_COUNTS=(1 4 32)
measure_ab() { # SCHEME THREADS -> "shared own" calls/s
    "$TMP/c_calls" threads-ab "$(url_of "$1")" "$KEY" "$(ca_of "$1")" "$2" "$THREAD_SECS" "$THREAD_SLICES"
}
# strace's futex count of one `c_calls threads` run per call (the warm-up's calls included).
futex_per_call() { # SCHEME THREADS shared|own
    local out="$TMP/futex.$1.$2.$3" all
    all=$(strace -f -c -e trace=futex -o "$out" "$TMP/c_calls" threads "$(url_of "$1")" "$KEY" \
        "$(ca_of "$1")" "$2" "$THREAD_SECS" "$3" | awk '{ print $4 }') || { echo nan; return; }
    div "$(awk '$NF == "futex" { print $4; found = 1 } END { if (!found) print 0 }' "$out")" "$all"
}
STRACE=
if want threads; then
section "threads"
for round in $(seq 1 "$THREAD_ROUNDS"); do
    schemes=(http https)
    [ $((round % 2)) = 0 ] && schemes=(https http)
    for scheme in "${schemes[@]}"; do
        for t in "${THREAD_COUNTS[@]}"; do
            read -r sh own < <(measure_ab "$scheme" "$t") || true
            [ -n "$sh" ] && [ -n "$own" ] || { echo "bench: the $t-thread measurement over $scheme failed" >&2; exit 1; }
            THC[shared.$scheme.$t]+=" $sh"
            THC[own.$scheme.$t]+=" $own"
            THC[r.$scheme.$t]+=" $(div "$sh" "$own")"
        done
        echo "   round $round $scheme: shared/own calls/s$(for t in "${THREAD_COUNTS[@]}"; do
            printf ' %s thread(s) %s/%s;' "$t" "$(awk '{ print $NF }' <<<"${THC[shared.$scheme.$t]}")" \
                "$(awk '{ print $NF }' <<<"${THC[own.$scheme.$t]}")"; done)" >&2
    done
done
# Pool-lock contention, counted: futex calls per call, shared vs own (strace slows every call,
# so only the counts mean something).
if command -v strace >/dev/null; then
    STRACE=$(strace -V 2>/dev/null | head -n1)
    for scheme in http https; do
        for t in 4 32; do
            for setup in shared own; do
                FUTEX[$setup.$scheme.$t]=$(futex_per_call "$scheme" "$t" "$setup")
            done
        done
    done
fi
# The same in Rust (examples/bench_client.rs: authy::Client shared by std threads), a report.
if [ "$RUST_THREAD_ROUNDS" -gt 0 ]; then
    for scheme in http https; do
        BENCH_ROUNDS=$RUST_THREAD_ROUNDS BENCH_SECONDS=$THREAD_SECS \
            "$EX/bench_client" threads "$(url_of $scheme)" "$KEY" "$(ca_of $scheme)" >"$TMP/threads.$scheme"
        while read -r t shared own ratio; do
            THR[$scheme.$t]="$shared $own $ratio"
        done <"$TMP/threads.$scheme"
    done
fi
fi
thc() { median ${THC[$1]:-nan}; } # thc shared|own|r.SCHEME.THREADS
thr() { # SCHEME THREADS FIELD(1 shared, 2 own, 3 ratio): the Rust report
    awk -v f="$3" '{ print $f }' <<<"${THR[$1.$2]:-nan nan nan}"
}
futex() { echo "${FUTEX[$1]:-nan}"; }

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
                GOMODCACHE="$CARGO_TARGET_DIR/go/path/pkg/mod" GOPROXY=off GOSUMDB=off GOFLAGS="" \
                CGO_ENABLED=1 AUTHY_SANDBOX_BIN="$REL/authy-sandbox" AUTHY_BENCH_TWILIO_DIR="$TMP/cb" \
                CGO_CFLAGS="-I$ROOT/include" CGO_LDFLAGS="-L$REL -Wl,-rpath,$REL"
            go test -run '^$' -bench 'CallbackVerify|TwilioSignature' -benchtime 300ms -count 5
        ) >"$gobench" 2>&1 || echo "bench: the Go signature benchmarks failed (see below); their cells are left out" >&2
        for b in CallbackVerify/POST CallbackVerify/GET TwilioSignature; do
            # shellcheck disable=SC2046 # one number per line, split on purpose
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

# ---- memory (target 4) ------------------------------------------------------------------------
# RSS per connection through the C ABI (`c_calls mem`), N = 1, 32, 256 connections:
#   own     N clients, each after one call (so per connection including its client)
#   shared  one client (max idle per host >= N) and N threads making one call each at the same
#           time: the sandbox delays each of these answers by MEM_LATENCY_MS (a `latency` fault,
#           POST /sandbox/faults), so that the calls overlap and N connections are opened and
#           pooled; the driver counts its open sockets before and after
#   shared1 the same with MALLOC_ARENA_MAX=1 (one glibc arena for all threads)
RSS0=nan RSS1=nan RSS2=nan HEAP_DEFAULT=nan HEAP_BUILT=nan HEAP_CONN=nan HEAP_BUILT_HTTP=nan HEAP_CONN_HTTP=nan
MEM_LATENCY_MS=300
MEM_COUNTS=(1 32 256)
declare -A MEM
faults() { # SCHEME curl-args... : the sandbox's fault control (loopback, the API key opens it)
    local scheme=$1 cacert=()
    shift
    [ "$scheme" = https ] && cacert=(--cacert "$CA")
    curl -sf "${cacert[@]}" -H "X-Authy-API-Key: $KEY" "$@" "$(url_of "$scheme")/sandbox/faults" >/dev/null
}
mem_run() { # SCHEME N own|shared [VAR=VALUE...] -> "KB_per_connection sockets_opened seconds"
    local scheme=$1 n=$2 setup=$3 out
    shift 3
    if [ "$setup" = shared ]; then
        # N + 1: the driver's warm-up call (a throw-away client) comes first.
        faults "$scheme" -X POST -d "kind=latency&count=$((n + 1))&latency_ms=$MEM_LATENCY_MS&path_prefix=$ENDPOINT"
    fi
    out=$(env "$@" "$TMP/c_calls" mem "$(url_of "$scheme")" "$KEY" "$(ca_of "$scheme")" "$n" "$setup")
    if [ "$setup" = shared ]; then faults "$scheme" -X DELETE; fi
    # VmRSS is in KiB; KB = 1,000 bytes.
    awk -v n="$n" '{ printf "%.1f %d %.2f\n", ($2 - $1) * 1.024 / n, $4 - $3, $5 }' <<<"$out"
}
if want mem; then
section "memory"
for rep in $(seq 1 "$MEM_REPEATS"); do
    for n in "${MEM_COUNTS[@]}"; do
        for scheme in http https; do
            for setup in own shared shared1; do
                # The shared set-ups arm the sandbox's latency fault with curl.
                [ "$setup" = own ] || command -v curl >/dev/null || continue
                if [ "$setup" = shared1 ]; then
                    read -r kb socks secs < <(mem_run "$scheme" "$n" shared MALLOC_ARENA_MAX=1)
                else
                    read -r kb socks secs < <(mem_run "$scheme" "$n" "$setup")
                fi
                MEM[$setup.$scheme.$n]+=" $kb"
                MEM[sockets.$setup.$scheme.$n]+=" $socks"
                MEM[secs.$setup.$scheme.$n]+=" $secs"
            done
        done
    done
    echo "   round $rep: KB per HTTPS connection, own / shared:$(for n in "${MEM_COUNTS[@]}"; do
        printf ' N=%s %s / %s;' "$n" "$(awk '{ print $NF }' <<<"${MEM[own.https.$n]}")" \
            "$(awk '{ print $NF }' <<<"${MEM[shared.https.$n]:-–}")"; done)" >&2
done
read -r RSS0 RSS1 RSS2 < <("$TMP/c_calls" rss "$HTTPS_URL" "$KEY" "$CA" "$RSS_CALLS")
read -r HEAP_DEFAULT HEAP_BUILT HEAP_CONN < <("$EX/bench_memory" "$HTTPS_URL" "$KEY" "$CA")
read -r _ HEAP_BUILT_HTTP HEAP_CONN_HTTP < <("$EX/bench_memory" "$HTTP_URL" "$KEY" -)
fi
mem() { median ${MEM[$1]:-nan}; } # mem own|shared|shared1.SCHEME.N: KB per connection
# The fewest sockets a run of a memory measurement opened, and its slowest set of N calls.
mem_sockets() { tr ' ' '\n' <<<"${MEM[sockets.$1]:-}" | grep -v '^$' | sort -n | head -n1; }
mem_secs() { tr ' ' '\n' <<<"${MEM[secs.$1]:-}" | grep -v '^$' | sort -g | tail -n1; }
# "x KB (N sockets, s)" for the tables; "(only M sockets!)" when the pool did not hold N.
mem_cell() { # own|shared|shared1 SCHEME N
    local k=$1.$2.$3 socks
    socks=$(mem_sockets "$k")
    printf '%s' "$(fmt "$(mem "$k")" 1)"
    if [ -n "$socks" ] && [ "$socks" != "$3" ]; then printf ' (only %s sockets!)' "$socks"; fi
}

# ---- size --------------------------------------------------------------------------------------
cp "$REL/libauthy.so" "$TMP/libauthy.so"
SO_FULL=$(stat -c %s "$TMP/libauthy.so")
strip --strip-unneeded "$TMP/libauthy.so"
SO_STRIPPED=$(stat -c %s "$TMP/libauthy.so")
SO_MB=$(awk -v b="$SO_STRIPPED" 'BEGIN { printf "%.2f", b / 1e6 }')
PANIC=$(sed -n '/^\[profile.release\]/,/^\[/ s/^panic *= *"\(.*\)"/\1/p' Cargo.toml)
# The same sources with fat LTO and one codegen unit (the release profile otherwise as it is),
# built into a target dir of its own under the usual one (kept: later runs are incremental).
LTO_STRIPPED=nan LTO_MB=nan LTO_BUILD="not built"
if want size && [ -z "${SKIP_LTO:-}" ]; then
    section "size (fat LTO build)"
    t0=$(date +%s)
    if CARGO_TARGET_DIR=$CARGO_TARGET_DIR/bench-lto CARGO_PROFILE_RELEASE_LTO=fat \
        CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 cargo build --release -q -p authy --lib 2>"$TMP/lto.err"; then
        cp "$CARGO_TARGET_DIR/bench-lto/release/libauthy.so" "$TMP/libauthy-lto.so"
        strip --strip-unneeded "$TMP/libauthy-lto.so"
        LTO_STRIPPED=$(stat -c %s "$TMP/libauthy-lto.so")
        LTO_MB=$(awk -v b="$LTO_STRIPPED" 'BEGIN { printf "%.2f", b / 1e6 }')
        LTO_BUILD="its cargo build took $(($(date +%s) - t0)) s, incremental when the scratch dir was up to date"
    else
        echo "bench: the fat-LTO build failed; its row is left out" >&2
        cat "$TMP/lto.err" >&2
        LTO_BUILD="build failed"
    fi
fi

# ---- instruction counts (deterministic, unlike the timings) ------------------------------------
CG_ROWS=""
declare -A CG
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
    make_services
    for scheme in http https; do
        url=$(url_of $scheme) ca=$(ca_of $scheme)
        CG[c.$scheme]=$(cg_client c $scheme "$TMP/c_calls" callgrind "$url" "$KEY" "$ca" $N)
        CG[lib.$scheme]=$(cg_client lib $scheme "$EX/bench_client" callgrind lib "$url" "$KEY" "$ca" $N)
        CG[bare.$scheme]=$(cg_client bare $scheme "$EX/bench_client" callgrind bare "$url" "$KEY" "$ca" $N)
        CG[wrk.$scheme]=$(cg_wrk $scheme)
        # Verify: the C ABI's fetch_service and a bare ureq agent on the same request.
        CG[vc.$scheme]=$(cg_client vc $scheme "$TMP/c_verify" callgrind "$url" "$VSID" "$VTOKEN" "$ca" $N "${VA[$scheme]}")
        CG[vbare.$scheme]=$(cg_client vbare $scheme "$EX/bench_client" callgrind bare-verify "$url" "$VSID:$VTOKEN" "$ca" $N "${VA[$scheme]}")
        # 4 threads, N calls each, sharing one client or one client each (valgrind runs one
        # thread at a time: this is the work per call, not the waiting).
        for setup in shared own; do
            CG[t.$setup.$scheme]=$(div "$(cg_client "t$setup" $scheme "$TMP/c_calls" threads-callgrind "$url" "$KEY" "$ca" 4 $N $setup)" 4)
        done
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
    CG[sandbox.http]=$(CG_OUT='' cg_sandbox http)
    CG[sandbox.https]=$(CG_OUT='' cg_sandbox https)
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
            for f in lib_loop bare_loop params_loop read_loop; do
                valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.csig.$method.$f" --collect-atstart=no \
                    "--toggle-collect=$f" "$C_CALLBACK" callgrind "$TMP/cb" 500 "$method" >/dev/null 2>&1 || true
                CG[csig.$method.$f]=$(div "$(ir "$TMP/cg.csig.$method.$f")" 500)
            done
            SIG_CG_ROWS+="| $method, C ABI \`authy_callback_verify\` ÷ OpenSSL HMAC | $(fmt "${CG[csig.$method.lib_loop]}") | $(fmt "${CG[csig.$method.bare_loop]}") | $(fmt "$(cg_diff "${CG[csig.$method.lib_loop]}" "${CG[csig.$method.bare_loop]}")") |"$'\n'
            SIG_CG_ROWS+="| $method, C ABI \`authy_callback_verify_params\` + free ÷ \`authy_callback_verify\` (the verified tree) | $(fmt "${CG[csig.$method.params_loop]}") | $(fmt "${CG[csig.$method.lib_loop]}") | $(fmt "$(cg_diff "${CG[csig.$method.params_loop]}" "${CG[csig.$method.lib_loop]}")") |"$'\n'
            SIG_CG_ROWS+="| $method, C ABI \`authy_callback_verify_params\` + \`status\` and \`uuid\` read (\`authy_callback_get_string\`) + free ÷ \`authy_callback_verify\` | $(fmt "${CG[csig.$method.read_loop]}") | $(fmt "${CG[csig.$method.lib_loop]}") | $(fmt "$(cg_diff "${CG[csig.$method.read_loop]}" "${CG[csig.$method.lib_loop]}")") |"$'\n'
        done
        for f in tw_lib_loop tw_bare_loop; do
            valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.csig.$f" --collect-atstart=no \
                "--toggle-collect=$f" "$C_CALLBACK" twilio-callgrind "$TMP/cb" 1000 >/dev/null 2>&1 || true
            CG[csig.$f]=$(div "$(ir "$TMP/cg.csig.$f")" 1000)
        done
        SIG_CG_ROWS+="| Verify webhook, C ABI \`authy_twilio_signature_verify\` ÷ OpenSSL HMAC-SHA1 (RustCrypto's SHA-1 also runs without SHA-NI here) | $(fmt "${CG[csig.tw_lib_loop]}") | $(fmt "${CG[csig.tw_bare_loop]}") | $(fmt "$(cg_diff "${CG[csig.tw_lib_loop]}" "${CG[csig.tw_bare_loop]}")") |"$'\n'
    fi
    for scheme in http https; do
        CG_ROWS+="| $scheme | $(fmt "${CG[c.$scheme]}") | $(fmt "${CG[lib.$scheme]}") | $(fmt "${CG[bare.$scheme]}") | **$(fmt "$(sub "${CG[c.$scheme]}" "${CG[bare.$scheme]}")")** | $(fmt "${CG[wrk.$scheme]}") | $(fmt "${CG[sandbox.$scheme]}") | $(fmt "$(div "${CG[c.$scheme]}" "${CG[wrk.$scheme]}")" 1) | $(fmt "$(div "${CG[c.$scheme]}" "${CG[bare.$scheme]}")" 2) |"$'\n'
    done
fi

# ---- build time (last: it rebuilds the library) ------------------------------------------------
BUILD_ROW="| – | release build time | not measured (SKIP_BUILD_TIME) | | | – | – |"
if want build && [ -z "${SKIP_BUILD_TIME:-}" ]; then
    section "build time"
    touch src/lib.rs
    t0=$(date +%s.%N)
    cargo build --release -p authy --lib 2>"$TMP/build.err"
    t1=$(date +%s.%N)
    BUILD_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    BLOCKED=""
    grep -q "Blocking" "$TMP/build.err" && BLOCKED=" (waited for another build's lock: an upper bound)"
    BUILD_ROW="| – | release build time: incremental rebuild of the \`authy\` crate only (\`touch src/lib.rs; cargo build --release -p authy --lib\`: rlib + cdylib + staticlib, dependencies already built; a clean build is too slow to repeat here) | ${BUILD_S} s${BLOCKED} | | | – (no target) | – |"
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
cg() { echo "${CG[$1]:-nan}"; }
# The library's own share per call (callgrind): C ABI − bare ureq agent.
own_h=$(sub "$(cg c.http)" "$(cg bare.http)") own_s=$(sub "$(cg c.https)" "$(cg bare.https)")
vown_h=$(sub "$(cg vc.http)" "$(cg vbare.http)") vown_s=$(sub "$(cg vc.https)" "$(cg vbare.https)")
t_row() { # SCHEME THREADS: a target row of the C ABI threads measurement
    local r
    r=$(thc "r.$1.$2")
    echo "| 2 | $2 threads sharing one client ÷ one client per thread, C ABI (\`bench/c_calls.c threads-ab\`), $(tr a-z A-Z <<<"$1") | $(fmt "$(thc "shared.$1.$2")") /s | $(fmt "$(thc "own.$1.$2")") /s | **$(fmt "$r" 3)** | ≥ 0.95 | $(verdict "$r" ge 0.95) |"
}
m_row() { # own|shared N: a target row of the memory measurement, HTTPS
    local what
    if [ "$1" = own ]; then
        what="one client per connection ($2 clients, each after one call; per connection including its client)"
    else
        what="one client shared by $2 threads, holding $2 pooled connections"
    fi
    echo "| 4 | RSS per pooled HTTPS connection through the C ABI (\`bench/c_calls.c mem\`): $what | $(mem_cell "$1" https "$2") KB | | | ≤ 100 KB | $(verdict "$(mem "$1.https.$2")" le 100) |"
}
thr_runs() { awk '{ for (i = 1; i <= NF; i++) printf "%s%.3f", (i > 1 ? " " : ""), $i }' <<<"${THC[r.$1]:-}"; }
FUTEX_NOTE="not measured: strace is not installed"
[ -n "$STRACE" ] && FUTEX_NOTE="$STRACE"
[ -n "$STRACE" ] || want threads || FUTEX_NOTE="not measured: part threads not run"
LTO_ROW="| – | stripped \`libauthy.so\` built with fat LTO and one codegen unit (\`CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1\`, scratch target dir; the release profile is not changed) | $(fmt "$LTO_MB" 2) MB (${LTO_STRIPPED/nan/–} B; $LTO_BUILD) | | | – (report) | – |"
if ! want size || [ -n "${SKIP_LTO:-}" ]; then
    LTO_ROW="| – | stripped \`libauthy.so\` built with fat LTO | not measured (SKIP_LTO or part size not run) | | | – (report) | – |"
fi

SECTION=$(
    cat <<MD
## Library

\`$COMMAND\` (\`make bench\`${SETTINGS:+; with ${SETTINGS% }}), started $STARTED_AT, on $(nproc) × $CPU ($(uname -m)), $(uname -sr),
$(rustc --version), release build (\`panic = "$PANIC"\`). Load average (1, 5, 15 min) before each
part: ${LOADS% } at the end: $LOAD_END. The machine is shared with other engineers' builds and tests:
compare the ratios (taken between variants interleaved in the same rounds, against the same sandbox
process) rather than absolute numbers, and where a wall-clock ratio is within the noise, the
instruction counts of "Callgrind per target". Run time $((END - START)) s (build $((BUILT - START)) s);
\`bench/sandbox.sh\`: $SANDBOX_STATUS.

Every Authy call is \`GET $ENDPOINT\` (\`authy_client_app_details\`, authy-python's
\`apps.fetch()\`, wrk's one URL), every Verify call \`GET /v2/Services/{VA}\`, on one HTTP and one
HTTPS \`authy-sandbox\` (release, \`--tls-self-signed\`; the clients trust its certificate, wrk does
not check it) that serve the whole run, both by IP (\`$HTTP_URL\`, \`$HTTPS_URL\`: no client
resolves a name). Sequential: $ROUNDS rounds of ${SECS} s per client and scheme, the clients in the
order wrk, C, bare ureq, authy-python and reversed every other round (so wrk and C always run
next to each other); a ratio is the median of the per-round ratios. Peers: $WRK_V; authy-python:
${PY_DESC:-skipped}, one process, no keep-alive (it calls \`requests.request()\` per call).

### Targets of issue 14

Numbered as in issue 14: 1 callback check, 2 threads sharing a client, 3 sequential calls and the
library's own work per call, 4 memory per connection, 5 the Verify client's rows; "–" = a report.

| # | measurement | libauthy | peer | ratio | target | verdict |
|---|---|---:|---:|---:|---:|---|
| 1 | OneTouch callback check through the C ABI (\`authy_callback_verify\`, bench/c_callback.c), largest POST vector: time ÷ OpenSSL bare HMAC-SHA256 + base64 + \`CRYPTO_memcmp\` of the ready string to sign | $(us clib.POST) µs | $(us cbare.POST) µs | **$(fmt "$scP" 2)** × | ≤ 2 × | $(verdict "$scP" le 2) |
| 1 | same through the C ABI, largest GET vector | $(us clib.GET) µs | $(us cbare.GET) µs | **$(fmt "$scG" 2)** × | ≤ 2 × | $(verdict "$scG" le 2) |
| 1 | same through the Go / Ruby bindings (\`authy.VerifyCallback\` / \`Authy::Native.verify_callback\`: both hand out the verified parameters, so they call \`authy_callback_verify_params\`), POST: time ÷ OpenSSL bare | Go $(wus go.CallbackVerify/POST) µs, Ruby $(wus rb.POST) µs | $(us cbare.POST) µs | **Go $(fmt "$(div "${SIG[go.CallbackVerify/POST]:-nan}" "$(sig cbare.POST)")" 2) / Ruby $(fmt "$(div "${SIG[rb.POST]:-nan}" "$(sig cbare.POST)")" 2)** × | – (report) | – |
| 1 | same, GET | Go $(wus go.CallbackVerify/GET) µs, Ruby $(wus rb.GET) µs | $(us cbare.GET) µs | **Go $(fmt "$(div "${SIG[go.CallbackVerify/GET]:-nan}" "$(sig cbare.GET)")" 2) / Ruby $(fmt "$(div "${SIG[rb.GET]:-nan}" "$(sig cbare.GET)")" 2)** × | – (report) | – |
| 1 | same through Ruby's yes/no \`Authy::Native.valid_callback?\` (calls \`authy_callback_verify\`, builds no parameters), POST / GET: time ÷ OpenSSL bare | $(wus rb.POST-VALID) / $(wus rb.GET-VALID) µs | $(us cbare.POST) / $(us cbare.GET) µs | **$(fmt "$(div "${SIG[rb.POST-VALID]:-nan}" "$(sig cbare.POST)")" 2) / $(fmt "$(div "${SIG[rb.GET-VALID]:-nan}" "$(sig cbare.GET)")" 2)** × | – (report) | – |
| 1 | same through the C ABI: authy-python \`validate_one_touch_signature\` time ÷ libauthy, POST / GET | $(us clib.POST) / $(us clib.GET) µs | $(us py.POST) / $(us py.GET) µs | **$(fmt "$scpP" 1) / $(fmt "$scpG" 1)** × faster | ≥ 25 × | $(verdict "$scpP" ge 25) / $(verdict "$scpG" ge 25) |
| – | the Rust API (issue 7's rows): \`verify_signature\` (examples/bench_signature.rs), largest POST vector: time ÷ bare HMAC-SHA256 (RustCrypto, with SHA-NI: a harder baseline than OpenSSL's one-shot \`HMAC()\` above, which sets up its EVP context on every call) + base64 compare | $(us lib.POST) µs | $(us bare.POST) µs | **$(fmt "$sbP" 2)** × | ≤ 2 × (issue 7) | $(verdict "$sbP" le 2) |
| – | same, largest GET vector | $(us lib.GET) µs | $(us bare.GET) µs | **$(fmt "$sbG" 2)** × | ≤ 2 × (issue 7) | $(verdict "$sbG" le 2) |
| – | same POST vector: authy-python \`validate_one_touch_signature\` time ÷ libauthy | $(us lib.POST) µs | $(us py.POST) µs | **$(fmt "$spP" 1)** × faster | ≥ 25 × | $(verdict "$spP" ge 25) |
| – | same GET vector: authy-python time ÷ libauthy | $(us lib.GET) µs | $(us py.GET) µs | **$(fmt "$spG" 1)** × faster | ≥ 25 × | $(verdict "$spG" ge 25) |
$(t_row http 4)
$(t_row https 4)
$(t_row http 32)
$(t_row https 32)
| 3 | sequential calls/s, C ABI ÷ \`wrk -t1 -c1\`, HTTP | $(calls c.http) /s | $(calls wrk.http) /s | **$(fmt "$r1h" 3)** | ≥ 0.95 | $(verdict "$r1h" ge 0.95) |
| 3 | sequential calls/s, C ABI ÷ \`wrk -t1 -c1\`, HTTPS | $(calls c.https) /s | $(calls wrk.https) /s | **$(fmt "$r1s" 3)** | ≥ 0.95 | $(verdict "$r1s" ge 0.95) |
| 3 | sequential Verify calls/s (\`GET /v2/Services/{VA}\`), C ABI (\`authy_verify_client_fetch_service\`) ÷ \`wrk -t1 -c1\`, HTTP | $(vcalls c.http) /s | $(vcalls wrk.http) /s | **$(fmt "$r5h" 3)** | ≥ 0.95 | $(verdict "$r5h" ge 0.95) |
| 3 | same, HTTPS | $(vcalls c.https) /s | $(vcalls wrk.https) /s | **$(fmt "$r5s" 3)** | ≥ 0.95 | $(verdict "$r5s" ge 0.95) |
| 3 | the library's own share per call (callgrind Ir): C ABI − bare ureq agent, \`app_details\`, HTTP (below zero: the library's whole call costs less than ureq's agent alone) | $(fmt "$(cg c.http)") − $(fmt "$(cg bare.http)") = **$(fmt "$own_h")** Ir | | | ≤ 5,000 Ir | $(verdict "$own_h" le 5000) |
| 3 | same, HTTPS | $(fmt "$(cg c.https)") − $(fmt "$(cg bare.https)") = **$(fmt "$own_s")** Ir | | | ≤ 5,000 Ir | $(verdict "$own_s" le 5000) |
| – | the same for Verify \`fetch_service\` (bare ureq agent on the same request), HTTP / HTTPS | **$(fmt "$vown_h") / $(fmt "$vown_s")** Ir | | | – (report) | – |
| – | sequential calls/s, C ABI ÷ authy-python $PY_VERSION, HTTP | $(calls c.http) /s | $(calls py.http) /s | **$(fmt "$r2h" 1)** | – (report) | – |
| – | sequential calls/s, C ABI ÷ authy-python $PY_VERSION, HTTPS | $(calls c.https) /s | $(calls py.https) /s | **$(fmt "$r2s" 1)** | – (report) | – |
$(m_row shared 32)
$(m_row shared 256)
$(m_row own 32)
$(m_row own 256)
| 5 | sequential Verify calls/s, C ABI ÷ twilio-python $TW_VERSION (\`services(VA).fetch()\`), HTTP | $(vcalls c.http) /s | $(vcalls py.http) /s | **$(fmt "$r5ph" 1)** | – (report) | – |
| 5 | same, HTTPS | $(vcalls c.https) /s | $(vcalls py.https) /s | **$(fmt "$r5ps" 1)** | – (report) | – |
| 5 | Verify webhook \`X-Twilio-Signature\` check through the C ABI (\`authy_twilio_signature_verify\`, \`bench/c_callback.c twilio\`; ${TW_DESC:-not built}): time ÷ OpenSSL bare HMAC-SHA1 + base64 + \`CRYPTO_memcmp\` of the ready string URL + sorted params | $(us tlib) µs | $(us tbare) µs | **$(fmt "$stb" 2)** × | ≤ 2 × (as 1) | $(verdict "$stb" le 2) |
| 5 | same webhook: twilio-python \`RequestValidator.validate\` time ÷ libauthy (C ABI) | $(us tlib) µs | $(us tpy) µs | **$(fmt "$stp" 1)** × faster | – (report) | – |
| 5 | same webhook through the Go / Ruby bindings (\`authy.VerifyTwilioSignature\` / \`Authy::Native.verify_twilio_signature\`): time ÷ OpenSSL bare | Go $(wus go.TwilioSignature) µs, Ruby $(wus rb.TWILIO) µs | $(us tbare) µs | **Go $(fmt "$(div "${SIG[go.TwilioSignature]:-nan}" "$(sig tbare)")" 2) / Ruby $(fmt "$(div "${SIG[rb.TWILIO]:-nan}" "$(sig tbare)")" 2)** × | – (report) | – |
| – | stripped \`libauthy.so\` (\`strip --strip-unneeded\` of a copy; $(fmt "$(div "$SO_FULL" 1000000)" 2) MB as built, with line tables) | $SO_MB MB ($SO_STRIPPED B) | | | – (report; issue 7 asked ≤ 2.0 MB, \`panic = "unwind"\`) | – (panic = "$PANIC") |
$LTO_ROW
| – | RSS growth over $RSS_CALLS calls through the C ABI, HTTPS, one client (VmRSS after 1,000 warm-up calls → after $((RSS_CALLS / 2)) → after $RSS_CALLS) | +$rss_growth KiB ($RSS0 → $RSS1 → $RSS2 KiB) | | | – (no growth expected) | $(awk -v g="$rss_growth" 'BEGIN { if (g == "nan") print "not measured"; else if (g <= 256) print "✅ flat (≤ 256 KiB)"; else print "❌ grows" }') |
| – | heap per \`Client\` (counting allocator, 200 kept): built with defaults / built for the HTTPS sandbox / after one call (one pooled connection each; HTTP: $(fmt "$HEAP_CONN_HTTP") B) | $HEAP_DEFAULT B / $HEAP_BUILT B / $HEAP_CONN B | | | – | – |
$BUILD_ROW

### 1. OneTouch callback verification

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
verified parameters, so they pay for building them (\`authy_callback_verify_params\`):

| check | C \`authy_callback_verify\` | C \`authy_callback_verify_params\` + free | Go | Ruby \`verify_callback\` | Ruby \`valid_callback?\` (yes/no, no tree) | Ruby, bare ffi call of \`authy_callback_verify\` |
|---|---:|---:|---:|---:|---:|---:|
| POST callback | $(wus cverify.POST) | $(wus cparams.POST) | $(wus go.CallbackVerify/POST) | $(wus rb.POST) | $(wus rb.POST-VALID) | $(wus rb.POST-FFI) |
| GET callback | $(wus cverify.GET) | $(wus cparams.GET) | $(wus go.CallbackVerify/GET) | $(wus rb.GET) | $(wus rb.GET-VALID) | $(wus rb.GET-FFI) |
| Verify webhook (\`authy_twilio_signature_verify\`) | $(us tlib) | | $(wus go.TwilioSignature) | $(wus rb.TWILIO) | | |

### 2. Threads sharing one client ÷ one client per thread

Through the C ABI (\`bench/c_calls.c threads-ab\`): N pthreads, started together on a barrier, call
\`authy_client_app_details\` through one client they all share (built with
\`authy_client_builder_set_max_idle_connections_per_host\` = max(32, N), so that every thread's
connection goes back to the pool) or through one client each (defaults); total calls/s of all
threads. Both set-ups live in one process (a 0.3 s warm-up of each) and take turns in
$THREAD_SLICES slices each, $THREAD_SECS s per set-up in all, in the order shared, own, own, shared,
shared, own..., so that a change of load on this shared machine falls on both alike (with one
process per set-up, one after the other, the 1-thread control ranged 0.42–2.7). $THREAD_ROUNDS
rounds, both schemes; a ratio is the median of the per-round ratios. 2 cores, shared with the
sandbox: with one thread both set-ups are the
same, so that row shows the noise.

| threads | HTTP shared | HTTP own | HTTP ratio | HTTPS shared | HTTPS own | HTTPS ratio |
|---:|---:|---:|---:|---:|---:|---:|
$(for t in "${THREAD_COUNTS[@]}"; do echo "| $t | $(fmt "$(thc "shared.http.$t")") | $(fmt "$(thc "own.http.$t")") | $(fmt "$(thc "r.http.$t")" 3) | $(fmt "$(thc "shared.https.$t")") | $(fmt "$(thc "own.https.$t")") | $(fmt "$(thc "r.https.$t")" 3) |"; done)

Per-round ratios (shared ÷ own): $(for t in "${THREAD_COUNTS[@]}"; do printf '%s thread(s) HTTP [%s], HTTPS [%s]; ' "$t" "$(thr_runs "http.$t")" "$(thr_runs "https.$t")"; done)

Pool-lock contention, counted: \`futex\` system calls per call of one such run under
\`strace -f -c -e trace=futex\` (${FUTEX_NOTE}; thread start and join included; strace slows
every call, so only the counts mean something):

| threads | HTTP shared | HTTP own | HTTPS shared | HTTPS own |
|---:|---:|---:|---:|---:|
$(for t in 4 32; do echo "| $t | $(fmt "$(futex "shared.http.$t")" 2) | $(fmt "$(futex "own.http.$t")" 2) | $(fmt "$(futex "shared.https.$t")" 2) | $(fmt "$(futex "own.https.$t")" 2) |"; done)

The same in Rust (\`examples/bench_client.rs threads\`: \`authy::Client\` shared by std threads;
$RUST_THREAD_ROUNDS rounds, a report):

| threads | HTTP shared | HTTP own | HTTP ratio | HTTPS shared | HTTPS own | HTTPS ratio |
|---:|---:|---:|---:|---:|---:|---:|
$(for t in 1 4 32; do echo "| $t | $(fmt "$(thr http $t 1)") | $(fmt "$(thr http $t 2)") | $(fmt "$(thr http $t 3)" 3) | $(fmt "$(thr https $t 1)") | $(fmt "$(thr https $t 2)") | $(fmt "$(thr https $t 3)" 3) |"; done)

### 3. Sequential calls, all clients (median calls/s)

| scheme | \`wrk -t1 -c1\` | C ABI (\`bench/c_calls.c\`) | bare ureq 3.5 agent (Rust, no global timeout) | authy-python $PY_VERSION | C ÷ wrk | bare ureq ÷ wrk | C ÷ bare ureq | C ÷ authy-python |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
| HTTP | $(calls wrk.http) | $(calls c.http) | $(calls ureq.http) | $(calls py.http) | $(fmt "$r1h" 3) | $(fmt "$(sr ureq_wrk.http)" 3) | $(fmt "$(sr c_ureq.http)" 3) | $(fmt "$r2h" 1) |
| HTTPS | $(calls wrk.https) | $(calls c.https) | $(calls ureq.https) | $(calls py.https) | $(fmt "$r1s" 3) | $(fmt "$(sr ureq_wrk.https)" 3) | $(fmt "$(sr c_ureq.https)" 3) | $(fmt "$r2s" 1) |

Per round (calls/s): wrk HTTP [$(runs wrk.http)], C HTTP [$(runs c.http)], wrk HTTPS [$(runs wrk.https)],
C HTTPS [$(runs c.https)], bare ureq HTTP [$(runs ureq.http)] / HTTPS [$(runs ureq.https)],
authy-python HTTP [$(runs py.http)] / HTTPS [$(runs py.https)].

### 4. Memory per connection

VmRSS through the C ABI (\`bench/c_calls.c mem\`), in KB (1,000 bytes) per connection, median of
$MEM_REPEATS runs, each in a process of its own that first makes one call with a throw-away client
(process-wide lazy state is not counted). **Own**: N clients built and making one call each, one
after the other (RSS after − before, ÷ N: per connection including its client). **Shared**: one
client (max idle connections per host = max(32, N)) and N threads that each make one call at the
same time; the sandbox holds each of these answers ${MEM_LATENCY_MS} ms (a \`latency\` fault armed
through \`POST /sandbox/faults\` for the run), so that the calls overlap and the pool ends up
holding N connections (RSS after the N answers − before the calls, ÷ N; the threads are started,
have used \`malloc\` once and made 256 KiB of their stacks resident before the first reading). The
driver counts its open sockets: a cell says so when a run held fewer than N. Threads bring glibc
malloc arenas (up to 8 per core): a thread's buffers come from its arena and what a call frees
stays in it, which **shared** counts as measured; **shared, 1 arena** is the same with
\`MALLOC_ARENA_MAX=1\`. With N = 1 a reading is within a few pages of RSS granularity, and the
one thread of **shared** has a fresh arena: the pages the call's short-lived allocations touched
there stay resident (the main thread's arena had them from the warm-up call; compare 1 arena).
Slowest set of N overlapping calls (shared, HTTPS): $(for n in "${MEM_COUNTS[@]}"; do printf 'N=%s %s s; ' "$n" "$(mem_secs "shared.https.$n")"; done)

| N | HTTP own | HTTP shared | HTTP shared, 1 arena | HTTPS own | HTTPS shared | HTTPS shared, 1 arena |
|---:|---:|---:|---:|---:|---:|---:|
$(for n in "${MEM_COUNTS[@]}"; do echo "| $n | $(mem_cell own http "$n") | $(mem_cell shared http "$n") | $(mem_cell shared1 http "$n") | $(mem_cell own https "$n") | $(mem_cell shared https "$n") | $(mem_cell shared1 https "$n") |"; done)

Heap (\`examples/bench_memory.rs\`, a counting global allocator, 200 clients kept): a client
built for the HTTPS sandbox holds $HEAP_BUILT B, after one call (one pooled connection)
$HEAP_CONN B; over HTTP $HEAP_BUILT_HTTP B and $HEAP_CONN_HTTP B.

### 5. Twilio Verify

Sequential \`GET /v2/Services/{VA}\` (HTTP Basic, the sandbox's default Account SID and Auth
Token) of one Service created per sandbox through the C ABI, on the same two sandboxes: $ROUNDS
rounds of ${SECS} s per client and scheme, in the order wrk, C (\`bench/c_verify.c\`), a bare ureq
agent on the same request (\`examples/bench_client.rs seq bare-verify\`),
twilio-python (\`bench/py_verify.py\`: \`Client(...).verify.v2.services(VA).fetch()\`, one
process, its requests Session keeps the connection alive), reversed every other round; a ratio
is the median of the per-round ratios (median calls/s):

| scheme | \`wrk -t1 -c1\` | C ABI | bare ureq | twilio-python $TW_VERSION | C ÷ wrk | bare ureq ÷ wrk | C ÷ bare ureq | C ÷ twilio-python |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
| HTTP | $(vcalls wrk.http) | $(vcalls c.http) | $(vcalls ureq.http) | $(vcalls py.http) | $(fmt "$r5h" 3) | $(fmt "$(vsr ureq_wrk.http)" 3) | $(fmt "$(vsr c_ureq.http)" 3) | $(fmt "$r5ph" 1) |
| HTTPS | $(vcalls wrk.https) | $(vcalls c.https) | $(vcalls ureq.https) | $(vcalls py.https) | $(fmt "$r5s" 3) | $(fmt "$(vsr ureq_wrk.https)" 3) | $(fmt "$(vsr c_ureq.https)" 3) | $(fmt "$r5ps" 1) |

Per round (calls/s): wrk HTTP [$(vruns wrk.http)], C HTTP [$(vruns c.http)], bare ureq HTTP
[$(vruns ureq.http)], twilio-python HTTP [$(vruns py.http)]; wrk HTTPS [$(vruns wrk.https)],
C HTTPS [$(vruns c.https)], bare ureq HTTPS [$(vruns ureq.https)], twilio-python HTTPS
[$(vruns py.https)].

Webhook check: a \`challenge.approved\` Verify Push webhook (Version v2 fields as the sandbox
sends them: uuid, type, account and service SIDs, entity, factor, challenge, status, date,
JSON-string details, hidden details and metadata; ${TW_DESC:-not built}), signed with HMAC-SHA1.
\`c_callback twilio\` times \`authy_twilio_signature_verify(token, url, body, header)\` (parses
the form body, sorts, HMAC, compares; the URL has no port, so a mismatch would also try
\`:443\`: a valid header matches first) against OpenSSL \`HMAC(EVP_sha1())\` of the ready
string + \`EVP_EncodeBlock\` + \`CRYPTO_memcmp\`, interleaved runs of about 150 ms, medians, in
each of the $SIG_ROUNDS rounds of section 1. twilio-python's \`RequestValidator.validate(url,
params, header)\` gets the body already parsed into a dict (\`parse_qsl\`, outside the timing),
\`timeit\`; it returned ${SIG[tpyres]:-–}. Per round (µs): C ABI [$(echo ${SIG[tlib]:-})],
OpenSSL [$(echo ${SIG[tbare]:-})], twilio-python [$(echo ${SIG[tpy]:-})].
MD
)
if [ -n "$CG_ROWS" ]; then
    SECTION+=$(
        cat <<MD


### Callgrind per target (valgrind callgrind, user-space instructions, "Ir")

Deterministic where the timings are not: a change can be judged on these when a wall-clock ratio
is within this machine's noise. System calls and the kernel's loopback work are not counted.

**Target 1 — callback check.** Signature checks, Ir per check: the Rust API (rows POST / GET: \`examples/bench_signature.rs\` with
\`BENCH_ITERS=1000\`, \`--toggle-collect\` on its \`lib_once\` / \`bare_verify\`) and the C ABI
(\`bench/c_callback.c callgrind DIR 500 POST|GET\` and \`twilio-callgrind DIR 1000\`, on its
\`lib_loop\` / \`bare_loop\` / \`params_loop\` / \`tw_lib_loop\` / \`tw_bare_loop\`). Under valgrind
RustCrypto's SHA-256 and SHA-1 run without SHA-NI (OpenSSL uses its AVX2 code), so a library column
carries more hashing than it does natively; the difference is the library's own work plus that.

| check | library | baseline | difference |
|---|---:|---:|---:|
${SIG_CG_ROWS%$'\n'}

**Target 2 — threads sharing a client.** Ir per call of 4 threads making $N calls each
(\`bench/c_calls.c threads-callgrind\`, \`--toggle-collect=bench_loop_c\`) through one shared client
or one client each. Valgrind runs one thread at a time, so this shows the work per call (the pool
bookkeeping of a shared client included), not the waiting for its lock: the contention itself is
counted by the \`futex\` calls per call of section 2 (strace, shared vs own).

| scheme | shared | own | shared − own | futex/call shared, 4 / 32 threads | futex/call own, 4 / 32 threads |
|---|---:|---:|---:|---:|---:|
$(for scheme in http https; do echo "| $scheme | $(fmt "$(cg "t.shared.$scheme")") | $(fmt "$(cg "t.own.$scheme")") | $(fmt "$(sub "$(cg "t.shared.$scheme")" "$(cg "t.own.$scheme")")") | $(fmt "$(futex "shared.$scheme.4")" 2) / $(fmt "$(futex "shared.$scheme.32")" 2) | $(fmt "$(futex "own.$scheme.4")" 2) / $(fmt "$(futex "own.$scheme.32")" 2) |"; done)

**Target 3 — sequential calls, the library's own work.** Client columns count only the measured
loop of $N calls (\`--toggle-collect\`): the C ABI, the Rust API (\`authy::Client::app_details\`), and
a bare ureq agent configured like the library's (examples/bench_common); own share = C ABI − bare
ureq (target ≤ 5,000 Ir; below zero since the library runs its own HTTP/1.1 exchange on
connections made by ureq's connector chain, instead of ureq's request cycle). wrk: the whole process, (3 s run − 1 s run) ÷ (extra requests). Sandbox:
the server process under callgrind, (count after 1,200 calls − after 200) ÷ 1,000. Verify:
\`authy_verify_client_fetch_service\` (\`bench/c_verify.c callgrind\`) against the bare agent on the same
request (\`examples/bench_client.rs callgrind bare-verify\`).

| scheme | C ABI | Rust API | bare ureq | **own share** (C − bare) | wrk | sandbox (server side) | C ÷ wrk | C ÷ bare ureq |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
${CG_ROWS%$'\n'}
$(for scheme in http https; do echo "| Verify $scheme | $(fmt "$(cg "vc.$scheme")") | | $(fmt "$(cg "vbare.$scheme")") | **$(fmt "$(sub "$(cg "vc.$scheme")" "$(cg "vbare.$scheme")")")** | | | | $(fmt "$(div "$(cg "vc.$scheme")" "$(cg "vbare.$scheme")")" 2) |"; done)

**Target 4 — memory per connection.** Heap bytes a pooled connection holds (counting allocator,
\`examples/bench_memory.rs\`: a client after one call − the same client before it, 200 clients):
HTTPS $(fmt "$(sub "$HEAP_CONN" "$HEAP_BUILT")") B, HTTP $(fmt "$(sub "$HEAP_CONN_HTTP" "$HEAP_BUILT_HTTP")") B (target 4 counts RSS: ≤ 100 KB per HTTPS connection).
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
