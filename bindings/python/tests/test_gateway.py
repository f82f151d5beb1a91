"""The risk proxy in-process (uvicorn in a thread, memory store, local upstream, an injected
clock): x402-secure 0.1.4's request/answer/error shapes, the mandate gate on /risk/evaluate,
/x402/verify and /x402/settle with the local facilitator. The proxy as a real process, its
stores, settle-once and hostile clients: test_proxy*.py."""

from __future__ import annotations

import base64
import json
import time
import uuid

import pytest

pytest.importorskip("x402secure.risk")
pytest.importorskip("x402secure.x402")

from x402secure import EvmAccount, SolanaKeypair, risk, x402  # noqa: E402
httpx = pytest.importorskip("httpx")
pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from x402secure.gateway import LocalFacilitator, error_code  # noqa: E402
from x402secure.proxy import load_config, serve  # noqa: E402
from x402secure.proxy.app import Proxy  # noqa: E402
from x402secure.proxy.upstream import LocalUpstream  # noqa: E402

KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"  # Hardhat #0 (public)
PAY_TO = "0x0987654321098765432109876543210987654321"
NOW = 1760000000
RESOURCE = "http://127.0.0.1:9/api/market-data"


class Clock:
    def __init__(self, t: float = NOW) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


class Gw:
    """A proxy served in-process with an injected clock; ``local`` is its local facilitator."""

    def __init__(self, clock, **options) -> None:
        self.local = LocalFacilitator(clock=clock)
        cfg = load_config(env={}, overrides={"store": "memory", "port": 0, **options})
        self.proxy = Proxy(cfg, upstream=LocalUpstream(self.local), clock=clock)
        self.running = serve(cfg, proxy=self.proxy)
        self.url = self.running.url
        self.http = httpx.Client(base_url=self.url, timeout=10)

    def close(self) -> None:
        self.http.close()
        self.running.close()


def Gateway(config=None, clock=None):  # noqa: N802 - the old constructor's shape
    return Gw(clock or Clock(), **(config or {}))


def GatewayConfig(**options):  # noqa: N802
    return options


def call(gw, method, path, body=None, headers=None):
    raw = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    hdrs = {"Content-Type": "application/json", **(headers or {})}
    r = gw.http.request(method, path, content=raw if method == "POST" else None, headers=hdrs)
    assert r.headers["content-type"] == "application/json"
    return r.status_code, r.headers, r.json()


@pytest.fixture()
def clock():
    return Clock()


@pytest.fixture()
def gw(clock):
    g = Gateway(clock=clock)
    yield g
    g.close()


@pytest.fixture(scope="module")
def acct():
    a = EvmAccount.from_key(KEY)
    yield a
    a.close()


def session(gw, acct, **extra):
    status, _, doc = call(gw, "POST", "/risk/session",
                          {"agent_did": acct.address, "wallet_address": acct.address, "agent_endpoint": None,
                           "app_id": None, "device": {"ua": "test"}, **extra})
    assert status == 200, doc
    return doc["sid"]


def trace(gw, sid, events=None):
    t = risk.AgentTrace("buy", {"symbol": "BTC/USD"}, events=events, event_order="recorded")
    status, _, doc = call(gw, "POST", "/risk/trace", json.loads(risk.risk_trace_request(sid, t)))
    assert status == 200, doc
    return doc["tid"]


def requirement(version=2, pay_to=PAY_TO):
    answer = x402.payment_required_response([{"network": "eip155:84532", "payTo": pay_to, "price": "$0.01"}],
                                            resource=RESOURCE, version=version)
    return answer.payment_required


def paid(acct, version=2, now=NOW, pay_to=PAY_TO):
    pr = requirement(version, pay_to)
    name, value = x402.create_payment_header(pr, acct, {"networks": ["eip155:*"]}, now=now)
    return pr, name, value


# ---------------------------------------------------------------------------------- /risk/*


def test_session_answer_shape(gw, acct, clock):
    status, _, doc = call(gw, "POST", "/risk/session",
                          {"agent_did": acct.address, "wallet_address": acct.address})
    assert status == 200
    assert set(doc) == {"sid", "expires_at"}
    assert uuid.UUID(doc["sid"]).version == 4
    # local mode: now + 900 s, isoformat + "Z" (0.1.4)
    assert doc["expires_at"] == "2025-10-09T09:08:20Z"


@pytest.mark.parametrize("body, loc", [
    ({"wallet_address": "0x" + "11" * 20}, "agent_did"),
    ({"agent_did": " ", "wallet_address": "0x" + "11" * 20}, "agent_did"),
    ({"agent_did": "a", "wallet_address": "0x1234"}, "wallet_address"),
    ({"agent_did": "a", "wallet_address": "0x" + "zz" * 20}, "wallet_address"),
    ({"agent_did": "a", "wallet_address": "0x" + "11" * 20, "device": "ua"}, "device"),
    ({"agent_did": "a", "wallet_address": "0x" + "11" * 20, "mandate": []}, "mandate"),
])
def test_session_validation_is_422(gw, body, loc):
    status, _, doc = call(gw, "POST", "/risk/session", body)
    assert status == 422
    assert doc["detail"][0]["loc"] == ["body", loc]


def test_session_accepts_a_solana_wallet(gw):
    with SolanaKeypair.from_seed(bytes(range(32))) as kp:
        status, _, _ = call(gw, "POST", "/risk/session", {"agent_did": kp.address, "wallet_address": kp.address})
    assert status == 200


def test_bad_bodies(gw):
    assert call(gw, "POST", "/risk/session", b"not json")[0] == 422
    assert call(gw, "POST", "/risk/session", [1])[0] == 422
    assert call(gw, "GET", "/risk/session")[0] == 405
    assert call(gw, "GET", "/nope")[0] == 404
    assert call(gw, "POST", "/risk/session", b"x" * ((1 << 20) + 1))[0] == 413
    assert call(gw, "POST", "/risk/session", {"agent_did": "a", "wallet_address": "0x" + "11" * 20},
                headers={"Content-Type": "text/plain"})[0] == 415


def test_trace_unknown_and_expired_sid(gw, acct, clock):
    assert call(gw, "POST", "/risk/trace", {"sid": str(uuid.uuid4()), "agent_trace": None})[2] == {"detail": "unknown sid"}
    sid = session(gw, acct)
    clock.t += 901
    status, _, doc = call(gw, "POST", "/risk/trace", {"sid": sid, "agent_trace": None})
    assert (status, doc) == (404, {"detail": "unknown sid"})


def test_trace_is_parsed_by_the_core(gw, acct):
    sid = session(gw, acct)
    status, _, doc = call(gw, "POST", "/risk/trace", {"sid": sid, "agent_trace": {"task": 1, "parameters": {}}})
    assert status == 422 and "agent_trace" in doc["detail"][0]["msg"]
    tid = trace(gw, sid)
    status, _, doc = call(gw, "GET", f"/risk/trace/{tid}")
    assert status == 200 and doc["sid"] == sid and doc["agent_trace"]["task"] == "buy"
    assert call(gw, "GET", f"/risk/trace/{uuid.uuid4()}")[0] == 404


def test_evaluate_without_mandate_allows(gw, acct):
    sid = session(gw, acct)
    tid = trace(gw, sid)
    status, _, doc = call(gw, "POST", "/risk/evaluate",
                          {"sid": sid, "tid": tid, "trace_context": {"tp": "00-" + "1" * 32 + "-" + "2" * 16 + "-01"},
                           "payment": {"protocol": "exact", "version": 1, "network": "base-sepolia", "payload": {}}})
    assert status == 200
    assert (doc["decision"], doc["reasons"], doc["risk_level"], doc["ttl_seconds"], doc["used_mandate"]) == \
        ("allow", [], "low", 300, False)


def test_evaluate_unknown_tid_and_unlinked_tid(gw, acct):
    sid1, sid2 = session(gw, acct), session(gw, acct)
    tid2 = trace(gw, sid2)
    assert call(gw, "POST", "/risk/evaluate", {"sid": sid1, "tid": str(uuid.uuid4())})[2] == {"detail": "unknown tid"}
    assert call(gw, "POST", "/risk/evaluate", {"sid": sid1, "tid": tid2})[:3:2] == (400, {"detail": "tid not linked to sid"})
    assert call(gw, "POST", "/risk/evaluate", {"sid": str(uuid.uuid4())})[2] == {"detail": "unknown sid"}


def mandate(**over):
    m = {"mandate_version": 1, "intent_expiry": NOW + 3600, "max_amount": "50000",
         "networks": ["eip155:84532"], "merchants": [PAY_TO], "plan": [RESOURCE]}
    m.update(over)
    return m


@pytest.mark.parametrize("over, decision, code", [
    ({}, "allow", None),
    ({"max_amount": "5000"}, "deny", "amount_over_cap"),
    ({"step_up_amount": "5000"}, "review", "amount_step_up"),
    ({"merchants": ["0x" + "22" * 20]}, "deny", "merchant_not_allowed"),
    ({"intent_expiry": NOW - 1}, "deny", "mandate_expired"),
    ({"plan": ["http://127.0.0.1:9/other"]}, "deny", "route_not_in_plan"),
])
def test_evaluate_is_decided_by_the_mandate_gate(gw, acct, over, decision, code):
    sid = session(gw, acct, mandate=mandate(**over))
    req = requirement(2)["accepts"][0]
    status, _, doc = call(gw, "POST", "/risk/evaluate",
                          {"sid": sid, "paymentRequirements": req, "resource": RESOURCE})
    assert status == 200
    assert doc["decision"] == decision and doc["used_mandate"] is True
    if code:
        assert code in doc["reasons"]
        assert any(f["code"] == code and f["source"] == "session" for f in doc["extra"]["findings"])
    else:
        assert doc["reasons"] == []


def test_operator_mandate_applies_too(clock, acct, tmp_path):
    f = tmp_path / "mandates.json"
    f.write_text(json.dumps({acct.address.lower(): mandate(max_amount="1")}))
    g = Gateway(GatewayConfig(mandates_file=str(f)), clock=clock)
    sid = session(g, acct)
    doc = call(g, "POST", "/risk/evaluate", {"sid": sid, "paymentRequirements": requirement(2)["accepts"][0],
                                              "resource": RESOURCE})[2]
    assert doc["decision"] == "deny" and doc["extra"]["findings"][0]["source"] == "operator"
    g.close()


def test_invalid_mandate_denies(gw, acct):
    sid = session(gw, acct, mandate={"mandate_version": 2})
    doc = call(gw, "POST", "/risk/evaluate", {"sid": sid, "paymentRequirements": requirement(2)["accepts"][0]})[2]
    assert doc["decision"] == "deny" and doc["reasons"] == ["mandate_invalid"]


# ---------------------------------------------------------------------------------- /x402/*


def risk_headers(sid, tid=None):
    return {"X-RISK-SESSION": sid, "X-PAYMENT-SECURE": risk.build_payment_secure_header(tid=tid),
            "Origin": "http://127.0.0.1:9"}


def verify_body(pr, value, version):
    return {"x402Version": version, "paymentPayload": x402.decode_payment_header(value),
            "paymentRequirements": pr["accepts"][0]}


@pytest.mark.parametrize("version", [1, 2])
def test_verify_and_settle_with_the_local_facilitator(gw, acct, version):
    sid = session(gw, acct, mandate=mandate())
    tid = trace(gw, sid)
    pr, name, value = paid(acct, version)
    hdrs = {name: value, **risk_headers(sid, tid)}
    status, out_h, doc = call(gw, "POST", "/x402/verify", verify_body(pr, value, version), hdrs)
    assert status == 200, doc
    assert doc == {"isValid": True, "payer": acct.address, "invalidReason": None}
    assert out_h["X-Risk-Decision"] == "allow" and len(out_h["X-Request-ID"]) == 32
    assert int(out_h["X-Risk-TTL-Seconds"]) == 300
    status, out_h, doc = call(gw, "POST", "/x402/settle", verify_body(pr, value, version), hdrs)
    assert status == 200 and out_h["X-Risk-Decision"] == "skipped"
    assert doc["success"] is True and doc["payer"] == acct.address and doc["errorReason"] is None
    assert doc["network"] == pr["accepts"][0]["network"]
    assert doc["transaction"].startswith("0x") and len(doc["transaction"]) == 66
    first = doc
    # A second settlement of the same payment never reaches the upstream: the recorded answer.
    status, out_h, doc = call(gw, "POST", "/x402/settle", verify_body(pr, value, version), hdrs)
    assert status == 200 and doc == first and out_h["X-Settlement-Replay"] == "true"
    assert len(gw.local.settlements) == 1 and gw.local.calls["settle"] == 1
    # ... and verify now says it is spent.
    status, _, doc = call(gw, "POST", "/x402/verify", verify_body(pr, value, version), hdrs)
    assert status == 200 and doc["isValid"] is False
    assert doc["invalidReason"] == "invalid_exact_evm_nonce_already_used"


@pytest.mark.parametrize("headers, code", [
    ({}, "RISK_SESSION_INVALID"),
    ({"X-RISK-SESSION": "abc"}, "RISK_SESSION_INVALID"),
    ({"X-RISK-SESSION": str(uuid.uuid4())}, "TRACE_HEADER_INVALID"),
    ({"X-RISK-SESSION": str(uuid.uuid4()), "X-PAYMENT-SECURE": "w3c.v2;tp=x"}, "TRACE_HEADER_INVALID"),
    ({"X-RISK-SESSION": str(uuid.uuid4()), "X-PAYMENT-SECURE": "w3c.v1;tp=00-" + "0" * 32 + "-" + "1" * 16 + "-01"},
     "TRACE_HEADER_INVALID"),
])
def test_verify_header_errors_are_400_envelopes(gw, acct, headers, code):
    pr, name, value = paid(acct)
    status, out_h, doc = call(gw, "POST", "/x402/verify", verify_body(pr, value, 2), {name: value, **headers})
    assert status == 400
    assert set(doc) == {"error", "request_id"} and doc["error"]["code"] == code
    assert "X-Risk-Decision" not in out_h and len(out_h["X-Request-ID"]) == 32


def test_verify_unknown_session_passes_the_404_through(gw, acct):
    pr, name, value = paid(acct)
    status, _, doc = call(gw, "POST", "/x402/verify", verify_body(pr, value, 2),
                          {name: value, **risk_headers(str(uuid.uuid4()))})
    assert status == 404 and doc["error"]["code"] == "UNSPECIFIED"
    assert json.loads(doc["error"]["message"]) == {"detail": "unknown sid"}


def test_verify_risk_denied_is_403(gw, acct):
    sid = session(gw, acct, mandate=mandate(max_amount="5000"))
    pr, name, value = paid(acct)
    status, _, doc = call(gw, "POST", "/x402/verify", verify_body(pr, value, 2), {name: value, **risk_headers(sid)})
    assert status == 403
    assert doc["error"] == {"code": "RISK_DENIED", "message": "Risk denied: amount_over_cap"}
    assert gw.local.calls["verify"] == 0  # the upstream was never asked


def test_verify_review_is_blocked_unless_allowed(clock, acct):
    for allow, expect in ((False, 403), (True, 200)):
        g = Gateway(GatewayConfig(allow_review=allow), clock=clock)
        sid = session(g, acct, mandate=mandate(step_up_amount="1"))
        pr, name, value = paid(acct)
        status, h, doc = call(g, "POST", "/x402/verify", verify_body(pr, value, 2), {name: value, **risk_headers(sid)})
        assert status == expect, doc
        if expect == 403:
            assert doc["error"]["code"] == "RISK_REVIEW"
        else:
            assert h["X-Risk-Decision"] == "review"
        g.close()


def test_verify_reports_invalid_payments(gw, acct, clock):
    sid = session(gw, acct)
    pr, name, value = paid(acct, now=NOW - 4000)  # expired authorization
    status, _, doc = call(gw, "POST", "/x402/verify", verify_body(pr, value, 2), {name: value, **risk_headers(sid)})
    assert status == 200
    assert doc == {"isValid": False, "payer": acct.address,
                   "invalidReason": "invalid_exact_evm_payload_authorization_valid_before"}


def test_payment_evidence_is_checked(gw, acct):
    sid = session(gw, acct)
    t = risk.AgentTrace("buy", {"symbol": "BTC/USD"})
    body = risk.risk_trace_request(sid, t)
    tid = call(gw, "POST", "/risk/trace", json.loads(body))[2]["tid"]
    sent_trace = json.loads(body)["agent_trace"]
    pr, name, value = paid(acct)
    req = pr["accepts"][0]
    good = risk.PaymentEvidence.build(value, req, origin="http://127.0.0.1:9", resource=RESOURCE, session_id=sid,
                                      trace_id=tid, agent_trace=sent_trace, now=NOW).sign(acct)
    hdrs = {name: value, **risk_headers(sid, tid), "X-PAYMENT-EVIDENCE": good}
    status, _, doc = call(gw, "POST", "/x402/verify", verify_body(pr, value, 2), hdrs)
    assert status == 200 and doc["isValid"] is True
    # Evidence over another trace: the gateway knows the stored trace's digest.
    other = risk.PaymentEvidence.build(value, req, origin="http://127.0.0.1:9", resource=RESOURCE, session_id=sid,
                                       trace_id=tid, agent_trace={"task": "x", "parameters": {}, "completed_at": "t"},
                                       now=NOW).sign(acct)
    status, _, doc = call(gw, "POST", "/x402/verify", verify_body(pr, value, 2),
                          {**hdrs, "X-PAYMENT-EVIDENCE": other})
    assert status == 403 and doc["error"]["code"] == "PAYMENT_EVIDENCE_INVALID"
    assert "evidence_trace_digest_mismatch" in doc["error"]["message"]
    status, _, doc = call(gw, "POST", "/x402/verify", verify_body(pr, value, 2),
                          {**hdrs, "X-PAYMENT-EVIDENCE": "pev.v1;alg=x"})
    assert status == 400 and doc["error"]["code"] == "PAYMENT_EVIDENCE_INVALID"


def test_settle_risk_gate_when_enabled(clock, acct):
    g = Gateway(GatewayConfig(settle_risk=True), clock=clock)
    pr, name, value = paid(acct)
    status, _, doc = call(g, "POST", "/x402/settle", verify_body(pr, value, 2), {name: value})
    assert status == 400 and doc["error"]["code"] == "RISK_SESSION_INVALID"
    g.close()


def test_body_validation_is_422(gw):
    assert call(gw, "POST", "/x402/verify", {"paymentPayload": 1, "paymentRequirements": {}})[0] == 422
    assert call(gw, "POST", "/x402/verify", {"x402Version": 3, "paymentPayload": {}, "paymentRequirements": {}})[0] == 422


def test_error_codes_follow_0_1_4():
    assert error_code("Unsupported X-PAYMENT-SECURE version") == "TRACE_HEADER_INVALID"  # 0.1.4 quirk
    assert error_code("X-RISK-SESSION required") == "RISK_SESSION_INVALID"
    assert error_code("Risk denied: x") == "RISK_DENIED"
    assert error_code("trace_id cannot be all zeros") == "UNSPECIFIED"


def test_upstream_unreachable_is_502(clock, acct):
    cfg = load_config(env={}, overrides={"store": "memory", "port": 0, "upstream": "http://127.0.0.1:9",
                                         "upstream_verify_deadline": 2})
    running = serve(cfg, proxy=Proxy(cfg, clock=clock))
    g = type("G", (), {"http": httpx.Client(base_url=running.url, timeout=10)})()
    try:
        sid = session(g, acct)
        pr, name, value = paid(acct)
        status, _, doc = call(g, "POST", "/x402/verify", verify_body(pr, value, 2), {name: value, **risk_headers(sid)})
        assert status == 502 and doc["error"]["code"] == "UPSTREAM_UNAVAILABLE"
    finally:
        g.http.close()
        running.close()


def test_over_http_and_facilitator_endpoints(acct):
    running = serve()
    try:
        assert httpx.get(running.url + "/health").json()["status"] == "ok"
        pr, name, value = paid(acct, now=int(time.time()))
        body = {"x402Version": 2, "paymentPayload": x402.decode_payment_header(value),
                "paymentRequirements": pr["accepts"][0], "paymentHeader": value}
        r = httpx.post(running.url + "/facilitator/verify", json=body)
        assert r.status_code == 200 and r.json()["isValid"] is True
        r = httpx.post(running.url + "/facilitator/settle", json=body)
        assert r.json()["success"] is True
        kinds = httpx.get(running.url + "/facilitator/supported").json()["kinds"]
        assert {"x402Version": 2, "scheme": "exact", "network": "eip155:84532"} in kinds
    finally:
        running.close()


def test_solana_settlement_is_cosigned_by_the_fee_payer():
    fee = SolanaKeypair.from_seed(bytes([7] * 32))
    buyer = SolanaKeypair.from_seed(bytes([8] * 32))
    seller = SolanaKeypair.from_seed(bytes([9] * 32))
    blockhash = base64.b16decode(("ab" * 32).upper())
    fac = LocalFacilitator(clock=Clock(), solana_fee_payer_keys=[fee])
    pr = x402.payment_required_response(
        [{"network": "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1", "payTo": seller.address, "price": "$0.01",
          "extra": {"feePayer": fee.address}}], resource=RESOURCE).payment_required
    name, value = x402.create_payment_header(pr, buyer, {"networks": ["solana:*"]}, now=NOW,
                                             recent_blockhash=blockhash)
    body = {"x402Version": 2, "paymentPayload": x402.decode_payment_header(value),
            "paymentRequirements": pr["accepts"][0], "paymentHeader": value}
    status, doc, _ = fac.settle(body)
    assert status == 200 and doc["success"] is True and doc["payer"] == buyer.address
    # The transaction id is the fee payer's signature (the first one), as on Solana.
    from x402secure import b58decode, ed25519_verify
    from x402secure import solana

    signed = base64.b64decode(fac.settlements[0]["signed_transaction"])
    solana.sanitize_transaction(signed)
    n = signed[0]  # compact-u16 signature count (< 128)
    message = signed[1 + 64 * n:]
    sig = b58decode(doc["transaction"])
    assert n == 2 and signed[1:65] == sig
    assert ed25519_verify(sig, message, fee.public_key)
    # The buyer's own signature is still in its slot.
    assert ed25519_verify(signed[65:129], message, buyer.public_key)
    for k in (fee, buyer, seller):
        k.close()
    fac.close()


def test_upstreams_with_their_own_answer_class(clock, acct):
    """The on-chain facilitator answers with its own class (status, body, outcome/pending):
    the proxy reads it through as_answer; a pending settle is recorded and replayed."""
    from dataclasses import dataclass

    @dataclass
    class Answer:
        status: int
        body: dict
        outcome: str

        @property
        def pending(self):
            return self.outcome == "pending"

    class Onchainish:
        def __init__(self):
            self.settles = 0

        async def verify(self, body):
            return Answer(200, {"isValid": True, "payer": acct.address}, "valid")

        async def settle(self, body):
            self.settles += 1
            return Answer(200, {"success": False, "errorReason": "settlement_pending", "transaction": "0x" + "ab" * 32,
                                "network": "eip155:84532", "payer": acct.address}, "pending")

        async def supported(self):
            return {"kinds": []}

        async def settlement_status(self, ref):
            assert ref["transaction"] == "0x" + "ab" * 32
            return Answer(200, {"success": True, "transaction": ref["transaction"], "network": ref["network"],
                                "payer": acct.address}, "success")

        async def aclose(self):
            pass

    up = Onchainish()
    cfg = load_config(env={}, overrides={"store": "memory", "port": 0})
    running = serve(cfg, proxy=Proxy(cfg, upstream=up, clock=clock))
    try:
        pr, name, value = paid(acct)
        body = verify_body(pr, value, 2)
        with httpx.Client(base_url=running.url, timeout=10) as c:
            assert c.post("/verify", json=body).json()["isValid"] is True
            r = c.post("/settle", json=body)
            assert r.json()["errorReason"] == "settlement_pending" and r.headers["x-settlement-state"] == "pending"
            # the next settle asks the upstream's status instead of settling again
            r = c.post("/settle", json=body)
            assert r.json()["success"] is True and r.json()["transaction"] == "0x" + "ab" * 32
        assert up.settles == 1
    finally:
        running.close()
