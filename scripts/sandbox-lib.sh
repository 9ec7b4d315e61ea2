# Starting and stopping authy-sandbox from shell scripts: the one place that knows how.
# Source it, then:
#
#   sandbox_start NAME [sandbox flags...]   starts one on a free 127.0.0.1 port (--port 0) with
#                                           key $SANDBOX_KEY; sets NAME_URL, NAME_PID, NAME_DIR
#                                           (its stdout/stderr and any --ca-out file live there);
#                                           returns non-zero (and prints its stderr) if it did
#                                           not print its URL within 10 s
#   sandbox_stop NAME                       stops it (SIGTERM, then waits)
#   sandbox_stop_all                        stops every one started here (call from a trap)
#
# SANDBOX_BIN (default: <target dir>/release/authy-sandbox) and SANDBOX_KEY (default: the
# sandbox's default key) may be set before sourcing or before each start. A flag value of the
# form @DIR/file is rewritten to a path inside NAME_DIR (e.g. --ca-out @DIR/ca.pem).

_sandbox_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SANDBOX_BIN=${SANDBOX_BIN:-${AUTHY_SANDBOX_BIN:-${CARGO_TARGET_DIR:-$_sandbox_root/target}/release/authy-sandbox}}
SANDBOX_KEY=${SANDBOX_KEY:-${AUTHY_API_KEY:-sandbox-api-key-0123456789abcdef}}
_sandbox_names=()

sandbox_start() {
  local name=$1; shift
  [ -x "$SANDBOX_BIN" ] || {
    echo "sandbox: $SANDBOX_BIN not found; run 'make build' first" >&2
    return 2
  }
  local dir
  dir=$(mktemp -d)
  local args=() a
  for a in "$@"; do args+=("${a/#@DIR/$dir}"); done
  : >"$dir/stdout"
  "$SANDBOX_BIN" --port 0 --api-key "$SANDBOX_KEY" "${args[@]}" >"$dir/stdout" 2>"$dir/stderr" &
  local pid=$!
  _sandbox_names+=("$name")
  printf -v "${name}_PID" '%s' "$pid"
  printf -v "${name}_DIR" '%s' "$dir"
  local url= _
  for _ in $(seq 1 200); do
    if [ "$(wc -l <"$dir/stdout")" -ge 1 ]; then url=$(head -n 1 "$dir/stdout"); break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if [ -z "$url" ]; then
    echo "sandbox: $name did not start:" >&2
    cat "$dir/stderr" >&2
    return 2
  fi
  printf -v "${name}_URL" '%s' "$url"
}

sandbox_stop() {
  local pid_var="${1}_PID" dir_var="${1}_DIR"
  local pid=${!pid_var:-} dir=${!dir_var:-}
  if [ -n "$pid" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  if [ -n "$dir" ]; then
    if [ -n "${AUTHY_SANDBOX_LOG:-}" ] && [ -f "$dir/stderr" ]; then
      cp "$dir/stderr" "$AUTHY_SANDBOX_LOG" 2>/dev/null || true
    fi
    rm -rf "$dir"
  fi
  printf -v "$pid_var" '%s' ""
  printf -v "$dir_var" '%s' ""
}

sandbox_stop_all() {
  local n
  for n in "${_sandbox_names[@]}"; do sandbox_stop "$n"; done
}
