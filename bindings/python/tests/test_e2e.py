"""End to end on loopback, as `make demo` runs it: the risk proxy (the gateway) and the example
Node seller (x402Middleware) as real processes, a Python agent (BuyerClient) paying EVM on
Base Sepolia and Solana devnet; then the failure paths: expired authorization, replayed
header, wrong payTo, risk denied by the mandate gate, gateway down (clear error, nothing
half-paid), the seller's upstream returning 500, malformed payment header."""

from __future__ import annotations

import importlib.util
import json
import shutil
import time
from pathlib import Path

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("x402secure.risk")
pytest.importorskip("x402secure.x402")

from x402secure import SolanaKeypair, b58decode, risk, x402  # noqa: E402
from x402secure.client import (  # noqa: E402
    BuyerClient,
    BuyerConfig,
    PaymentRejectedError,
    TransportError,
    UnexpectedStatusError,
)
from x402secure.trace import TraceCollector  # noqa: E402

REPO = Path(__file__).resolve().parents[3]
ADDON = REPO / "bindings" / "node" / "build" / "x402s_node.node"

if shutil.which("node") is None or not ADDON.is_file():
    pytest.skip("needs node and the Node addon (make node)", allow_module_level=True)

_spec = importlib.util.spec_from_file_location("demo_e2e", REPO / "scripts" / "demo_e2e.py")
demo = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(demo)  # type: ignore[union-attr]

EVM_POLICY = {"networks": [demo.BASE_SEPOLIA], "maxPrice": "$0.05"}
SOL_POLICY = {"networks": [demo.SOLANA_DEVNET], "maxPrice": "$0.05"}
TASK = "Buy BTC/USD market data"
PARAMS = {"symbol": "BTC/USD"}


@pytest.fixture(scope="module")
def svc():
    with demo.Services() as services:
        yield services


@pytest.fixture(scope="module")
def stack(svc):
    """The demo's gateway and seller (proxy mode)."""
    gw = svc.start_demo_gateway()
    seller = svc.start_seller(demo.seller_env(gw.url))
    return gw, seller


def settlements(gw):
    return gw.settlements()


def last_decision(gw):
    return gw.decisions()[-1]


def buyer(gw_url, seller_url, clock=None, **cfg):
    base = dict(seller_base_url=seller_url, agent_gateway_url=gw_url, buyer_private_key=demo.BUYER_EVM_KEY,
                solana_seed=demo.BUYER_SOLANA_SEED, network=None, policy=EVM_POLICY)
    base.update(cfg)
    return BuyerClient(BuyerConfig(**base), clock=clock)


def session_and_trace(b, seller_url, mandate=None, extra_events=()):
    s = b.create_risk_session(mandate=mandate)
    c = TraceCollector()
    demo._agent_steps(c, seller_url + "/api/market-data")
    for kind, fields in extra_events:
        c.record_event(kind, **fields)
    tid = b.store_agent_trace(sid=s["sid"], task=TASK, params=PARAMS, events=c.events, model_config=c.model_config)
    return s["sid"], tid


# ------------------------------------------------------------------------------------ happy paths


def test_evm_payment_on_base_sepolia(stack):
    gw, seller = stack
    before = len(settlements(gw))
    mandate = demo.demo_mandate(seller.url, int(time.time()))
    with buyer(gw.url, seller.url, send_payment_evidence=True) as b:
        sid, tid = session_and_trace(b, seller.url, mandate)
        result = b.request_paid("/api/market-data", TASK, PARAMS, sid, tid)
        address = b.address
    assert result.status_code == 200
    assert result.data["symbol"] == "BTC/USD" and result.data["paidWith"] == demo.BASE_SEPOLIA
    assert result.data["payer"] == address
    name, value = result.payment_header
    assert name == "PAYMENT-SIGNATURE"  # the seller offers v2 (header) and v1 (body); v2 wins
    payment = x402.decode_payment_header(value)
    assert payment["x402Version"] == 2 and payment["accepted"]["network"] == demo.BASE_SEPOLIA
    auth = payment["payload"]["authorization"]
    assert auth["from"] == address and auth["to"] == demo.SELLER_EVM and auth["value"] == "10000"
    sent = result.request_headers
    assert risk.parse_payment_secure_header(sent["X-PAYMENT-SECURE"])["tid"] == tid
    assert sent["X-RISK-SESSION"] == sid and sent["Origin"] == seller.url
    assert sent["X-PAYMENT-EVIDENCE"].startswith("pev.v1;alg=secp256k1;")
    s = result.settlement
    assert s["success"] is True and s["network"] == demo.BASE_SEPOLIA and s["payer"] == address
    assert s["transaction"].startswith("0x") and len(s["transaction"]) == 66
    after = settlements(gw)
    assert len(after) == before + 1 and after[-1]["transaction_id"] == s["transaction"]
    last = last_decision(gw)
    assert (last["sid"], last["decision"], last["reasons"]) == (sid, "allow", [])


def test_solana_payment_on_devnet(stack):
    gw, seller = stack
    with buyer(gw.url, seller.url, policy=SOL_POLICY) as b:
        sid, tid = session_and_trace(b, seller.url, demo.demo_mandate(seller.url, int(time.time())))
        result = b.request_paid("/api/market-data", TASK, PARAMS, sid, tid)
        address = b.solana.address
    assert result.status_code == 200 and result.data["paidWith"] == demo.SOLANA_DEVNET
    assert result.payment[("accepted")]["network"] == demo.SOLANA_DEVNET
    s = result.settlement
    assert s["success"] is True and s["payer"] == address and s["network"] == demo.SOLANA_DEVNET
    # The stub settlement co-signed as the fee payer: the id is that Ed25519 signature.
    assert len(b58decode(s["transaction"])) == 64
    rec = settlements(gw)[-1]
    assert rec["transaction_id"] == s["transaction"] and rec["answer"]["transaction"] == s["transaction"]
    assert rec["identity"]["kind"] == "solana" and rec["payer"] == address


def test_v1_payment_like_0_1_4(stack):
    gw, seller = stack
    with buyer(gw.url, seller.url, protocol_version=1) as b:
        sid, tid = session_and_trace(b, seller.url)
        data = b.execute_paid_request("/api/market-data", TASK, PARAMS, sid, tid)
        result = b.last_payment
    assert data["paidWith"] == "base-sepolia"  # the v1 requirement names the network as v1 does
    assert result.payment_header[0] == "X-PAYMENT"
    assert result.payment["network"] == "base-sepolia"
    assert "x-payment-response" in {k.lower() for k in result.headers}
    assert result.settlement["success"] is True


def test_async_client_same_flow(stack):
    import asyncio

    from x402secure.client import AsyncBuyerClient

    gw, seller = stack

    async def run():
        cfg = BuyerConfig(seller_base_url=seller.url, agent_gateway_url=gw.url, buyer_private_key=demo.BUYER_EVM_KEY,
                          network=None, policy=EVM_POLICY)
        async with AsyncBuyerClient(cfg) as b:
            s = await b.create_risk_session()
            c = TraceCollector()
            demo._agent_steps(c, seller.url + "/api/market-data")
            tid = await b.store_agent_trace(sid=s["sid"], task=TASK, params=PARAMS, events=c.events)
            return await b.execute_paid_request(endpoint="/api/market-data", task=TASK, params=PARAMS,
                                                sid=s["sid"], tid=tid)

    assert asyncio.run(run())["paidWith"] == demo.BASE_SEPOLIA


# ------------------------------------------------------------------------------------ failure paths


def test_expired_authorization(stack):
    gw, seller = stack
    before = len(settlements(gw))
    with buyer(gw.url, seller.url, clock=lambda: time.time() - 4000) as b:
        sid, tid = session_and_trace(b, seller.url)
        with pytest.raises(PaymentRejectedError) as info:
            b.request_paid("/api/market-data", TASK, PARAMS, sid, tid)
    assert info.value.status_code == 402
    assert info.value.reason == "invalid_exact_evm_payload_authorization_valid_before"
    assert len(settlements(gw)) == before


def test_replayed_header(stack):
    gw, seller = stack
    with buyer(gw.url, seller.url) as b:
        sid, tid = session_and_trace(b, seller.url)
        result = b.request_paid("/api/market-data", TASK, PARAMS, sid, tid)
    before = len(settlements(gw))
    again = httpx.get(seller.url + "/api/market-data", params=PARAMS, headers=result.request_headers, timeout=10)
    assert again.status_code == 402
    assert again.json()["error"] == "duplicate_payment"
    assert "payment-required" in again.headers  # the v2 header comes along
    assert len(settlements(gw)) == before


class TamperingTransport(httpx.BaseTransport):
    """A man in the middle rewriting payTo in the seller's v1 402 body."""

    def __init__(self, pay_to: str) -> None:
        self.inner = httpx.HTTPTransport()
        self.pay_to = pay_to

    def handle_request(self, request):
        resp = self.inner.handle_request(request)
        if resp.status_code != 402 or "x-payment" in request.headers:
            return resp
        resp.read()
        body = json.loads(resp.content)
        for r in body.get("accepts", []):
            if r["network"] == "base-sepolia":
                r["payTo"] = self.pay_to
        headers = [(k, v) for k, v in resp.headers.items() if k.lower() not in ("content-length", "payment-required")]
        return httpx.Response(402, headers=headers, content=json.dumps(body).encode())


def test_wrong_pay_to(stack):
    gw, seller = stack
    attacker = "0x" + "66" * 20
    before = len(settlements(gw))
    cfg = BuyerConfig(seller_base_url=seller.url, agent_gateway_url=gw.url, buyer_private_key=demo.BUYER_EVM_KEY,
                      network=None, policy=EVM_POLICY, protocol_version=1)
    with BuyerClient(cfg, http=httpx.Client(transport=TamperingTransport(attacker), timeout=10)) as b:
        sid, tid = session_and_trace(b, seller.url)
        with pytest.raises(PaymentRejectedError) as info:
            b.request_paid("/api/market-data", TASK, PARAMS, sid, tid)
    assert info.value.reason == "invalid_exact_evm_payload_recipient_mismatch"
    assert len(settlements(gw)) == before

    # v2: an `accepted` requirement the seller never offered does not match at all.
    with buyer(gw.url, seller.url) as b:
        sid, tid = session_and_trace(b, seller.url)
        pr = x402.parse_payment_required(headers=httpx.get(seller.url + "/api/market-data", timeout=10).headers)
        req = dict(next(r for r in pr["accepts"] if r["network"] == demo.BASE_SEPOLIA), payTo=attacker)
        name, value = x402.create_payment_header({**pr, "accepts": [req]}, b.evm, EVM_POLICY)
        r = httpx.get(seller.url + "/api/market-data", timeout=10, headers={
            name: value, "X-RISK-SESSION": sid, "X-PAYMENT-SECURE": risk.build_payment_secure_header(tid=tid)})
    assert r.status_code == 402 and r.json()["reason"] == "no_matching_requirements"
    assert len(settlements(gw)) == before


def test_risk_denied_by_the_mandate_gate(stack):
    gw, seller = stack
    before = len(settlements(gw))
    now = int(time.time())
    cases = [
        (demo.demo_mandate(seller.url, now, max_amount="5000"), (), "amount_over_cap"),
        (demo.demo_mandate(seller.url, now), [("navigation", {"url": "https://evil.example/pay"})],
         "route_not_in_plan"),
    ]
    for mandate, events, code in cases:
        with buyer(gw.url, seller.url) as b:
            sid, tid = session_and_trace(b, seller.url, mandate, events)
            with pytest.raises(PaymentRejectedError) as info:
                b.request_paid("/api/market-data", TASK, PARAMS, sid, tid)
        assert info.value.status_code == 402 and info.value.reason == "risk_denied"
        assert code in info.value.detail["message"]
        last = last_decision(gw)
        assert last["sid"] == sid and last["decision"] == "deny" and code in last["reasons"]
    assert len(settlements(gw)) == before


def test_buyer_gateway_down(stack):
    _, seller = stack
    with buyer("http://127.0.0.1:9", seller.url, timeout=3) as b:
        with pytest.raises(TransportError) as info:
            b.create_risk_session()
    assert info.value.service == "gateway" and "127.0.0.1:9" in str(info.value)


def test_seller_gateway_down_nothing_half_paid(svc, stack):
    gw, _ = stack
    dead = svc.start_seller(demo.seller_env("http://127.0.0.1:9"), name="seller-dead-gateway")
    before = len(settlements(gw))
    with buyer(gw.url, dead.url) as b:
        sid, tid = session_and_trace(b, dead.url)
        with pytest.raises(UnexpectedStatusError) as info:
            b.request_paid("/api/market-data", TASK, PARAMS, sid, tid)
    err = info.value
    assert err.status_code == 502 and not isinstance(err, PaymentRejectedError)
    body = err.response.json()
    assert body["error"] == "gateway_error" and "unreachable" in body["message"]
    assert "x-payment-response" not in err.response.headers and "payment-response" not in err.response.headers
    assert len(settlements(gw)) == before
    svc.stop(dead)


def test_seller_upstream_returns_500(svc):
    broken = svc.start_status_server(500)
    gw2 = svc.start_gateway("--upstream", broken.url, name="gateway-broken-upstream")
    seller2 = svc.start_seller(demo.seller_env(gw2.url), name="seller-broken-upstream")
    with buyer(gw2.url, seller2.url) as b:
        sid, tid = session_and_trace(b, seller2.url)
        with pytest.raises(UnexpectedStatusError) as info:
            b.request_paid("/api/market-data", TASK, PARAMS, sid, tid)
    assert info.value.status_code == 502
    assert "answered 500" in info.value.response.json()["message"]
    for p in (seller2, gw2, broken):
        svc.stop(p)


def test_malformed_payment_header_is_400(stack):
    _, seller = stack
    r = httpx.get(seller.url + "/api/market-data", headers={"X-PAYMENT": "not*base64"}, timeout=10)
    assert r.status_code == 400 and r.json()["reason"] == "invalid_payment_header"
    r = httpx.get(seller.url + "/api/market-data", timeout=10)
    assert r.status_code == 402 and r.json()["x402Version"] == 1
    assert x402.parse_payment_required(headers=r.headers)["x402Version"] == 2


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_services_stop_every_process_on_failure():
    procs = []
    with pytest.raises(RuntimeError, match="boom"):
        with demo.Services() as svc:
            gw = svc.start_demo_gateway()
            procs = [gw, svc.start_seller(demo.seller_env(gw.url))]
            assert all(_alive(p.popen.pid) for p in procs)
            raise RuntimeError("boom")
    assert [p.popen.poll() is not None for p in procs] == [True, True]
    assert not any(_alive(p.popen.pid) for p in procs)


def test_demo_runs_and_stops_its_processes(capsys, monkeypatch):
    started = []
    real_start = demo.Services._start

    def spy(self, *a, **k):
        proc = real_start(self, *a, **k)
        started.append(proc)
        return proc

    monkeypatch.setattr(demo.Services, "_start", spy)
    assert demo.run_demo() == 0
    assert len(started) == 2 and not any(_alive(p.popen.pid) for p in started)
    out = capsys.readouterr().out
    assert "Payment 1: EVM" in out and "Payment 2: Solana" in out
    assert "PAYMENT-RESPONSE decoded" in out and "refused: HTTP 402, reason 'risk_denied'" in out
    assert out.count("names this payment header ok") == 2 and out.count("valid (key pinned: True)") == 2
    assert "every process stopped" in out
