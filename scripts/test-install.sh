#!/usr/bin/env bash
# Installs libauthy into a scratch DESTDIR with `make install` and checks what a distribution or a
# C consumer relies on: the file layout, the SONAME, pkg-config metadata, and that a program links
# both dynamically and statically through pkg-config and runs — with the README's lines as
# written, also under a prefix the dynamic loader does not search.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
prefix=/usr/local
make --no-print-directory install DESTDIR="$dest" PREFIX="$prefix" >/dev/null
lib="$dest$prefix/lib"
pass=0 fail=0
check() { if "$@"; then pass=$((pass + 1)); else echo "FAIL: $*" >&2; fail=$((fail + 1)); fi; }

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
check test -f "$lib/libauthy.so.$version"
check test -L "$lib/libauthy.so.0"
check test -L "$lib/libauthy.so"
check test -f "$lib/libauthy.a"
check test -f "$dest$prefix/include/authy.h"
check test -x "$dest$prefix/bin/authy-sandbox"
soname=$(readelf -d "$lib/libauthy.so.$version" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
check test "$soname" = "libauthy.so.0"

export PKG_CONFIG_PATH="$lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$dest"
check test "$(pkg-config --modversion authy)" = "$version"
cat >"$dest/consumer.c" <<'C'
#include <authy.h>
#include <stdio.h>
#include <string.h>
int main(void) {
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", AUTHY_VERSION_MAJOR, AUTHY_VERSION_MINOR,
             AUTHY_VERSION_PATCH);
    if (strcmp(authy_version(), expected) != 0) return 1;
    puts(authy_result_str(AUTHY_RESULT_OK));
    return 0;
}
C
# shellcheck disable=SC2046
check cc -std=c11 -Wall -Werror "$dest/consumer.c" -o "$dest/consumer-dyn" $(pkg-config --cflags --libs authy)
check env LD_LIBRARY_PATH="$lib" "$dest/consumer-dyn"
# The static line exactly as the README documents it (issue 13: the former one,
# `libauthy.a $(pkg-config --static --libs-only-l authy)`, failed with "cannot find -lauthy").
# shellcheck disable=SC2046
check cc "$dest/consumer.c" -o "$dest/consumer-static" $(pkg-config --cflags authy) $(pkg-config --variable=static_libs authy)
check "$dest/consumer-static"
if ldd "$dest/consumer-static" | grep -q libauthy; then echo "FAIL: static consumer links libauthy.so" >&2; fail=$((fail + 1)); else pass=$((pass + 1)); fi

# A prefix the dynamic loader does not search (no DESTDIR: the .pc file names the real paths),
# with the README's lines as written: without an rpath or LD_LIBRARY_PATH the program does not
# start; with either it does; statically it needs neither.
opt="$dest/opt/authy"
make --no-print-directory install PREFIX="$opt" >/dev/null
(
  unset PKG_CONFIG_SYSROOT_DIR
  export PKG_CONFIG_PATH="$opt/lib/pkgconfig"
  cd "$dest"
  # shellcheck disable=SC2046
  check cc consumer.c -o plain $(pkg-config --cflags --libs authy)
  if ./plain 2>"$dest/plain.err"; then
    echo "FAIL: a program linked against $opt ran without an rpath or LD_LIBRARY_PATH" >&2
    fail=$((fail + 1))
  else
    check grep -q 'libauthy.so.0' "$dest/plain.err"
  fi
  check env LD_LIBRARY_PATH="$(pkg-config --variable=libdir authy)" ./plain
  # shellcheck disable=SC2046
  check cc consumer.c -o rpath $(pkg-config --cflags --libs authy) -Wl,-rpath,$(pkg-config --variable=libdir authy)
  check ./rpath
  # shellcheck disable=SC2046
  check cc consumer.c -o static $(pkg-config --cflags authy) $(pkg-config --variable=static_libs authy)
  check ./static
  echo "$pass $fail" >"$dest/counts"
)
read -r pass fail <"$dest/counts"

echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
