#!/usr/bin/env bash
# Runs a command with a fresh authy-sandbox listening on a free 127.0.0.1 port.
#
#   scripts/with-sandbox.sh [-- sandbox flags --] command [args...]
#
# The command sees AUTHY_BASE_URL (the sandbox's base URL) and AUTHY_API_KEY. The sandbox is
# stopped when the command ends, whatever its outcome; the command's exit status is returned.
# AUTHY_SANDBOX_BIN overrides the binary (default: <target dir>/release/authy-sandbox);
# AUTHY_SANDBOX_LOG names a file that receives the sandbox's request log.
set -euo pipefail
# shellcheck source=scripts/sandbox-lib.sh
source "$(dirname "$0")/sandbox-lib.sh"
extra=()
if [ "${1:-}" = "--" ]; then
  shift
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do extra+=("$1"); shift; done
  [ $# -gt 0 ] && shift
fi
trap sandbox_stop_all EXIT
sandbox_start SB "${extra[@]}" || exit 2

export AUTHY_BASE_URL="$SB_URL" AUTHY_API_KEY="$SANDBOX_KEY"
set +e
"$@"
status=$?
set -e
exit "$status"
