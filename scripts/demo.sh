#!/usr/bin/env bash
# The whole 2FA flow in C against a local authy-sandbox: builds the library and the sandbox,
# compiles examples/quickstart.c against include/authy.h, starts the sandbox on a free port,
# runs the example and stops the sandbox.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
echo "==> building libauthy and authy-sandbox (release)"
cargo build --release --workspace --quiet
mkdir -p "$target/c"
# Programs linked with -lauthy look for the SONAME, which cargo does not create in the build tree.
ln -sf libauthy.so "$target/release/libauthy.so.0"
cc -std=c11 -Wall -Wextra -O2 -I include examples/quickstart.c -o "$target/c/quickstart" \
   -L "$target/release" -lauthy -Wl,-rpath,"$target/release"
echo "==> running examples/quickstart.c against the sandbox"
exec scripts/with-sandbox.sh "$target/c/quickstart"
