#!/usr/bin/env bash
# The npm package as a user gets it (make test-dist-node), in a fresh project in a temp dir
# outside the repository, offline, with no X402SECURE_LIB or addon path:
#   - npm install <tarball> keeps the prebuilt linux-x64 addon (install hook) and its ldd
#     shows only glibc-family libraries and the GCC runtime from the system;
#   - the smoke test through require() and through ESM named imports (every value name of
#     index.d.ts), with results byte-identical to the Python wheel's (<dist>/smoke-python.json);
#   - the packaged example seller (examples/seller.js) answers 402 with PAYMENT-REQUIRED;
#   - the source build: X402SECURE_BUILD_FROM_SOURCE=1 npm rebuild builds the addon with
#     node-gyp against this Node's headers and a given library, and it works; with no library
#     to build against it stops with the message saying what to do.
# Usage: Tests/dist/npm_package.sh build/dist     (after Tests/dist/python_wheel.sh)
set -euo pipefail
dist="$(cd "${1:?usage: npm_package.sh DIST_DIR}" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="$(cat "$root/VERSION")"
tgz="$dist/x402secure-$version.tgz"
[ -f "$tgz" ] || { echo "FAIL: $tgz missing (make npm-pack)" >&2; exit 1; }
[ -f "$dist/smoke-python.json" ] || { echo "FAIL: $dist/smoke-python.json missing (run Tests/dist/python_wheel.sh first)" >&2; exit 1; }
unset X402SECURE_LIB X402SECURE_CLI X402SECURE_NODE_ADDON X402SECURE_BUILD_FROM_SOURCE NODE_PATH
tmp="$(mktemp -d)"
seller_pid=""
cleanup() { [ -n "$seller_pid" ] && kill "$seller_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
passed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }

proj="$tmp/app"
mkdir -p "$proj" && cd "$proj"
printf '{ "name": "app", "version": "1.0.0", "private": true }\n' >package.json
cp "$here/smoke_body.cjs" "$here/smoke.cjs" "$here/smoke.mjs" .
npm install --offline --no-audit --no-fund --foreground-scripts --loglevel=error "$tgz" >install.log 2>&1
grep -q "using the prebuilt addon for linux-x64" install.log || { cat install.log; echo "FAIL: the prebuilt addon was not used" >&2; exit 1; }
pkg="$proj/node_modules/x402secure"
ok "npm install --offline of the tarball into a fresh project (prebuilt addon kept)"

ldd "$pkg/prebuilds/linux-x64/x402s_node.node" "$pkg"/prebuilds/linux-x64/libx402secure.so.* | tee ldd.txt
while read -r name arrow path _; do
  case "$name" in
    */*:|"") ;;   # the file headers ldd prints for several files
    linux-vdso.so.*|/lib64/ld-linux-x86-64.so.*|ld-linux-x86-64.so.*|libc.so.6|libm.so.6|libdl.so.2|libpthread.so.0|librt.so.1) ;;
    libstdc++.so.6|libgcc_s.so.1) ;;
    libx402secure.so.*|libsecp256k1-*|libsodium-*)
      [[ "$(realpath "$path")" == "$(realpath "$pkg")/prebuilds/linux-x64/"* ]] || { echo "FAIL: $name resolves to $path" >&2; exit 1; } ;;
    *) echo "FAIL: the prebuilt addon needs $name $arrow $path" >&2; exit 1 ;;
  esac
done <ldd.txt
ok "ldd: the addon's library and C libraries from the package (\$ORIGIN), the rest glibc and the GCC runtime"

node smoke.cjs "$version" >smoke-require.json
node smoke.mjs "$version" >smoke-import.json
node -e '
const [a, b, c] = process.argv.slice(1).map((f) => JSON.parse(require("fs").readFileSync(f, "utf8")));
const eq = (p, q) => JSON.stringify(Object.entries(p).sort()) === JSON.stringify(Object.entries(q).sort());
if (!eq(a, b)) { console.error("FAIL: require and import disagree"); process.exit(1); }
if (!eq(a, c)) {
  for (const k of new Set([...Object.keys(a), ...Object.keys(c)])) if (a[k] !== c[k]) console.error(`  ${k}: node ${a[k]} python ${c[k]}`);
  console.error("FAIL: the npm package and the Python wheel disagree"); process.exit(1);
}' smoke-require.json smoke-import.json "$dist/smoke-python.json"
ok "smoke test with require() and with ESM named imports; results byte-identical to the Python wheel's"

# The packaged example seller answers 402.
PORT=0 MODE=local PAY_TO_EVM=0x209693Bc6afc0C5328bA36FaF03C514EF312287C node "$pkg/examples/seller.js" >seller.out 2>seller.err &
seller_pid=$!
for _ in $(seq 1 100); do grep -q '"event":"ready"' seller.out 2>/dev/null && break; sleep 0.05; done
url="$(node -e 'const l=require("fs").readFileSync("seller.out","utf8").split("\n").find((s)=>s.includes("ready")); console.log(JSON.parse(l).url)')"
node -e '
(async () => {
  const r = await fetch(process.argv[1] + "/api/market-data");
  const pr = r.headers.get("payment-required");
  if (r.status !== 402 || !pr) { console.error("FAIL: seller answered", r.status); process.exit(1); }
  const x = require("x402secure");
  const req = x.parsePaymentRequired(r.headers, await r.json());
  if (req.accepts[0].network !== "eip155:84532") { console.error("FAIL: offer", req.accepts[0]); process.exit(1); }
})();' "$url"
kill "$seller_pid"; wait "$seller_pid" 2>/dev/null || true; seller_pid=""
ok "the packaged example seller answers 402 with PAYMENT-REQUIRED"

# Source build with node-gyp (offline, this Node's headers) against a given library.
X402SECURE_BUILD_FROM_SOURCE=1 X402SECURE_LIB="$root/build/lib/libx402secure.so" \
  npm rebuild x402secure --offline --foreground-scripts --loglevel=error >rebuild.log 2>&1 || { cat rebuild.log; echo "FAIL: source build" >&2; exit 1; }
[ -f "$pkg/build/Release/x402s_node.node" ] || { cat rebuild.log; echo "FAIL: no build/Release addon" >&2; exit 1; }
node -e 'const p=require.resolve("x402secure"); const x=require("x402secure"); if (x.keccak256(Buffer.from("hello")).toString("hex") !== process.argv[1]) process.exit(1)' \
  "$(node -p 'require("./smoke-require.json").keccak256')"
ok "X402SECURE_BUILD_FROM_SOURCE=1 npm rebuild: node-gyp source build against X402SECURE_LIB loads and works"
rm -rf "$pkg/build"
if X402SECURE_BUILD_FROM_SOURCE=1 PKG_CONFIG_LIBDIR=/nonexistent PKG_CONFIG_PATH= \
   npm rebuild x402secure --offline --foreground-scripts >rebuild2.log 2>&1; then
  echo "FAIL: a source build without a library succeeded" >&2; exit 1
fi
grep -q "no libx402secure to build the addon against was found" rebuild2.log ||
  { cat rebuild2.log; echo "FAIL: no clear message" >&2; exit 1; }
node smoke.cjs "$version" >/dev/null
ok "source build without a library: one message saying what to do (the prebuilt still works)"
echo "npm package: $passed passed, 0 failed"
