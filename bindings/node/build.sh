#!/usr/bin/env bash
# Build the N-API addon x402s_node.node with the plain C compiler (the developer build of the
# repository; an installed npm package builds from source with node-gyp, see binding.gyp).
# Usage: bash bindings/node/build.sh [path/to/libx402secure.so] [OUT_DIR]
# (defaults: <repo>/build/lib/libx402secure.so, bindings/node/build). The library is copied
# next to the addon under its SONAME (libx402secure.so.<ABI major>), which the addon finds
# through rpath $ORIGIN.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
LIB="${1:-$ROOT/build/lib/libx402secure.so}"
OUT="${2:-$HERE/build}"
CC="${CC:-cc}"
NODE="${NODE:-node}"
if [ ! -f "$LIB" ]; then
  echo "build.sh: $LIB not found (run 'make lib' first)" >&2
  exit 1
fi
# Node's headers live at <prefix>/include/node, with <prefix> = dirname(dirname(execPath)).
NODE_INC="$("$NODE" -p "require('path').join(require('path').dirname(require('path').dirname(process.execPath)), 'include', 'node')")"
if [ ! -f "$NODE_INC/node_api.h" ]; then
  echo "build.sh: node_api.h not found in $NODE_INC" >&2
  exit 1
fi
SONAME="$(readelf -d "$LIB" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')"
SONAME="${SONAME:-libx402secure.so}"
mkdir -p "$OUT"
rm -f "$OUT"/libx402secure.so*
cp "$LIB" "$OUT/$SONAME"
[ "$SONAME" = libx402secure.so ] || ln -s "$SONAME" "$OUT/libx402secure.so"   # for -lx402secure
"$CC" -O2 -std=c11 -Wall -Wextra -Werror -shared -fPIC \
  -I"$NODE_INC" -I"$ROOT/include" \
  "$HERE"/src/*.c -o "$OUT/x402s_node.node" \
  -L"$OUT" -lx402secure -Wl,-rpath,'$ORIGIN'
[ "$SONAME" = libx402secure.so ] || rm -f "$OUT/libx402secure.so"
echo "built $OUT/x402s_node.node"
