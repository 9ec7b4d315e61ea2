#!/usr/bin/env bash
# Packaging test: what a distribution and a CMake or pkg-config consumer rely on.
#
#  1. `make install` / `make install-strip` into scratch DESTDIRs (PREFIX=/usr): headers, the
#     stripped library, `make uninstall`; the CMake example (examples/cmake) configured, built and
#     run against the staging tree through pkg-config.
#  2. The Debian packages (debian/, debhelper) built with `dpkg-buildpackage -us -uc -b` from a clean
#     copy of the tree in target/deb-build/ (the .debs land there; the cargo target directory is
#     reused, so an up-to-date `make build` makes this quick), and their contents checked.
#  3. The examples the packages ship (quickstart.c, quickstart.cpp, cmake/ = the repository's)
#     built against them with pkg-config only, statically too, and run against the PACKAGED
#     authy-sandbox. By default the packages are unpacked into a throwaway root (dpkg -x) and
#     NOTHING on this machine changes (what that leaves unchecked is reported as a skip); with
#     AUTHY_TEST_SYSTEM_INSTALL=1 (.ci/run sets it) they are installed into this machine with
#     dpkg -i (root, or sudo without a password), used from /usr, then purged again.
#
# lintian runs when it is installed (errors fail; AUTHY_LINTIAN=0 leaves it out: it takes a minute).
# A missing tool (debhelper, cmake) or no root skips a part LOUDLY; with CI=true a skip fails.
# Last line: `packages: N passed, M failed`.
# shellcheck disable=SC2317  # the probe functions are called through check / check_not
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo_target=${CARGO_TARGET_DIR:-$root/target}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
tmp=$(mktemp -d)
pass=0 fail=0
skips=()
installed=()
SUDO=

check() { if "$@"; then pass=$((pass + 1)); else echo "FAIL: $*" >&2; fail=$((fail + 1)); fi; }
# check_not CMD...: CMD fails (e.g. a grep that must find nothing).
check_not() { if "$@"; then echo "FAIL: not expected: $*" >&2; fail=$((fail + 1)); else pass=$((pass + 1)); fi; }
# check_out PATTERN CMD...: CMD succeeds and its output (printed on failure) matches PATTERN.
check_out() {
  local pattern=$1 out status=0
  shift
  out=$("$@" 2>&1) || status=$?
  if [ "$status" -eq 0 ] && grep -q -- "$pattern" <<<"$out"; then
    pass=$((pass + 1))
  else
    echo "FAIL (exit $status, expected /$pattern/): $*" >&2
    sed 's/^/    /' <<<"$out" >&2
    fail=$((fail + 1))
  fi
}
skip() {
  skips+=("$*")
  printf '\n!!!!!! SKIPPED: %s\n\n' "$*" >&2
  if [ "${CI:-}" = true ]; then echo "FAIL: CI must not skip this" >&2; fail=$((fail + 1)); fi
}
step() { printf "==> [%3d s] %s\n" "$SECONDS" "$*"; }
# The closing lines: what was skipped (again, loudly), then the totals; the exit status.
finish() {
  if [ ${#skips[@]} -gt 0 ]; then
    printf '\n!!!!!! packages: %d part(s) SKIPPED:\n' "${#skips[@]}" >&2
    printf '!!!!!!   %s\n' "${skips[@]}" >&2
  fi
  echo "packages: $pass passed, $fail failed"
  [ "$fail" -eq 0 ]
  exit
}
# make_quiet LOG ARGS...: make ARGS, counted; its output is shown only when it fails.
make_quiet() {
  local log=$1
  shift
  if make --no-print-directory "$@" >"$log" 2>&1; then
    pass=$((pass + 1))
  else
    echo "FAIL: make $*" >&2
    tail -n 30 "$log" >&2
    fail=$((fail + 1))
  fi
}
# pkg-config / the compiler as a user of the installed packages sees them: nothing from our tree.
as_user() { env -u PKG_CONFIG_PATH -u PKG_CONFIG_LIBDIR -u PKG_CONFIG_SYSROOT_DIR -u LD_LIBRARY_PATH \
  -u LIBRARY_PATH -u C_INCLUDE_PATH -u CPLUS_INCLUDE_PATH -u CPATH "$@"; }

purge_installed() {
  [ ${#installed[@]} -gt 0 ] || return 0
  $SUDO dpkg --purge "${installed[@]}" >"$tmp/purge.log" 2>&1 || { cat "$tmp/purge.log" >&2; return 1; }
  installed=()
}
cleanup() {
  purge_installed || echo "WARNING: could not purge the test packages: dpkg --purge them by hand" >&2
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 1. make install / install-strip / uninstall, and the CMake example on the staging tree ------
step "make install, install-strip and uninstall (DESTDIR, PREFIX=/usr)"
stage=$tmp/stage strip_stage=$tmp/stage-strip
make_quiet "$tmp/install.log" install DESTDIR="$stage" PREFIX=/usr
check test -f "$stage/usr/lib/libauthy.so.$version"
check test "$(readlink "$stage/usr/lib/libauthy.so.0")" = "libauthy.so.$version"
check test "$(readlink "$stage/usr/lib/libauthy.so")" = "libauthy.so.$version"
for h in include/authy.h include/authy.hpp; do check cmp "$h" "$stage/usr/$h"; done
make_quiet "$tmp/uninstall.log" uninstall DESTDIR="$stage" PREFIX=/usr
left=$(find "$stage" ! -type d 2>&1 || true)
check test -z "$left"
[ -z "$left" ] || echo "make uninstall left: $left" >&2

make_quiet "$tmp/install.log" install-strip DESTDIR="$strip_stage" PREFIX=/usr
slib=$strip_stage/usr/lib/libauthy.so.$version
check test -f "$slib"
# The probes of check / check_not.
# stripped FILE: an ELF file (or archive) readelf can read, without DWARF debug info.
stripped() { readelf -S "$1" >"$tmp/sections" 2>&1 && ! grep -q '\.debug_info' "$tmp/sections"; }
dev_files_in_runtime() { contents libauthy0 | grep -e '/include/' -e 'libauthy\.so\( \|$\)' -e '\.a$' -e '\.pc$' >/dev/null; }
links_shared_libauthy() { as_user ldd "$1" | grep libauthy >/dev/null; }
any_installed() { { dpkg-query -W -f '${db:Status-Abbrev}\n' "$@" 2>/dev/null || true; } | grep '^.i' >/dev/null; }
in_ld_cache() { /sbin/ldconfig -p | grep "$1" >/dev/null; }
! stripped "$cargo_target/release/libauthy.so" ||
  echo "note: the release build has no debug info (profile.release debug): the strip checks prove little"
check_out 'Library soname: \[libauthy.so.0\]' readelf -d "$slib"
check stripped "$slib"
check stripped "$strip_stage/usr/bin/authy-sandbox"
check stripped "$strip_stage/usr/lib/libauthy.a"
check_out ' T authy_client_builder_new$' nm -D --defined-only "$slib"

step "examples/cmake against the stripped staging tree (pkg-config with PKG_CONFIG_SYSROOT_DIR)"
if ! command -v cmake >/dev/null; then
  skip "cmake is not installed (apt-get install cmake): the CMake consumer example is NOT checked"
else
  staged_cmake() {
    env -u PKG_CONFIG_PATH PKG_CONFIG_LIBDIR="$strip_stage/usr/lib/pkgconfig" \
      PKG_CONFIG_SYSROOT_DIR="$strip_stage" "$@"
  }
  check_out "include $strip_stage/usr/include, libraries $strip_stage/usr/lib/libauthy.so" \
    staged_cmake cmake -S examples/cmake -B "$tmp/cmake-stage"
  check_out 'Built target authy_cmake_example' cmake --build "$tmp/cmake-stage"
  check_out "libauthy.so.0 => $strip_stage/usr/lib/libauthy.so.0" \
    env LD_LIBRARY_PATH="$strip_stage/usr/lib" ldd "$tmp/cmake-stage/authy_cmake_example"
  check_out '^authy_cmake_example: ok$' env LD_LIBRARY_PATH="$strip_stage/usr/lib" \
    scripts/with-sandbox.sh "$tmp/cmake-stage/authy_cmake_example"
fi

# --- 2. the Debian packages ----------------------------------------------------------------------
missing=
for tool in dpkg-buildpackage dh dpkg-deb readelf; do command -v "$tool" >/dev/null || missing+=" $tool"; done
if [ -n "$missing" ]; then
  skip "no$missing (apt-get install debhelper dpkg-dev): the Debian packages are NOT built or checked"
  finish
fi

arch=$(dpkg-architecture -qDEB_HOST_ARCH)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
libdir=/usr/lib/$multiarch
# How the loader names $libdir (/lib is /usr/lib on a merged-/usr system), as a grep pattern.
libdir_re="\(/usr\)\{0,1\}/lib/$multiarch"
debversion=$(dpkg-parsechangelog -l debian/changelog -S Version)
upstream=${debversion%-*}
step "dpkg-buildpackage -us -uc -b (libauthy $debversion, $arch) in target/deb-build"
check test "$upstream" = "$version"
work=$root/target/deb-build
src=$work/libauthy-$version
rm -rf "$work"
mkdir -p "$src"
# A clean export of the tree as it is (tracked and untracked files, without what git ignores),
# with the mtimes of the files and of the directories, so cargo finds the copy as up to date as
# the tree (build.rs watches the directory src/).
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z -co --exclude-standard | tr '\0' '\n' | while IFS= read -r f; do
    if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\n' "$f"; fi
  done >"$tmp/files"
  sed -n 's|/[^/]*$||p' "$tmp/files" |
    awk -F/ '{ p = $1; print p; for (i = 2; i <= NF; i++) { p = p "/" $i; print p } }' | sort -u >"$tmp/dirs"
  tar --format=posix -cf - --no-recursion -T "$tmp/files" | tar -xpf - -C "$src"
  while IFS= read -r d; do touch -r "$d" "$src/$d"; done <"$tmp/dirs"
else
  tar --format=posix -cf - --exclude=./target --exclude=./build --exclude=./.git . | tar -xpf - -C "$src"
fi
# nocheck: `cargo test` is the Rust suite's job. The .debs are compressed fast (gzip -1 instead of
# dpkg's default xz -6, which takes a minute here): what is checked is their contents.
start=$SECONDS
if (cd "$src" && CARGO_TARGET_DIR="$cargo_target" \
    DEB_BUILD_OPTIONS="nocheck${DEB_BUILD_OPTIONS:+ $DEB_BUILD_OPTIONS}" \
    DPKG_DEB_COMPRESSOR_TYPE=${DPKG_DEB_COMPRESSOR_TYPE:-gzip} \
    DPKG_DEB_COMPRESSOR_LEVEL=${DPKG_DEB_COMPRESSOR_LEVEL:-1} \
    dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1; then
  pass=$((pass + 1))
  echo "built in $((SECONDS - start)) s (log: target/deb-build/build.log)"
else
  fail=$((fail + 1))
  echo "FAIL: dpkg-buildpackage; the end of target/deb-build/build.log:" >&2
  tail -n 40 "$work/build.log" >&2
fi
rm -rf "$src"

deb() { printf '%s/%s_%s_%s.deb' "$work" "$1" "$debversion" "$arch"; }
# Every entry as `/path` (a symbolic link as `/path -> target`); paths(): the paths alone.
contents() { dpkg-deb -c "$(deb "$1")" | awk '{ $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print }' | sed 's|^\./|/|'; }
paths() { dpkg-deb -c "$(deb "$1")" | awk '{ print $6 }' | sed 's|^\./|/|'; }
field() { dpkg-deb -f "$(deb "$1")" "$2"; }
packages=(libauthy0 libauthy-dev authy-sandbox)
all_built=true
for p in "${packages[@]}" libauthy0-dbgsym authy-sandbox-dbgsym; do
  if [ -f "$(deb "$p")" ]; then pass=$((pass + 1)); else echo "FAIL: no $(deb "$p")" >&2; fail=$((fail + 1)); all_built=false; fi
done
if ! $all_built; then
  skip "the packages were not all built: their contents and installation are NOT checked"
  finish
fi

step "package contents (dpkg-deb -c / -f / -I)"
check_out "^$libdir/libauthy.so.$version\$" contents libauthy0
check_out "^$libdir/libauthy.so.0 -> libauthy.so.$version\$" contents libauthy0
check_not dev_files_in_runtime
check_out "^/usr/include/authy.h\$" contents libauthy-dev
check_out "^/usr/include/authy.hpp\$" contents libauthy-dev
check_out "^$libdir/libauthy.a\$" contents libauthy-dev
check_out "^$libdir/pkgconfig/authy.pc\$" contents libauthy-dev
check_out "^$libdir/libauthy.so -> libauthy.so.$version\$" contents libauthy-dev
check_out "^/usr/share/doc/libauthy-dev/examples/cmake/CMakeLists.txt\$" contents libauthy-dev
check_out "^/usr/bin/authy-sandbox\$" contents authy-sandbox
check_out "libauthy0 (= $debversion)" field libauthy-dev Depends
check_out 'libc6' field libauthy0 Depends
check_out '^same$' field libauthy0 Multi-Arch
check_out "^libauthy 0 libauthy0 (>= $version)\$" dpkg-deb -I "$(deb libauthy0)" shlibs
check_out 'ldconfig' dpkg-deb -I "$(deb libauthy0)" triggers
check_out '^/usr/lib/debug/\.build-id/../.*\.debug$' contents libauthy0-dbgsym
# The library as packaged: stripped (its debug info is in libauthy0-dbgsym, under its build id).
check dpkg-deb -x "$(deb libauthy0)" "$tmp/x"
check stripped "$tmp/x$libdir/libauthy.so.$version"
check_out 'Library soname: \[libauthy.so.0\]' readelf -d "$tmp/x$libdir/libauthy.so.$version"
# Hardening without dpkg's CFLAGS (see debian/rules): full RELRO; the sandbox is a PIE.
check_out 'BIND_NOW' readelf -d "$tmp/x$libdir/libauthy.so.$version"
check_out 'GNU_RELRO' readelf -l "$tmp/x$libdir/libauthy.so.$version"
check dpkg-deb -x "$(deb authy-sandbox)" "$tmp/x"
check_out 'Flags: NOW PIE' readelf -d "$tmp/x/usr/bin/authy-sandbox"
check stripped "$tmp/x/usr/bin/authy-sandbox"
build_id=$(readelf -n "$tmp/x$libdir/libauthy.so.$version" | sed -n 's/.*Build ID: \([0-9a-f]*\).*/\1/p' || true)
check_out "^/usr/lib/debug/\.build-id/${build_id:0:2}/${build_id:2}\.debug\$" contents libauthy0-dbgsym
if ! command -v lintian >/dev/null; then
  echo "(lintian is not installed: the Debian policy checks are not run)"
elif [ "${AUTHY_LINTIAN:-1}" = 0 ]; then
  echo "(AUTHY_LINTIAN=0: the Debian policy checks are not run)"
else
  step "lintian (errors fail; about a minute)"
  if lintian --fail-on error --no-tag-display-limit "$(deb libauthy0)" "$(deb libauthy-dev)" \
      "$(deb authy-sandbox)" >"$tmp/lintian.log" 2>&1; then
    pass=$((pass + 1))
  else
    echo "FAIL: lintian found errors" >&2
    fail=$((fail + 1))
  fi
  grep -E '^[EWIXP]:' "$tmp/lintian.log" | sed 's/^/    /' || true
fi

# --- 3. install the packages, use them (and purge them) ------------------------------------------
# What a user of the packages does, with pkg-config only: build the examples libauthy-dev ships
# (quickstart.c, quickstart.cpp, cmake/ = the repository's), statically too, and run them against
# the packaged sandbox. The packages' files are under $root_dir ("" = this machine's /).
# pkg-config and the compiler see nothing of our tree (as_user); for a throwaway root they are
# pointed at it.
use_packages() {
  local r=$1 sandbox=$1/usr/bin/authy-sandbox examples=$1/usr/share/doc/libauthy-dev/examples
  if [ -n "$r" ]; then
    in_root() {
      as_user env PKG_CONFIG_LIBDIR="$r$libdir/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$r" \
        PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 PKG_CONFIG_ALLOW_SYSTEM_LIBS=1 LD_LIBRARY_PATH="$r$libdir" "$@"
    }
  else
    in_root() { as_user "$@"; }
  fi
  check_out "^$version\$" in_root pkg-config --modversion authy
  flags=$(in_root pkg-config --cflags --libs authy || true)
  check_out '-lauthy' echo "$flags"
  check_not grep -q -e "$root" -e "$cargo_target" <<<"$flags"

  # The examples as libauthy-dev ships them, built outside the tree so that `#include "authy.h"`
  # cannot find the repository's header.
  check cmp examples/quickstart.c "$examples/quickstart.c"
  check diff -r examples/cmake "$examples/cmake"
  cp "$examples/quickstart.c" "$tmp/quickstart.c"
  # shellcheck disable=SC2086
  check in_root cc -std=c11 -Wall -Wextra -Werror "$tmp/quickstart.c" -o "$tmp/quickstart" $flags
  check_out "libauthy.so.0 => \($r$libdir_re\|$r$libdir\)/libauthy.so.0 " in_root ldd "$tmp/quickstart"
  check_out '^quickstart: done$' in_root env AUTHY_SANDBOX_BIN="$sandbox" \
    scripts/with-sandbox.sh "$tmp/quickstart"

  # Static, with the README's line as written: the packaged libauthy.a (debug-stripped by
  # dh_strip) links and runs without the .so.
  cat >"$tmp/static.c" <<'C'
#include <authy.h>
#include <stdio.h>
int main(void) {
    if (authy_version_number() != AUTHY_VERSION_NUMBER) return 1;
    printf("static libauthy %s\n", authy_version());
    return 0;
}
C
  # shellcheck disable=SC2046
  check in_root cc "$tmp/static.c" -o "$tmp/static" $(in_root pkg-config --cflags authy) \
    $(in_root pkg-config --variable=static_libs authy)
  check_out "^static libauthy $version\$" as_user "$tmp/static"
  check_not links_shared_libauthy "$tmp/static"

  # The C++ quickstart: the packaged authy.hpp over the packaged library.
  if command -v c++ >/dev/null; then
    check cmp examples/quickstart.cpp "$examples/quickstart.cpp"
    cp "$examples/quickstart.cpp" "$tmp/quickstart.cpp"
    # shellcheck disable=SC2086
    check in_root c++ -std=c++17 -Wall -Wextra -Werror -pedantic "$tmp/quickstart.cpp" -o "$tmp/quickstart_cpp" $flags
    check_out '^quickstart: done$' in_root env AUTHY_SANDBOX_BIN="$sandbox" \
      scripts/with-sandbox.sh "$tmp/quickstart_cpp"
  fi

  if command -v cmake >/dev/null; then
    rm -rf "$tmp/cmake-system"
    # (pkg-config leaves out -I/usr/include on the system: the compiler searches it anyway.)
    check_out "libauthy $version: include \($r/usr/include\)\{0,1\}, libraries $r$libdir/libauthy.so$" \
      in_root cmake -S "$examples/cmake" -B "$tmp/cmake-system"
    check_out 'Built target authy_cmake_example' in_root cmake --build "$tmp/cmake-system"
    check_out '^authy_cmake_example: ok$' in_root env AUTHY_SANDBOX_BIN="$sandbox" \
      scripts/with-sandbox.sh "$tmp/cmake-system/authy_cmake_example"
  fi
}

# Installing into this machine changes it (dpkg -i, ldconfig, then dpkg --purge): only when asked
# with AUTHY_TEST_SYSTEM_INSTALL=1 (.ci/run sets it, on a throwaway CI machine). Otherwise the
# packages are unpacked into a throwaway root (dpkg -x) and used from there, and what that does
# not cover is said loudly.
if [ "${AUTHY_TEST_SYSTEM_INSTALL:-0}" != 1 ]; then
  step "dpkg -x into a throwaway root, then build and run the examples against it"
  troot=$tmp/root
  for p in "${packages[@]}"; do check dpkg-deb -x "$(deb "$p")" "$troot"; done
  check test -L "$troot$libdir/libauthy.so.0"
  check stripped "$troot$libdir/libauthy.so.$version"
  use_packages "$troot"
  skip "AUTHY_TEST_SYSTEM_INSTALL is not 1: the packages were NOT installed on this machine, so" \
    "dpkg -i (dependencies, the ldconfig trigger, the loader cache), the /usr paths without" \
    "LD_LIBRARY_PATH, the -dbgsym file and dpkg --purge are NOT checked (they were used from a" \
    "dpkg -x root instead). AUTHY_TEST_SYSTEM_INSTALL=1 installs and purges them (root or sudo)."
  finish
fi

if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=sudo; else SUDO=none; fi
fi
already=$(dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' "${packages[@]}" libauthy0-dbgsym 2>/dev/null |
  awk '$1 ~ /^.i/ { print $2 }' || true)
clash=
for p in "${packages[@]}"; do
  for f in $(paths "$p"); do
    case $f in */) continue ;; esac
    if [ -e "$f" ] || [ -L "$f" ]; then clash+=" $f"; fi
  done
done
if [ "$SUDO" = none ]; then
  skip "not root and no password-less sudo: the packages are NOT installed or tested in place"
elif [ -n "$already" ]; then
  skip "already installed on this machine: ${already//$'\n'/ } (dpkg --purge them): NOT tested in place"
elif [ -n "$clash" ]; then
  skip "files of the packages already exist (a 'make install PREFIX=/usr'?):$clash — NOT tested in place"
else
  step "AUTHY_TEST_SYSTEM_INSTALL=1: dpkg -i, then build and run the examples against the installed packages"
  installed=("${packages[@]}" libauthy0-dbgsym)
  if ! $SUDO dpkg -i "$(deb libauthy0)" "$(deb libauthy-dev)" "$(deb authy-sandbox)" \
      "$(deb libauthy0-dbgsym)" >"$tmp/dpkg.log" 2>&1; then
    echo "FAIL: dpkg -i" >&2
    cat "$tmp/dpkg.log" >&2
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
  check_out "libauthy.so.0 (.*) => $libdir_re/libauthy.so.0" /sbin/ldconfig -p
  check stripped "$libdir/libauthy.so.$version"
  check test -f "/usr/lib/debug/.build-id/${build_id:0:2}/${build_id:2}.debug"
  use_packages ""

  step "dpkg --purge: the machine as it was"
  check purge_installed
  check_not any_installed "${packages[@]}" libauthy0-dbgsym
  check test ! -e "$libdir/libauthy.so.0" -a ! -e /usr/bin/authy-sandbox -a ! -e /usr/include/authy.h
  check_not in_ld_cache libauthy
fi

finish
