#!/usr/bin/env bash
# The sandbox's browser UI (/_ui/) in headless Chromium, driven by Selenium.
#
#   tests/ui/run.sh [--no-build]          the suite (tests/ui/test_ui.py); last line
#                                         `ui: N passed, M failed`, non-zero exit on failure
#   tests/ui/run.sh --screenshots         regenerate docs/ui-*.png (tests/ui/screenshots.py)
#
# Needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver; CHROMIUM
# and CHROMEDRIVER override) and python3 with venv. Installs selenium==$SELENIUM_VERSION from
# PyPI once into $CARGO_TARGET_DIR/ui/venv; Selenium Manager runs offline (SE_OFFLINE): no
# browser or driver is ever downloaded. Builds libauthy and authy-sandbox (release) unless
# --no-build or AUTHY_SANDBOX_BIN is set.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
SELENIUM_VERSION=4.51.0
SUITE_TIMEOUT=300

build=1 mode=suite
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --screenshots) mode=screenshots ;;
    *) echo "usage: $0 [--no-build] [--screenshots]" >&2; exit 2 ;;
  esac
done
[ -z "${AUTHY_SANDBOX_BIN:-}" ] || build=0

log() { echo "ui: $*" >&2; }
for tool in "${CHROMIUM:-/usr/bin/chromium}" "${CHROMEDRIVER:-/usr/bin/chromedriver}"; do
  if [ ! -x "$tool" ]; then
    log "$tool is missing (apt-get install chromium chromium-driver)"
    echo "ui: 0 passed, 1 failed"
    exit 1
  fi
done

venv=$CARGO_TARGET_DIR/ui/venv
if ! "$venv/bin/python" -c "import selenium, sys; sys.exit(selenium.__version__ != '$SELENIUM_VERSION')" 2>/dev/null; then
  log "installing selenium==$SELENIUM_VERSION (PyPI) into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "selenium==$SELENIUM_VERSION"
fi

if [ "$build" = 1 ]; then
  log "building libauthy and authy-sandbox (release)"
  (cd "$root" && cargo build --quiet --release -p authy -p authy-sandbox)
fi

export SE_OFFLINE=true
cd "$here"
if [ "$mode" = screenshots ]; then
  exec timeout "$SUITE_TIMEOUT" "$venv/bin/python" screenshots.py "$root/docs"
fi
set +e
timeout "$SUITE_TIMEOUT" "$venv/bin/python" test_ui.py
status=$?
set -e
if [ "$status" = 124 ]; then
  log "timed out after ${SUITE_TIMEOUT}s"
  echo "ui: 0 passed, 1 failed"
fi
exit "$status"
