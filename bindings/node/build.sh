#!/usr/bin/env bash
# Build the N-API addon bindings/node/build/x402s_node.node with the plain C compiler.
# Usage: bash bindings/node/build.sh [path/to/libx402secure.so]
# (default: <repo>/build/lib/libx402secure.so). The library is copied next to
# the addon, which finds it through rpath $ORIGIN.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
LIB="${1:-$ROOT/build/lib/libx402secure.so}"
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
mkdir -p "$HERE/build"
cp "$LIB" "$HERE/build/libx402secure.so"
"$CC" -O2 -std=c11 -Wall -Wextra -Werror -shared -fPIC \
  -I"$NODE_INC" -I"$ROOT/include" \
  "$HERE"/src/*.c -o "$HERE/build/x402s_node.node" \
  -L"$HERE/build" -lx402secure -Wl,-rpath,'$ORIGIN'
echo "built $HERE/build/x402s_node.node"
