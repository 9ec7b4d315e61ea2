#!/usr/bin/env bash
# Tests of the Ruby binding (bindings/ruby), against the sandbox BINARY:
#   1. the minitest suite (test/test_*.rb, one process; it starts its own authy-sandbox on
#      --port 0): every method, 16 threads, bad input, GC.stress, fork, Rack, the authy-ruby
#      compat layer, its README examples and the public surface and specs of authy-ruby 3.0.1;
#   2. `gem build` of libauthy.gemspec in a temporary copy, then `gem install --local` of the
#      built .gem into a temporary GEM_HOME and a require of it from outside the repository;
#   3. examples/quickstart.rb, examples/verify_login.rb and examples/login_flow.rb (Authy and
#      Verify per user, SMS and TOTP) against a fresh sandbox
#      (../../scripts/with-sandbox.sh).
#
# The last line is "ruby: N passed, M failed" where N and M count TESTS (minitest tests that
# passed / failed or errored; skipped tests are neither and are listed above it) plus the
# five checks of steps 2–3. Exits non-zero on any failure. When ruby or one of the gems
# ffi, minitest, rack is missing it prints a loud "SKIPPED: ..." line and
# "ruby: 0 passed, 0 failed" and exits 0 (1 with AUTHY_RUBY_REQUIRED=1, for CI).
#
# Environment: CARGO_TARGET_DIR (default ../../target), LIBAUTHY_PATH (default
# <target>/release/libauthy.so), AUTHY_SANDBOX_BIN (default <target>/release/authy-sandbox),
# RUBY (default ruby), TESTOPTS (extra minitest options, e.g. "-v" or "-n /fork/").
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
ruby=${RUBY:-ruby}
export LIBAUTHY_PATH=${LIBAUTHY_PATH:-$target/release/libauthy.so}
export AUTHY_SANDBOX_BIN=${AUTHY_SANDBOX_BIN:-$target/release/authy-sandbox}

passed=0
failed=0
note() { printf '\n--> %s\n' "$*"; }
pass() { passed=$((passed + $1)); }
fail() { failed=$((failed + $1)); echo "FAILED: $2" >&2; }

if ! command -v "$ruby" >/dev/null 2>&1 || ! "$ruby" -e 'require "ffi"; require "minitest"; require "rack"' 2>/dev/null; then
  echo "SKIPPED: the ruby suite needs ruby with the ffi, minitest and rack gems" \
       "(Debian: ruby ruby-ffi ruby-minitest ruby-rack)"
  echo "ruby: 0 passed, 0 failed"
  [ "${AUTHY_RUBY_REQUIRED:-0}" = 1 ] && exit 1
  exit 0
fi

if [ ! -f "$LIBAUTHY_PATH" ] || [ ! -x "$AUTHY_SANDBOX_BIN" ]; then
  note "cargo build --release (libauthy + authy-sandbox)"
  (cd "$root" && cargo build --release --quiet -p authy -p authy-sandbox) || fail 1 "cargo build"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$here"

note "minitest (LIBAUTHY_PATH=$LIBAUTHY_PATH)"
# shellcheck disable=SC2086
timeout 900 "$ruby" -w -I lib -I test \
  -e 'files = ARGV.take_while { |a| a != "--" }; ARGV.replace(ARGV.drop(files.size + 1))' \
  -e 'files.each { |f| require File.expand_path(f) }' test/test_*.rb \
  -- ${TESTOPTS:-} 2>&1 | tee "$work/minitest.log"
summary=$(grep -E '^[0-9]+ runs, [0-9]+ assertions, [0-9]+ failures, [0-9]+ errors, [0-9]+ skips' "$work/minitest.log" | tail -n 1)
if [ -z "$summary" ]; then
  fail 1 "minitest did not finish (crash or timeout)"
  runs=0 assertions=0 skips=0
else
  read -r runs assertions failures errors skips < <(echo "$summary" | sed -E 's/^([0-9]+) runs, ([0-9]+) assertions, ([0-9]+) failures, ([0-9]+) errors, ([0-9]+) skips.*/\1 \2 \3 \4 \5/')
  pass $((runs - failures - errors - skips))
  [ $((failures + errors)) -eq 0 ] || fail $((failures + errors)) "minitest: $failures failures, $errors errors"
fi

note "gem build (in a temporary copy)"
mkdir -p "$work/gem"
cp -r lib examples README.md libauthy.gemspec "$work/gem/"
if (cd "$work/gem" && gem build libauthy.gemspec >"$work/gem-build.log" 2>&1) && ls "$work"/gem/libauthy-*.gem >/dev/null 2>&1; then
  pass 1
  gemfile=$(ls "$work"/gem/libauthy-*.gem)
  note "gem install --local $(basename "$gemfile") into a temporary GEM_HOME, require it from elsewhere"
  if gem install --local --ignore-dependencies --no-document --install-dir "$work/gems" "$gemfile" >"$work/gem-install.log" 2>&1 &&
     (cd "$work" && GEM_HOME="$work/gems" GEM_PATH="$work/gems:$(gem env gempath)" "$ruby" -e '
        require "libauthy"; require "authy"
        spec = Gem.loaded_specs.fetch("libauthy")
        abort "loaded from the repository" unless $LOADED_FEATURES.grep(/libauthy\/client\.rb/).first.start_with?(spec.full_gem_path)
        abort "no Authy::API" unless defined?(Authy::API.register_user)
        c = Authy::Native::Client.new("k", base_url: "http://127.0.0.1:9")
        c.close
        puts "installed gem #{spec.full_name} loads libauthy #{Authy::Native.library_version}"'); then
    pass 1
  else
    cat "$work/gem-install.log" >&2
    fail 1 "gem install / require of the built gem"
  fi
else
  cat "$work/gem-build.log" >&2
  fail 2 "gem build"
fi

# example NAME TITLE: examples/NAME.rb against a fresh sandbox, passing when it ends with "NAME: done".
example() {
  note "examples/$1.rb$2 against a fresh sandbox"
  if "$root/scripts/with-sandbox.sh" "$ruby" -I lib "examples/$1.rb" | tee "$work/$1.log" &&
     grep -q "^$1: done\$" "$work/$1.log"; then
    pass 1
  else
    fail 1 "examples/$1.rb"
  fi
}
example quickstart ""
example verify_login " (Twilio Verify)"
example login_flow " (Authy and Verify per user, SMS and TOTP)"

printf '\nruby: minitest %s tests (%s assertions, %s skipped), gem build, gem install, quickstart, verify_login and login_flow examples\n' \
  "${runs:-0}" "${assertions:-0}" "${skips:-0}"
echo "ruby: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
