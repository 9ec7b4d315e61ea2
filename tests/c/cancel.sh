#!/usr/bin/env bash
# Cancel and free-during-call tests of the C ABI (tests/c/test_cancel.c), against the sandbox:
#   (a) cancel latency: CANCEL_ROUNDS (default 20) calls slowed by 3 s of latency, each cancelled
#       300 ms in from another thread, return AUTHY_RESULT_CANCELLED within 50 ms (p50/max shown);
#   (b) authy_client_free() while another thread is in a call, natively, under valgrind
#       (0 errors, 0 leaks) and built with -fsanitize=address,undefined;
#   (c) retry jitter across 6 children forked from one parent: the waits differ.
# Exits non-zero on any failure; the last line is "cancel: N passed, M failed".
#
# Environment: CARGO_TARGET_DIR (default ./target), CC (gcc), AUTHY_API_KEY (the sandbox key),
#              AUTHY_SKIP_BUILD=1 to skip the cargo build, CANCEL_ROUNDS.
# Needs: valgrind; gcc with libasan8 and libubsan1.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
release=$target/release
cc=${CC:-gcc}
key=${AUTHY_API_KEY:-sandbox-api-key-0123456789abcdef}

# shellcheck source=scripts/suite-lib.sh
source "$root/scripts/suite-lib.sh"
SUITE_REQUIRE_SUMMARY=1

if [ "${AUTHY_SKIP_BUILD:-0}" != 1 ]; then
  note "cargo build --release (libauthy + authy-sandbox)"
  cargo build --release --quiet -p authy -p authy-sandbox
fi
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
note "compile tests/c/test_cancel.c (plain and with ASan/UBSan)"
"$cc" "${cflags[@]}" tests/c/test_cancel.c -o "$work/test_cancel" "${ldflags[@]}"
"$cc" "${cflags[@]}" "${san[@]}" tests/c/test_cancel.c -o "$work/test_cancel_asan" \
  "${ldflags[@]}" -fsanitize=address,undefined
pass 1
vg=(valgrind --quiet --error-exitcode=99 --leak-check=full
    --errors-for-leak-kinds=definite,indirect,possible
    --show-leak-kinds=definite,indirect,possible
    --suppressions="$root/tests/c/valgrind.supp")

SANDBOX_BIN=$release/authy-sandbox SANDBOX_KEY=$key
sandbox_start SB --quiet || exit 1
url=$SB_URL
export AUTHY_API_KEY=$key

run_counted cancel_latency "$work/test_cancel" "$url" latency "${CANCEL_ROUNDS:-20}"
run_counted free_during_call "$work/test_cancel" "$url" free
run_counted free_during_call_valgrind "${vg[@]}" "$work/test_cancel" "$url" free
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
  run_counted free_during_call_asan "$work/test_cancel_asan" "$url" free
run_counted fork_jitter "$work/test_cancel" "$url" jitter 6

suite_summary cancel
