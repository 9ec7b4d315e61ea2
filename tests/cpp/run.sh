#!/usr/bin/env bash
# C++ binding tests (include/authy.hpp), against the sandbox binary:
#   - the header alone compiles cleanly with strict warnings as C++17 and C++20, with and
#     without exceptions (and with AUTHY_HPP_EXCEPTIONS=0 forced);
#   - tests/cpp/test_authy_hpp.cpp (+ second_tu.cpp): every wrapper method, error paths,
#     moves, borrowed views, threads; -std=c++17 -Wall -Wextra -Werror -pedantic; valgrind;
#   - tests/cpp/test_nothrow.cpp: the try_ API compiled with -fno-exceptions; valgrind;
#   - examples/quickstart.cpp: the whole flow; valgrind;
#   - tests/cpp/test_verify.cpp: authy::VerifyClient (Twilio Verify / Lookup) against the
#     sandbox's Verify emulation; examples/verify_login.cpp: the Verify login; valgrind;
#   - tests/cpp/test_cancel.cpp as C++17 (authy::Cancel) and C++20 (authy::CancelOnStop with a
#     std::jthread's stop token): 20 calls each cancelled 300 ms into 3 s of latency return
#     Code::cancelled within 50 ms (natively: valgrind would measure itself).
# Each program gets a fresh sandbox from scripts/with-sandbox.sh. Every compile step and
# every CHECK counts; a crash or a valgrind error counts as one more failure. Exits non-zero on
# any failure; the last line is "cpp: N passed, M failed".
#
# Environment: CARGO_TARGET_DIR (default ./target), CXX (default g++), VALGRIND=0 to run
#              without valgrind, AUTHY_SKIP_BUILD=1 to use the built library as it is.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
release=$target/release
cxx=${CXX:-g++}

# shellcheck source=scripts/suite-lib.sh
source "$root/scripts/suite-lib.sh"

if [ "${AUTHY_SKIP_BUILD:-0}" != 1 ]; then
  note "cargo build --release (libauthy + authy-sandbox)"
  cargo build --release --quiet -p authy -p authy-sandbox
fi
[ -f "$release/libauthy.so" ] || { echo "cpp: no $release/libauthy.so (run make build)" >&2; exit 1; }
[ -x "$release/authy-sandbox" ] || { echo "cpp: no $release/authy-sandbox" >&2; exit 1; }
# Programs linked with -lauthy load the SONAME libauthy.so.0 (make build links it too).
[ -e "$release/libauthy.so.0" ] || ln -sf libauthy.so "$release/libauthy.so.0"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

required=(-std=c++17 -g -O1 -Wall -Wextra -Werror -pedantic -I"$root/include")
strict=(-Wall -Wextra -Werror -pedantic -Wshadow -Wconversion -Wsign-conversion -Wold-style-cast
        -Wnon-virtual-dtor -Wcast-qual -Wundef -Wzero-as-null-pointer-constant -Wuseless-cast
        -Wextra-semi -O2 -I"$root/include")
ldflags=(-L"$release" -lauthy -Wl,-rpath,"$release" -pthread)

# compile NAME ARGS...: one check per compile.
compile() {
  local name=$1; shift
  if "$cxx" "$@" 2>"$work/$name.compile.log"; then
    pass 1
    return 0
  fi
  cat "$work/$name.compile.log" >&2
  fail 1 "compile $name"
  return 1
}

note "the header alone: strict warnings, C++17 / C++20, with and without exceptions"
cat >"$work/header_only.cpp" <<'EOF'
#include "authy.hpp"
int main() {
    auto client = authy::ClientBuilder("key").base_url("http://127.0.0.1:9").try_build();
    return client.ok() && authy::version_matches() ? 0 : 1;
}
EOF
compile header_cxx17 -std=c++17 "${strict[@]}" "$work/header_only.cpp" -o "$work/h17" "${ldflags[@]}"
compile header_cxx20 -std=c++20 "${strict[@]}" "$work/header_only.cpp" -o "$work/h20" "${ldflags[@]}"
compile header_noexcept -std=c++17 -fno-exceptions "${strict[@]}" "$work/header_only.cpp" \
  -o "$work/hne" "${ldflags[@]}"
compile header_forced_off -std=c++17 -DAUTHY_HPP_EXCEPTIONS=0 "${strict[@]}" \
  "$work/header_only.cpp" -o "$work/hoff" "${ldflags[@]}"
# The example as a user would copy it: clean under the same strict warnings.
compile strict_example -std=c++17 "${strict[@]}" -fsyntax-only examples/quickstart.cpp || true

note "compile the tests and the example (-std=c++17 -Wall -Wextra -Werror -pedantic)"
ok_test=0 ok_nothrow=0 ok_example=0
compile test_authy_hpp "${required[@]}" tests/cpp/test_authy_hpp.cpp tests/cpp/second_tu.cpp \
  -o "$work/test_authy_hpp" "${ldflags[@]}" && ok_test=1
compile test_nothrow "${required[@]}" -fno-exceptions tests/cpp/test_nothrow.cpp \
  -o "$work/test_nothrow" "${ldflags[@]}" && ok_nothrow=1
compile quickstart_cpp "${required[@]}" examples/quickstart.cpp -o "$work/quickstart_cpp" \
  "${ldflags[@]}" && ok_example=1
ok_verify=0 ok_verify_example=0
compile test_verify "${required[@]}" tests/cpp/test_verify.cpp -o "$work/test_verify" \
  "${ldflags[@]}" && ok_verify=1
compile verify_login_cpp "${required[@]}" examples/verify_login.cpp -o "$work/verify_login_cpp" \
  "${ldflags[@]}" && ok_verify_example=1
compile strict_verify_example -std=c++17 "${strict[@]}" -fsyntax-only examples/verify_login.cpp || true
ok_cancel17=0 ok_cancel20=0
compile test_cancel_cxx17 "${required[@]}" tests/cpp/test_cancel.cpp -o "$work/test_cancel_cxx17" \
  "${ldflags[@]}" && ok_cancel17=1
compile test_cancel_cxx20 "${required[@]/-std=c++17/-std=c++20}" "${strict[@]}" tests/cpp/test_cancel.cpp \
  -o "$work/test_cancel_cxx20" "${ldflags[@]}" && ok_cancel20=1

run=()
if [ "${VALGRIND:-1}" != 0 ]; then
  command -v valgrind >/dev/null || { echo "cpp: valgrind is required (or VALGRIND=0)" >&2; exit 1; }
  run=(valgrind --quiet --error-exitcode=99 --leak-check=full
       --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect
       --suppressions="$root/tests/c/valgrind.supp")
fi

sandbox_flags=(--quiet)
# Runs a test program against a fresh sandbox (flags in sandbox_flags), under valgrind (run),
# counted by run_counted (scripts/suite-lib.sh).
run_sandboxed() {
  local name=$1; shift
  run_counted "$name" scripts/with-sandbox.sh -- "${sandbox_flags[@]}" -- "${run[@]}" "$@"
}

[ "$ok_test" = 1 ] && run_sandboxed test_authy_hpp "$work/test_authy_hpp"
[ "$ok_nothrow" = 1 ] && run_sandboxed test_nothrow "$work/test_nothrow"
[ "$ok_verify" = 1 ] && run_sandboxed test_verify "$work/test_verify"
saved_run=("${run[@]}")
run=()
[ "$ok_cancel17" = 1 ] && run_sandboxed test_cancel_cxx17 "$work/test_cancel_cxx17"
[ "$ok_cancel20" = 1 ] && run_sandboxed test_cancel_cxx20 "$work/test_cancel_cxx20"
run=("${saved_run[@]}")
# Platform roots: the trust store is read once per process, so a run of its own against an
# HTTPS sandbox whose self-signed CA is the only certificate of the store.
if [ "$ok_test" = 1 ]; then
  mkdir -p "$work/empty-cert-dir"
  sandbox_flags=(--quiet --tls-self-signed --ca-out "$work/sandbox-ca.pem")
  SSL_CERT_FILE="$work/sandbox-ca.pem" SSL_CERT_DIR="$work/empty-cert-dir" AUTHY_HPP_ONLY=platform_roots \
    run_sandboxed test_platform_roots "$work/test_authy_hpp"
  sandbox_flags=(--quiet)
fi
if [ "$ok_example" = 1 ]; then
  run_sandboxed quickstart_cpp "$work/quickstart_cpp"
  if grep -q '^quickstart: done$' "$work/quickstart_cpp.log" \
     && grep -q '^8\. callback signature .* is authentic' "$work/quickstart_cpp.log"; then
    pass 1
  else
    fail 1 "quickstart_cpp did not finish the flow"
  fi
fi

if [ "$ok_verify_example" = 1 ]; then
  run_sandboxed verify_login_cpp "$work/verify_login_cpp"
  if grep -q '^verify_login: done$' "$work/verify_login_cpp.log" \
     && grep -q '^5\. right code: approved' "$work/verify_login_cpp.log"; then
    pass 1
  else
    fail 1 "verify_login_cpp did not finish the flow"
  fi
fi

suite_summary cpp
