"""The risk proxy as a real process on loopback with SQLite: start-up and configuration,
the drop-in facilitator for an official x402 2.25.0 seller (paid by the official client and
by our BuyerClient, EVM and Solana), x402-secure 0.1.4's SellerClient on /x402/*, API keys,
settle-once and verify-reflects-state, restart after SIGKILL, operations endpoints."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import time
import uuid

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
pytest.importorskip("x402secure.x402")

from proxy_harness import KEY, PROXY_EXE, Cluster, demo, evm_payment, session_trace_settle  # noqa: E402

from x402secure import risk, x402  # noqa: E402
from x402secure.client import BuyerClient, BuyerConfig  # noqa: E402

FEE_ENV = {"X402S_DEMO_FEE_PAYER_SEED": demo.FEE_PAYER_SEED.hex()}
FEE_ARGS = ("--solana-fee-payer-seed-env", "X402S_DEMO_FEE_PAYER_SEED")


@pytest.fixture(scope="module")
def cluster():
    with Cluster() as c:
        yield c


@pytest.fixture(scope="module")
def db(cluster):
    return os.path.join(cluster.tmp, "proxy.db")


@pytest.fixture(scope="module")
def admin(cluster, db):
    return cluster.admin_key("--sqlite-path", db)


@pytest.fixture(scope="module")
def px(cluster, db, admin):
    return cluster.proxy("--sqlite-path", db, *FEE_ARGS, env=FEE_ENV)


def auth(key):
    return {"Authorization": f"Bearer {key}"}


# ------------------------------------------------------------------------------ start-up


def test_console_script_and_module_start_the_same_server(cluster, px):
    h = httpx.get(px.url + "/health", timeout=5).json()
    assert h["status"] == "ok"
    other = cluster.start_gateway(name="gateway-module")  # python -m x402secure.gateway
    assert httpx.get(other.url + "/health", timeout=5).json()["status"] == "ok"
    for p in (px, other):
        r = httpx.get(p.url + "/ready", timeout=5)
        assert r.status_code == 200 and r.json()["checks"] == {"store": "ok", "upstream": "ok"}
    assert httpx.get(px.url + "/x402/debug", timeout=5).status_code == 404
    cluster.stop(other)


def test_check_config(cluster, tmp_path):
    good = tmp_path / "proxy.toml"
    good.write_text('[proxy]\nport = 9999\nunassessed = "deny"\nstore = "sqlite"\n')
    out = cluster.proxy_cmd("--config", str(good), "--check-config")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["config"]["port"] == 9999 and doc["config"]["unassessed"] == "deny"
    assert doc["api_keys_required"] == "when keys exist"
    # environment beats the file; the DSN's password is never printed
    out = cluster.proxy_cmd("--config", str(good), "--check-config",
                            env={"X402S_PROXY_PORT": "7777", "X402S_PROXY_STORE": "postgres",
                                 "X402S_PROXY_POSTGRES_DSN": "postgresql://u:hunter2@db/x",
                                 "X402S_PROXY_EVIDENCE_KEY_ENV": "TEST_RECEIPT_SEED", "TEST_RECEIPT_SEED": "42" * 32})
    assert out.returncode == 0 and "hunter2" not in out.stdout and json.loads(out.stdout)["config"]["port"] == 7777
    bad = tmp_path / "bad.toml"
    for text, msg in [("prot = 1\n", "unknown option 'prot'"), ('port = "x"\n', "port"),
                      ('store = "postgres"\n', "postgres_dsn"), ('host = "0.0.0.0"\napi_keys = "off"\n', "refused"),
                      ("settle_lease = 1\n", "settle_lease"), ("port = [\n", "bad.toml")]:
        bad.write_text(text)
        out = cluster.proxy_cmd("--config", str(bad), "--check-config")
        assert out.returncode == 2 and "configuration error" in out.stderr and msg in out.stderr, (text, out.stderr)
    out = cluster.proxy_cmd("--check-config", env={"X402S_PROXY_WORKERZ": "2"})
    assert out.returncode == 2 and "X402S_PROXY_WORKERZ" in out.stderr
    out = cluster.proxy_cmd("--check-config", "--host", "0.0.0.0")
    assert out.returncode == 0 and json.loads(out.stdout)["api_keys_required"] == "always"


def test_config_table_lists_every_option():
    out = subprocess.run([PROXY_EXE, "--print-config-table"], capture_output=True, text=True, timeout=30)
    from x402secure.proxy.config import OPTIONS

    assert out.returncode == 0 and all(f"`{name}`" in out.stdout for name, *_ in OPTIONS)
    # docs/PROXY.md carries the same table (regenerate it with --print-config-table)
    from proxy_harness import REPO

    assert out.stdout in (REPO / "docs" / "PROXY.md").read_text()


# ------------------------------------------------------------------------------ official seller


def _official_client_get(url: str):
    from eth_account import Account
    from x402 import x402Client
    from x402.http.clients import x402HttpxClient
    from x402.mechanisms.evm.exact.register import register_exact_evm_client

    client = x402Client()
    register_exact_evm_client(client, Account.from_key(KEY))

    async def go():
        async with x402HttpxClient(client, timeout=20) as http:
            return await http.get(url)

    return asyncio.run(go())


def test_official_seller_with_the_proxy_as_facilitator(cluster, px, admin):
    seller = cluster.official_seller(px.url)
    try:
        r = httpx.get(seller.url + "/paid/evm", timeout=20)
        assert r.status_code == 402 and "payment-required" in r.headers
        # the official client pays
        r = _official_client_get(seller.url + "/paid/evm")
        assert r.status_code == 200, r.text
        assert r.json() == {"data": "evm paid content"}
        receipt = x402.decode_settle_response(r.headers["payment-response"])
        assert receipt["success"] is True and receipt["network"] == "eip155:84532"
        # our BuyerClient pays, EVM then Solana
        for policy, path in (({"networks": ["eip155:84532"]}, "/paid/evm"),
                             ({"networks": [demo.SOLANA_DEVNET]}, "/paid/solana")):
            cfg = BuyerConfig(seller_base_url=seller.url, agent_gateway_url=px.url, buyer_private_key=KEY,
                              solana_seed=demo.BUYER_SOLANA_SEED, network=None, policy=policy,
                              solana_recent_blockhash=demo.demo_identities()[2])
            with BuyerClient(cfg) as b:
                sid = b.create_risk_session()["sid"]
                tid = b.store_agent_trace(sid=sid, task="buy", params={}, events=[])
                res = b.request_paid(path, "buy", {}, sid, tid)
            assert res.status_code == 200 and res.settlement["success"] is True
        settled = httpx.get(px.url + "/admin/payments?state=settled", headers=auth(admin), timeout=5).json()["payments"]
        kinds = {p["identity"]["kind"] for p in settled}
        assert {"evm-eip3009", "solana"} <= kinds
        # every decision at the root says it was not assessed (no risk headers from a plain seller)
        decisions = httpx.get(px.url + "/admin/decisions?limit=50", headers=auth(admin), timeout=5).json()["decisions"]
        assert any(d["decision"] == "unassessed" for d in decisions)
    finally:
        cluster.stop(seller)


def test_api_keys_with_the_official_seller(cluster, tmp_path):
    db = str(tmp_path / "keys.db")
    key = cluster.seller_key("--sqlite-path", db)
    px = cluster.proxy("--sqlite-path", db, name="proxy-keys")
    # keys exist: the facilitator endpoints need one
    _, _, _, body = evm_payment()
    r = httpx.post(px.url + "/verify", json=body, timeout=5)
    assert r.status_code == 401 and r.json()["error"]["code"] == "UNAUTHORIZED"
    r = httpx.post(px.url + "/verify", json=body, headers=auth(key[:-2] + "xx"), timeout=5)
    assert r.status_code == 401
    r = httpx.post(px.url + "/verify", json=body, headers={"X-API-Key": key}, timeout=5)
    assert r.status_code == 200 and r.json()["isValid"] is True
    # agent endpoints stay open; admin endpoints refuse a seller key
    assert httpx.post(px.url + "/risk/session", json={"agent_did": "a", "wallet_address": "0x" + "12" * 20},
                      timeout=5).status_code == 200
    assert httpx.get(px.url + "/admin/payments", headers=auth(key), timeout=5).status_code == 403
    # the official seller passes its key through the facilitator client's auth headers
    without = cluster.official_seller(px.url)
    r = _official_client_get(without.url + "/paid/evm")
    assert r.status_code != 200
    cluster.stop(without)
    seller = cluster.official_seller(px.url, api_key=key)
    r = _official_client_get(seller.url + "/paid/evm")
    assert r.status_code == 200, r.text
    # revoked keys stop working (the key cache lives 15 s: a fresh process sees it at once)
    kid = key.split("_")[1]
    assert cluster.proxy_cmd("--sqlite-path", db, "keys", "revoke", kid).returncode == 0
    cluster.stop(seller)
    cluster.stop(px)
    px2 = cluster.proxy("--sqlite-path", db, name="proxy-keys-2")
    assert httpx.post(px2.url + "/verify", json=body, headers=auth(key), timeout=5).status_code == 401
    listed = json.loads(cluster.proxy_cmd("--sqlite-path", db, "keys", "list").stdout)["keys"]
    assert listed[0]["revoked"] and "secret_hash" not in listed[0] and key not in json.dumps(listed)
    cluster.stop(px2)


def test_keys_required_beyond_loopback(cluster, tmp_path):
    # listening on 0.0.0.0 (all addresses) with no key configured: every seller call needs one
    px = cluster.proxy("--sqlite-path", str(tmp_path / "open.db"), "--host", "0.0.0.0", name="proxy-any")
    url = f"http://127.0.0.1:{px.port}"
    _, _, _, body = evm_payment()
    assert httpx.post(url + "/verify", json=body, timeout=5).status_code == 401
    assert httpx.post(url + "/x402/settle", json=body, timeout=5).status_code == 401
    assert httpx.get(url + "/health", timeout=5).status_code == 200
    cluster.stop(px)


# ------------------------------------------------------------------------------ 0.1.4 seller


def test_x402_secure_0_1_4_seller_client(px, admin):
    from x402_secure_client import SellerClient

    s = httpx.post(px.url + "/risk/session", json={"agent_did": "a", "wallet_address": "0x" + "34" * 20},
                   timeout=5).json()["sid"]
    pr, name, value, body = evm_payment(version=1)
    seller = SellerClient(px.url)
    kw = dict(x_payment_b64=value, origin="http://127.0.0.1:9", risk_sid=s,
              x_payment_secure=risk.build_payment_secure_header())

    async def go():
        v = await seller.verify(body["paymentPayload"], body["paymentRequirements"], **kw)
        st = await seller.settle(body["paymentPayload"], body["paymentRequirements"], **kw)
        again = await seller.verify(body["paymentPayload"], body["paymentRequirements"], **kw)
        return v, st, again

    v, st, again = asyncio.run(go())
    assert v == {"isValid": True, "payer": demo_address(), "invalidReason": None}
    assert st["success"] is True and st["errorReason"] is None and st["network"] == "base-sepolia"
    assert again["isValid"] is False and again["invalidReason"] == "invalid_exact_evm_nonce_already_used"


def demo_address():
    from x402secure import EvmAccount

    with EvmAccount.from_key(KEY) as a:
        return a.address


# ------------------------------------------------------------------------------ state


def test_settle_once_and_payment_identifier(px):
    ext = {"payment-identifier": {"info": {"id": "pay_" + uuid.uuid4().hex}}}
    _, _, _, body = evm_payment(extensions=ext)
    first = httpx.post(px.url + "/settle", json=body, timeout=10)
    assert first.status_code == 200 and first.json()["success"] is True
    assert first.headers["x-risk-decision"] == "unassessed"
    again = httpx.post(px.url + "/settle", json=body, timeout=10)
    assert again.json() == first.json() and again.headers["x-settlement-replay"] == "true"
    # same identifier, different payment: 409
    _, _, _, other = evm_payment(extensions=ext)
    r = httpx.post(px.url + "/settle", json=other, timeout=10)
    assert r.status_code == 409 and r.json()["error"]["code"] == "PAYMENT_ID_CONFLICT"
    r = httpx.post(px.url + "/verify", json=other, timeout=10)
    assert r.status_code == 409
    # verify reflects state
    v = httpx.post(px.url + "/verify", json=body, timeout=10).json()
    assert v["isValid"] is False and v["invalidReason"] == "invalid_exact_evm_nonce_already_used"
    # the same authorization spelled differently (upper-case nonce hex) is the same payment
    body2 = json.loads(json.dumps(body))
    auth_ = body2["paymentPayload"]["payload"]["authorization"]
    auth_["nonce"] = "0x" + auth_["nonce"][2:].upper()
    del body2["paymentPayload"]["extensions"]
    r = httpx.post(px.url + "/settle", json=body2, timeout=10).json()
    assert r == first.json()


def test_restart_after_sigkill_keeps_state(cluster, tmp_path):
    db = str(tmp_path / "restart.db")
    admin = cluster.admin_key("--sqlite-path", db)
    px = cluster.proxy("--sqlite-path", db, name="proxy-restart")
    sid, tid, body, hdrs, settled = session_trace_settle(px.url, "0x" + "56" * 20)
    assert settled["success"] is True
    chain_before = httpx.get(px.url + "/admin/decisions?limit=100", headers=auth(admin), timeout=5).json()["decisions"]
    cluster.kill9(px)
    px = cluster.proxy("--sqlite-path", db, name="proxy-restart-2")
    assert httpx.get(px.url + f"/risk/trace/{tid}", timeout=5).json()["sid"] == sid
    v = httpx.post(px.url + "/x402/verify", json=body, headers=hdrs, timeout=10)
    assert v.status_code == 200 and v.json()["invalidReason"] == "invalid_exact_evm_nonce_already_used"
    again = httpx.post(px.url + "/x402/settle", json=body, headers=hdrs, timeout=10).json()
    assert again == settled  # the recorded answer, not a second settlement
    chain = httpx.get(px.url + "/admin/decisions?limit=100", headers=auth(admin), timeout=5).json()["decisions"]
    assert chain[:len(chain_before)] == chain_before and len(chain) == len(chain_before) + 2
    bundle = httpx.get(px.url + f"/evidence/{chain[0]['decision_id']}", timeout=5).text
    from x402secure import evidence as core_evidence

    keys = httpx.get(px.url + "/.well-known/x402-secure/receipt-key", timeout=5).json()
    assert core_evidence.verify_bundle(bundle, keys).is_valid
    # the stored chain verifies, and the table refuses changes
    import sqlite3

    from x402secure.proxy.evidence_log import verify_chain
    from x402secure.proxy.store import GENESIS

    conn = sqlite3.connect(db)
    rows = [dict(zip(("seq", "record", "hash", "prev_hash"), r)) for r in
            conn.execute("SELECT seq, record, hash, prev_hash FROM evidence ORDER BY seq")]
    assert verify_chain(rows, GENESIS) is None
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE evidence SET record = 'x' WHERE seq = 1")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM evidence")
    tampered = [dict(r) for r in rows]
    tampered[1]["record"] = tampered[1]["record"].replace('"kind":"', '"kind":"x')
    assert "hash does not match" in verify_chain(tampered, GENESIS)
    assert "broken link" in verify_chain([rows[1], rows[0]], GENESIS)
    conn.close()
    cluster.stop(px)


def test_graceful_shutdown_finishes_in_flight(cluster, tmp_path):
    fac = cluster.facilitator("--settle-delay", "1.5", name="slow-facilitator")
    px = cluster.proxy("--sqlite-path", str(tmp_path / "g.db"), "--upstream", fac.url, name="proxy-graceful")
    _, _, _, body = evm_payment()
    import threading

    out = {}

    def settle():
        out["r"] = httpx.post(px.url + "/settle", json=body, timeout=20)

    t = threading.Thread(target=settle)
    t.start()
    time.sleep(0.5)
    px.popen.send_signal(signal.SIGTERM)
    t.join(20)
    assert out["r"].status_code == 200 and out["r"].json()["success"] is True
    assert px.popen.wait(timeout=20) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal after draining
    cluster.stop(px)
    cluster.stop(fac)


# ------------------------------------------------------------------------------ operations


def test_metrics_and_json_logs(cluster, tmp_path):
    log = tmp_path / "proxy.log"
    with open(log, "w") as errf:
        p = subprocess.Popen([PROXY_EXE, "--port", "0", "--sqlite-path", str(tmp_path / "m.db"), "--log-level", "info"],
                             stdout=subprocess.PIPE, stderr=errf, text=True, start_new_session=True)
        try:
            url = json.loads(p.stdout.readline())["url"]
            key_like = "x402sk_" + "ab" * 8 + "_secretsecret"
            _, name, value, body = evm_payment()
            r = httpx.post(url + "/verify", json=body, headers={"Authorization": f"Bearer {key_like}"}, timeout=5)
            assert r.status_code == 401
            rid = r.headers["x-request-id"]
            assert httpx.post(url + "/verify", json=body, timeout=5).status_code == 200
            m = httpx.get(url + "/metrics", timeout=5).text
            assert 'x402s_proxy_requests_total{method="POST",route="/verify",status="200"}' in m
            assert 'x402s_proxy_verify_total{reason="",valid="true"}' in m
            assert "x402s_proxy_upstream_seconds_bucket" in m and "x402s_proxy_store_seconds_bucket" in m
        finally:
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=20)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    access = [d for d in lines if d.get("msg") == "request"]
    assert any(d["request_id"] == rid and d["status"] == 401 and d["path"] == "/verify" for d in access)
    text = log.read_text()
    assert key_like not in text and "secretsecret" not in text and value not in text


def test_two_workers_share_state_and_metrics(cluster, tmp_path):
    px = cluster.proxy("--sqlite-path", str(tmp_path / "w2.db"), "--workers", "2", name="proxy-workers")
    _, _, _, body = evm_payment()
    with httpx.Client(timeout=10) as c:
        assert c.post(px.url + "/verify", json=body).json()["isValid"] is True
    # new connections land on either worker; the payment settles once and every worker knows
    answers = []
    for _ in range(12):
        with httpx.Client(timeout=10) as c:
            answers.append(c.post(px.url + "/settle", json=body).json())
    assert answers[0]["success"] is True and all(a == answers[0] for a in answers)
    for _ in range(6):
        with httpx.Client(timeout=10) as c:
            assert c.post(px.url + "/verify", json=body).json()["invalidReason"] == "invalid_exact_evm_nonce_already_used"
    m = httpx.get(px.url + "/metrics", timeout=5).text
    settle_lines = [ln for ln in m.splitlines() if ln.startswith("x402s_proxy_settle_total{")]
    assert sum(float(ln.rsplit(" ", 1)[1]) for ln in settle_lines) == 12  # both workers' counters
    cluster.stop(px)


def test_opentelemetry_spans_continue_the_payment_trace(cluster, tmp_path):
    pytest.importorskip("opentelemetry.sdk.trace")
    pytest.importorskip("opentelemetry.exporter.otlp.proto.http.trace_exporter")
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

    got = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self):
            got.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *a):
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        px = cluster.proxy("--sqlite-path", str(tmp_path / "otel.db"), name="proxy-otel",
                           env={"X402S_PROXY_OTEL_ENDPOINT": f"http://127.0.0.1:{srv.server_address[1]}/v1/traces",
                                "OTEL_BSP_SCHEDULE_DELAY": "100"})
        sid = httpx.post(px.url + "/risk/session", json={"agent_did": "a", "wallet_address": "0x" + "9a" * 20},
                         timeout=5).json()["sid"]
        tp = "00-" + "ab" * 16 + "-" + "cd" * 8 + "-01"
        _, name, value, body = evm_payment()
        r = httpx.post(px.url + "/x402/verify", json=body, timeout=10, headers={
            name: value, "X-RISK-SESSION": sid, "X-PAYMENT-SECURE": risk.build_payment_secure_header(traceparent=tp)})
        assert r.status_code == 200
        deadline = time.time() + 10
        spans = []
        while time.time() < deadline and not any(s.trace_id == bytes.fromhex("ab" * 16) for s in spans):
            time.sleep(0.2)
            spans = []
            for raw in got:
                req = ExportTraceServiceRequest()
                req.ParseFromString(raw)
                spans += [s for rs in req.resource_spans for ss in rs.scope_spans for s in ss.spans]
        span = next(s for s in spans if s.trace_id == bytes.fromhex("ab" * 16))
        assert span.parent_span_id == bytes.fromhex("cd" * 8) and span.name == "POST /x402/verify"
        cluster.stop(px)
    finally:
        srv.shutdown()
