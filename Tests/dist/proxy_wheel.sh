#!/usr/bin/env bash
# The risk proxy as a user installs it (make test-dist-python): the wheel with its `proxy`
# extra in a fresh venv, from a temp dir outside the repository (no X402SECURE_LIB, no
# repository path). The extra's packages (starlette, uvicorn, psycopg, prometheus-client,
# httpx) come from the repository venv, where requirements-test.txt pins them, so this runs
# offline. Checks: `x402secure-proxy --check-config`, a refused bad configuration, a start on
# a free loopback port with SQLite in the temp dir, /health, a payment verified and settled
# once through /verify and /settle, the published receipt key, and a clean SIGTERM.
# Usage: VPY=.venv/bin/python Tests/dist/proxy_wheel.sh build/dist
set -euo pipefail
dist="$(cd "${1:?usage: proxy_wheel.sh DIST_DIR}" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
: "${VPY:?set VPY to the python of the repository venv}"
venvbin="$(cd "$(dirname "$VPY")" && pwd)"
VPY="$venvbin/$(basename "$VPY")"
version="$(cat "$root/VERSION")"
unset X402SECURE_LIB X402SECURE_CLI X402SECURE_NODE_ADDON PYTHONPATH
tmp="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp"
passed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }

wheel="$(ls "$dist"/x402secure-"$version"-py3-none-manylinux_*_x86_64.whl)"
python3 -m venv --without-pip venv
"$VPY" -m pip --python venv/bin/python install -q --no-index --no-deps --disable-pip-version-check "$wheel"
# the extra's dependencies: the repository venv's site-packages as a plain path (its .pth
# files, among them the editable x402secure, are not processed), after the wheel's own
site="$(venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
"$VPY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' >"$site/zz-proxy-extra.pth"
venv/bin/python - "$tmp" <<'PY'
import sys, x402secure
assert x402secure.__file__.startswith(sys.argv[1]), x402secure.__file__  # the wheel's, not the repository's
PY
ok "wheel + proxy extra in a fresh venv ($(venv/bin/python -c 'import starlette, uvicorn, psycopg; print("starlette", starlette.__version__, "uvicorn", uvicorn.__version__, "psycopg", psycopg.__version__)'))"

venv/bin/x402secure-proxy --check-config --sqlite-path "$tmp/p.db" >check.json
grep -q '"ok": true' check.json || { cat check.json; echo "FAIL: --check-config" >&2; exit 1; }
if X402S_PROXY_UNASSESSED=maybe venv/bin/x402secure-proxy --check-config >bad.txt 2>&1; then
  echo "FAIL: a bad value was accepted" >&2; exit 1
fi
grep -q "configuration error: unassessed" bad.txt || { cat bad.txt; echo "FAIL: no clear configuration error" >&2; exit 1; }
ok "x402secure-proxy --check-config: a good configuration passes, X402S_PROXY_UNASSESSED=maybe is refused"

venv/bin/x402secure-proxy --port 0 --sqlite-path "$tmp/p.db" --log-level warning >ready.txt 2>proxy.log &
pid=$!
for _ in $(seq 200); do [ -s ready.txt ] && break; sleep 0.1; done
url="$(venv/bin/python -c 'import json,sys; print(json.loads(open("ready.txt").readline())["url"])')"
venv/bin/python - "$url" <<'PY'
import json, sys, time, urllib.request
from x402secure import EvmAccount, x402, evidence
url = sys.argv[1]

def call(path, body=None):
    req = urllib.request.Request(url + path, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"}, method="GET" if body is None else "POST")
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, {k.lower(): v for k, v in r.headers.items()}, json.loads(r.read())

assert call("/health")[2]["status"] == "ok"
pr = x402.payment_required_response([{"network": "eip155:84532", "payTo": "0x" + "12" * 20, "price": "$0.01"}],
                                    resource="http://127.0.0.1:9/paid").payment_required
with EvmAccount.from_key("0x" + "01" * 32) as a:
    _, value = x402.create_payment_header(pr, a)
body = {"x402Version": 2, "paymentPayload": x402.decode_payment_header(value), "paymentRequirements": pr["accepts"][0]}
s, h, v = call("/verify", body)
assert v["isValid"] is True and h["x-risk-decision"] == "unassessed", v
keys = call("/.well-known/x402-secure/receipt-key")[2]
assert evidence.verify_receipt(h["x-risk-receipt"], keys).is_valid
s1 = call("/settle", body)[2]
s2 = call("/settle", body)
assert s1["success"] is True and s2[2] == s1 and s2[1]["x-settlement-replay"] == "true"
assert call("/verify", body)[2]["invalidReason"] == "invalid_exact_evm_nonce_already_used"
PY
ok "served from the wheel: /health, /verify (receipt verifies under the published key), /settle once, verify reflects it"
kill -TERM "$pid"
wait "$pid" || true
pid=""
[ -f "$tmp/p.db" ] && [ -f "$tmp/p.db.receipt-key" ] || { echo "FAIL: no SQLite file or receipt key" >&2; exit 1; }
ok "SIGTERM: stopped; state and the receipt key (mode $(stat -c %a "$tmp/p.db.receipt-key")) in the temp dir"
echo "proxy from the wheel: $passed passed, 0 failed"
