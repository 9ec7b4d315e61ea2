#!/usr/bin/env bash
# C tests of the network options (tests/c/test_netopts.c), self-contained: builds the release
# library and sandbox, starts an HTTP and an HTTPS sandbox (self-signed CA), and Debian's
# tinyproxy on loopback with generated configurations (with and without Basic authentication),
# then runs test_netopts once per scenario, under valgrind (0 errors, 0 definite/indirect/possible
# leaks), with the environment of that scenario:
#   - TLS roots: bundled (default) refuses the sandbox; platform roots with the sandbox's CA as
#     the trust store (SSL_CERT_FILE, and an empty SSL_CERT_DIR) succeed, with another CA fail;
#     a root CA PEM wins over platform roots;
#   - proxies from the environment: ignored unless opted in (also HTTP_PROXY, httpoxy);
#     http_proxy for an http base URL and HTTPS_PROXY / https_proxy / ALL_PROXY for https, through
#     tinyproxy (its log proves the CONNECT), with and without credentials (refused without
#     them or with a wrong password);
#     NO_PROXY matches bypass it (a proxy that is down, and tinyproxy's log unchanged); an
#     unusable variable fails the build without showing its value; the variables are read at
#     build time only; a loopback base URL (127.0.0.1, localhost) never goes through them
#     (Go's net/http rule), so the proxied scenarios address the sandboxes (on 127.0.0.1) as
#     0.0.0.0, which Linux connects to this host (the HTTPS sandbox gets a certificate naming
#     localhost and 0.0.0.0, made with openssl).
# tinyproxy missing: the proxy scenarios are skipped with a loud note (an error when CI is set).
# Exits non-zero on any failure; the last line is "netopts: N passed, M failed".
#
# Environment: CARGO_TARGET_DIR (default ./target), CC (gcc), VALGRIND=0 to run without valgrind.
# Needs: valgrind, openssl, tinyproxy (Debian packages).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
release=$target/release
cc=${CC:-gcc}
key=${AUTHY_API_KEY:-sandbox-api-key-0123456789abcdef}

passed=0
failed=0
note() { printf '\n--> %s\n' "$*"; }

cargo build --release --quiet -p authy -p authy-sandbox
ln -sf libauthy.so "$release/libauthy.so.0"

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

"$cc" -std=c11 -g -O1 -Wall -Wextra -pedantic -Werror -I"$root/include" tests/c/test_netopts.c \
  -o "$work/test_netopts" -L"$release" -lauthy -Wl,-rpath,"$release" -pthread

run=()
if [ "${VALGRIND:-1}" != 0 ]; then
  command -v valgrind >/dev/null || { echo "valgrind is required (or VALGRIND=0)" >&2; exit 1; }
  run=(valgrind --quiet --error-exitcode=99 --leak-check=full
       --errors-for-leak-kinds=definite,indirect,possible
       --show-leak-kinds=definite,indirect,possible
       --suppressions="$root/tests/c/valgrind.supp")
fi

# Starts a sandbox with extra flags; sets $started_url.
start_sandbox() {
  local name=$1; shift
  "$release/authy-sandbox" --port 0 --api-key "$key" --quiet "$@" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
  started_url=
  for _ in $(seq 1 200); do
    if [ -s "$work/$name.out" ]; then started_url=$(head -n 1 "$work/$name.out"); break; fi
    sleep 0.05
  done
  [ -n "$started_url" ] || { echo "sandbox $name did not start:" >&2; cat "$work/$name.err" >&2; exit 1; }
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Starts tinyproxy allowing CONNECT to port $2, with "BasicAuth $3 $4" if given; sets
# $proxy_port and $proxy_log.
start_tinyproxy() {
  local name=$1 connect_port=$2 user=${3:-} pass=${4:-}
  proxy_log=$work/$name.log
  for _ in 1 2 3 4 5; do
    proxy_port=$(free_port)
    {
      echo "Port $proxy_port"; echo "Listen 127.0.0.1"; echo "Timeout 30"
      echo "LogFile \"$proxy_log\""; echo "LogLevel Info"; echo "MaxClients 50"
      echo "Allow 127.0.0.1"; echo "ConnectPort $connect_port"; echo "DisableViaHeader Yes"
      [ -z "$user" ] || echo "BasicAuth $user $pass"
    } >"$work/$name.conf"
    tinyproxy -d -c "$work/$name.conf" >/dev/null 2>&1 &
    local pid=$!
    for _ in $(seq 1 200); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$proxy_port") 2>/dev/null; then pids+=("$pid"); return 0; fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  echo "tinyproxy did not start" >&2
  exit 1
}

# CONNECT requests tinyproxy logged ("Established connection" lines: tunnels made).
tunnels() { grep -c 'Established connection' "$proxy_log" 2>/dev/null || true; }

# Runs one scenario: NAME then env assignments, then -- and test_netopts arguments. Adds the
# program's counts; a crash, a valgrind error or a missing count line is one more failure.
scenario() {
  local name=$1; shift
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  note "$name"
  local rc=0
  env -u http_proxy -u HTTP_PROXY -u https_proxy -u HTTPS_PROXY -u all_proxy -u ALL_PROXY \
      -u no_proxy -u NO_PROXY -u SSL_CERT_FILE -u SSL_CERT_DIR -u AUTHY_CA_FILE \
      "${envs[@]}" "${run[@]}" "$work/test_netopts" "$@" >"$work/run.log" 2>&1 || rc=$?
  cat "$work/run.log"
  local line
  line=$(grep -E '^test_netopts: [0-9]+ passed, [0-9]+ failed' "$work/run.log" | tail -n 1 || true)
  if [ -n "$line" ]; then
    passed=$((passed + $(sed -E 's/^test_netopts: ([0-9]+) passed.*/\1/' <<<"$line")))
    local f
    f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
    if [ "$f" -ne 0 ]; then failed=$((failed + f)); echo "FAILED: $name" >&2; fi
  fi
  if [ "$rc" -eq 99 ]; then
    failed=$((failed + 1)); echo "FAILED: $name: valgrind reported errors or leaks" >&2
  elif [ "$rc" -ne 0 ] && [ -z "$line" ]; then
    failed=$((failed + 1)); echo "FAILED: $name: exit status $rc" >&2
  elif [ -z "$line" ]; then
    failed=$((failed + 1)); echo "FAILED: $name: no count line" >&2
  fi
}

# A shell-level check of the harness's own observations (tinyproxy's log).
expect() {
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $what" >&2; fi
}

start_sandbox http
http_url=$started_url
http_port=${http_url##*:}
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:0.0.0.0" -addext "basicConstraints=critical,CA:FALSE" \
  -days 2 -keyout "$work/key.pem" -out "$work/ca.pem" 2>/dev/null
start_sandbox https --tls-cert "$work/ca.pem" --tls-key "$work/key.pem"
https_url=https://localhost:${started_url##*:}
https_port=${https_url##*:}
start_sandbox other --tls-self-signed --ca-out "$work/other.pem"
for _ in $(seq 1 100); do [ -s "$work/other.pem" ] && break; sleep 0.05; done
mkdir -p "$work/empty-dir"
echo "sandboxes at $http_url and $https_url"
export AUTHY_API_KEY=$key
store=(SSL_CERT_DIR="$work/empty-dir")
dead="http://127.0.0.1:$(free_port)"

scenario setters AUTHY_BASE_URL="$http_url" -- setters

# ------------------------------------------------------------------ TLS roots
scenario "bundled roots refuse the sandbox's self-signed CA" \
  AUTHY_BASE_URL="$https_url" SSL_CERT_FILE="$work/ca.pem" "${store[@]}" -- \
  call bundled 0 AUTHY_RESULT_TLS
scenario "platform roots with the sandbox's CA in the trust store" \
  AUTHY_BASE_URL="$https_url" SSL_CERT_FILE="$work/ca.pem" "${store[@]}" -- \
  call platform 0 AUTHY_RESULT_OK
scenario "platform roots with another CA in the trust store" \
  AUTHY_BASE_URL="$https_url" SSL_CERT_FILE="$work/other.pem" "${store[@]}" -- \
  call platform 0 AUTHY_RESULT_TLS
scenario "a root CA PEM wins over platform roots (PEM trusts, store does not)" \
  AUTHY_BASE_URL="$https_url" AUTHY_CA_FILE="$work/ca.pem" SSL_CERT_FILE="$work/other.pem" \
  "${store[@]}" -- call platform 0 AUTHY_RESULT_OK
scenario "a root CA PEM wins over platform roots (store trusts, PEM does not)" \
  AUTHY_BASE_URL="$https_url" AUTHY_CA_FILE="$work/other.pem" SSL_CERT_FILE="$work/ca.pem" \
  "${store[@]}" -- call platform 0 AUTHY_RESULT_TLS

# ------------------------------------------------------------------ proxies from the environment
https_env=(AUTHY_BASE_URL="https://0.0.0.0:$https_port" AUTHY_CA_FILE="$work/ca.pem")
http_env=(AUTHY_BASE_URL="http://0.0.0.0:$http_port" AUTHY_ALLOW_INSECURE_HTTP=1)

scenario "the environment is ignored unless opted in" \
  "${http_env[@]}" http_proxy="$dead" HTTP_PROXY="$dead" ALL_PROXY="$dead" -- \
  call bundled 0 AUTHY_RESULT_OK
scenario "opted in, HTTP_PROXY is never used (httpoxy)" \
  "${http_env[@]}" HTTP_PROXY="$dead" -- call bundled 1 AUTHY_RESULT_OK
scenario "opted in, a proxy that is down is used (http_proxy)" \
  "${http_env[@]}" http_proxy="$dead" -- call bundled 1 AUTHY_RESULT_CONNECT
scenario "opted in, a NO_PROXY match bypasses the proxy (IP)" \
  "${http_env[@]}" http_proxy="$dead" NO_PROXY="0.0.0.0" -- call bundled 1 AUTHY_RESULT_OK
scenario "opted in, a NO_PROXY match bypasses the proxy (CIDR, host:port)" \
  "${http_env[@]}" http_proxy="$dead" no_proxy="10.0.0.0/8, 0.0.0.0/8" -- \
  call bundled 1 AUTHY_RESULT_OK
scenario "opted in, a NO_PROXY entry for another port does not match" \
  "${http_env[@]}" http_proxy="$dead" no_proxy="0.0.0.0:1" -- call bundled 1 AUTHY_RESULT_CONNECT
scenario "opted in, a loopback base URL never goes through the proxy (http://127.0.0.1)" \
  AUTHY_BASE_URL="$http_url" http_proxy="$dead" all_proxy="$dead" -- call bundled 1 AUTHY_RESULT_OK
scenario "opted in, a loopback base URL never goes through the proxy (https://localhost)" \
  AUTHY_BASE_URL="$https_url" AUTHY_CA_FILE="$work/ca.pem" https_proxy="$dead" -- \
  call bundled 1 AUTHY_RESULT_OK
scenario "opted in, an unusable proxy variable fails the build without its value" \
  "${https_env[@]}" ALL_PROXY="socks5://bob:hunter22@127.0.0.1:1080" -- \
  call bundled 1 AUTHY_RESULT_INVALID_ARGUMENT hunter22
scenario "proxy variables are read at build time only" \
  "${http_env[@]}" -- read-at-build "$dead"

if ! command -v tinyproxy >/dev/null; then
  if [ -n "${CI:-}" ]; then
    echo "FAILED: tinyproxy is not installed (apt-get install tinyproxy), and CI is set" >&2
    failed=$((failed + 1))
  else
    echo "SKIPPED: tinyproxy is not installed (apt-get install tinyproxy): proxy scenarios not run" >&2
  fi
else
  start_tinyproxy open "$https_port"
  open_port=$proxy_port open_log=$proxy_log
  scenario "https base URL through HTTPS_PROXY (tinyproxy)" \
    "${https_env[@]}" HTTPS_PROXY="http://127.0.0.1:$open_port" http_proxy="$dead" -- \
    call bundled 1 AUTHY_RESULT_OK
  scenario "https base URL through https_proxy with platform roots" \
    AUTHY_BASE_URL="https://0.0.0.0:$https_port" SSL_CERT_FILE="$work/ca.pem" "${store[@]}" \
    https_proxy="127.0.0.1:$open_port" -- call platform 1 AUTHY_RESULT_OK
  expect "tinyproxy made 2 tunnels to the HTTPS sandbox" test "$(tunnels)" -eq 2
  expect "tinyproxy logged CONNECT 0.0.0.0:$https_port" \
    grep -q "CONNECT 0.0.0.0:$https_port " "$proxy_log"
  scenario "NO_PROXY=0.0.0.0 bypasses tinyproxy" \
    "${https_env[@]}" HTTPS_PROXY="http://127.0.0.1:$open_port" NO_PROXY="0.0.0.0" -- \
    call bundled 1 AUTHY_RESULT_OK
  scenario "no_proxy=0.0.0.0:$https_port bypasses tinyproxy" \
    "${https_env[@]}" HTTPS_PROXY="http://127.0.0.1:$open_port" no_proxy="x.org 0.0.0.0:$https_port" -- \
    call bundled 1 AUTHY_RESULT_OK
  scenario "not opted in: HTTPS_PROXY is ignored" \
    "${https_env[@]}" HTTPS_PROXY="http://127.0.0.1:$open_port" -- call bundled 0 AUTHY_RESULT_OK
  scenario "a loopback base URL (https://localhost) never goes through tinyproxy" \
    AUTHY_BASE_URL="$https_url" AUTHY_CA_FILE="$work/ca.pem" HTTPS_PROXY="http://127.0.0.1:$open_port" \
    ALL_PROXY="http://127.0.0.1:$open_port" -- call bundled 1 AUTHY_RESULT_OK
  expect "tinyproxy saw nothing more (bypassed, loopback or not opted in)" test "$(tunnels)" -eq 2

  start_tinyproxy auth "$https_port" alice s3cr3tpw
  scenario "https through tinyproxy with credentials" \
    "${https_env[@]}" https_proxy="http://alice:s3cr3tpw@127.0.0.1:$proxy_port" -- \
    call bundled 1 AUTHY_RESULT_OK s3cr3tpw
  scenario "https through tinyproxy, wrong password: refused (tinyproxy answers 401)" \
    "${https_env[@]}" https_proxy="http://alice:wrongpw@127.0.0.1:$proxy_port" -- \
    call bundled 1 AUTHY_RESULT_CONNECT wrongpw
  scenario "https through tinyproxy, no credentials: refused (407)" \
    "${https_env[@]}" https_proxy="http://127.0.0.1:$proxy_port" -- \
    call bundled 1 AUTHY_RESULT_CONNECT
  expect "the authenticating tinyproxy made exactly 1 tunnel" test "$(tunnels)" -eq 1

  start_tinyproxy plain "$http_port" alice s3cr3tpw
  scenario "http base URL through http_proxy with credentials (CONNECT)" \
    "${http_env[@]}" http_proxy="http://alice:s3cr3tpw@127.0.0.1:$proxy_port" -- \
    call bundled 1 AUTHY_RESULT_OK s3cr3tpw
  scenario "http base URL through all_proxy" \
    "${http_env[@]}" all_proxy="http://alice:s3cr3tpw@127.0.0.1:$proxy_port" -- \
    call bundled 1 AUTHY_RESULT_OK
  expect "tinyproxy made 2 tunnels to the HTTP sandbox" test "$(tunnels)" -eq 2
  expect "tinyproxy logged CONNECT 0.0.0.0:$http_port" \
    grep -q "CONNECT 0.0.0.0:$http_port " "$proxy_log"
  scenario "a loopback base URL (http://127.0.0.1) never goes through tinyproxy" \
    AUTHY_BASE_URL="$http_url" http_proxy="http://alice:s3cr3tpw@127.0.0.1:$proxy_port" -- \
    call bundled 1 AUTHY_RESULT_OK
  expect "tinyproxy saw no request of the loopback base URL (the API key stays off the proxy)" \
    test "$(grep -c 'Request (file descriptor' "$proxy_log" || true)" -eq 2
  : "$open_log"
fi

printf '\nnetopts: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
