#!/usr/bin/env bash
# The Python packages as a user gets them (make test-dist-python), from a temp dir outside the
# repository with no X402SECURE_LIB and no repository path:
#   - auditwheel show reports the manylinux tag the wheel's name carries; py3-none (one wheel
#     for every CPython); the library is stripped;
#   - the wheel installs into fresh venvs of the oldest and newest CPython here (3.9 ... 3.13
#     where pyenv has them) and the smoke test (Tests/dist/smoke.py) passes in each;
#   - ldd of the installed library: glibc and the GCC runtime from the system, libsecp256k1 and
#     libsodium from the wheel's own x402secure.libs/, nothing else;
#   - the sdist has no binary, and installing it where no Swift toolchain is on PATH stops
#     with the one message saying what to do.
# Usage: VPY=.venv/bin/python Tests/dist/python_wheel.sh build/dist
# Writes <dist>/smoke-python.json (the smoke test's deterministic results, for the npm test).
set -euo pipefail
dist="$(cd "${1:?usage: python_wheel.sh DIST_DIR}" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
: "${VPY:?set VPY to the python of the repository venv (auditwheel, pip)}"
venvbin="$(cd "$(dirname "$VPY")" && pwd)"
VPY="$venvbin/$(basename "$VPY")"
version="$(cat "$root/VERSION")"
unset X402SECURE_LIB X402SECURE_CLI X402SECURE_NODE_ADDON PYTHONPATH
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
cp "$here/smoke.py" "$tmp/smoke.py"
passed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }

wheels=("$dist"/x402secure-"$version"-py3-none-manylinux_*_x86_64.whl)
[ "${#wheels[@]}" = 1 ] && [ -f "${wheels[0]}" ] || { echo "FAIL: no single manylinux wheel in $dist" >&2; exit 1; }
wheel="${wheels[0]}"
tag="$(basename "$wheel" .whl | sed 's/.*-py3-none-//')"
PATH="$venvbin:$PATH" "$venvbin/auditwheel" show "$wheel" >show.txt
grep -q "platform tag: \"$tag\"" show.txt || { cat show.txt; echo "FAIL: auditwheel show does not report $tag" >&2; exit 1; }
ok "auditwheel show: $tag ($(du -k "$wheel" | cut -f1) kB)"

# Fresh venvs (no pip inside: the repository venv's pip installs into them, offline).
pythons=()
for v in 3.9 3.13; do
  p="$(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/$v.*/bin/python$v 2>/dev/null | head -1 || true)"
  [ -n "$p" ] && pythons+=("$p")
done
[ "${#pythons[@]}" -gt 0 ] || pythons=(python3)
for py in "${pythons[@]}"; do
  pv="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
  "$py" -m venv --without-pip "venv-$pv"
  "$VPY" -m pip --python "venv-$pv/bin/python" install -q --no-index --no-deps --disable-pip-version-check "$wheel"
  "venv-$pv/bin/python" smoke.py "$version" >"smoke-$pv.json"
  ok "wheel installed in a fresh CPython $pv venv: smoke test (hashes, EIP-712, x402 EVM + Solana create/verify, risk headers)"
done
cmp -s "smoke-${pv}.json" "$(ls smoke-*.json | head -1)" || { echo "FAIL: CPython versions disagree" >&2; exit 1; }
cp "smoke-$pv.json" "$dist/smoke-python.json"

site="$("venv-$pv/bin/python" -c 'import x402secure, os; print(os.path.dirname(os.path.dirname(x402secure.__file__)))')"
lib="$site/x402secure/_lib/libx402secure.so"
ldd "$lib" | tee ldd.txt
while read -r name _ path _; do
  case "$name" in
    linux-vdso.so.*|ld-linux-x86-64.so.*|/lib64/ld-linux-x86-64.so.*|libc.so.6|libm.so.6|libdl.so.2|libpthread.so.0|librt.so.1) ;;
    libstdc++.so.6|libgcc_s.so.1) ;;  # the GCC runtime every manylinux system has (PEP 600)
    libsecp256k1-*|libsodium-*)
      [[ "$(realpath "$path")" == "$(realpath "$site")/x402secure.libs/"* ]] || { echo "FAIL: $name resolves to $path, not the wheel's copy" >&2; exit 1; } ;;
    *) echo "FAIL: the shipped library needs $name" >&2; exit 1 ;;
  esac
done <ldd.txt
if grep -q "not found" ldd.txt; then echo "FAIL: unresolved dependency" >&2; exit 1; fi
ok "ldd: only glibc-family libraries and the GCC runtime from the system; libsecp256k1, libsodium bundled"
if readelf -S "$lib" | grep -q '\.symtab'; then echo "FAIL: $lib is not stripped" >&2; exit 1; fi
ok "the shipped library is stripped ($(du -k "$lib" | cut -f1) kB)"

# The sdist: no binary; without Swift it stops with the message.
sdists=("$dist"/x402secure-"$version".tar.gz)
[ -f "${sdists[0]}" ] || { echo "FAIL: no sdist in $dist" >&2; exit 1; }
tar -tzf "${sdists[0]}" >sdist.txt
grep -q "/core/Package.swift$" sdist.txt && grep -q "/core/scripts/swift_release.sh$" sdist.txt || { echo "FAIL: sdist lacks the core sources" >&2; exit 1; }
if grep -qE '\.(so|node|a|o)(\.|$)' sdist.txt; then echo "FAIL: sdist carries a binary" >&2; exit 1; fi
ok "sdist: core sources, no binary"
nopath="$venvbin:/usr/bin:/bin"
if PATH="$nopath" command -v swift >/dev/null; then echo "FAIL: swift is on $nopath; cannot test its absence" >&2; exit 1; fi
if PATH="$nopath" "$VPY" -m pip install --no-build-isolation --no-deps --disable-pip-version-check \
     --target "$tmp/sdist-target" "${sdists[0]}" >sdist-install.txt 2>&1; then
  echo "FAIL: installing the sdist without Swift succeeded" >&2; exit 1
fi
grep -q "cannot build the native library (libx402secure.so)" sdist-install.txt &&
  grep -q "no Swift toolchain (\`swift\`) on PATH" sdist-install.txt &&
  grep -q "pip install --only-binary x402secure x402secure" sdist-install.txt ||
  { cat sdist-install.txt; echo "FAIL: the sdist's no-Swift message is missing" >&2; exit 1; }
ok "sdist without Swift: stops with the message saying what to do"
echo "python packages: $passed passed, 0 failed"
