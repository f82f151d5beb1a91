#!/usr/bin/env bash
# Compiles the C ABI smoke test as C99 and as C++ against the hand-written header, links it
# against the built library and runs it.
set -euo pipefail
lib="${1:?usage: run.sh path/to/libx402secure.so}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
libdir="$(dirname "$lib")"
cc -std=c99 -Wall -Wextra -Werror -pedantic -I"$root/include" "$here/abi_smoke.c" \
   -L"$libdir" -lx402secure -Wl,-rpath,"$libdir" -o "$out/smoke_c"
c++ -x c++ -std=c++17 -Wall -Wextra -Werror -pedantic -I"$root/include" "$here/abi_smoke.c" \
   -L"$libdir" -lx402secure -Wl,-rpath,"$libdir" -o "$out/smoke_cpp"
"$out/smoke_c"
"$out/smoke_cpp"
