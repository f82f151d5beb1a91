#!/usr/bin/env bash
# The one recipe for release builds of the core (used by the Makefile and by the Python sdist's
# build step): swift build -c release for one product, with
#   - the Swift runtime linked in (-static-stdlib), only the x402s_* C ABI exported;
#   - OpenSSL's libcrypto linked in statically (Debian's libcrypto.a is position-independent;
#     only its SHA-256 objects are pulled in, ~40 KB), so the library's run-time C dependencies
#     are libsecp256k1 and libsodium alone (their Debian .a files are not PIC);
#   - for the library product, the SONAME libx402secure.so.<ABI major> (include/x402_secure.h).
# Usage: scripts/swift_release.sh PRODUCT [extra swift build args...]
# Prints the path of the built product (the only line on stdout; the build logs to stderr).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ "${1:-}" = --product ] && shift   # also accept swift build's spelling
product="${1:?usage: swift_release.sh PRODUCT [swift build args...]}"
shift
SWIFT="${SWIFT:-swift}"
cd "$root"

for pc in libsecp256k1 libsodium libcrypto; do
  if ! pkg-config --exists "$pc"; then
    echo "swift_release.sh: pkg-config does not find $pc; install the Debian packages" \
         "libsecp256k1-dev libsodium-dev libssl-dev pkg-config" >&2
    exit 1
  fi
done

# A pkg-config directory whose libcrypto.pc points at a directory holding only libcrypto.a:
# SwiftPM puts that -L first, so the linker takes the archive instead of libcrypto.so.
scratch="${SWIFT_SCRATCH:-$root/.build}"
static="$scratch/x402s-static"
archive="$(pkg-config --variable=libdir libcrypto)/libcrypto.a"
if [ ! -f "$archive" ]; then
  echo "swift_release.sh: $archive not found (Debian's libssl-dev ships it)" >&2
  exit 1
fi
mkdir -p "$static/lib" "$static/pkgconfig"
ln -sf "$archive" "$static/lib/libcrypto.a"
pcfile="$static/pkgconfig/libcrypto.pc"
pctext="prefix=/usr
includedir=$(pkg-config --variable=includedir libcrypto)
Name: libcrypto
Description: OpenSSL libcrypto, static archive only (x402-secure release builds)
Version: $(pkg-config --modversion libcrypto)
Libs: -L$static/lib -lcrypto
Cflags: -I\${includedir}"
# Rewrite only when it changed: SwiftPM re-plans when a .pc file is newer.
[ -f "$pcfile" ] && [ "$(cat "$pcfile")" = "$pctext" ] || printf '%s\n' "$pctext" >"$pcfile"

args=(-c release --scratch-path "$scratch" --product "$product"
      -Xswiftc -static-stdlib -Xlinker "--version-script=$root/scripts/exports.map")
if [ "$product" = x402secure ]; then
  abi_major="$(sed -n 's/^#define X402S_ABI_VERSION_MAJOR \([0-9][0-9]*\).*/\1/p' include/x402_secure.h)"
  args+=(-Xlinker "-soname=libx402secure.so.$abi_major")
fi
PKG_CONFIG_PATH="$static/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}" "$SWIFT" build "${args[@]}" "$@" >&2
case "$product" in
  x402secure) echo "$scratch/release/libx402secure.so" ;;
  *) echo "$scratch/release/$product" ;;
esac
