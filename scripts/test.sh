#!/usr/bin/env bash
# Every test of libauthy, in the order a reviewer would want them to fail:
# formatting, lints, Rust unit + integration tests (against the in-process sandbox), the generated
# header is committed and current, the C tests under valgrind against the sandbox binary (plus the
# C++ header check and the examples), the official Authy clients against the sandbox (conformance),
# and the install / pkg-config / link test.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, -D warnings)"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "cargo test (unit + integration against the in-process sandbox)"
cargo test --workspace 2>&1 | tee -a "$log"

step "header drift: include/authy.h must be the committed one"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  if ! git diff --exit-code -- include/authy.h; then
    echo "include/authy.h changed when build.rs regenerated it: commit the new header" >&2
    exit 1
  fi
  echo "include/authy.h is current"
fi

step "C tests under valgrind, C++ header check, examples (against the sandbox binary)"
tests/c/run.sh 2>&1 | tee -a "$log"

step "official Authy clients (authy-python, npm authy, authy-client), unmodified, against the sandbox"
if [ "${AUTHY_CONFORMANCE:-1}" = 0 ]; then
  echo "skipped (AUTHY_CONFORMANCE=0): the sandbox's fidelity to the official clients is NOT checked"
else
  tests/conformance/run.sh 2>&1 | tee -a "$log"
fi

step "install layout, SONAME, pkg-config, dynamic and static linking"
scripts/test-install.sh 2>&1 | tee -a "$log"

# Totals: one line per cargo test binary, plus the closing total of each other suite.
passed=0 failed=0
while read -r p f; do passed=$((passed + p)); failed=$((failed + f)); done < <(
  sed -n -e 's/^test result: [a-zA-Z]*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1 \2/p' \
         -e 's/^\(conformance: \|install: \)\{0,1\}\([0-9]*\) passed, \([0-9]*\) failed$/\2 \3/p' "$log")
printf '\nall suites: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
