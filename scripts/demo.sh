#!/usr/bin/env bash
# The whole 2FA flow in C against a local authy-sandbox: builds the library and the sandbox,
# compiles examples/quickstart.c against include/authy.h, starts the sandbox on a free port,
# runs the example, prints the address of the sandbox's browser UI and stops the sandbox —
# or, with KEEP=1 (`make demo KEEP=1`), keeps it up until Ctrl-C so the flow can be clicked
# through in the UI (the inbox holds the SMS the example sent, Approvals its OneTouch request).
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

# shellcheck source=scripts/sandbox-lib.sh
source scripts/sandbox-lib.sh
trap sandbox_stop_all EXIT
sandbox_start SB --quiet || exit 2
echo "==> running examples/quickstart.c against the sandbox at $SB_URL"
AUTHY_BASE_URL="$SB_URL" AUTHY_API_KEY="$SANDBOX_KEY" "$target/c/quickstart"

echo
echo "==> the sandbox's phone in a browser: $SB_URL/_ui/"
if [ "$SANDBOX_KEY" = sandbox-api-key-0123456789abcdef ]; then
  echo "    (it asks for the API key: the sandbox's default, $SANDBOX_KEY)"
else
  echo "    (it asks for the API key: the one in AUTHY_API_KEY)"
fi
if [ "${KEEP:-}" = 1 ]; then
  echo "==> KEEP=1: the sandbox stays up until Ctrl-C"
  # Ctrl-C reaches the sandbox too (same process group); the EXIT trap stops it otherwise.
  wait "$SB_PID" || true
else
  echo "    (make demo KEEP=1 keeps the sandbox up to click through the flow)"
fi
