#!/usr/bin/env bash
# Proves libx402secure.so is self-contained: the Swift runtime and OpenSSL's libcrypto are
# linked in (scripts/swift_release.sh), so only libsecp256k1, libsodium, the GCC runtime and
# libc-level libraries remain, and it loads with no Swift toolchain on the library path.
set -euo pipefail
lib="${1:?usage: check_ldd.sh path/to/libx402secure.so}"
deps=$(ldd "$lib")
echo "$deps"
if grep -qi swift <<<"$deps"; then
  echo "FAIL: $lib depends on a Swift runtime library" >&2; exit 1
fi
allowed='^(linux-vdso|libsecp256k1|libsodium|libstdc\+\+|libm|libgcc_s|libc|libz|libzstd|libdl|libpthread|librt|libutil|/lib64/ld-linux)'
bad=0
while read -r name _; do
  [ -z "$name" ] && continue
  if ! grep -qE "$allowed" <<<"$name"; then echo "FAIL: unexpected run-time dependency $name" >&2; bad=1; fi
done <<<"$deps"
[ "$bad" = 0 ] || exit 1
if readelf -d "$lib" | grep -E 'RUNPATH|RPATH' | grep -q /opt/swift; then
  echo "FAIL: $lib has a run path into the Swift toolchain" >&2; exit 1
fi
# Load it with the toolchain's libraries out of reach.
env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH= python3 -c "
import ctypes, sys
lib = ctypes.CDLL(sys.argv[1])
lib.x402s_abi_version.restype = ctypes.c_uint32
v = lib.x402s_abi_version()
assert v >> 16 == 1, v
print('loaded without a Swift toolchain, ABI', v >> 16, v & 0xffff)
" "$lib"
echo "1 passed, 0 failed"
