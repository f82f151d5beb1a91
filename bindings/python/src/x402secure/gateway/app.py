"""The gateway's request handling, independent of the HTTP server.

:meth:`Gateway.handle` takes ``(method, path, headers, body)`` and returns
``(status, headers, body)``; :mod:`x402secure.gateway.server` puts it on a
socket. Endpoints (request and error shapes of x402-secure 0.1.4's gateway,
``../shared/specs/x402-secure.md`` sections 3-4):

=========================== ======================================================
``POST /risk/session``      ``{agent_did, wallet_address, agent_endpoint?, app_id?,
                            device?, mandate?}`` -> ``{"sid", "expires_at"}``
``POST /risk/trace``        ``{sid, fingerprint?, telemetry?, agent_trace}`` -> ``{"tid"}``
``GET /risk/trace/{tid}``   the stored trace
``POST /risk/evaluate``     ``{sid, tid?, trace_context, payment, mandate?,
                            paymentRequirements?}`` -> EvaluateResponse, decided
                            by the core's mandate gate
``POST /x402/verify``       headers ``X-PAYMENT``/``PAYMENT-SIGNATURE``, ``Origin``,
                            ``X-PAYMENT-SECURE``, ``X-RISK-SESSION``,
                            ``X-AP2-EVIDENCE``?, ``X-PAYMENT-EVIDENCE``?; body
                            ``{x402Version, paymentPayload, paymentRequirements}``
                            -> ``{"isValid", "payer", "invalidReason"}``
``POST /x402/settle``       same -> ``{"success", "payer", "transaction", "network",
                            "errorReason"}``
``POST /facilitator/verify``, ``/facilitator/settle``, ``GET /facilitator/supported``
                            the local facilitator itself (when configured), for
                            sellers that settle directly
``GET /health``             ``{"status": "ok", ...}``
=========================== ======================================================

Errors use 0.1.4's envelope ``{"error": {"code", "message"}, "request_id"}``
(codes from the message, as 0.1.4 derives them); malformed bodies get 422
``{"detail": [...]}`` as FastAPI answers.

Beyond 0.1.4: the mandate gate decides ``/risk/evaluate`` (``allow`` ->
allow, ``step_up`` -> review, ``deny`` -> deny; review is blocked with 403
``RISK_REVIEW`` unless ``allow_review``); ``X-PAYMENT-EVIDENCE`` is verified
against the payment, session, trace and the stored agent trace's digest; v2
``PAYMENT-SIGNATURE`` is accepted as well as ``X-PAYMENT``.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from .. import risk as _risk
from .. import x402 as _x402
from .._accounts import SolanaKeypair
from ..errors import X402SError
from .facilitator import HttpFacilitator, LocalFacilitator, UpstreamUnavailable, payment_header_of

__all__ = ["Gateway", "GatewayConfig", "Response"]

#: (status, headers, body bytes)
Response = Tuple[int, Dict[str, str], bytes]

_MAX_BODY = 1 << 20

#: 0.1.4's message -> code table (first substring hit wins, in this order).
_CODE_TABLE = [
    ("originhash mismatch", "AP2_ORIGIN_MISMATCH"),
    ("resource mismatch", "AP2_RESOURCE_MISMATCH"),
    ("network mismatch", "AP2_NETWORK_MISMATCH"),
    ("payto mismatch", "AP2_PAYTO_MISMATCH"),
    ("asset mismatch", "AP2_ASSET_MISMATCH"),
    ("notbefore not reached", "AP2_TTL_NOT_BEFORE"),
    ("notafter passed", "AP2_TTL_EXPIRED"),
    ("exp passed", "AP2_TTL_EXPIRED"),
    ("paymenthash mismatch", "AP2_PAYMENT_HASH_MISMATCH"),
    ("merchant identity not accepted", "AP2_MERCHANT_DENIED"),
    ("eip-712 verification unavailable", "AP2_SIG_UNAVAILABLE"),
    ("eip-712 signature invalid", "AP2_SIG_INVALID"),
    ("signer != payer", "AP2_SIG_PAYER_MISMATCH"),
    ("missing ap2 evidence", "AP2_EVIDENCE_MISSING"),
    ("invalid ap2 evidence", "AP2_EVIDENCE_INVALID"),
    ("unsupported network", "AP2_CHAIN_UNSUPPORTED"),
    ("x-payment-secure", "TRACE_HEADER_INVALID"),
    ("traceparent", "TRACE_HEADER_INVALID"),
    ("x-risk-session", "RISK_SESSION_INVALID"),
    ("x-risk-trace", "RISK_TRACE_INVALID"),
    ("x-ap2-evidence", "EVIDENCE_HEADER_INVALID"),
    ("unsupported x-ap2-evidence version", "EVIDENCE_HEADER_UNSUPPORTED"),
    ("risk denied", "RISK_DENIED"),
    ("risk review", "RISK_REVIEW"),
    # beyond 0.1.4
    ("x-payment-evidence", "PAYMENT_EVIDENCE_INVALID"),
    ("payment evidence", "PAYMENT_EVIDENCE_INVALID"),
    ("upstream unavailable", "UPSTREAM_UNAVAILABLE"),
    ("payment header", "PAYMENT_HEADER_INVALID"),
]


def error_code(message: str) -> str:
    """The envelope code of an error message (0.1.4's substring table)."""
    low = message.lower()
    for needle, code in _CODE_TABLE:
        if needle in low:
            return code
    return "UNSPECIFIED"


class _HeaderError(Exception):
    pass


class _Reply(Exception):
    """Raised inside handlers to answer immediately."""

    def __init__(self, status: int, doc: Any, headers: Optional[Dict[str, str]] = None) -> None:
        super().__init__(status)
        self.status = status
        self.doc = doc
        self.headers = headers or {}


def _detail(loc: str, msg: str) -> Dict[str, Any]:
    return {"detail": [{"loc": ["body", loc] if loc else ["body"], "msg": msg, "type": "value_error"}]}


def _iso_z(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).replace(tzinfo=None).isoformat() + "Z"


_EVM_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")
_BASE58 = re.compile(r"^[1-9A-HJ-NP-Za-km-z]{32,44}$")


@dataclass
class GatewayConfig:
    """Gateway settings (0.1.4's environment variables in brackets).

    Attributes:
        upstream: ``"local"`` (:class:`LocalFacilitator`), ``"onchain"`` (the on-chain
            facilitator of :mod:`x402secure.facilitator`, configured by ``onchain_config``) or a
            facilitator base URL.
        onchain_config: the on-chain facilitator's configuration (a JSON file path or dict).
        upstream_verify_url, upstream_settle_url: explicit upstream endpoints
            [``PROXY_UPSTREAM_VERIFY_URL``, ``PROXY_UPSTREAM_SETTLE_URL``].
        upstream_timeout: seconds [``PROXY_TIMEOUT_S``].
        session_ttl: seconds a risk session lives [``PROXY_LOCAL_RISK_TTL``].
        settle_risk: run the risk gate on ``/x402/settle`` too [``PROXY_SETTLE_RISK_ENABLED``].
        allow_review: forward payments the gate marks ``review`` (0.1.4 behaviour);
            by default they are refused with 403 ``RISK_REVIEW``.
        require_payment_evidence: refuse ``/x402/verify`` without ``X-PAYMENT-EVIDENCE``.
        default_mandate: the operator's mandate applied to every session.
        mandates: operator mandates by wallet address (EVM compared case-insensitively).
        solana_fee_payers: fee payers of the local facilitator (``None``: any).
        solana_fee_payer_seeds: 32-byte seeds of fee payers the local facilitator
            co-signs Solana transactions with (development keys only).
        facilitator_addresses: EVM facilitator addresses of the local facilitator.
        max_sessions, max_traces: store bounds (oldest evicted first).
    """

    upstream: str = "local"
    onchain_config: Any = None
    upstream_verify_url: Optional[str] = None
    upstream_settle_url: Optional[str] = None
    upstream_timeout: float = 15.0
    session_ttl: float = 900.0
    settle_risk: bool = False
    allow_review: bool = False
    require_payment_evidence: bool = False
    default_mandate: Optional[Dict[str, Any]] = None
    mandates: Dict[str, Dict[str, Any]] = field(default_factory=dict)
    solana_fee_payers: Optional[List[str]] = None
    solana_fee_payer_seeds: List[bytes] = field(default_factory=list, repr=False)
    facilitator_addresses: List[str] = field(default_factory=list)
    max_sessions: int = 100_000
    max_traces: int = 100_000


class Gateway:
    """x402-secure gateway for development and tests.

    Args:
        config: :class:`GatewayConfig`.
        clock: Unix time in seconds (sessions, verification, evidence, mandates).
        facilitator: an upstream object with ``verify(body)``/``settle(body)``
            (default: from ``config.upstream``).
    """

    def __init__(self, config: Optional[GatewayConfig] = None, *, clock: Callable[[], float] = time.time,
                 facilitator: Any = None) -> None:
        self.config = config or GatewayConfig()
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: "OrderedDict[str, Dict[str, Any]]" = OrderedDict()
        self._traces: "OrderedDict[str, Dict[str, Any]]" = OrderedDict()
        cfg = self.config
        self.local: Optional[LocalFacilitator] = None
        self._fee_keys: List[SolanaKeypair] = []
        if facilitator is not None:
            self.upstream = facilitator
            if isinstance(facilitator, LocalFacilitator):
                self.local = facilitator
        elif cfg.upstream == "onchain":
            from ..facilitator import load_config
            from ..facilitator.blocking import BlockingFacilitator

            if cfg.onchain_config is None:
                raise ValueError("upstream \"onchain\" needs onchain_config")
            self.upstream = BlockingFacilitator(load_config(cfg.onchain_config), clock=clock)
        elif cfg.upstream == "local" and not (cfg.upstream_verify_url or cfg.upstream_settle_url):
            self._fee_keys = [SolanaKeypair.from_seed(seed) for seed in cfg.solana_fee_payer_seeds]
            self.local = LocalFacilitator(clock=clock, facilitator_addresses=cfg.facilitator_addresses,
                                          solana_fee_payers=cfg.solana_fee_payers,
                                          solana_fee_payer_keys=self._fee_keys)
            self.upstream = self.local
        else:
            base = None if cfg.upstream == "local" else cfg.upstream
            self.upstream = HttpFacilitator(base, verify_url=cfg.upstream_verify_url,
                                            settle_url=cfg.upstream_settle_url, timeout=cfg.upstream_timeout)
        #: The last verify/settle exchange with the upstream (0.1.4's ``/x402/debug``).
        self.debug: Dict[str, Any] = {}
        #: Every risk decision taken, in order (for tests and the demo).
        self.decisions: List[Dict[str, Any]] = []

    # ------------------------------------------------------------------------------------
    # dispatch
    # ------------------------------------------------------------------------------------
    def handle(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Response:
        """Answer one HTTP request. Never raises."""
        path = path.split("?", 1)[0]
        hdrs = {k.lower(): v for k, v in headers.items()}
        try:
            if method == "GET" and path == "/health":
                return _json(200, self._health())
            if method == "GET" and path.startswith("/risk/trace/"):
                return _json(*self._get_trace(path[len("/risk/trace/"):]))
            if method == "GET" and path == "/x402/debug":
                with self._lock:
                    decisions = list(self.decisions[-20:])
                settled = list(self.local.settlements[-20:]) if self.local is not None else None
                return _json(200, {**self.debug, "decisions": decisions, "settlements": settled})
            if method == "GET" and path == "/facilitator/supported" and self.local is not None:
                return _json(200, self.local.supported())
            if method != "POST":
                return _json(404 if path not in _POST_PATHS else 405, {"detail": "Not Found" if path not in _POST_PATHS else "Method Not Allowed"})
            if len(body) > _MAX_BODY:
                return _json(413, {"detail": "request body too large"})
            if path == "/risk/session":
                return _json(*self._session(_body_object(body)))
            if path == "/risk/trace":
                return _json(*self._trace(_body_object(body)))
            if path == "/risk/evaluate":
                return _json(*self.evaluate(_body_object(body)))
            if path == "/x402/verify":
                return self._x402(hdrs, body, settle=False)
            if path == "/x402/settle":
                return self._x402(hdrs, body, settle=True)
            if path == "/facilitator/verify" and self.local is not None:
                status, doc, _ = self.local.verify(_body_object(body))
                return _json(status, doc)
            if path == "/facilitator/settle" and self.local is not None:
                status, doc, _ = self.local.settle(_body_object(body))
                return _json(status, doc)
            return _json(404, {"detail": "Not Found"})
        except _Reply as r:
            return _json(r.status, r.doc, r.headers)
        except Exception as exc:  # pragma: no cover - a bug; keep the server up
            return _json(500, {"error": {"code": "INTERNAL", "message": f"{type(exc).__name__}"},
                               "request_id": uuid.uuid4().hex})

    def _health(self) -> Dict[str, Any]:
        up = self.upstream
        return {"status": "ok", "time": _iso_z(self._clock()),
                "upstream_verify": getattr(up, "verify_url", "local"),
                "upstream_settle": getattr(up, "settle_url", "local")}

    # ------------------------------------------------------------------------------------
    # /risk/*
    # ------------------------------------------------------------------------------------
    def _session(self, doc: Dict[str, Any]) -> Tuple[int, Any]:
        agent_did = doc.get("agent_did")
        wallet = doc.get("wallet_address")
        if not isinstance(agent_did, str) or not agent_did.strip():
            raise _Reply(422, _detail("agent_did", "agent_did is required"))
        if not isinstance(wallet, str) or not (_EVM_ADDRESS.match(wallet) or _BASE58.match(wallet)):
            raise _Reply(422, _detail("wallet_address",
                                      "wallet_address must be an EVM address (0x + 40 hex) or a Solana address"))
        for key in ("agent_endpoint", "app_id"):
            if doc.get(key) is not None and not isinstance(doc.get(key), str):
                raise _Reply(422, _detail(key, f"{key} must be a string or null"))
        for key in ("device", "mandate"):
            if doc.get(key) is not None and not isinstance(doc.get(key), dict):
                raise _Reply(422, _detail(key, f"{key} must be an object or null"))
        now = self._clock()
        sid = str(uuid.uuid4())
        expires = now + self.config.session_ttl
        session = {"sid": sid, "agent_did": agent_did, "wallet_address": wallet,
                   "agent_endpoint": doc.get("agent_endpoint"), "app_id": doc.get("app_id"),
                   "device": doc.get("device"), "mandate": doc.get("mandate"),
                   "created": now, "expires": expires}
        with self._lock:
            self._sessions[sid] = session
            while len(self._sessions) > self.config.max_sessions:
                self._sessions.popitem(last=False)
        return 200, {"sid": sid, "expires_at": _iso_z(expires)}

    def _live_session(self, sid_text: Any) -> Optional[Dict[str, Any]]:
        if not isinstance(sid_text, str):
            return None
        try:
            sid = _risk.normalize_risk_id(sid_text)
        except X402SError:
            return None
        with self._lock:
            s = self._sessions.get(sid)
        if s is None or s["expires"] <= self._clock():
            return None
        return s

    def _trace(self, doc: Dict[str, Any]) -> Tuple[int, Any]:
        session = self._live_session(doc.get("sid"))
        if not isinstance(doc.get("sid"), str):
            raise _Reply(422, _detail("sid", "sid is required"))
        if session is None:
            raise _Reply(404, {"detail": "unknown sid"})
        agent_trace = doc.get("agent_trace")
        digest = None
        if agent_trace is not None:
            if not isinstance(agent_trace, dict):
                raise _Reply(422, _detail("agent_trace", "agent_trace must be an object"))
            try:
                digest = _risk.parse_agent_trace(agent_trace).digest
            except X402SError as exc:
                raise _Reply(422, _detail("agent_trace", f"invalid agent_trace: {exc.message}")) from None
        tid = str(uuid.uuid4())
        record = {"sid": session["sid"], "fingerprint": doc.get("fingerprint"), "telemetry": doc.get("telemetry"),
                  "agent_trace": agent_trace, "digest": digest}
        with self._lock:
            self._traces[tid] = record
            while len(self._traces) > self.config.max_traces:
                self._traces.popitem(last=False)
        return 200, {"tid": tid}

    def _get_trace(self, tid_text: str) -> Tuple[int, Any]:
        try:
            tid = _risk.normalize_risk_id(tid_text)
        except X402SError:
            return 404, {"detail": "unknown tid"}
        with self._lock:
            rec = self._traces.get(tid)
        if rec is None:
            return 404, {"detail": "unknown tid"}
        return 200, {k: rec[k] for k in ("sid", "fingerprint", "telemetry", "agent_trace")}

    def _mandates_for(self, session: Dict[str, Any]) -> List[Tuple[str, Dict[str, Any]]]:
        out: List[Tuple[str, Dict[str, Any]]] = []
        wallet = session.get("wallet_address") or ""
        op = None
        for key, m in self.config.mandates.items():
            if key == wallet or (key.lower() == wallet.lower() and wallet.startswith("0x")):
                op = m
                break
        if op is None:
            op = self.config.default_mandate
        if op is not None:
            out.append(("operator", op))
        if isinstance(session.get("mandate"), dict):
            out.append(("session", session["mandate"]))
        return out

    def evaluate(self, doc: Dict[str, Any]) -> Tuple[int, Any]:
        """``POST /risk/evaluate``: 404 unknown sid/tid, 400 tid not linked to
        sid; otherwise the mandate gate's decision over every applicable
        mandate (the operator's for the wallet or the default, and the one
        registered with the session): deny if any denies, review if any asks
        to step up, else allow. Without a mandate: allow (0.1.4 local mode)."""
        if not isinstance(doc.get("sid"), str):
            raise _Reply(422, _detail("sid", "sid is required"))
        session = self._live_session(doc.get("sid"))
        if session is None:
            raise _Reply(404, {"detail": "unknown sid"})
        trace_rec = None
        tid = doc.get("tid")
        if tid is not None:
            try:
                tid_n = _risk.normalize_risk_id(str(tid))
            except X402SError:
                raise _Reply(404, {"detail": "unknown tid"}) from None
            with self._lock:
                trace_rec = self._traces.get(tid_n)
            if trace_rec is None:
                raise _Reply(404, {"detail": "unknown tid"})
            if trace_rec["sid"] != session["sid"]:
                raise _Reply(400, {"detail": "tid not linked to sid"})
        requirement = doc.get("paymentRequirements")
        resource = doc.get("resource") if isinstance(doc.get("resource"), str) else None
        findings: List[Dict[str, Any]] = []
        actions: List[str] = []
        mandates = self._mandates_for(session)
        for source, mandate in mandates:
            if not isinstance(requirement, dict):
                actions.append("step_up")
                findings.append({"code": "requirements_missing", "action": "step_up", "source": source,
                                 "detail": "no paymentRequirements to check the mandate against"})
                continue
            try:
                decision = _risk.evaluate_mandate(mandate, requirement,
                                                  trace_rec["agent_trace"] if trace_rec else None,
                                                  now=int(self._clock()), resource=resource)
            except X402SError as exc:
                actions.append("deny")
                findings.append({"code": "mandate_invalid", "action": "deny", "source": source,
                                 "detail": exc.message})
                continue
            actions.append(decision.action)
            for r in decision.reasons:
                findings.append({"code": r.code, "action": r.action, "detail": r.detail, "source": source})
        if "deny" in actions:
            verdict, level = "deny", "high"
        elif "step_up" in actions:
            verdict, level = "review", "medium"
        else:
            verdict, level = "allow", "low"
        reasons = [f.get("code", "") for f in findings if f.get("action") in ("deny", "step_up")]
        answer = {"decision": verdict, "reasons": reasons, "decision_id": uuid.uuid4().hex, "ttl_seconds": 300,
                  "used_mandate": bool(mandates), "warnings": [], "risk_level": level,
                  "extra": {"findings": findings}}
        with self._lock:
            self.decisions.append({"sid": session["sid"], "tid": tid, "decision": verdict, "reasons": reasons})
            if len(self.decisions) > 1000:
                del self.decisions[:-1000]
        return 200, answer

    # ------------------------------------------------------------------------------------
    # /x402/verify and /x402/settle
    # ------------------------------------------------------------------------------------
    def _x402(self, hdrs: Dict[str, str], raw: bytes, settle: bool) -> Response:
        req_id = uuid.uuid4().hex
        op = "settle" if settle else "verify"

        def fail(status: int, message: str, code: Optional[str] = None) -> Response:
            return _json(status, {"error": {"code": code or error_code(message), "message": message},
                                  "request_id": req_id})

        try:
            body = _body_object(raw)
        except _Reply as r:
            return _json(r.status, r.doc)
        version = body.get("x402Version", 1)
        payload = body.get("paymentPayload")
        requirements = body.get("paymentRequirements")
        if not isinstance(version, int) or isinstance(version, bool) or version not in (1, 2):
            return _json(422, _detail("x402Version", "x402Version must be 1 or 2"))
        if not isinstance(payload, dict):
            return _json(422, _detail("paymentPayload", "paymentPayload must be an object"))
        if not isinstance(requirements, dict):
            return _json(422, _detail("paymentRequirements", "paymentRequirements must be an object"))

        x_payment = hdrs.get("x-payment") or hdrs.get("payment-signature")
        decoded = None
        if x_payment:
            try:
                decoded = _x402.decode_payment_header(x_payment)
            except X402SError:
                decoded = None
        payment = decoded if isinstance(decoded, dict) else payload
        headers_out: Dict[str, str] = {"X-Request-ID": req_id}

        if not settle or self.config.settle_risk:
            # -- headers (400 on any header error) --
            try:
                sid_text = hdrs.get("x-risk-session")
                if not sid_text:
                    raise _HeaderError("X-RISK-SESSION required")
                try:
                    sid = _risk.normalize_risk_id(sid_text)
                except X402SError as exc:
                    raise _HeaderError(f"X-RISK-SESSION invalid: {exc.message}") from None
                xps = hdrs.get("x-payment-secure")
                if not xps:
                    raise _HeaderError("X-PAYMENT-SECURE required")
                try:
                    tc = _risk.parse_payment_secure_header(xps)
                except X402SError as exc:
                    raise _HeaderError(f"X-PAYMENT-SECURE invalid: {exc.message}") from None
                ap2 = hdrs.get("x-ap2-evidence")
                mandate_ref = None
                if ap2:
                    try:
                        mandate_ref = _risk.parse_ap2_evidence_header(ap2)
                    except X402SError as exc:
                        raise _HeaderError(f"X-AP2-EVIDENCE invalid: {exc.message}") from None
            except _HeaderError as exc:
                return fail(400, str(exc))
            tid = tc.get("tid")
            ev_req: Dict[str, Any] = {
                "sid": sid,
                "trace_context": {k: tc[k] for k in ("tp", "ts") if tc.get(k)},
                "payment": _payment_summary(payment, version),
                "paymentRequirements": requirements,
            }
            if tid:
                ev_req["tid"] = tid
            resource = _resource_of(payment, requirements)
            if resource:
                ev_req["resource"] = resource
            if mandate_ref:
                ev_req["mandate"] = {"ref": mandate_ref.get("mr"), "sha256_b64url": mandate_ref.get("ms"),
                                     "mime": mandate_ref.get("mt"), "size": mandate_ref.get("sz")}
            try:
                status, ev = self.evaluate(ev_req)
            except _Reply as r:
                return fail(r.status, json.dumps(r.doc, separators=(",", ":")))
            headers_out.update({"X-Risk-Decision": ev["decision"], "X-Risk-Decision-ID": ev["decision_id"],
                                "X-Risk-TTL-Seconds": str(ev["ttl_seconds"])})
            if ev["decision"] == "deny":
                return fail(403, "Risk denied: " + (", ".join(ev["reasons"]) or "no reason given"))
            if ev["decision"] == "review" and not self.config.allow_review:
                return fail(403, "Risk review required: " + (", ".join(ev["reasons"]) or "no reason given"))
            # -- payment evidence (beyond 0.1.4) --
            pev = hdrs.get("x-payment-evidence")
            if pev or (self.config.require_payment_evidence and not settle):
                if not pev:
                    return fail(403, "X-PAYMENT-EVIDENCE required", "PAYMENT_EVIDENCE_MISSING")
                if not x_payment:
                    return fail(400, "X-PAYMENT-EVIDENCE needs the payment header (X-PAYMENT or PAYMENT-SIGNATURE)")
                digest = None
                if tid:
                    with self._lock:
                        rec = self._traces.get(tid)
                    digest = rec.get("digest") if rec else None
                try:
                    check = _risk.verify_payment_evidence(
                        pev, x_payment, requirements, origin=hdrs.get("origin", ""), resource=resource or "",
                        session_id=sid, trace_id=tid, agent_trace_digest=digest, now=int(self._clock()))
                except X402SError as exc:
                    return fail(400, f"X-PAYMENT-EVIDENCE invalid: {exc.message}")
                if not check.is_valid:
                    return fail(403, "Payment evidence rejected: " + ", ".join(check.reasons))
        else:
            headers_out["X-Risk-Decision"] = "skipped"

        # -- upstream facilitator --
        header_value = x_payment or payment_header_of({"paymentPayload": payload})
        up_body = {"x402Version": version, "paymentPayload": payment, "paymentRequirements": requirements,
                   "paymentHeader": header_value}
        try:
            status, doc, text = (self.upstream.settle if settle else self.upstream.verify)(up_body)
        except UpstreamUnavailable as exc:
            self.debug["last_" + op] = {"request": up_body, "error": str(exc)}
            return fail(502, f"Upstream unavailable: {exc}", "UPSTREAM_UNAVAILABLE")
        self.debug["last_" + op] = {"request": up_body, "status": status, "response": doc if doc else text[:2000]}
        if status != 200:
            return fail(status, text[:1000] or f"upstream {op} answered {status}")
        if doc is None:
            return fail(502, f"Upstream {op} answered invalid JSON", "UPSTREAM_INVALID")
        if settle:
            out = {"success": bool(doc.get("success")), "payer": str(doc.get("payer") or ""),
                   "transaction": str(doc.get("transaction") or ""), "network": str(doc.get("network") or ""),
                   "errorReason": doc.get("errorReason") or doc.get("error") or None}
        else:
            out = {"isValid": bool(doc.get("isValid")), "payer": str(doc.get("payer") or ""),
                   "invalidReason": doc.get("invalidReason") or doc.get("error") or None}
        return _json(200, out, headers_out)

    def close(self) -> None:
        """Release the local facilitator's replay guard and wipe its keys."""
        close = getattr(self.upstream, "close", None)
        if callable(close):
            close()
        for key in self._fee_keys:
            key.close()


_POST_PATHS = {"/risk/session", "/risk/trace", "/risk/evaluate", "/x402/verify", "/x402/settle",
               "/facilitator/verify", "/facilitator/settle"}


def _payment_summary(payment: Dict[str, Any], version: int) -> Dict[str, Any]:
    """0.1.4's evaluate ``payment`` block: protocol, version, network, payload."""
    acc = payment.get("accepted") if isinstance(payment.get("accepted"), dict) else {}
    return {"protocol": payment.get("scheme") or acc.get("scheme") or "exact",
            "version": payment.get("x402Version", version),
            "network": payment.get("network") or acc.get("network"),
            "payload": payment.get("payload") if isinstance(payment.get("payload"), dict) else {}}


def _resource_of(payment: Dict[str, Any], requirements: Dict[str, Any]) -> Optional[str]:
    res = payment.get("resource")
    if isinstance(res, dict) and isinstance(res.get("url"), str):
        return res["url"]
    if isinstance(requirements.get("resource"), str):
        return requirements["resource"]
    return None


def _body_object(raw: bytes) -> Dict[str, Any]:
    try:
        doc = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError):
        raise _Reply(422, _detail("", "body must be JSON")) from None
    if not isinstance(doc, dict):
        raise _Reply(422, _detail("", "body must be a JSON object"))
    return doc


def _json(status: int, doc: Any, headers: Optional[Dict[str, str]] = None) -> Response:
    body = json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    out = {"Content-Type": "application/json"}
    if headers:
        out.update(headers)
    return status, out, body
