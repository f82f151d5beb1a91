"""The agent (buyer) side of x402-secure: :class:`BuyerClient` and :class:`AsyncBuyerClient`.

Same workflow and method names as x402-secure 0.1.4's ``BuyerClient`` so its
users can switch::

    from x402secure.client import AsyncBuyerClient, BuyerConfig

    buyer = AsyncBuyerClient(BuyerConfig(seller_base_url="http://127.0.0.1:8080",
                                         agent_gateway_url="http://127.0.0.1:8000",
                                         buyer_private_key="0x..."))
    session = await buyer.create_risk_session()
    tid = await buyer.store_agent_trace(sid=session["sid"], task="market data",
                                        params={"symbol": "BTC/USD"}, events=collector.events)
    data = await buyer.execute_paid_request(endpoint="/api/market-data", task="market data",
                                            params={"symbol": "BTC/USD"},
                                            sid=session["sid"], tid=tid)

(0.1.4's ``BuyerClient`` is asynchronous; here ``BuyerClient`` is the synchronous
flavour and :class:`AsyncBuyerClient` the asyncio one, with the same methods.)

What 0.1.4 lacks and this client adds:

- the requirement is chosen among ``accepts`` by a spend policy (networks,
  assets, maximum price, preferred networks; the core's ``select_requirement``)
  instead of always ``accepts[0]``;
- x402 protocol v2 (``PAYMENT-REQUIRED`` / ``PAYMENT-SIGNATURE`` /
  ``PAYMENT-RESPONSE``) as well as v1 (``X-PAYMENT``), EVM (EIP-3009, Permit2)
  and Solana payers;
- the optional ``X-PAYMENT-EVIDENCE`` header (the payer's signature binding
  the payment to the risk session, trace and agent-trace digest);
- an optional local mandate check before anything is signed;
- timeouts and one clear exception class per failure (below).

All crypto and encoding is done by the core (libx402secure) through
:mod:`x402secure.x402` and :mod:`x402secure.risk`; this module only does HTTP.

Exceptions (all derive from :class:`ClientError`):

======================================= ===============================================
:class:`TransportError`                 connection refused, DNS, timeout (``.service``
                                        says "gateway" or "seller"); nothing was paid
:class:`UnexpectedStatusError`          a non-200 answer (non-402 at the preflight);
                                        also an ``httpx.HTTPStatusError``
:class:`PaymentRejectedError`           the seller refused the payment (402/400/403
                                        after paying); ``.reason`` is the x402 reason
:class:`ContentTypeError`               not ``application/json`` where JSON is required
:class:`MalformedResponseError`         JSON that is not the expected shape
:class:`NoAcceptableRequirementError`   no offer passes the spend policy / no key
:class:`MandateDeniedError`             the local mandate check denied the payment
======================================= ===============================================
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, Union
from urllib.parse import urlencode, urlsplit

try:
    import httpx
except ImportError as _exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "x402secure.client needs httpx: pip install 'x402secure[client]'"
    ) from _exc

from . import risk as _risk
from . import x402 as _x402
from ._accounts import EvmAccount, SolanaKeypair
from .errors import X402Error, X402SError

__all__ = [
    "BuyerConfig",
    "BuyerClient",
    "AsyncBuyerClient",
    "PaidResponse",
    "ClientError",
    "TransportError",
    "UnexpectedStatusError",
    "PaymentRejectedError",
    "ContentTypeError",
    "MalformedResponseError",
    "NoAcceptableRequirementError",
    "MandateDeniedError",
]

#: The most of a response body kept in an exception message.
_EXCERPT = 300
#: The largest JSON answer read from the gateway or a seller's 402.
_MAX_JSON_BYTES = 1 << 20


# ---------------------------------------------------------------------------------------------
# exceptions
# ---------------------------------------------------------------------------------------------


class ClientError(Exception):
    """Base class of every error raised by :mod:`x402secure.client`."""


class TransportError(ClientError):
    """The gateway or seller could not be reached (refused, DNS, TLS, timeout).

    Attributes:
        service: ``"gateway"`` or ``"seller"``.
        url: the URL that failed (without query string).
    """

    def __init__(self, service: str, url: str, cause: BaseException) -> None:
        kind = "timed out" if isinstance(cause, httpx.TimeoutException) else "unreachable"
        super().__init__(f"{service} {kind}: {url} ({type(cause).__name__}: {cause})")
        self.service = service
        self.url = url


class ResponseError(ClientError):
    """An answer that is not what the protocol requires.

    Attributes:
        service: ``"gateway"`` or ``"seller"``.
        url: the URL (without query string).
        status_code: the HTTP status.
        body_excerpt: at most 300 characters of the body, for diagnostics.
    """

    def __init__(self, message: str, *, service: str, url: str, status_code: int, body_excerpt: str) -> None:
        Exception.__init__(self, message)  # not super(): UnexpectedStatusError mixes in httpx's class
        self.service = service
        self.url = url
        self.status_code = status_code
        self.body_excerpt = body_excerpt


class UnexpectedStatusError(ResponseError, httpx.HTTPStatusError):
    """A non-200 answer (at the seller's preflight: anything but 402).

    It is also an :class:`httpx.HTTPStatusError` (``.request``, ``.response``),
    which is what 0.1.4's client raised, so ``except httpx.HTTPStatusError``
    keeps working.
    """

    def __init__(self, message: str, *, service: str, response: httpx.Response, expected: int = 200) -> None:
        url = _strip_query(str(response.request.url)) if response.request is not None else ""
        excerpt = _excerpt(response)
        ResponseError.__init__(self, message, service=service, url=url,
                               status_code=response.status_code, body_excerpt=excerpt)
        httpx.HTTPStatusError.__init__(self, message, request=response.request, response=response)
        self.expected = expected


class PaymentRejectedError(UnexpectedStatusError):
    """The seller refused the payment that was sent (402, 400 or 403 after paying).

    Attributes:
        reason: the x402 reason (``invalidReason``/``errorReason``/``error`` of
            the answer, e.g. ``"duplicate_payment"``, ``"risk_denied"``), or
            ``None`` when the seller gave none.
        detail: the decoded JSON answer (or the v2 ``PAYMENT-REQUIRED``), if any.
    """

    def __init__(self, message: str, *, response: httpx.Response, reason: Optional[str], detail: Any) -> None:
        super().__init__(message, service="seller", response=response)
        self.reason = reason
        self.detail = detail


class ContentTypeError(ResponseError):
    """The answer is not ``application/json`` where JSON is required."""


class MalformedResponseError(ResponseError):
    """The answer is JSON (or a header) but not of the expected shape."""


class NoAcceptableRequirementError(ClientError):
    """No requirement of the seller's 402 passes the spend policy, or the
    buyer has no key for any of the offered networks.

    Attributes:
        payment_required: the parsed 402 answer.
    """

    def __init__(self, message: str, payment_required: Any = None) -> None:
        super().__init__(message)
        self.payment_required = payment_required


class MandateDeniedError(ClientError):
    """The buyer's own mandate check denied (or asked to step up) the chosen
    payment before anything was signed.

    Attributes:
        decision: ``"deny"`` or ``"step_up"``.
        reasons: the mandate gate's findings.
    """

    def __init__(self, decision: str, reasons: List[Any]) -> None:
        codes = ", ".join(str(getattr(r, "code", None) or (r.get("code") if isinstance(r, dict) else r))
                          for r in reasons)
        super().__init__(f"mandate check: {decision} ({codes or 'no reason given'})")
        self.decision = decision
        self.reasons = reasons


def _strip_query(url: str) -> str:
    return url.split("?", 1)[0]


def _excerpt(response: httpx.Response) -> str:
    try:
        text = response.content[: _EXCERPT * 4].decode("utf-8", "replace")
    except Exception:  # pragma: no cover - streaming responses
        return ""
    return text[:_EXCERPT]


def _content_type(response: httpx.Response) -> str:
    return (response.headers.get("content-type") or "").split(";", 1)[0].strip().lower()


def _json_answer(response: httpx.Response, service: str, what: str) -> Dict[str, Any]:
    """The JSON object of a 200 answer, or the matching exception."""
    url = _strip_query(str(response.request.url))
    if response.status_code != 200:
        raise UnexpectedStatusError(
            f"{service} answered {response.status_code} to {what} ({_error_text(response)})",
            service=service, response=response)
    if _content_type(response) != "application/json":
        raise ContentTypeError(
            f"{service} answered {what} with content-type {_content_type(response) or 'none'!r}, "
            "not application/json",
            service=service, url=url, status_code=response.status_code, body_excerpt=_excerpt(response))
    doc = _parse_json_object(response)
    if doc is None:
        raise MalformedResponseError(
            f"{service} answered {what} with invalid JSON or not a JSON object",
            service=service, url=url, status_code=response.status_code, body_excerpt=_excerpt(response))
    return doc


def _parse_json_object(response: httpx.Response) -> Optional[Dict[str, Any]]:
    if len(response.content) > _MAX_JSON_BYTES:
        return None
    try:
        doc = json.loads(response.content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def _error_text(response: httpx.Response) -> str:
    """A short description of an error answer: the x402-secure envelope's
    code and message, FastAPI's ``detail``, an x402 reason, or the status."""
    doc = _parse_json_object(response) if _content_type(response) == "application/json" else None
    if doc is not None:
        err = doc.get("error")
        if isinstance(err, dict):
            code, msg = err.get("code"), err.get("message")
            return f"{code}: {msg}"[:_EXCERPT]
        for key in ("invalidReason", "errorReason", "reason", "error", "detail"):
            val = doc.get(key)
            if isinstance(val, str) and val:
                return val[:_EXCERPT]
            if val is not None and key == "detail":
                return json.dumps(val)[:_EXCERPT]
    return response.reason_phrase or f"HTTP {response.status_code}"


# ---------------------------------------------------------------------------------------------
# configuration and results
# ---------------------------------------------------------------------------------------------


@dataclass
class BuyerConfig:
    """Configuration of a buyer (agent).

    The first four fields are x402-secure 0.1.4's ``BuyerConfig``.

    Attributes:
        seller_base_url: the seller's base URL; endpoints are appended.
        agent_gateway_url: the x402-secure gateway (``/risk/session``, ``/risk/trace``).
        network: preferred network (v1 name such as ``"base-sepolia"`` or CAIP-2);
            0.1.4 ignored it, here it orders the choice among ``accepts`` (it is
            a preference, not a filter: use ``policy["networks"]`` to restrict).
        buyer_private_key: secp256k1 secret key (hex str or 32 bytes) for EVM payments.
        solana_seed: Ed25519 seed (32 bytes or hex str) for Solana payments.
        policy: spend policy for choosing among ``accepts`` (the core's policy
            JSON: ``networks``, ``assets``, ``allowUnknownAssets``, ``maxAmount``,
            ``maxPrice`` (default ``"$1"``), ``schemes``, ``preferredNetworks``).
        protocol_version: ``None`` to answer whatever the seller offers (a v2
            ``PAYMENT-REQUIRED`` header wins), ``1`` to use only a v1 402 body,
            ``2`` to require the v2 header.
        timeout: seconds for each HTTP request (connect, read, write, pool).
        send_payment_evidence: add ``X-PAYMENT-EVIDENCE`` (the payer signs the
            binding of payment, session, trace and agent-trace digest).
        evidence_valid_for: seconds the evidence is valid.
        mandate: an AP2-style intent mandate checked locally (the core's mandate
            gate) before signing; ``deny`` or ``step_up`` raise
            :class:`MandateDeniedError`. Also sent with the risk session.
        solana_recent_blockhash: blockhash for Solana payments when the seller's
            requirement carries none (the core makes no network calls).
        headers: extra headers sent with every seller request.
    """

    seller_base_url: str
    agent_gateway_url: str
    network: Optional[str] = "base-sepolia"
    buyer_private_key: Optional[Union[str, bytes, bytearray]] = field(default=None, repr=False)
    solana_seed: Optional[Union[str, bytes, bytearray]] = field(default=None, repr=False)
    policy: Optional[Dict[str, Any]] = None
    protocol_version: Optional[int] = None
    timeout: float = 15.0
    send_payment_evidence: bool = False
    evidence_valid_for: int = 300
    mandate: Optional[Dict[str, Any]] = None
    solana_recent_blockhash: Optional[str] = None
    headers: Dict[str, str] = field(default_factory=dict)


@dataclass
class PaidResponse:
    """Everything about one paid request.

    Attributes:
        status_code: the seller's final status (200).
        headers: the seller's final response headers.
        content: the raw body.
        data: the body parsed as JSON when it is JSON, else ``None``.
        payment_required: the parsed 402 answer.
        requirement: the requirement that was paid.
        payment_header: ``(name, value)``: ``X-PAYMENT`` or ``PAYMENT-SIGNATURE``.
        payment: the decoded payment payload.
        request_headers: every x402 / x402-secure header that was sent.
        settlement: the decoded ``X-PAYMENT-RESPONSE`` / ``PAYMENT-RESPONSE``
            (``{"success", "transaction", "network", "payer", ...}``), or ``None``.
    """

    status_code: int
    headers: Dict[str, str]
    content: bytes
    data: Any
    payment_required: Dict[str, Any]
    requirement: Dict[str, Any]
    payment_header: Tuple[str, str]
    payment: Dict[str, Any]
    request_headers: Dict[str, str]
    settlement: Optional[Dict[str, Any]]


# ---------------------------------------------------------------------------------------------
# the shared (I/O-free) part of both clients
# ---------------------------------------------------------------------------------------------


def _secret_text(value: Union[str, bytes, bytearray]) -> Union[str, bytes, bytearray]:
    return value


def _family(network: str) -> str:
    """``"evm"`` or ``"solana"`` for a CAIP-2 id or v1 name (from the core's table)."""
    if network.startswith("eip155:"):
        return "evm"
    if network.startswith("solana:"):
        return "solana"
    try:
        info = _x402.network(network)
    except X402SError:
        return "unknown"
    fam = str(info.get("family", "")).lower()
    if fam in ("evm", "eip155"):
        return "evm"
    if fam in ("svm", "solana"):
        return "solana"
    return fam or "unknown"


class _Prepared:
    """A payment ready to be sent: the headers and what they were made from."""

    __slots__ = ("url", "params", "payment_required", "requirement", "name", "value", "payment", "headers")

    def __init__(self, **kw: Any) -> None:
        for k, v in kw.items():
            setattr(self, k, v)


class _BuyerCore:
    """State and protocol logic shared by the sync and async clients."""

    def __init__(self, cfg: BuyerConfig, clock: Optional[Callable[[], float]],
                 on_event: Optional[Callable[[str, Dict[str, Any]], None]] = None) -> None:
        if not cfg.agent_gateway_url:
            raise ValueError("agent_gateway_url is required")
        if not cfg.seller_base_url:
            raise ValueError("seller_base_url is required")
        if cfg.protocol_version not in (None, 1, 2):
            raise ValueError("protocol_version must be None, 1 or 2")
        if not (cfg.timeout > 0):
            raise ValueError("timeout must be positive")
        self.cfg = cfg
        self._clock = clock or time.time
        self._on_event = on_event
        self.evm: Optional[EvmAccount] = None
        self.solana: Optional[SolanaKeypair] = None
        if cfg.buyer_private_key:
            self.evm = EvmAccount.from_key(cfg.buyer_private_key)
        if cfg.solana_seed:
            seed = cfg.solana_seed
            if isinstance(seed, str):
                text = seed[2:] if seed[:2] in ("0x", "0X") else seed
                try:
                    seed = bytearray.fromhex(text)
                except ValueError:
                    raise ValueError("solana_seed must be 32 bytes or 64 hex digits") from None
            self.solana = SolanaKeypair.from_seed(seed)
            if isinstance(seed, bytearray) and seed is not cfg.solana_seed:
                seed[:] = bytes(len(seed))
        if self.evm is not None:
            self.address = self.evm.address
        elif self.solana is not None:
            self.address = self.solana.address
        else:
            # 0.1.4: a session without a key uses $BUYER_ADDRESS or a random address.
            self.address = os.getenv("BUYER_ADDRESS") or ("0x" + os.urandom(20).hex())
        self.gateway = cfg.agent_gateway_url.rstrip("/")
        self.seller = cfg.seller_base_url.rstrip("/")
        #: The last :class:`PaidResponse` (also returned by ``request_paid``).
        self.last_payment: Optional[PaidResponse] = None
        #: Agent traces stored by this client, by tid (for evidence digests).
        self._traces: Dict[str, Dict[str, Any]] = {}

    # -- lifecycle -----------------------------------------------------------------------
    def _emit(self, event: str, **info: Any) -> None:
        """Tell the observer (``on_event``) about a step; observers never break payments."""
        if self._on_event is not None:
            try:
                self._on_event(event, info)
            except Exception:
                pass

    def _wipe(self) -> None:
        for key in (self.evm, self.solana):
            if key is not None:
                key.close()

    # -- gateway requests ---------------------------------------------------------------
    def _session_body(self, agent_did, wallet_address, agent_endpoint, app_id, device, mandate) -> bytes:
        addr = wallet_address or self.address
        body = _risk.risk_session_request(addr, agent_did=agent_did or addr, agent_endpoint=agent_endpoint,
                                          app_id=app_id, device=device)
        mandate = mandate if mandate is not None else self.cfg.mandate
        if mandate is None:
            return body
        # Beyond 0.1.4: the mandate is registered with the session for the gateway's mandate gate.
        doc = json.loads(body)
        doc["mandate"] = mandate
        return json.dumps(doc, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")

    def _trace_body(self, sid, task, params, environment, events, model_config, session_context) -> bytes:
        # Events are sent in the order given (a collector's ``events`` list is already in
        # 0.1.4's order), so the core must not reorder them again.
        trace = _risk.AgentTrace(
            task,
            params if params is not None else {},
            environment=environment,
            events=events,
            model_config=model_config,
            session_context=session_context,
            event_order="recorded",
        )
        return _risk.risk_trace_request(sid, trace)

    def _session_answer(self, response: httpx.Response) -> Dict[str, Any]:
        doc = _json_answer(response, "gateway", "POST /risk/session")
        try:
            _risk.parse_risk_session_answer(response.content)
        except X402SError as exc:
            raise MalformedResponseError(
                f"gateway answered POST /risk/session without a valid sid ({exc.message})",
                service="gateway", url=_strip_query(str(response.request.url)),
                status_code=response.status_code, body_excerpt=_excerpt(response)) from None
        return doc

    def _trace_answer(self, response: httpx.Response, body: bytes) -> str:
        doc = _json_answer(response, "gateway", "POST /risk/trace")
        try:
            tid = _risk.parse_risk_trace_answer(response.content)
        except X402SError as exc:
            raise MalformedResponseError(
                f"gateway answered POST /risk/trace without a valid tid ({exc.message})",
                service="gateway", url=_strip_query(str(response.request.url)),
                status_code=response.status_code, body_excerpt=_excerpt(response)) from None
        # Keep the trace as sent: payment evidence binds its digest.
        self._traces[tid] = json.loads(body).get("agent_trace") or {}
        if len(self._traces) > 256:
            self._traces.pop(next(iter(self._traces)))
        # 0.1.4 returns the gateway's tid as given; it is normalised by the check above.
        return doc["tid"] if isinstance(doc.get("tid"), str) else tid

    # -- seller requests ----------------------------------------------------------------
    def _url(self, endpoint: str) -> str:
        if endpoint.startswith(("http://", "https://")):
            return endpoint
        if not endpoint.startswith("/"):
            endpoint = "/" + endpoint
        return f"{self.seller}{endpoint}"

    def _policy(self) -> Dict[str, Any]:
        """The spend policy: the configured one, restricted to the networks this
        buyer holds a key for, preferring ``cfg.network``."""
        policy = dict(self.cfg.policy or {})
        families = []
        if self.evm is not None:
            families.append("eip155:*")
        if self.solana is not None:
            families.append("solana:*")
        if "networks" not in policy:
            policy["networks"] = families
        if self.cfg.network and "preferredNetworks" not in policy:
            policy["preferredNetworks"] = [self.cfg.network]
        return policy

    def _parse_402(self, response: httpx.Response, url: str) -> Dict[str, Any]:
        if response.status_code != 402:
            raise UnexpectedStatusError(
                f"expected 402 Payment Required from the seller, got {response.status_code}",
                service="seller", response=response, expected=402)
        header = response.headers.get("payment-required")
        body: Optional[bytes] = None
        if _content_type(response) == "application/json" and response.content:
            body = response.content
        if self.cfg.protocol_version == 1:
            header = None
        elif self.cfg.protocol_version == 2 and not header:
            raise MalformedResponseError(
                "the seller's 402 has no PAYMENT-REQUIRED header (protocol_version=2)",
                service="seller", url=url, status_code=402, body_excerpt=_excerpt(response))
        if header is None and body is None:
            raise ContentTypeError(
                "the seller's 402 has neither a PAYMENT-REQUIRED header nor an application/json body",
                service="seller", url=url, status_code=402, body_excerpt=_excerpt(response))
        try:
            pr = _x402.parse_payment_required(headers={"PAYMENT-REQUIRED": header} if header else None,
                                              body=body)
        except X402SError as exc:
            raise MalformedResponseError(
                f"the seller's 402 is not a valid x402 answer ({exc.code}: {exc.message})",
                service="seller", url=url, status_code=402, body_excerpt=_excerpt(response)) from None
        accepts = pr.get("accepts") if isinstance(pr, dict) else None
        if not isinstance(accepts, list) or not accepts:
            raise MalformedResponseError("the seller's 402 has no 'accepts'", service="seller", url=url,
                                         status_code=402, body_excerpt=_excerpt(response))
        return pr

    def _prepare(self, response: httpx.Response, url: str, params: Mapping[str, Any], sid: str, tid: Optional[str],
                 extra_headers: Optional[Mapping[str, str]]) -> _Prepared:
        pr = self._parse_402(response, url)
        self._emit("payment_required", url=url, payment_required=pr,
                   version=2 if response.headers.get("payment-required") and self.cfg.protocol_version != 1 else 1)
        policy = self._policy()
        if self.evm is None and self.solana is None:
            raise NoAcceptableRequirementError(
                "no buyer key: set buyer_private_key (EVM) or solana_seed (Solana) to pay", pr)
        try:
            index = _x402.select_requirement_index(pr, policy)
        except X402SError as exc:
            raise NoAcceptableRequirementError(
                f"no requirement of the seller's 402 is acceptable: {exc.message}", pr) from None
        requirement = pr["accepts"][index]
        self._emit("requirement_selected", requirement=requirement, index=index, policy=policy)
        network = str(requirement.get("network", ""))
        family = _family(network)
        signer = self.evm if family == "evm" else self.solana if family == "solana" else None
        if signer is None:
            raise NoAcceptableRequirementError(f"no key for network {network!r}", pr)

        trace = self._traces.get(tid) if tid else None
        if self.cfg.mandate is not None:
            decision = _risk.evaluate_mandate(self.cfg.mandate, requirement, trace or None,
                                              resource=_resource_of(pr, requirement, url, params),
                                              now=int(self._clock()))
            self._emit("mandate_checked", action=decision.action, reasons=list(decision.reasons))
            if decision.action != "allow":
                raise MandateDeniedError(decision.action, list(decision.reasons))

        # Pay exactly the chosen requirement, keeping the 402's resource and extensions (v2).
        single = dict(pr)
        single["accepts"] = [requirement]
        options: Dict[str, Any] = {}
        if family == "solana" and self.cfg.solana_recent_blockhash:
            options["recent_blockhash"] = self.cfg.solana_recent_blockhash
        try:
            created = _x402.create_payment(single, signer, policy, now=int(self._clock()), **options)
        except X402SError as exc:
            raise NoAcceptableRequirementError(
                f"cannot pay the chosen requirement: {exc.message}", pr) from None
        name, value, payment = created.header_name, created.header_value, created.payment

        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        headers: Dict[str, str] = dict(self.cfg.headers)
        headers[name] = value
        headers["Origin"] = origin
        headers["X-RISK-SESSION"] = sid
        if tid is not None:
            headers["X-PAYMENT-SECURE"] = _risk.build_payment_secure_header(tid=tid)
        if self.cfg.send_payment_evidence:
            resource = _resource_of(pr, requirement, url, params)
            evidence = _risk.PaymentEvidence.build(
                value, requirement, origin=origin, resource=resource, session_id=sid, trace_id=tid,
                agent_trace=trace or None, payer=signer.address, valid_for=self.cfg.evidence_valid_for,
                now=int(self._clock()))
            headers["X-PAYMENT-EVIDENCE"] = evidence.sign(signer)
        if extra_headers:
            headers.update(extra_headers)
        self._emit("payment_created", header_name=name, payment=payment, headers=dict(headers))
        return _Prepared(url=url, params=params, payment_required=pr, requirement=requirement, name=name,
                         value=value, payment=payment, headers=headers)

    def _finish(self, prepared: _Prepared, response: httpx.Response) -> PaidResponse:
        if response.status_code != 200:
            reason, detail = _rejection(response)
            if response.status_code in (400, 402, 403, 409):
                raise PaymentRejectedError(
                    f"the seller refused the payment with {response.status_code}: {reason or 'no reason given'}",
                    response=response, reason=reason, detail=detail)
            raise UnexpectedStatusError(
                f"the seller answered the paid request with {response.status_code} "
                f"({reason or _error_text(response)})",
                service="seller", response=response)
        settlement = None
        receipt = response.headers.get("payment-response") or response.headers.get("x-payment-response")
        if receipt:
            try:
                settlement = _x402.decode_settle_response(receipt)
            except X402SError as exc:
                raise MalformedResponseError(
                    f"the seller's settlement receipt does not decode ({exc.code})", service="seller",
                    url=prepared.url, status_code=200, body_excerpt=receipt[:_EXCERPT]) from None
        data = None
        if _content_type(response) == "application/json":
            data = _parse_json_any(response.content)
        result = PaidResponse(
            status_code=response.status_code,
            headers=dict(response.headers),
            content=response.content,
            data=data,
            payment_required=prepared.payment_required,
            requirement=prepared.requirement,
            payment_header=(prepared.name, prepared.value),
            payment=prepared.payment,
            request_headers={k: v for k, v in prepared.headers.items()},
            settlement=settlement,
        )
        self.last_payment = result
        self._emit("paid", result=result)
        return result

    @staticmethod
    def _json_result(result: PaidResponse) -> Any:
        if _content_type_value(result.headers) != "application/json":
            raise ContentTypeError(
                "the paid resource is not application/json; use request_paid() for other content",
                service="seller", url="", status_code=result.status_code, body_excerpt="")
        if result.data is None and result.content.strip() not in (b"null",):
            raise MalformedResponseError("the paid resource is not valid JSON", service="seller", url="",
                                         status_code=result.status_code,
                                         body_excerpt=result.content[:_EXCERPT].decode("utf-8", "replace"))
        return result.data


def _content_type_value(headers: Mapping[str, str]) -> str:
    for k, v in headers.items():
        if k.lower() == "content-type":
            return v.split(";", 1)[0].strip().lower()
    return ""


def _parse_json_any(content: bytes) -> Any:
    try:
        return json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def _rejection(response: httpx.Response) -> Tuple[Optional[str], Any]:
    """The x402 reason and detail of a refusal: the JSON body's
    ``invalidReason``/``errorReason``/``reason``/``error``, else the error of
    a v2 ``PAYMENT-REQUIRED`` header."""
    detail: Any = None
    reason: Optional[str] = None
    if _content_type(response) == "application/json":
        detail = _parse_json_object(response)
        if isinstance(detail, dict):
            for key in ("invalidReason", "errorReason", "reason", "error"):
                val = detail.get(key)
                if isinstance(val, str) and val:
                    reason = val
                    break
                if isinstance(val, dict) and isinstance(val.get("code"), str):
                    reason = val["code"]
                    break
    header = response.headers.get("payment-required")
    if header and reason is None:
        try:
            pr = _x402.parse_payment_required(headers={"PAYMENT-REQUIRED": header})
            if isinstance(pr, dict) and isinstance(pr.get("error"), str):
                reason = pr["error"]
                detail = detail or pr
        except X402SError:
            pass
    return reason, detail


def _resource_of(pr: Mapping[str, Any], requirement: Mapping[str, Any], url: str,
                 params: Mapping[str, Any]) -> str:
    """The resource URL the evidence names: v2 ``resource.url``, v1 ``resource``,
    else the request URL."""
    res = pr.get("resource")
    if isinstance(res, dict) and isinstance(res.get("url"), str):
        return res["url"]
    if isinstance(requirement.get("resource"), str):
        return requirement["resource"]
    return url + ("?" + urlencode(params) if params else "")


def _timeout(cfg: BuyerConfig) -> httpx.Timeout:
    return httpx.Timeout(cfg.timeout)


def _transport_call(service: str, url: str):
    """Context manager turning httpx transport errors into :class:`TransportError`."""
    return _TransportGuard(service, url)


class _TransportGuard:
    def __init__(self, service: str, url: str) -> None:
        self.service = service
        self.url = url

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is not None and isinstance(exc, httpx.TransportError):
            raise TransportError(self.service, _strip_query(self.url), exc) from exc
        return False


# ---------------------------------------------------------------------------------------------
# synchronous client
# ---------------------------------------------------------------------------------------------


class BuyerClient(_BuyerCore):
    """Synchronous buyer (agent) client on :class:`httpx.Client`.

    Args:
        cfg: the :class:`BuyerConfig`.
        http: an ``httpx.Client`` to use (default: a new one with ``cfg.timeout``).
        clock: Unix time source (seconds) for payment windows and evidence.
        on_event: observer called as ``on_event(name, info)`` at each step
            (``payment_required``, ``requirement_selected``, ``mandate_checked``,
            ``payment_created``, ``paid``); its exceptions are ignored.

    Use it as a context manager, or call :meth:`close`, to close HTTP
    connections and wipe the keys.

    Raises:
        ValueError: missing URLs, bad ``protocol_version`` or ``timeout``, or a
            malformed key (:class:`~x402secure.InvalidKeyError` /
            :class:`~x402secure.InvalidArgumentError`).
    """

    def __init__(self, cfg: BuyerConfig, *, http: Optional[httpx.Client] = None,
                 clock: Optional[Callable[[], float]] = None,
                 on_event: Optional[Callable[[str, Dict[str, Any]], None]] = None) -> None:
        super().__init__(cfg, clock, on_event)
        self._own_http = http is None
        self.http = http or httpx.Client(timeout=_timeout(cfg))

    def close(self) -> None:
        """Close the HTTP client (if this object made it) and wipe the keys."""
        if self._own_http:
            self.http.close()
        self._wipe()

    def __enter__(self) -> "BuyerClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _post(self, path: str, body: bytes) -> httpx.Response:
        url = self.gateway + path
        with _transport_call("gateway", url):
            return self.http.post(url, content=body, headers={"Content-Type": "application/json"})

    def create_risk_session(self, *, agent_did: Optional[str] = None, wallet_address: Optional[str] = None,
                            agent_endpoint: Optional[str] = None, app_id: Optional[str] = None,
                            device: Optional[Dict[str, Any]] = None,
                            mandate: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """``POST {gateway}/risk/session``; returns ``{"sid", "expires_at"}``.

        ``agent_did`` and ``wallet_address`` default to the buyer's address (as
        0.1.4). ``mandate`` (beyond 0.1.4; default ``cfg.mandate``) is registered
        with the session for the gateway's mandate gate.

        Raises:
            TransportError, UnexpectedStatusError, ContentTypeError, MalformedResponseError.
        """
        body = self._session_body(agent_did, wallet_address, agent_endpoint, app_id, device, mandate)
        return self._session_answer(self._post("/risk/session", body))

    def store_agent_trace(self, *, sid: str, task: str, params: Dict[str, Any],
                          environment: Optional[Dict[str, Any]] = None,
                          events: Optional[List[Dict[str, Any]]] = None,
                          model_config: Optional[Dict[str, Any]] = None,
                          session_context: Optional[Dict[str, Any]] = None) -> str:
        """``POST {gateway}/risk/trace`` with an AgentTrace built by the core;
        returns the trace id ``tid``.

        Raises:
            RiskError: the trace is not valid (e.g. not JSON-serialisable events).
            TransportError, UnexpectedStatusError, ContentTypeError, MalformedResponseError.
        """
        body = self._trace_body(sid, task, params, environment, events, model_config, session_context)
        return self._trace_answer(self._post("/risk/trace", body), body)

    def request_paid(self, endpoint: str, task: str = "", params: Optional[Dict[str, Any]] = None,
                     sid: str = "", tid: Optional[str] = None, *,
                     extra_headers: Optional[Mapping[str, str]] = None) -> PaidResponse:
        """Fetch a paid resource: preflight GET, expect 402, choose a requirement by
        policy, pay, send the risk headers, and return the :class:`PaidResponse`.

        Raises:
            TransportError: the seller is unreachable (nothing was paid).
            UnexpectedStatusError: the preflight was not 402, or the paid request
                failed with another status (e.g. 502 from the seller's gateway).
            PaymentRejectedError: the seller refused the payment (``.reason``).
            NoAcceptableRequirementError, MandateDeniedError, ContentTypeError,
            MalformedResponseError.
        """
        url = self._url(endpoint)
        params = dict(params or {})
        with _transport_call("seller", url):
            pre = self.http.get(url, params=params, headers=self.cfg.headers)
        prepared = self._prepare(pre, url, params, sid, tid, extra_headers)
        with _transport_call("seller", url):
            final = self.http.get(url, params=params, headers=prepared.headers)
        return self._finish(prepared, final)

    def execute_paid_request(self, endpoint: str, task: str, params: Optional[Dict[str, Any]], sid: str,
                             tid: Optional[str]) -> Any:
        """0.1.4's call: :meth:`request_paid`, returning the JSON body.

        Raises:
            everything :meth:`request_paid` raises, and :class:`ContentTypeError`
            when the resource is not JSON.
        """
        return self._json_result(self.request_paid(endpoint, task, params, sid, tid))

    def execute_paid_request_with_headers(self, endpoint: str, *, task: str,
                                          params: Optional[Dict[str, Any]] = None, risk_sid: str,
                                          extra_headers: Optional[Dict[str, str]] = None) -> Any:
        """0.1.4's lower-level call: pay with caller-made risk headers
        (``extra_headers`` must include ``X-PAYMENT-SECURE``, as 0.1.4 required)."""
        if not extra_headers or "X-PAYMENT-SECURE" not in extra_headers:
            raise ValueError("X-PAYMENT-SECURE missing in extra_headers")
        return self._json_result(self.request_paid(endpoint, task, params, risk_sid, None,
                                                   extra_headers=extra_headers))


# ---------------------------------------------------------------------------------------------
# asyncio client
# ---------------------------------------------------------------------------------------------


class AsyncBuyerClient(_BuyerCore):
    """The asyncio flavour of :class:`BuyerClient` (on :class:`httpx.AsyncClient`),
    with the same methods as coroutines: the drop-in for 0.1.4's ``BuyerClient``."""

    def __init__(self, cfg: BuyerConfig, *, http: Optional[httpx.AsyncClient] = None,
                 clock: Optional[Callable[[], float]] = None,
                 on_event: Optional[Callable[[str, Dict[str, Any]], None]] = None) -> None:
        super().__init__(cfg, clock, on_event)
        self._own_http = http is None
        self.http = http or httpx.AsyncClient(timeout=_timeout(cfg))

    async def aclose(self) -> None:
        """Close the HTTP client (if this object made it) and wipe the keys."""
        if self._own_http:
            await self.http.aclose()
        self._wipe()

    async def __aenter__(self) -> "AsyncBuyerClient":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    async def _post(self, path: str, body: bytes) -> httpx.Response:
        url = self.gateway + path
        with _transport_call("gateway", url):
            return await self.http.post(url, content=body, headers={"Content-Type": "application/json"})

    async def create_risk_session(self, *, agent_did: Optional[str] = None, wallet_address: Optional[str] = None,
                                  agent_endpoint: Optional[str] = None, app_id: Optional[str] = None,
                                  device: Optional[Dict[str, Any]] = None,
                                  mandate: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """See :meth:`BuyerClient.create_risk_session`."""
        body = self._session_body(agent_did, wallet_address, agent_endpoint, app_id, device, mandate)
        return self._session_answer(await self._post("/risk/session", body))

    async def store_agent_trace(self, *, sid: str, task: str, params: Dict[str, Any],
                                environment: Optional[Dict[str, Any]] = None,
                                events: Optional[List[Dict[str, Any]]] = None,
                                model_config: Optional[Dict[str, Any]] = None,
                                session_context: Optional[Dict[str, Any]] = None) -> str:
        """See :meth:`BuyerClient.store_agent_trace`."""
        body = self._trace_body(sid, task, params, environment, events, model_config, session_context)
        return self._trace_answer(await self._post("/risk/trace", body), body)

    async def request_paid(self, endpoint: str, task: str = "", params: Optional[Dict[str, Any]] = None,
                           sid: str = "", tid: Optional[str] = None, *,
                           extra_headers: Optional[Mapping[str, str]] = None) -> PaidResponse:
        """See :meth:`BuyerClient.request_paid`."""
        url = self._url(endpoint)
        params = dict(params or {})
        with _transport_call("seller", url):
            pre = await self.http.get(url, params=params, headers=self.cfg.headers)
        prepared = self._prepare(pre, url, params, sid, tid, extra_headers)
        with _transport_call("seller", url):
            final = await self.http.get(url, params=params, headers=prepared.headers)
        return self._finish(prepared, final)

    async def execute_paid_request(self, endpoint: str, task: str, params: Optional[Dict[str, Any]], sid: str,
                                   tid: Optional[str]) -> Any:
        """See :meth:`BuyerClient.execute_paid_request`."""
        return self._json_result(await self.request_paid(endpoint, task, params, sid, tid))

    async def execute_paid_request_with_headers(self, endpoint: str, *, task: str,
                                                params: Optional[Dict[str, Any]] = None, risk_sid: str,
                                                extra_headers: Optional[Dict[str, str]] = None) -> Any:
        """See :meth:`BuyerClient.execute_paid_request_with_headers`."""
        if not extra_headers or "X-PAYMENT-SECURE" not in extra_headers:
            raise ValueError("X-PAYMENT-SECURE missing in extra_headers")
        return self._json_result(await self.request_paid(endpoint, task, params, risk_sid, None,
                                                         extra_headers=extra_headers))
