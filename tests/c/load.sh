#!/usr/bin/env bash
# Load test of the C ABI (tests/c/test_load.c): one client shared by 8 threads x N mixed calls
# against the sandbox, with faults armed part of the time; 0 crossed answers, 0 crashes, every
# failure a documented code for the armed fault. Self-contained: builds what it needs, starts
# its own sandboxes (HTTP on 127.0.0.1, HTTPS on localhost with a self-signed certificate) and
# stops them. Runs:
#   (a) natively, full size (LOAD_CALLS, default 5000 per thread), over HTTP and HTTPS;
#   (b) under valgrind (memcheck: 0 errors, 0 definite/indirect/possible leaks), reduced size
#       (LOAD_VALGRIND_CALLS, default 800), over HTTPS by host name;
#   (c) built with -fsanitize=address,undefined (the Rust library stays uninstrumented; the
#       executable is linked with libasan first, no LD_PRELOAD), reduced size
#       (LOAD_ASAN_CALLS, default 2000), over HTTP and HTTPS.
# Exits non-zero on any failure; the last line is "load: N passed, M failed".
#
# Environment: CARGO_TARGET_DIR (default ./target), CC (gcc), AUTHY_API_KEY (the sandbox key),
#              AUTHY_SKIP_BUILD=1 to skip `cargo build --release -p authy -p authy-sandbox`,
#              LOAD_CALLS, LOAD_VALGRIND_CALLS, LOAD_ASAN_CALLS (calls per thread),
#              LOAD_VALGRIND=0 / LOAD_ASAN=0 to skip (b) / (c) (reported as skipped).
# Needs: gcc with libasan8 and libubsan1 (Debian: libasan8, libubsan1; installed with gcc-12),
#        valgrind.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
release=$target/release
cc=${CC:-gcc}
key=${AUTHY_API_KEY:-sandbox-api-key-0123456789abcdef}
calls=${LOAD_CALLS:-5000}
vg_calls=${LOAD_VALGRIND_CALLS:-800}
asan_calls=${LOAD_ASAN_CALLS:-2000}

passed=0
failed=0
skipped=()
note() { printf '\n--> %s\n' "$*"; }
pass() { passed=$((passed + $1)); }
fail() { failed=$((failed + $1)); echo "FAILED: ${*:2}" >&2; }
# Stops at once, still ending with the summary line.
die() {
  echo "FAILED: $*" >&2
  printf '\nload: %d passed, %d failed\n' "$passed" "$((failed + 1))"
  exit 1
}

if [ "${AUTHY_SKIP_BUILD:-0}" != 1 ]; then
  note "cargo build --release (libauthy + authy-sandbox)"
  cargo build --release --quiet -p authy -p authy-sandbox || die "cargo build --release"
fi
[ -f "$release/libauthy.so" ] || die "no $release/libauthy.so"
[ -x "$release/authy-sandbox" ] || die "no $release/authy-sandbox"
# The library's SONAME is libauthy.so.0: programs linked with -lauthy look for that name.
[ -e "$release/libauthy.so.0" ] || ln -sf libauthy.so "$release/libauthy.so.0"

work=$(mktemp -d)
# shellcheck source=scripts/sandbox-lib.sh
source "$root/scripts/sandbox-lib.sh"
cleanup() {
  sandbox_stop_all
  rm -rf "$work"
}
trap cleanup EXIT

cflags=(-std=c11 -g -O1 -Wall -Wextra -pedantic -Werror -I"$root/include")
ldflags=(-L"$release" -lauthy -Wl,-rpath,"$release" -pthread)
san=(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
# The error accessors of issue 8 (attempts, request_sent, Retry-After): checked when the header
# has them.
if grep -q 'authy_error_attempts(' include/authy.h &&
   grep -q 'authy_error_request_sent(' include/authy.h &&
   grep -q 'authy_error_retry_after_ms(' include/authy.h; then
  cflags+=(-DAUTHY_LOAD_ERROR_DETAILS)
else
  echo "NOTE: include/authy.h has no authy_error_attempts/_request_sent/_retry_after_ms: not checked"
fi

note "compile tests/c/test_load.c (C11, warnings are errors; plain and with ASan/UBSan)"
"$cc" "${cflags[@]}" tests/c/test_load.c -o "$work/test_load" "${ldflags[@]}" ||
  die "compile tests/c/test_load.c"
pass 1
asan_ok=0
if [ "${LOAD_ASAN:-1}" = 0 ]; then
  skipped+=("ASan/UBSan (LOAD_ASAN=0)")
else
  # The sanitizer runtimes are separate Debian packages (libasan8, libubsan1 for gcc 12).
  printf 'int main(void) { return 0; }\n' >"$work/hello.c"
  if ! "$cc" "${san[@]}" "$work/hello.c" -o "$work/hello" 2>"$work/hello.err" || ! "$work/hello"; then
    cat "$work/hello.err" >&2
    fail 1 "gcc cannot build with -fsanitize=address,undefined: install the Debian packages" \
      "libasan8 and libubsan1 (or run with LOAD_ASAN=0)"
  elif "$cc" "${cflags[@]}" "${san[@]}" tests/c/test_load.c -o "$work/test_load_asan" \
      "${ldflags[@]}" -fsanitize=address,undefined; then
    # The executable must carry the ASan runtime itself (no LD_PRELOAD needed): linked to
    # libasan (ASan checks at start that it comes first), or with it built in.
    syms=$(nm "$work/test_load_asan" 2>/dev/null || true)
    libs=$(ldd "$work/test_load_asan" 2>/dev/null || true)
    if [[ $libs == *libasan* || $syms == *__asan_init* ]]; then
      asan_ok=1
      pass 1
    else
      fail 1 "the ASan build of test_load has no ASan runtime"
    fi
  else
    fail 1 "compile test_load.c with ASan/UBSan"
  fi
fi
vg=()
if [ "${LOAD_VALGRIND:-1}" = 0 ]; then
  skipped+=("valgrind (LOAD_VALGRIND=0)")
elif ! command -v valgrind >/dev/null; then
  fail 1 "valgrind not found: install the Debian package valgrind (or run with LOAD_VALGRIND=0)"
else
  vg=(valgrind --quiet --error-exitcode=99 --leak-check=full
      --errors-for-leak-kinds=definite,indirect,possible
      --show-leak-kinds=definite,indirect,possible
      --suppressions="$root/tests/c/valgrind.supp")
fi

note "start the sandboxes (HTTP on 127.0.0.1; HTTPS on localhost, self-signed)"
SANDBOX_BIN=$release/authy-sandbox SANDBOX_KEY=$key
sandbox_start HTTP --quiet || die "the HTTP sandbox did not start"
http_url=$HTTP_URL
sandbox_start TLS --quiet --tls-self-signed --ca-out "$work/ca.pem" || die "the TLS sandbox did not start"
tls_url=$TLS_URL
echo "sandboxes at $http_url and $tls_url"

case "$tls_url" in
  https://localhost:*) ;;
  *) fail 1 "the TLS sandbox URL is not https://localhost:PORT: $tls_url" ;;
esac
export AUTHY_API_KEY=$key

# Runs a program and adds its "test_load: N passed, M failed" line to the totals; a crash, a
# valgrind or sanitizer report, or a missing summary counts as one more failure.
run_counted() {
  local name=$1; shift
  note "$name"
  local rc=0 start=$SECONDS
  "$@" >"$work/$name.log" 2>&1 || rc=$?
  cat "$work/$name.log"
  echo "($name: $((SECONDS - start)) s, exit status $rc)"
  local line p f
  line=$(grep -E '^test_load: [0-9]+ passed, [0-9]+ failed' "$work/$name.log" | tail -n 1 || true)
  if [ -n "$line" ]; then
    p=$(sed -E 's/^test_load: ([0-9]+) passed.*/\1/' <<<"$line")
    f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
    pass "$p"
    [ "$f" -eq 0 ] || fail "$f" "$name"
  else
    fail 1 "$name: no summary line (crashed?)"
  fi
  if [ "$rc" -eq 0 ]; then
    return
  elif [ "$rc" -eq 99 ]; then
    fail 1 "$name: valgrind reported errors or leaks"
  elif [ "$rc" -gt 128 ]; then
    fail 1 "$name: killed by signal $((rc - 128))"
  elif [ "$rc" -eq 98 ] ||
       grep -qE '^==[0-9]+==ERROR: |^SUMMARY: (Address|Leak|Undefined)|runtime error: ' \
         "$work/$name.log"; then
    fail 1 "$name: the sanitizers reported an error (exit status $rc)"
  elif [ -z "$line" ] || [ "$f" -eq 0 ]; then
    fail 1 "$name: exit status $rc"
  fi # else: exit status 1 for the failed checks already counted
}

# (a) natively, full size.
run_counted load_http "$work/test_load" "$http_url" "$calls"
AUTHY_CA_FILE=$work/ca.pem run_counted load_https "$work/test_load" "$tls_url" "$calls"

# (b) valgrind, reduced, HTTPS by host name (the name cache, TLS and the faults included).
if [ ${#vg[@]} -gt 0 ]; then
  AUTHY_CA_FILE=$work/ca.pem AUTHY_LOAD_TIMEOUT_MS=10000 AUTHY_LOAD_CONNECT_TIMEOUT_MS=10000 \
    run_counted load_https_valgrind "${vg[@]}" "$work/test_load" "$tls_url" "$vg_calls"
fi

# (c) ASan/UBSan, reduced, HTTP and HTTPS.
if [ "$asan_ok" = 1 ]; then
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=98}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  run_counted load_http_asan "$work/test_load_asan" "$http_url" "$asan_calls"
  AUTHY_CA_FILE=$work/ca.pem \
    run_counted load_https_asan "$work/test_load_asan" "$tls_url" "$asan_calls"
fi

for s in "${skipped[@]}"; do echo "SKIPPED: $s"; done
printf '\nload: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
