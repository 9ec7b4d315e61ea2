#!/usr/bin/env bash
# Runs a command with a fresh authy-sandbox listening on a free 127.0.0.1 port.
#
#   scripts/with-sandbox.sh [-- sandbox flags --] command [args...]
#
# The command sees AUTHY_BASE_URL (the sandbox's base URL) and AUTHY_API_KEY. The sandbox is
# stopped when the command ends, whatever its outcome; the command's exit status is returned.
# AUTHY_SANDBOX_BIN overrides the binary (default: <target dir>/release/authy-sandbox).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${AUTHY_SANDBOX_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/authy-sandbox}
key=${AUTHY_API_KEY:-sandbox-api-key-0123456789abcdef}
extra=()
if [ "${1:-}" = "--" ]; then
  shift
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do extra+=("$1"); shift; done
  [ $# -gt 0 ] && shift
fi
[ -x "$bin" ] || { echo "with-sandbox: $bin not found; run 'cargo build --release --workspace' first" >&2; exit 2; }

dir=$(mktemp -d)
: >"$dir/stdout"
"$bin" --port 0 --api-key "$key" "${extra[@]}" >"$dir/stdout" 2>"$dir/stderr" &
pid=$!
cleanup() {
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ -n "${AUTHY_SANDBOX_LOG:-}" ]; then cp "$dir/stderr" "$AUTHY_SANDBOX_LOG" || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT

# Wait (at most 10 s) for the first complete line of stdout: the base URL.
url=
for _ in $(seq 1 200); do
  if [ "$(wc -l <"$dir/stdout")" -ge 1 ]; then url=$(head -n 1 "$dir/stdout"); break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
if [ -z "$url" ]; then
  echo "with-sandbox: the sandbox did not start:" >&2
  cat "$dir/stderr" >&2
  exit 2
fi

export AUTHY_BASE_URL="$url" AUTHY_API_KEY="$key"
set +e
"$@"
status=$?
set -e
exit "$status"
