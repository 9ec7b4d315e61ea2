# What the shell test runners share: counters, notes, and running one program whose output ends
# in "<name>: N passed, M failed". Source it, then:
#
#   note TEXT                 prints a heading
#   pass N / fail N WHAT      adds to the totals (fail also prints WHAT)
#   run_counted NAME CMD...   runs CMD (output in $work/NAME.log, shown), adds its summary line to
#                             the totals; a crash, exit status 99 (valgrind), 98 or a sanitizer
#                             report counts as one more failure. Without a summary line, a clean
#                             exit counts as one pass, unless SUITE_REQUIRE_SUMMARY=1.
#   suite_summary NAME        prints "NAME: passed, failed" (NAME empty: no prefix) and returns
#                             non-zero when anything failed
#
# Expects $work (a scratch directory) to be set before run_counted is called.

passed=${passed:-0}
failed=${failed:-0}
note() { printf '\n--> %s\n' "$*"; }
pass() { passed=$((passed + $1)); }
fail() { failed=$((failed + $1)); echo "FAILED: ${*:2}" >&2; }

run_counted() {
  local name=$1; shift
  note "$name"
  local rc=0 start=$SECONDS
  "$@" >"$work/$name.log" 2>&1 || rc=$?
  cat "$work/$name.log"
  echo "($name: $((SECONDS - start)) s, exit status $rc)"
  local line p f=0
  line=$(grep -E '^[a-z_]+: [0-9]+ passed, [0-9]+ failed$' "$work/$name.log" | tail -n 1 || true)
  if [ -n "$line" ]; then
    p=$(sed -E 's/^[a-z_]+: ([0-9]+) passed.*/\1/' <<<"$line")
    f=$(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")
    pass "$p"
    [ "$f" -eq 0 ] || fail "$f" "$name"
  elif [ "${SUITE_REQUIRE_SUMMARY:-0}" = 1 ]; then
    fail 1 "$name: no summary line (crashed?)"
  fi
  if [ "$rc" -eq 0 ]; then
    [ -n "$line" ] || [ "${SUITE_REQUIRE_SUMMARY:-0}" = 1 ] || pass 1
  elif [ "$rc" -eq 99 ]; then
    fail 1 "$name: valgrind reported errors or leaks"
  elif [ "$rc" -gt 128 ]; then
    fail 1 "$name: killed by signal $((rc - 128))"
  elif [ "$rc" -eq 98 ] ||
       grep -qE '^==[0-9]+==ERROR: |^SUMMARY: (Address|Leak|Undefined)|runtime error: ' \
         "$work/$name.log"; then
    fail 1 "$name: the sanitizers reported an error (exit status $rc)"
  elif [ -z "$line" ] || [ "$f" -eq 0 ]; then
    fail 1 "$name: exit status $rc"
  fi
}

suite_summary() {
  if [ -n "${1:-}" ]; then
    printf '\n%s: %d passed, %d failed\n' "$1" "$passed" "$failed"
  else
    printf '\n%d passed, %d failed\n' "$passed" "$failed"
  fi
  [ "$failed" -eq 0 ]
}
