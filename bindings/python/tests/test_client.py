"""x402secure.client against scripted HTTP answers (httpx.MockTransport): the 0.1.4
request bodies and headers, policy-based choice among accepts, v1/v2, and one clear
exception per failure (non-200, wrong content type, malformed answers, transport)."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Callable, Dict, List

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("x402secure.risk")
pytest.importorskip("x402secure.x402")

from x402secure import EvmAccount, risk, x402  # noqa: E402
from x402secure.client import (  # noqa: E402
    AsyncBuyerClient,
    BuyerClient,
    BuyerConfig,
    ContentTypeError,
    MalformedResponseError,
    MandateDeniedError,
    NoAcceptableRequirementError,
    PaymentRejectedError,
    TransportError,
    UnexpectedStatusError,
)

KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # eth-account's address of KEY
PAY_TO = "0x0987654321098765432109876543210987654321"
SELLER = "https://seller.example:8443"
GATEWAY = "https://gw.example"
NOW = 1760000000


def offers():
    return [
        {"network": "base", "payTo": PAY_TO, "price": "$0.01"},
        {"network": "eip155:84532", "payTo": PAY_TO, "price": "$0.02"},
    ]


class Seller:
    """A scripted seller + gateway: records requests; answers per path."""

    def __init__(self, version: int = 2) -> None:
        self.version = version
        self.requests: List[httpx.Request] = []
        self.sid = str(uuid.uuid4())
        self.tid = str(uuid.uuid4())
        self.final: Callable[[httpx.Request], httpx.Response] = self.ok
        self.gateway: Dict[str, Callable[[httpx.Request], httpx.Response]] = {}

    def ok(self, request: httpx.Request) -> httpx.Response:
        name = "x-payment-response" if self.version == 1 else "payment-response"
        receipt = x402.encode_settle_response({"success": True, "transaction": "0x" + "ab" * 32,
                                               "network": "eip155:84532", "payer": ADDRESS})
        return httpx.Response(200, json={"data": 42}, headers={name: receipt})

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if request.url.host == "gw.example":
            if path in self.gateway:
                return self.gateway[path](request)
            if path == "/risk/session":
                return httpx.Response(200, json={"sid": self.sid, "expires_at": "2025-10-09T09:08:20Z"})
            if path == "/risk/trace":
                return httpx.Response(200, json={"tid": self.tid})
            return httpx.Response(404, json={"detail": "Not Found"})
        if "x-payment" in request.headers or "payment-signature" in request.headers:
            return self.final(request)
        answer = x402.payment_required_response(offers(), resource=f"{SELLER}/api/data", version=self.version)
        return httpx.Response(402, headers=answer.headers, content=answer.body)


def client(seller: Seller, **cfg) -> BuyerClient:
    config = BuyerConfig(seller_base_url=SELLER, agent_gateway_url=GATEWAY, buyer_private_key=KEY,
                         **{"network": None, **cfg})
    return BuyerClient(config, http=httpx.Client(transport=httpx.MockTransport(seller)), clock=lambda: NOW + 0.5)


def test_session_and_trace_bodies_are_0_1_4s():
    s = Seller()
    with client(s) as c:
        assert c.address == ADDRESS
        doc = c.create_risk_session()
        assert doc["sid"] == s.sid
        tid = c.store_agent_trace(sid=s.sid, task="t", params={"a": 1}, events=[], model_config={})
        assert tid == s.tid
    session_req, trace_req = s.requests
    assert session_req.headers["content-type"] == "application/json"
    assert session_req.content == (
        b'{"agent_did":"' + ADDRESS.encode() + b'","wallet_address":"' + ADDRESS.encode()
        + b'","agent_endpoint":null,"app_id":null,"device":null}')
    body = json.loads(trace_req.content)
    assert list(body) == ["sid", "fingerprint", "telemetry", "agent_trace"]
    assert list(body["agent_trace"]) == ["task", "parameters", "events", "model_config", "completed_at"]


def test_session_with_mandate_adds_it():
    s = Seller()
    with client(s) as c:
        c.create_risk_session(mandate={"mandate_version": 1}, device={"ua": "x"})
    assert json.loads(s.requests[0].content)["mandate"] == {"mandate_version": 1}


@pytest.mark.parametrize("version", [1, 2])
def test_paid_request_picks_by_policy_and_sends_risk_headers(version):
    s = Seller(version)
    with client(s, policy={"networks": ["eip155:84532"], "maxPrice": "$0.05"}) as c:
        result = c.request_paid("/api/data", "t", {"q": "x y"}, s.sid, s.tid)
    pre, final = s.requests
    assert pre.url.params["q"] == "x y" and final.url.params["q"] == "x y"
    name = "X-PAYMENT" if version == 1 else "PAYMENT-SIGNATURE"
    assert result.payment_header[0] == name
    payment = x402.decode_payment_header(final.headers[name])
    net = payment["network"] if version == 1 else payment["accepted"]["network"]
    assert net in ("base-sepolia", "eip155:84532")  # accepts[1], not accepts[0]
    assert result.requirement["network"] == net
    assert final.headers["origin"] == SELLER
    assert final.headers["x-risk-session"] == s.sid
    parsed = risk.parse_payment_secure_header(final.headers["x-payment-secure"])
    assert parsed["tid"] == s.tid
    assert result.data == {"data": 42}
    assert result.settlement["success"] is True and result.settlement["payer"] == ADDRESS


def test_execute_paid_request_returns_json_like_0_1_4():
    s = Seller()
    with client(s, policy={"networks": ["eip155:84532"], "maxPrice": "$0.05"}) as c:
        assert c.execute_paid_request(endpoint="/api/data", task="t", params={}, sid=s.sid, tid=s.tid) == {"data": 42}
        assert c.last_payment is not None
        with pytest.raises(ValueError):
            c.execute_paid_request_with_headers("/api/data", task="t", risk_sid=s.sid, extra_headers={})


def test_default_policy_refuses_over_one_dollar():
    s = Seller()

    def big(request):
        answer = x402.payment_required_response([{"network": "base", "payTo": PAY_TO, "price": "$5"}],
                                                resource=f"{SELLER}/x")
        return httpx.Response(402, headers=answer.headers, content=answer.body)

    with client(s) as c:
        c.http = httpx.Client(transport=httpx.MockTransport(big))
        with pytest.raises(NoAcceptableRequirementError):
            c.request_paid("/x", "t", {}, s.sid, s.tid)


def test_no_key_for_the_offered_network():
    s = Seller()
    cfg = BuyerConfig(seller_base_url=SELLER, agent_gateway_url=GATEWAY, solana_seed=bytes(32), network=None)
    with BuyerClient(cfg, http=httpx.Client(transport=httpx.MockTransport(s))) as c:
        with pytest.raises(NoAcceptableRequirementError):
            c.request_paid("/api/data", "t", {}, s.sid, s.tid)
    assert len(s.requests) == 1  # only the preflight


def test_local_mandate_check_denies_before_paying():
    s = Seller()
    mandate = {"mandate_version": 1, "intent_expiry": NOW + 60, "max_amount": "1"}
    with client(s, mandate=mandate, policy={"networks": ["eip155:84532"], "maxPrice": "$0.05"}) as c:
        with pytest.raises(MandateDeniedError) as info:
            c.request_paid("/api/data", "t", {}, s.sid, s.tid)
    assert info.value.decision == "deny" and "amount_over_cap" in str(info.value)
    assert len(s.requests) == 1


def test_refusal_carries_the_x402_reason():
    s = Seller()
    s.final = lambda r: httpx.Response(402, json={"x402Version": 1, "error": "duplicate_payment", "accepts": []})
    with client(s, policy={"networks": ["eip155:84532"], "maxPrice": "$0.05"}) as c:
        with pytest.raises(PaymentRejectedError) as info:
            c.request_paid("/api/data", "t", {}, s.sid, s.tid)
    assert info.value.reason == "duplicate_payment" and info.value.status_code == 402
    assert isinstance(info.value, httpx.HTTPStatusError)  # what 0.1.4 raised


def test_seller_502_is_unexpected_status():
    s = Seller()
    s.final = lambda r: httpx.Response(502, json={"error": "gateway_error", "message": "gateway verify unreachable"})
    with client(s, policy={"networks": ["eip155:84532"], "maxPrice": "$0.05"}) as c:
        with pytest.raises(UnexpectedStatusError) as info:
            c.request_paid("/api/data", "t", {}, s.sid, s.tid)
    assert info.value.status_code == 502 and not isinstance(info.value, PaymentRejectedError)
    assert "gateway_error" in str(info.value)


@pytest.mark.parametrize("answer, exc", [
    (lambda r: httpx.Response(500, json={"error": {"code": "X", "message": "boom"}}), UnexpectedStatusError),
    (lambda r: httpx.Response(200, text="<html>", headers={"content-type": "text/html"}), ContentTypeError),
    (lambda r: httpx.Response(200, content=b"{not json", headers={"content-type": "application/json"}),
     MalformedResponseError),
    (lambda r: httpx.Response(200, json=[1]), MalformedResponseError),
    (lambda r: httpx.Response(200, json={"sid": "not-a-uuid"}), MalformedResponseError),
])
def test_gateway_answers_map_to_exceptions(answer, exc):
    s = Seller()
    s.gateway["/risk/session"] = answer
    with client(s) as c:
        with pytest.raises(exc) as info:
            c.create_risk_session()
    assert info.value.service == "gateway"


def test_trace_answer_without_tid():
    s = Seller()
    s.gateway["/risk/trace"] = lambda r: httpx.Response(200, json={"id": 1})
    with client(s) as c:
        with pytest.raises(MalformedResponseError):
            c.store_agent_trace(sid=s.sid, task="t", params={})


@pytest.mark.parametrize("answer, exc", [
    (lambda r: httpx.Response(200, json={"free": True}), UnexpectedStatusError),
    (lambda r: httpx.Response(402, text="pay me", headers={"content-type": "text/plain"}), ContentTypeError),
    (lambda r: httpx.Response(402, json={"x402Version": 1, "accepts": "nope"}), MalformedResponseError),
    (lambda r: httpx.Response(402, headers={"payment-required": "%%%"}), MalformedResponseError),
])
def test_bad_preflights(answer, exc):
    with BuyerClient(BuyerConfig(seller_base_url=SELLER, agent_gateway_url=GATEWAY, buyer_private_key=KEY),
                     http=httpx.Client(transport=httpx.MockTransport(answer))) as c:
        with pytest.raises(exc) as info:
            c.request_paid("/x", "t", {}, str(uuid.uuid4()), None)
    assert info.value.service == "seller"


def test_transport_errors_say_which_service():
    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    with BuyerClient(BuyerConfig(seller_base_url=SELLER, agent_gateway_url=GATEWAY, buyer_private_key=KEY),
                     http=httpx.Client(transport=httpx.MockTransport(refuse))) as c:
        with pytest.raises(TransportError) as info:
            c.create_risk_session()
        assert info.value.service == "gateway" and "unreachable" in str(info.value)
        with pytest.raises(TransportError) as info:
            c.request_paid("/x", "t", {}, str(uuid.uuid4()), None)
        assert info.value.service == "seller"


def test_config_errors():
    with pytest.raises(ValueError):
        BuyerClient(BuyerConfig(seller_base_url="", agent_gateway_url=GATEWAY))
    with pytest.raises(ValueError):
        BuyerClient(BuyerConfig(seller_base_url=SELLER, agent_gateway_url=""))
    with pytest.raises(ValueError):
        BuyerClient(BuyerConfig(seller_base_url=SELLER, agent_gateway_url=GATEWAY, protocol_version=3))
    with pytest.raises(ValueError):
        BuyerClient(BuyerConfig(seller_base_url=SELLER, agent_gateway_url=GATEWAY, buyer_private_key="0x00"))


def test_close_wipes_the_keys():
    s = Seller()
    c = client(s)
    c.close()
    assert c.evm is not None and c.evm.closed


def test_async_client_same_flow():
    s = Seller()

    async def run():
        cfg = BuyerConfig(seller_base_url=SELLER, agent_gateway_url=GATEWAY, buyer_private_key=KEY, network=None,
                          policy={"networks": ["eip155:84532"], "maxPrice": "$0.05"})
        async with AsyncBuyerClient(cfg, http=httpx.AsyncClient(transport=httpx.MockTransport(s))) as c:
            session = await c.create_risk_session()
            tid = await c.store_agent_trace(sid=session["sid"], task="t", params={})
            return await c.execute_paid_request("/api/data", "t", {}, session["sid"], tid)

    assert asyncio.run(run()) == {"data": 42}
    assert [r.url.path for r in s.requests] == ["/risk/session", "/risk/trace", "/api/data", "/api/data"]
