#!/usr/bin/env bash
# Runs the Go binding's checks: go vet, gofmt, go test -race (against the sandbox binary, which
# TestMain starts), and the examples (quickstart, verifylogin, loginflow) against a fresh sandbox.
# Offline: standard library only, GOPROXY=off, Go caches under the target directory.
#
#   bindings/go/test.sh            # the suite; last line "go: N passed, M failed"
#   bindings/go/test.sh --bench    # also the benchmarks (not counted)
#
# Needs: go (Debian golang-go 1.19 or newer), a C compiler, and the build tree (make build):
# target/release/libauthy.so(.0) and target/release/authy-sandbox.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
cd "$here"

export GOPATH="$target/go/path" GOCACHE="$target/go/cache" GOMODCACHE="$target/go/path/pkg/mod"
export GOPROXY=off GOSUMDB=off GOTOOLCHAIN=local GOFLAGS= CGO_ENABLED=1 GO111MODULE=on
export AUTHY_SANDBOX_BIN=${AUTHY_SANDBOX_BIN:-$target/release/authy-sandbox}
mkdir -p "$GOPATH" "$GOCACHE"
if [ "$target" != "$root/target" ]; then
  # The cgo directives point at ../../target; a custom target dir is passed through the env.
  export CGO_CFLAGS="-I$root/include" CGO_LDFLAGS="-L$target/release -Wl,-rpath,$target/release"
fi

passed=0 failed=0
check() { # name command...: one counted check
  local name=$1; shift
  if "$@"; then echo "ok   $name"; passed=$((passed + 1)); else echo "FAIL $name"; failed=$((failed + 1)); fi
}

if ! command -v go >/dev/null; then
  echo "go: the go command is not installed (apt-get install golang-go)" >&2
  echo "go: 0 passed, 1 failed"
  exit 1
fi
go version

check "go vet ./..." go vet ./...
unformatted=$(gofmt -l .)
check "gofmt -l . (clean)" test -z "$unformatted"
[ -n "$unformatted" ] && echo "$unformatted"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# -v for the per-test lines (the logged list of refused bad inputs is not shown).
go test -race -count=1 -v ./... 2>&1 | tee "$log" | grep -vE '^=== (RUN|CONT|PAUSE)|: refused: authy:'
status=${PIPESTATUS[0]}
tp=$(grep -cE '^\s*--- PASS' "$log")
tf=$(grep -cE '^\s*--- FAIL' "$log")
ts=$(grep -cE '^\s*--- SKIP' "$log")
if [ "$status" -ne 0 ] && [ "$tf" -eq 0 ]; then
  tf=1 # a build failure, a panic or a crash of the test binary
  echo "FAIL go test exited with $status without a failed test: see above"
  tail -40 "$log"
fi
echo "go test: $tp passed, $tf failed, $ts skipped (subtests included)"
passed=$((passed + tp)) failed=$((failed + tf))

example() {
  go build -o "$target/go/quickstart" ./examples/quickstart &&
    "$root/scripts/with-sandbox.sh" "$target/go/quickstart"
}
check "examples/quickstart against a fresh sandbox" example

verify_example() {
  go build -o "$target/go/verifylogin" ./examples/verifylogin &&
    "$root/scripts/with-sandbox.sh" "$target/go/verifylogin"
}
check "examples/verifylogin (Twilio Verify) against a fresh sandbox" verify_example

loginflow_example() {
  go build -o "$target/go/loginflow" ./examples/loginflow &&
    "$root/scripts/with-sandbox.sh" "$target/go/loginflow"
}
check "examples/loginflow (Authy and Verify per user) against a fresh sandbox" loginflow_example

# A module outside this repository, set up as README.md ("From your own module") says: a
# `replace` to this directory, built against the build tree (no tag), then against an installed
# libauthy under a scratch prefix with -tags authy_pkgconfig and the documented rpath; each run
# against a fresh sandbox. Without the rpath the pkg-config build must not start (the README's
# warning holds).
outside_module() {
  local m ok=0
  m=$(mktemp -d)
  printf '%s\n' 'module example.com/login' '' 'go 1.19' '' \
    'require github.com/libauthy/libauthy/bindings/go v0.0.0-00010101000000-000000000000' '' \
    "replace github.com/libauthy/libauthy/bindings/go => $here" >"$m/go.mod"
  cat >"$m/main.go" <<'GO'
package main

import (
	"context"
	"fmt"
	"os"

	authy "github.com/libauthy/libauthy/bindings/go"
)

func main() {
	c, err := authy.NewClient(os.Getenv("AUTHY_API_KEY"), authy.WithBaseURL(os.Getenv("AUTHY_BASE_URL")))
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	defer c.Close()
	u, err := c.RegisterUser(context.Background(), "outside@example.com", 1, "(555) 867-5309", nil)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println("outside module: user", u.ID)
}
GO
  (cd "$m" && go build -o app-tree . && "$root/scripts/with-sandbox.sh" ./app-tree) |
    grep -q '^outside module: user [0-9]' || { echo "outside module: the build-tree build failed" >&2; ok=1; }
  # The scratch prefix has a fixed path and the pkg-config builds their own Go build cache:
  # Go 1.19's cache keeps the -L directory pkg-config gave when the binding was compiled with
  # authy_pkgconfig (the key does not cover pkg-config's --libs), so a prefix under a new temp
  # dir each run made the next run link against a directory that no longer existed.
  local prefix=$target/go/outside-prefix
  rm -rf "$prefix"
  if [ "$ok" = 0 ] && ! make -C "$root" --no-print-directory install PREFIX="$prefix" >"$m/install.log" 2>&1; then
    cat "$m/install.log" >&2
    ok=1
  fi
  if [ "$ok" = 0 ]; then
    (
      cd "$m" || exit 1
      unset CGO_CFLAGS CGO_LDFLAGS
      export PKG_CONFIG_PATH=$prefix/lib/pkgconfig GOCACHE=$target/go/cache-pkgconfig
      go build -tags authy_pkgconfig -o app-norpath . || exit 1
      if ./app-norpath 2>/dev/null; then echo "outside module: started without an rpath" >&2; exit 1; fi
      CGO_LDFLAGS="-Wl,-rpath,$(pkg-config --variable=libdir authy)" go build -tags authy_pkgconfig -o app-pc . || exit 1
      "$root/scripts/with-sandbox.sh" ./app-pc | grep -q '^outside module: user [0-9]' || exit 1
      if ldd ./app-pc | grep -q "$target/release/"; then echo "outside module: linked the build tree" >&2; exit 1; fi
    ) || ok=1
  fi
  rm -rf "$m" "$prefix"
  return "$ok"
}
check "a module outside the repository (replace; build tree, then -tags authy_pkgconfig + rpath)" outside_module

if [ "${1:-}" = "--bench" ]; then
  go test -run '^$' -bench . -benchtime 3s . || true
fi

echo "go: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
