#!/usr/bin/env bash
# Constant-time check of the signing entry points under valgrind memcheck (make test-ctime).
#
# ctgrind, as libsecp256k1's ctime_tests: Tests/c/ctime.c marks each secret key or seed
# undefined before calling an entry point that takes it (sign, EIP-712 sign, signers, address
# and public key derivation, Ed25519, x402 payment creation, Solana transactions, payment
# evidence), so memcheck reports every conditional jump and every memory address that depends
# on the secret: in our Swift code, in OpenSSL's SHA-256 under the RFC 6979 nonce function,
# in libsodium and in libsecp256k1.
#
#  1. self-check: memcheck must fail the run on a branch and on a table index on the secret in
#     C, on a secret-dependent branch in our Swift code, and on branches inside libsecp256k1
#     (outside signing) and libsodium, all with the suppressions in force;
#  2. the check: every case, no memcheck error; the one suppression (Tests/c/ctime.supp,
#     libsecp256k1's own declassification points in signing) must be used exactly twice per
#     signature made with a secret key, so it cannot hide anything else.
set -euo pipefail
lib="${1:?usage: ctime.sh path/to/libx402secure.so}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
libdir="$(cd "$(dirname "$lib")" && pwd)"
if ! command -v valgrind >/dev/null || [ ! -f /usr/include/valgrind/memcheck.h ]; then
  echo "FAIL: valgrind (and its memcheck.h) is not installed (make deps installs it; on an existing build: rm build/.deps && make deps)" >&2
  exit 1
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
start=$SECONDS

cc -std=c99 -g -O1 -Wall -Wextra -Werror -pedantic -I"$root/include" "$here/ctime.c" \
   -L"$libdir" -lx402secure -Wl,-rpath,"$libdir" -o "$out/ctime"

memcheck_rc=97
vg=(valgrind --tool=memcheck --track-origins=yes --error-exitcode=$memcheck_rc --num-callers=40
    --suppressions="$here/ctime.supp" -s)

# expect_caught MODE PATTERN: memcheck must fail the deliberately leaky MODE with PATTERN in its log.
expect_caught() {
  local mode="$1" pattern="$2" log="$out/leak.log" rc=0
  "${vg[@]}" --log-file="$log" "$out/ctime" "$mode" >"$out/leak.out" 2>&1 || rc=$?
  if [ "$rc" != "$memcheck_rc" ] || ! grep -qE "$pattern" "$log"; then
    cat "$out/leak.out" "$log" >&2
    echo "FAIL: self-check $mode: memcheck did not report it (exit $rc, want $memcheck_rc and /$pattern/)" >&2
    exit 1
  fi
  echo "    ok: $mode caught ($(grep -m1 -oE 'Conditional jump or move depends on uninitialised value|Use of uninitialised value of size [0-9]+' "$log"), $(grep -m1 -oE "$pattern" "$log"))"
}

echo "ctime: self-check (deliberate secret-dependent branches and indices must fail the run)"
expect_caught --leak-c-branch 'at 0x[0-9A-F]+: leak \(ctime\.c:'
expect_caught --leak-c-index 'Use of uninitialised value of size 8'
expect_caught --leak-swift 'Base58\.swift'
expect_caught --leak-secp256k1 'secp256k1_ec_pubkey_parse \(in [^)]*libsecp256k1'
expect_caught --leak-sodium '\(in [^)]*libsodium'

echo "ctime: secret keys and seeds marked undefined in every signing entry point"
log="$out/ctime.log"
rc=0
"${vg[@]}" --log-file="$log" "$out/ctime" >"$out/ctime.out" 2>"$out/ctime.err" || rc=$?
sed 's/^/    /' "$out/ctime.out"
if [ "$rc" != 0 ]; then
  cat "$out/ctime.err" "$log" >&2
  if [ "$rc" = "$memcheck_rc" ]; then
    echo "FAIL: memcheck reports a secret-dependent branch or memory index (log above: the 'at' line is where," >&2
    echo "      'Uninitialised value was created by' where the secret came from)" >&2
  else
    echo "FAIL: ctime exited with status $rc (log above)" >&2
  fi
  exit 1
fi
signatures=$(sed -nE 's/^secp256k1 signatures with an undefined key: ([0-9]+)$/\1/p' "$out/ctime.out")
# valgrind -s lists the used suppressions ("used_suppression: COUNT NAME FILE:LINE") at exit
used=$(cat "$log" "$out/ctime.err" | sed -nE 's/^.*used_suppression: +([0-9]+) libsecp256k1-ecdsa-sign-nonce-valid-and-success .*/\1/p')
others=$(cat "$log" "$out/ctime.err" | grep -E 'used_suppression:' | grep -vc 'libsecp256k1-ecdsa-sign-nonce-valid-and-success' || true)
if [ -z "$signatures" ] || [ "$signatures" -lt 1 ] || [ "${used:-0}" != $((2 * signatures)) ] || [ "$others" != 0 ]; then
  cat "$log" "$out/ctime.err" | grep -E 'used_suppression:' >&2 || true
  echo "FAIL: the libsecp256k1 signing suppression was used ${used:-0} times, want exactly 2 per signature with a secret key ($signatures)" >&2
  exit 1
fi
echo "    suppressed: ${used} reports inside libsecp256k1's signing (2 per signature: nonce valid, signature valid)"
# the key reached our RFC 6979 nonce function undefined and every nonce came out undefined
nonces=$(sed -nE 's/^RFC 6979 nonces from an undefined key: ([0-9]+), .*/\1/p' "$out/ctime.out")
nonces_undefined=$(sed -nE 's/^RFC 6979 nonces from an undefined key: [0-9]+, all 256 nonce bits undefined in: ([0-9]+)$/\1/p' "$out/ctime.out")
if [ "${nonces:-0}" != "$signatures" ] || [ "${nonces_undefined:-0}" != "$signatures" ]; then
  echo "FAIL: want $signatures nonces computed by our nonce function from an undefined key, all undefined; got ${nonces:-?} (${nonces_undefined:-?} undefined)" >&2
  exit 1
fi
grep -m1 -E 'ERROR SUMMARY' "$log" | sed -E 's/^==[0-9]+== +/    /'
echo "ctime: no secret-dependent branch or memory index ($((SECONDS - start)) s)"
