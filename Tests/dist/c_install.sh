#!/usr/bin/env bash
# make install as a packager runs it (make test-dist-c): a staged install
# (make install PREFIX=/opt/x402secure DESTDIR=<tmp>/stage), then, from a temp dir outside
# the repository, the README's C snippet compiled exactly as the README says, with
# pkg-config --cflags --libs x402secure (pointed at the staged tree), and run with only the
# staged lib dir on the loader path; readelf -d shows the SONAME; the links are the usual ones.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="$(cat "$root/VERSION")"
abi_major="$(sed -n 's/^#define X402S_ABI_VERSION_MAJOR \([0-9][0-9]*\).*/\1/p' "$root/include/x402_secure.h")"
abi_minor="$(sed -n 's/^#define X402S_ABI_VERSION_MINOR \([0-9][0-9]*\).*/\1/p' "$root/include/x402_secure.h")"
unset X402SECURE_LIB X402SECURE_CLI LD_LIBRARY_PATH
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
passed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }

prefix=/opt/x402secure
stage="$tmp/stage"
make -s -C "$root" install PREFIX="$prefix" DESTDIR="$stage" >/dev/null
libdir="$stage$prefix/lib"
real="libx402secure.so.$abi_major.$abi_minor.${version##*.}"
real="${real%%-*}"
[ -f "$libdir/$real" ] && [ ! -L "$libdir/$real" ] || { ls -la "$libdir"; echo "FAIL: $real missing" >&2; exit 1; }
[ "$(readlink "$libdir/libx402secure.so.$abi_major")" = "$real" ] || { echo "FAIL: SONAME link" >&2; exit 1; }
[ "$(readlink "$libdir/libx402secure.so")" = "libx402secure.so.$abi_major" ] || { echo "FAIL: dev link" >&2; exit 1; }
[ -f "$stage$prefix/include/x402_secure.h" ] && [ -x "$stage$prefix/bin/x402secure" ] || { echo "FAIL: header or CLI missing" >&2; exit 1; }
ok "staged install: include/x402_secure.h, lib/$real + libx402secure.so.$abi_major + libx402secure.so links, lib/pkgconfig/x402secure.pc, bin/x402secure"
soname="$(readelf -d "$libdir/$real" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')"
[ "$soname" = "libx402secure.so.$abi_major" ] || { echo "FAIL: SONAME is '$soname'" >&2; exit 1; }
if readelf -S "$libdir/$real" | grep -q '\.symtab'; then echo "FAIL: installed library not stripped" >&2; exit 1; fi
ok "readelf -d: SONAME $soname (stripped)"

cd "$tmp"
bash "$here/readme_snippet.sh" "$root/README.md" c >hello_x402.c
export PKG_CONFIG_PATH="$libdir/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$stage"
[ "$(pkg-config --modversion x402secure)" = "$version" ] || { echo "FAIL: pkg-config version" >&2; exit 1; }
# shellcheck disable=SC2046
cc -std=c99 -Wall -Wextra -Werror hello_x402.c $(pkg-config --cflags --libs x402secure) -o hello_x402
readelf -d hello_x402 | grep -q "NEEDED.*\[libx402secure.so.$abi_major\]" || { echo "FAIL: the program does not record the SONAME" >&2; exit 1; }
out="$(LD_LIBRARY_PATH="$libdir" ./hello_x402)"
echo "$out"
[ "$out" = "x402secure $version: signed by 0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1" ] || { echo "FAIL: unexpected output" >&2; exit 1; }
ok "README C snippet: built with pkg-config --cflags --libs x402secure, runs with only the staged lib dir on the loader path"
[ "$("$stage$prefix/bin/x402secure" --version)" = "$version" ] || { echo "FAIL: installed CLI --version" >&2; exit 1; }
ok "installed CLI: x402secure --version = $version"
echo "c install: $passed passed, 0 failed"
