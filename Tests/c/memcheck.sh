#!/usr/bin/env bash
# Memory check of the C ABI under valgrind memcheck (make test-memcheck).
#
#  1. self-check: the run must fail on a deliberately leaked signer and replay guard (they stay
#     reachable from the library's handle table, so leak_loop counts live handles with
#     x402s_handle_count instead of relying on memcheck), and memcheck must fail it on a
#     deliberate over-read inside libx402secure.so (else this check proves nothing);
#  2. the C ABI smoke test (Tests/c/abi_smoke.c, C99) under memcheck;
#  3. the leak loop (Tests/c/leak_loop.c): bad and good input through a representative set of
#     functions, ITERATIONS times each (default 200), under memcheck, so that a per-call leak
#     shows up as hundreds of definitely lost blocks;
#  4. the same loop without valgrind, measuring glibc's heap in use per case (catches memory
#     that stays reachable, which memcheck does not count as an error).
#
# Fails on any definitely or indirectly lost block and on any memcheck error (invalid
# read/write, use of uninitialised values, bad free). "Possibly lost" and "still reachable"
# blocks are not errors: the statically linked Swift runtime keeps its type-metadata caches
# for the life of the process (and stores tagged pointers into them, which memcheck reports
# as possibly lost), and the library's own caches are bounded. No suppressions are needed.
set -euo pipefail
lib="${1:?usage: memcheck.sh path/to/libx402secure.so [iterations]}"
iterations="${2:-${ITERATIONS:-200}}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
libdir="$(cd "$(dirname "$lib")" && pwd)"
if ! command -v valgrind >/dev/null; then
  echo "FAIL: valgrind is not installed (make deps installs it; on an existing build: rm build/.deps && make deps)" >&2
  exit 1
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
start=$SECONDS

cflags=(-std=c99 -g -O1 -Wall -Wextra -Werror -pedantic -I"$root/include")
ldflags=(-L"$libdir" -lx402secure -Wl,-rpath,"$libdir")
cc "${cflags[@]}" "$here/abi_smoke.c" "${ldflags[@]}" -o "$out/smoke"
cc "${cflags[@]}" "$here/leak_loop.c" "${ldflags[@]}" -o "$out/leak_loop"

memcheck_rc=97
vg=(valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect
    --errors-for-leak-kinds=definite,indirect --error-exitcode=$memcheck_rc --num-callers=40)

summary() {  # the lines that matter from a memcheck log
  grep -E 'definitely lost:|indirectly lost:|possibly lost:|still reachable:|ERROR SUMMARY:' "$1" \
    | sed -E 's/^==[0-9]+== +//' | sed 's/^/    /'
}

# run NAME ARGS...: the program under memcheck; fails (with the log) on a non-zero exit.
run() {
  local name="$1"; shift
  local log="$out/$name.log" t0=$SECONDS rc=0
  "${vg[@]}" --log-file="$log" "$@" >"$out/$name.out" 2>&1 || rc=$?
  tail -n 2 "$out/$name.out" | sed 's/^/    /'
  summary "$log"
  if [ "$rc" != 0 ]; then
    cat "$out/$name.out" >&2
    cat "$log" >&2
    if [ "$rc" = "$memcheck_rc" ]; then
      echo "FAIL: memcheck found leaks or memory errors in $name (log above)" >&2
    else
      echo "FAIL: $name exited with status $rc under memcheck (log above)" >&2
    fi
    exit 1
  fi
  echo "    ok: $name, $((SECONDS - t0)) s"
}

# expect_caught NAME PATTERN ARGS...: the program must make memcheck fail with PATTERN in the log.
expect_caught() {
  local name="$1" pattern="$2"; shift 2
  local log="$out/$name.log" rc=0
  "${vg[@]}" --log-file="$log" "$@" >"$out/$name.out" 2>&1 || rc=$?
  if [ "$rc" != "$memcheck_rc" ] || ! grep -qE "$pattern" "$log"; then
    cat "$log" >&2
    echo "FAIL: self-check $name: memcheck did not report it (exit $rc, want $memcheck_rc and /$pattern/)" >&2
    exit 1
  fi
  echo "    ok: memcheck caught it ($(grep -oE "$pattern" "$log" | head -n 1))"
}

echo "memcheck: self-check (a deliberate leak and a deliberate over-read must fail the run)"
rc=0
"${vg[@]}" --log-file="$out/deliberate-leak.log" "$out/leak_loop" --deliberate-leak >"$out/deliberate-leak.out" 2>&1 || rc=$?
if [ "$rc" != 1 ] || ! grep -q 'leaked handles: 2 still live' "$out/deliberate-leak.out"; then
  cat "$out/deliberate-leak.out" "$out/deliberate-leak.log" >&2
  echo "FAIL: self-check deliberate-leak: the leaked handles were not reported (exit $rc)" >&2
  exit 1
fi
echo "    ok: the leak check caught it (leaked handles: 2 still live)"
expect_caught deliberate-overread 'Invalid read of size [0-9]+' "$out/leak_loop" --deliberate-overread

echo "memcheck: C ABI smoke test"
run smoke "$out/smoke"

echo "memcheck: leak loop, $iterations iterations of each case"
run leak_loop "$out/leak_loop" "$iterations"

echo "heap growth per case (no valgrind), $iterations iterations"
"$out/leak_loop" --heap-growth "$iterations" | sed 's/^/    /'

echo "memcheck: no leaks, no memory errors ($((SECONDS - start)) s)"
