#!/usr/bin/env bash
# Conformance suite: the OFFICIAL Authy and Twilio clients, unmodified, against authy-sandbox.
#
#   tests/conformance/run.sh [--no-build] [SUITE ...]
#   SUITE: python python-legacy python-plan node-authy authy-client python-sweep node-sweep
#          twilio-python twilio-node
#
# Installs (once, cached under $CARGO_TARGET_DIR/conformance) authy-python 2.2.6, twilio-python
# 9.13.0 and cryptography (the Verify Push device key of the tests) in a venv and the npm packages
# authy 1.4.0 + authy-client 1.1.4 + twilio 6.2.0, builds the sandbox (release), then runs every
# suite against its own fresh sandbox (scripts/with-sandbox.sh: loopback only, stopped after).
# The twilio-* suites drive Verify v2 and Lookup v2 with the account credentials below, which the
# sandbox is started with.
# The *-sweep suites run the clients over seeded GENERATED inputs (CONFORMANCE_SEED, default
# 20261201, printed in their output; set it to replay a failure).
# Prints `conformance: N passed, M failed` last; exits non-zero if anything failed.
# AUTHY_SANDBOX_BIN=<path> uses that binary (and implies --no-build).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
cache=$CARGO_TARGET_DIR/conformance
PY_VERSION=2.2.6
NODE_AUTHY_VERSION=1.4.0
AUTHY_CLIENT_VERSION=1.1.4
TWILIO_PY_VERSION=9.13.0
TWILIO_NODE_VERSION=6.2.0
CRYPTOGRAPHY_VERSION=51.0.1
SUITE_TIMEOUT=60
SWEEP_TIMEOUT=120
TWILIO_TIMEOUT=240
# Test credentials of the Verify suites (not secrets: the sandbox is started with them).
export TWILIO_ACCOUNT_SID=AC0123456789abcdef0123456789abcdef
export TWILIO_AUTH_TOKEN=conformance-auth-token-0123456789
export TWILIO_API_KEY_SID=SKfedcba9876543210fedcba9876543210
export TWILIO_API_KEY_SECRET=conformance-api-key-secret-42
twilio_flags=(--account-sid "$TWILIO_ACCOUNT_SID" --auth-token "$TWILIO_AUTH_TOKEN"
  --api-key-sid "$TWILIO_API_KEY_SID" --api-key-secret "$TWILIO_API_KEY_SECRET")
ALL_SUITES=(python python-legacy python-plan node-authy authy-client python-sweep node-sweep twilio-python twilio-node)

build=1
suites=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --*) echo "usage: $0 [--no-build] [${ALL_SUITES[*]} ...]" >&2; exit 2 ;;
    *)
      case " ${ALL_SUITES[*]} " in
        *" $arg "*) suites+=("$arg") ;;
        *) echo "usage: $0 [--no-build] [${ALL_SUITES[*]} ...]" >&2; exit 2 ;;
      esac ;;
  esac
done
[ ${#suites[@]} -gt 0 ] || suites=("${ALL_SUITES[@]}")
[ -z "${AUTHY_SANDBOX_BIN:-}" ] || build=0

mkdir -p "$cache"
log() { echo "conformance: $*" >&2; }

# ---- installs (idempotent) -----------------------------------------------------------------
install_start=$(date +%s)
venv=$cache/venv
if ! "$venv/bin/python" -c "
import sys, authy, cryptography
from importlib.metadata import version
sys.exit(authy.__version__ != '$PY_VERSION' or version('twilio') != '$TWILIO_PY_VERSION'
         or cryptography.__version__ != '$CRYPTOGRAPHY_VERSION')" 2>/dev/null; then
  log "installing authy==$PY_VERSION twilio==$TWILIO_PY_VERSION cryptography==$CRYPTOGRAPHY_VERSION (PyPI) into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "authy==$PY_VERSION" \
    "twilio==$TWILIO_PY_VERSION" "cryptography==$CRYPTOGRAPHY_VERSION"
fi
nodedir=$cache/node
installed_version() { node -p "require('$nodedir/node_modules/$1/package.json').version" 2>/dev/null || true; }
if [ "$(installed_version authy)" != "$NODE_AUTHY_VERSION" ] ||
  [ "$(installed_version authy-client)" != "$AUTHY_CLIENT_VERSION" ] ||
  [ "$(installed_version twilio)" != "$TWILIO_NODE_VERSION" ]; then
  log "installing authy@$NODE_AUTHY_VERSION authy-client@$AUTHY_CLIENT_VERSION twilio@$TWILIO_NODE_VERSION (npm) into $nodedir"
  mkdir -p "$nodedir"
  [ -f "$nodedir/package.json" ] || echo '{"name":"authy-conformance","private":true}' >"$nodedir/package.json"
  (cd "$nodedir" && npm install --no-audit --no-fund --loglevel=error \
    "authy@$NODE_AUTHY_VERSION" "authy-client@$AUTHY_CLIENT_VERSION" "twilio@$TWILIO_NODE_VERSION" >&2)
fi
install_secs=$(($(date +%s) - install_start))

if [ "$build" = 1 ]; then
  log "building authy-sandbox (release)"
  (cd "$root" && cargo build --quiet --release -p authy-sandbox)
fi

# ---- suites ----------------------------------------------------------------------------------
run_start=$(date +%s)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
total_pass=0
total_fail=0

count_python() { # $1 = unittest log -> "pass fail" (skipped tests count as neither)
  local ran failures errors skipped
  ran=$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\}.*/\1/p' "$1" | tail -n 1)
  failures=$(sed -n 's/^FAILED (.*failures=\([0-9]*\).*/\1/p' "$1" | tail -n 1)
  errors=$(sed -n 's/^FAILED (.*errors=\([0-9]*\).*/\1/p' "$1" | tail -n 1)
  skipped=$(sed -n 's/^\(OK\|FAILED\) (.*skipped=\([0-9]*\).*/\2/p' "$1" | tail -n 1)
  ran=${ran:-0} failures=${failures:-0} errors=${errors:-0} skipped=${skipped:-0}
  echo "$((ran - failures - errors - skipped)) $((failures + errors))"
}

count_tap() { # $1 = TAP file -> "pass fail"
  local pass fail
  pass=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$1" | tail -n 1)
  fail=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$1" | tail -n 1)
  echo "${pass:-0} ${fail:-0}"
}

for suite in "${suites[@]}"; do
  log "---- $suite ----"
  out=$work/$suite.log
  status=0
  case "$suite" in
    python)
      timeout "$SUITE_TIMEOUT" "$root/scripts/with-sandbox.sh" \
        "$venv/bin/python" -m unittest discover -v -s "$here/python" -p 'test_authy_python.py' \
        >"$out" 2>&1 || status=$?
      cat "$out"
      read -r p f < <(count_python "$out")
      ;;
    python-sweep)
      timeout "$SWEEP_TIMEOUT" "$root/scripts/with-sandbox.sh" \
        "$venv/bin/python" -m unittest discover -v -s "$here/python" -p 'test_sweep.py' \
        >"$out" 2>&1 || status=$?
      cat "$out"
      read -r p f < <(count_python "$out")
      ;;
    python-legacy)
      AUTHY_CONFORMANCE_LEGACY=1 timeout "$SUITE_TIMEOUT" "$root/scripts/with-sandbox.sh" \
        -- --legacy-unconfirmed-accept-any -- \
        "$venv/bin/python" -m unittest discover -v -s "$here/python" -p 'test_legacy_mode.py' \
        >"$out" 2>&1 || status=$?
      cat "$out"
      read -r p f < <(count_python "$out")
      ;;
    python-plan)
      AUTHY_CONFORMANCE_PLAN=1 timeout "$SUITE_TIMEOUT" "$root/scripts/with-sandbox.sh" \
        -- --disable-sms --disable-calls -- \
        "$venv/bin/python" -m unittest discover -v -s "$here/python" -p 'test_plan_without_sms.py' \
        >"$out" 2>&1 || status=$?
      cat "$out"
      read -r p f < <(count_python "$out")
      ;;
    twilio-python)
      timeout "$TWILIO_TIMEOUT" "$root/scripts/with-sandbox.sh" -- "${twilio_flags[@]}" -- \
        "$venv/bin/python" -m unittest discover -v -s "$here/python" -p 'test_twilio_python.py' \
        >"$out" 2>&1 || status=$?
      cat "$out"
      read -r p f < <(count_python "$out")
      ;;
    twilio-node)
      NODE_PATH=$nodedir/node_modules timeout "$TWILIO_TIMEOUT" "$root/scripts/with-sandbox.sh" \
        -- "${twilio_flags[@]}" -- \
        node --test --test-timeout=120000 \
        --test-reporter=spec --test-reporter-destination=stdout \
        --test-reporter=tap --test-reporter-destination="$work/$suite.tap" \
        "$here/node/twilio_node.test.js" >"$out" 2>&1 || status=$?
      cat "$out"
      read -r p f < <(count_tap "$work/$suite.tap")
      ;;
    node-authy | authy-client | node-sweep)
      file=$here/node/$(echo "$suite" | tr - _).test.js
      [ "$suite" != node-sweep ] || file=$here/node/sweep.test.js
      limit=$SUITE_TIMEOUT per_test_ms=20000
      [ "$suite" != node-sweep ] || limit=$SWEEP_TIMEOUT per_test_ms=60000
      NODE_PATH=$nodedir/node_modules timeout "$limit" "$root/scripts/with-sandbox.sh" \
        node --test --test-timeout="$per_test_ms" \
        --test-reporter=spec --test-reporter-destination=stdout \
        --test-reporter=tap --test-reporter-destination="$work/$suite.tap" \
        "$file" >"$out" 2>&1 || status=$?
      cat "$out"
      read -r p f < <(count_tap "$work/$suite.tap")
      ;;
  esac
  # A suite that died (timeout, sandbox failed to start) counts as one failure at least.
  if [ "$status" != 0 ] && [ "$f" = 0 ]; then f=1; fi
  log "$suite: $p passed, $f failed (exit $status)"
  total_pass=$((total_pass + p))
  total_fail=$((total_fail + f))
done

log "installs/checks took ${install_secs}s, suites took $(($(date +%s) - run_start))s"
echo "conformance: $total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
