#!/usr/bin/env bash
# C ABI tests of libauthy, against the sandbox binary:
#   - test_ffi.c  every function of include/authy.h (success and error paths), under valgrind
#                 (0 errors, 0 definite/indirect/possible leaks), against the sandbox by IP and
#                 again by host name (localhost: the name cache is exercised);
#   - test_fork.c a client used across fork() (children, grandchildren, a fork while threads
#                 are calling): thousands of calls, 0 crossed answers, over HTTP and HTTPS; and
#                 a shorter run under valgrind over HTTPS by host name, children included;
#   - test_cancel.c calls cancelled 300 ms into 3 s of latency return AUTHY_RESULT_CANCELLED
#                 within 50 ms (20 rounds, p50/max printed); authy_client_free() while another
#                 thread is in a call, natively, under valgrind and built with ASan/UBSan; the
#                 retry jitter of 6 children forked from one parent differs;
#   - test_cpp.cpp the header compiles as C++ with -Wall -Wextra -pedantic -Werror and links;
#   - examples/callback_verify.c and examples/quickstart.c, also under valgrind;
#   - a coverage check: every function declared in the header is called by test_ffi.c.
# Builds the release library and sandbox first. Exits non-zero on any failure; the last line is
# "N passed, M failed".
#
# Environment: CARGO_TARGET_DIR (default ./target), CC (gcc), CXX (g++),
#              VALGRIND=0 to run without valgrind,
#              ASAN=1 to build the C programs with -fsanitize=address,undefined and run them
#              without valgrind (the two do not mix; the Rust library stays uninstrumented).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
release=$target/release
cc=${CC:-gcc}
cxx=${CXX:-g++}
key=${AUTHY_API_KEY:-sandbox-api-key-0123456789abcdef}

# shellcheck source=scripts/suite-lib.sh
source "$root/scripts/suite-lib.sh"

note "cargo build --release (libauthy + authy-sandbox)"
cargo build --release --quiet -p authy -p authy-sandbox
[ -f "$release/libauthy.so" ] || { echo "no $release/libauthy.so" >&2; exit 1; }
# The library's SONAME is libauthy.so.0: programs linked with -lauthy look for that name.
ln -sf libauthy.so "$release/libauthy.so.0"

work=$(mktemp -d)
# shellcheck source=scripts/sandbox-lib.sh
source "$root/scripts/sandbox-lib.sh"
SANDBOX_BIN=$release/authy-sandbox SANDBOX_KEY=$key
cleanup() {
  sandbox_stop_all
  rm -rf "$work"
}
trap cleanup EXIT

cflags=(-std=c11 -g -O1 -Wall -Wextra -pedantic -Werror -I"$root/include")
ldflags=(-L"$release" -lauthy -Wl,-rpath,"$release" -pthread)
if [ "${ASAN:-0}" = 1 ]; then
  cflags+=(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  ldflags+=(-fsanitize=address,undefined)
  VALGRIND=0
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
fi

note "compile (C11 and C++17, warnings are errors)"
"$cc" "${cflags[@]}" tests/c/test_ffi.c -o "$work/test_ffi" "${ldflags[@]}"
"$cc" "${cflags[@]}" tests/c/test_fork.c -o "$work/test_fork" "${ldflags[@]}"
"$cc" "${cflags[@]}" tests/c/test_cancel.c -o "$work/test_cancel" "${ldflags[@]}"
# Free during a call under ASan/UBSan whatever ASAN says (gcc's libasan8 and libubsan1).
san=(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
"$cc" "${cflags[@]}" "${san[@]}" tests/c/test_cancel.c -o "$work/test_cancel_asan" \
  "${ldflags[@]}" -fsanitize=address,undefined
"$cc" "${cflags[@]}" examples/callback_verify.c -o "$work/callback_verify" "${ldflags[@]}"
"$cc" "${cflags[@]}" examples/quickstart.c -o "$work/quickstart" "${ldflags[@]}"
"$cxx" -std=c++17 -g -Wall -Wextra -pedantic -Werror -I"$root/include" tests/c/test_cpp.cpp \
  -o "$work/test_cpp" "${ldflags[@]}"
# The header alone, as C99 and as C++11, with every warning.
printf '#include "authy.h"\nint main(void) { return 0; }\n' >"$work/h.c"
"$cc" -std=c99 -Wall -Wextra -pedantic -Werror -I"$root/include" -c "$work/h.c" -o "$work/h.o"
"$cxx" -std=c++11 -Wall -Wextra -pedantic -Werror -x c++ -I"$root/include" -c "$work/h.c" \
  -o "$work/hpp.o"
pass 1

note "coverage: every function of include/authy.h is called by tests/c/test_ffi.c"
missing=()
while read -r fn; do
  grep -q "\b$fn(" tests/c/test_ffi.c || missing+=("$fn")
done < <(grep -oE '\bauthy_[a-z0-9_]+\(' include/authy.h | tr -d '(' | sort -u | grep -v '^authy_xxx_')
if [ ${#missing[@]} -eq 0 ]; then
  pass 1
else
  fail 1 "functions never called by test_ffi.c: ${missing[*]}"
fi

run=()
if [ "${VALGRIND:-1}" != 0 ]; then
  command -v valgrind >/dev/null || { echo "valgrind is required (or VALGRIND=0)" >&2; exit 1; }
  run=(valgrind --quiet --error-exitcode=99 --leak-check=full
       --errors-for-leak-kinds=definite,indirect,possible
       --show-leak-kinds=definite,indirect,possible
       --suppressions="$root/tests/c/valgrind.supp")
fi

note "start the sandbox"
sandbox_start SB --quiet || exit 1
url=$SB_URL
echo "sandbox at $url"
export AUTHY_BASE_URL=$url AUTHY_API_KEY=$key


run_counted test_ffi "${run[@]}" "$work/test_ffi" "$url"
run_counted test_ffi_localhost "${run[@]}" "$work/test_ffi" "${url/127.0.0.1/localhost}"
# fork: many calls natively (valgrind would make the race windows too wide to matter), then a
# short run under valgrind (without the fork-while-threads-call rounds: see test_fork.c).
run_counted test_fork "$work/test_fork" "$url" 1000 4
note "start a second sandbox, HTTPS with a self-signed certificate for localhost"
sandbox_start TLS --quiet --tls-self-signed --ca-out "$work/ca.pem" || exit 1
tls_url=$TLS_URL
echo "TLS sandbox at $tls_url"
AUTHY_CA_FILE=$work/ca.pem run_counted test_fork_https "$work/test_fork" "$tls_url" 500 4
AUTHY_CA_FILE=$work/ca.pem run_counted test_fork_https_valgrind "${run[@]}" "$work/test_fork" "$tls_url" 20 4 0
sandbox_stop TLS
run_counted cancel_latency "$work/test_cancel" "$url" latency "${CANCEL_ROUNDS:-20}"
run_counted free_during_call_valgrind "${run[@]}" "$work/test_cancel" "$url" free
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
  run_counted free_during_call_asan "$work/test_cancel_asan" "$url" free
run_counted fork_jitter "$work/test_cancel" "$url" jitter 6
run_counted test_cpp "$work/test_cpp"
run_counted callback_verify "${run[@]}" "$work/callback_verify"
run_counted quickstart "${run[@]}" "$work/quickstart" "$url" "$key"

suite_summary ""
