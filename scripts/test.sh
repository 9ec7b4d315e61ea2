#!/usr/bin/env bash
# Every test of libauthy, in the order a reviewer would want them to fail: formatting, lints, Rust
# unit + integration tests (against the in-process sandbox; the header drift test among them), the
# C tests under valgrind against the sandbox binary (fork, examples), TLS roots and proxies, the
# load test (valgrind, ASan/UBSan), the C++, Go and Ruby bindings, the official Authy and Twilio
# clients against the sandbox (conformance), the browser UI in headless Chromium, the install /
# pkg-config / link test, and the Debian packages.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
step() { printf '\n==> %s\n' "$*"; }

skipped=()
# Runs an optional suite when the probe command (its toolchain) works, or records it as skipped,
# loudly. CI installs every toolchain (.ci/run), so nothing is skipped there.
optional() {
  local name=$1 probe=$2; shift 2
  if bash -c "$probe" >/dev/null 2>&1; then
    "$@" 2>&1 | tee -a "$log"
  else
    echo "SKIPPED: the $name suite needs: $probe (it fails on this machine)"
    skipped+=("$name")
  fi
}

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, -D warnings)"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "cargo test (unit + integration against the in-process sandbox; header drift: tests/ffi_artifacts.rs)"
cargo test --workspace 2>&1 | tee -a "$log"

step "C tests under valgrind, C++ header check, examples (against the sandbox binary)"
tests/c/run.sh 2>&1 | tee -a "$log"

step "TLS roots and proxies from the environment (tinyproxy on loopback), C under valgrind"
optional netopts 'command -v tinyproxy && command -v python3 && command -v openssl' tests/c/netopts.sh

step "load: one client, 8 threads x mixed calls with faults armed; natively, valgrind, ASan/UBSan; HTTP and HTTPS"
AUTHY_SKIP_BUILD=1 tests/c/load.sh 2>&1 | tee -a "$log"

step "C++ header (include/authy.hpp) against the sandbox, under valgrind; -fno-exceptions build"
AUTHY_SKIP_BUILD=1 tests/cpp/run.sh 2>&1 | tee -a "$log"


if [ -x bindings/go/test.sh ]; then
  step "Go binding (bindings/go): vet, gofmt, go test -race against the sandbox, example"
  optional go 'go version && cc --version' bindings/go/test.sh
fi

if [ -x bindings/ruby/test.sh ]; then
  step "Ruby binding (bindings/ruby): minitest against the sandbox, gem build, example"
  optional ruby 'ruby -rffi -rminitest/autorun -rrack -e "exit!(0)"' bindings/ruby/test.sh
fi

step "official Authy and Twilio clients (authy-python, npm authy, authy-client, twilio-python, twilio-node), unmodified, against the sandbox"
if [ "${AUTHY_CONFORMANCE:-1}" = 0 ]; then
  echo "skipped (AUTHY_CONFORMANCE=0): the sandbox's fidelity to the official clients is NOT checked"
  skipped+=("conformance (AUTHY_CONFORMANCE=0)")
else
  tests/conformance/run.sh 2>&1 | tee -a "$log"
fi

step "the sandbox's browser UI (/_ui/) in headless Chromium (Selenium), against the sandbox binary"
optional ui 'command -v chromium && command -v chromedriver && python3 -c "import venv, ensurepip"' tests/ui/run.sh

step "install layout, SONAME, pkg-config, dynamic and static linking"
scripts/test-install.sh 2>&1 | tee -a "$log"

if [ -x scripts/test-packages.sh ]; then
  step "Debian packages (libauthy0, libauthy-dev, authy-sandbox): build, unpack (or install with AUTHY_TEST_SYSTEM_INSTALL=1), link, run"
  optional packages 'command -v dpkg-buildpackage && command -v dh && command -v cmake' scripts/test-packages.sh
fi

# Totals: one line per cargo test binary, plus the closing total of each other suite
# ("<suite>: N passed, M failed"; the C suite's closing line has no prefix).
passed=0 failed=0
while read -r p f; do passed=$((passed + p)); failed=$((failed + f)); done < <(
  sed -n -e 's/^test result: [a-zA-Z]*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1 \2/p' \
         -e 's/^\(\(conformance\|install\|cpp\|go\|ruby\|packages\|load\|netopts\|ui\): \)\{0,1\}\([0-9]*\) passed, \([0-9]*\) failed$/\3 \4/p' "$log")
printf '\nall suites: %d passed, %d failed\n' "$passed" "$failed"
if [ ${#skipped[@]} -gt 0 ]; then
  printf '\n*** SKIPPED SUITES: %s ***\n' "${skipped[*]}"
fi
[ "$failed" -eq 0 ]
