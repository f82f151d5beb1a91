"""The risk proxy as an ASGI application (Starlette).

Endpoints (request and error shapes of x402-secure 0.1.4 where it had them):

==================================  ============================================================
``POST /verify``, ``POST /settle``  x402's facilitator API (v1 and v2 bodies as x402 2.25.0's
``GET /supported``                  ``HTTPFacilitatorClient`` sends them): a drop-in facilitator;
                                    also under ``/facilitator/*``. Risk headers are evaluated
                                    when present, else the ``unassessed`` policy decides;
                                    ``X-Risk-Decision`` says which.
``POST /x402/verify``, ``/settle``  x402-secure 0.1.4's seller endpoints (risk headers required
                                    on verify; 0.1.4 answer shapes).
``POST /risk/session``, ``/trace``  agent endpoints (open, rate-limited, size-capped)
``GET /risk/trace/{tid}``           the stored trace
``POST /risk/evaluate``             the risk decision (mandate gate)
``GET /evidence/{decision_id}``     the evidence of a decision (seller key)
``GET /health``, ``/ready``,        liveness, readiness (store + upstream), Prometheus
``/metrics``
``/admin/*``                        payments (list, resolve pending), decisions (admin key)
==================================  ============================================================

Settlement happens at most once per payment across every process sharing the store:
the payment's identity (:mod:`.identity`) is claimed atomically before the upstream is
asked; other requests for it get the recorded answer, "in progress", or "pending".
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import os
import time
import uuid
from typing import Any, Dict, List, Optional, Tuple

from .. import risk as _risk
from .. import x402 as _x402
from ..errors import X402SError
from .config import ProxyConfig, load_config
from .evidence_log import EvidenceLog
from .evidence_log import core as _evidence
from .identity import payment_identity
from .limits import RateLimiter
from .store import Store, StoreUnavailable, make_store
from .upstream import PENDING_REASON, UpstreamAnswer, as_answer, make_upstream

__all__ = ["Proxy", "create_app", "app_factory", "ApiError", "error_code", "KEY_PREFIX"]

log = logging.getLogger("x402secure.proxy")

KEY_PREFIX = "x402sk_"

#: 0.1.4's message -> code table (first substring hit wins, in this order).
_CODE_TABLE = [
    ("originhash mismatch", "AP2_ORIGIN_MISMATCH"), ("resource mismatch", "AP2_RESOURCE_MISMATCH"),
    ("network mismatch", "AP2_NETWORK_MISMATCH"), ("payto mismatch", "AP2_PAYTO_MISMATCH"),
    ("asset mismatch", "AP2_ASSET_MISMATCH"), ("notbefore not reached", "AP2_TTL_NOT_BEFORE"),
    ("notafter passed", "AP2_TTL_EXPIRED"), ("exp passed", "AP2_TTL_EXPIRED"),
    ("paymenthash mismatch", "AP2_PAYMENT_HASH_MISMATCH"), ("merchant identity not accepted", "AP2_MERCHANT_DENIED"),
    ("eip-712 verification unavailable", "AP2_SIG_UNAVAILABLE"), ("eip-712 signature invalid", "AP2_SIG_INVALID"),
    ("signer != payer", "AP2_SIG_PAYER_MISMATCH"), ("missing ap2 evidence", "AP2_EVIDENCE_MISSING"),
    ("invalid ap2 evidence", "AP2_EVIDENCE_INVALID"), ("unsupported network", "AP2_CHAIN_UNSUPPORTED"),
    ("x-payment-secure", "TRACE_HEADER_INVALID"), ("traceparent", "TRACE_HEADER_INVALID"),
    ("x-risk-session", "RISK_SESSION_INVALID"), ("x-risk-trace", "RISK_TRACE_INVALID"),
    ("x-ap2-evidence", "EVIDENCE_HEADER_INVALID"), ("unsupported x-ap2-evidence version", "EVIDENCE_HEADER_UNSUPPORTED"),
    ("risk denied", "RISK_DENIED"), ("risk review", "RISK_REVIEW"),
    # beyond 0.1.4
    ("x-payment-evidence", "PAYMENT_EVIDENCE_INVALID"), ("payment evidence", "PAYMENT_EVIDENCE_INVALID"),
    ("upstream unavailable", "UPSTREAM_UNAVAILABLE"), ("payment header", "PAYMENT_HEADER_INVALID"),
]


def error_code(message: str) -> str:
    """The envelope code of an error message (0.1.4's substring table)."""
    low = message.lower()
    for needle, code in _CODE_TABLE:
        if needle in low:
            return code
    return "UNSPECIFIED"


class ApiError(Exception):
    """An answer other than 200: ``{"error": {"code", "message"}, "request_id"}`` (0.1.4's
    envelope), or FastAPI's ``{"detail": [...]}`` when ``detail`` is given (0.1.4's 422)."""

    def __init__(self, status: int, message: str, code: Optional[str] = None, *,
                 detail: Any = None, headers: Optional[Dict[str, str]] = None) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code or error_code(message)
        self.detail, self.headers = detail, headers or {}


def _detail(loc: str, msg: str, status: int = 422) -> ApiError:
    return ApiError(status, msg, "INVALID_BODY",
                    detail=[{"loc": ["body", loc] if loc else ["body"], "msg": msg, "type": "value_error"}])


def _dumps(doc: Any) -> bytes:
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _iso_z(ts: float) -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(ts, tz=timezone.utc).replace(tzinfo=None).isoformat() + "Z"


_EVM_ADDRESS_CHARS = set("0123456789abcdefABCDEF")
_B58 = set("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")


def _is_wallet(w: Any) -> bool:
    if not isinstance(w, str):
        return False
    if w.startswith("0x") and len(w) == 42 and set(w[2:]) <= _EVM_ADDRESS_CHARS:
        return True
    return 32 <= len(w) <= 44 and set(w) <= _B58


def _payment_summary(payment: Dict[str, Any], version: int) -> Dict[str, Any]:
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


def _payment_identifier(payment: Dict[str, Any]) -> Optional[str]:
    ext = payment.get("extensions")
    if not isinstance(ext, dict):
        return None
    pi = ext.get("payment-identifier")
    info = pi.get("info") if isinstance(pi, dict) else None
    pid = info.get("id") if isinstance(info, dict) else None
    return pid if isinstance(pid, str) and pid else None


def _label(reason: Any) -> str:
    """A reason code as a metric label: upstreams choose their reasons, so anything but a short
    snake_case code is "other" (label values must stay a small set)."""
    text = str(reason or "")
    if len(text) <= 64 and all(c.islower() or c.isdigit() or c == "_" for c in text):
        return text
    return "other"


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _canon(doc: Any) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


class _TTLCache:
    def __init__(self, ttl: float, size: int = 4096) -> None:
        self.ttl, self.size, self.d = ttl, size, {}

    def get(self, key: Any) -> Any:
        v = self.d.get(key)
        if v is None or v[0] < time.monotonic():
            return None
        return v[1]

    def put(self, key: Any, value: Any) -> None:
        if len(self.d) >= self.size:
            self.d.clear()
        self.d[key] = (time.monotonic() + self.ttl, value)


class Proxy:
    """The proxy's state and request handling (independent of the HTTP framework)."""

    def __init__(self, cfg: Optional[ProxyConfig] = None, *, store: Optional[Store] = None, upstream: Any = None,
                 clock=time.time) -> None:
        self.cfg = cfg or load_config(env={})
        v = self.cfg.values
        self.clock = clock
        self.store = store or make_store(self.cfg)
        self.upstream = upstream if upstream is not None else make_upstream(self.cfg)
        self.receipt_key: Any = None
        self.evidence = EvidenceLog(self.store)
        self.limiter = RateLimiter(v["agent_rate_per_ip"], v["agent_burst_per_ip"], v["agent_rate_per_wallet"],
                                   v["agent_burst_per_wallet"])
        self.owner = uuid.uuid4().hex
        self.loopback = self.cfg.loopback
        self.default_mandate = self._load_json(v["mandate_file"])
        self.mandates = self._load_json(v["mandates_file"]) or {}
        self._key_cache = _TTLCache(15.0)
        self._keys_present = _TTLCache(5.0, 4)
        self.metrics: Any = None
        self.tracing: Any = None
        self._purger: Optional[asyncio.Task] = None
        self.started = False

    @staticmethod
    def _load_json(path: str) -> Any:
        if not path:
            return None
        with open(path, "r", encoding="utf-8") as f:
            return json.load(f)

    # -------------------------------------------------------------------------------- life
    def load_receipt_key(self) -> Any:
        """The proxy's Ed25519 receipt key (the core's evidence module): from
        ``evidence_key_env`` (hex seed) or ``evidence_key_file``; else, on SQLite, a key file
        beside the database (made once, mode 0600); in memory, a fresh key; on PostgreSQL
        one of the two options is required (every instance must sign with the same key)."""
        v = self.cfg.values
        if v["evidence_key_env"]:
            from .config import _seed_from_env

            seed = bytearray(_seed_from_env(v["evidence_key_env"]) or b"")
            try:
                return _evidence.ReceiptKey.from_seed(seed)
            finally:
                seed[:] = bytes(len(seed))
        path = v["evidence_key_file"]
        if not path:
            if v["store"] == "memory":
                return _evidence.ReceiptKey.generate()
            if v["store"] != "sqlite":
                raise RuntimeError("store = postgres: set evidence_key_file or evidence_key_env (every instance "
                                   "signs receipts with the same key)")
            path = os.path.abspath(v["sqlite_path"]) + ".receipt-key"
        if not os.path.exists(path):
            try:
                return _evidence.ReceiptKey.generate(path)
            except FileExistsError:
                pass
        return _evidence.ReceiptKey.from_file(path)

    async def startup(self) -> None:
        self.receipt_key = self.load_receipt_key()
        self.evidence.key = self.receipt_key
        await self.store.open()
        if self.cfg.metrics:
            from .observability import Metrics

            self.metrics = Metrics()
        if self.cfg.otel_endpoint:
            from .observability import Tracing

            self.tracing = Tracing(self.cfg.otel_endpoint, self.cfg.otel_service_name)
        self._purger = asyncio.get_running_loop().create_task(self._purge_loop())
        self.started = True

    async def shutdown(self) -> None:
        if self._purger is not None:
            self._purger.cancel()
        await self.evidence.drain()  # queued evidence reaches the store
        await self.store.close()
        if self.receipt_key is not None:
            self.receipt_key.close()
        aclose = getattr(self.upstream, "aclose", None)
        if aclose is not None:
            await aclose()
        if self.tracing is not None:
            self.tracing.shutdown()

    async def _purge_loop(self) -> None:
        while True:
            await asyncio.sleep(self.cfg.purge_interval)
            try:
                await self.store.purge(self.clock())
            except StoreUnavailable:
                pass

    def _observe_store(self, op: str, start: float) -> None:
        if self.metrics is not None:
            self.metrics.child("store_seconds", op).observe(time.perf_counter() - start)

    # -------------------------------------------------------------------------------- auth
    async def keys_required(self) -> bool:
        """Seller keys needed? ``required``; ``off``; ``auto``: beyond loopback, or once a
        seller key exists (admin keys alone leave a loopback proxy open to sellers)."""
        mode = self.cfg.api_keys
        if mode == "required":
            return True
        if mode == "off":
            return False
        if not self.loopback:
            return True
        present = self._keys_present.get("n")
        if present is None:
            present = (await self.store.count_keys()).get("seller", 0)
            self._keys_present.put("n", present)
        return present > 0

    async def authenticate(self, headers: Dict[str, str], role: str) -> Optional[Dict[str, Any]]:
        """The API key's row, None when keys are not required and none was given; raises 401/403."""
        token = headers.get("x-api-key") or ""
        auth = headers.get("authorization") or ""
        if not token and auth[:7].lower() == "bearer ":
            token = auth[7:].strip()
        if not token:
            if role == "admin" or await self.keys_required():
                raise ApiError(401, "API key required (Authorization: Bearer <key> or X-API-Key)", "UNAUTHORIZED",
                               headers={"WWW-Authenticate": "Bearer"})
            return None
        row = await self._key_row(token)
        if row is None:
            raise ApiError(401, "API key invalid or revoked", "UNAUTHORIZED", headers={"WWW-Authenticate": "Bearer"})
        if role == "admin" and row["role"] != "admin":
            raise ApiError(403, "this endpoint needs an admin key", "FORBIDDEN")
        return row

    async def _key_row(self, token: str) -> Optional[Dict[str, Any]]:
        if not token.startswith(KEY_PREFIX) or len(token) > 200:
            return None
        rest = token[len(KEY_PREFIX):]
        key_id, _, secret = rest.partition("_")
        if len(key_id) != 16 or not secret:
            return None
        row = self._key_cache.get(key_id)
        if row is None:
            row = await self.store.get_key(key_id) or {"missing": True}
            self._key_cache.put(key_id, row)
        if row.get("missing") or row.get("revoked"):
            # compare anyway: no timing difference between unknown ids and wrong secrets
            hmac.compare_digest(_sha256_hex(secret.encode()), "0" * 64)
            return None
        if not hmac.compare_digest(_sha256_hex(secret.encode()), row["secret_hash"]):
            return None
        return row

    # -------------------------------------------------------------------------------- risk
    async def live_session(self, sid_text: Any) -> Optional[Dict[str, Any]]:
        if not isinstance(sid_text, str):
            return None
        try:
            sid = _risk.normalize_risk_id(sid_text)
        except X402SError:
            return None
        return await self.store.get_session(sid, self.clock())

    def _mandates_for(self, session: Dict[str, Any]) -> List[Tuple[str, Dict[str, Any]]]:
        out: List[Tuple[str, Dict[str, Any]]] = []
        wallet = session.get("wallet_address") or ""
        op = None
        for key, m in self.mandates.items():
            if key == wallet or (key.lower() == wallet.lower() and wallet.startswith("0x")):
                op = m
                break
        if op is None:
            op = self.default_mandate
        if op is not None:
            out.append(("operator", op))
        if isinstance(session.get("mandate"), dict):
            out.append(("session", session["mandate"]))
        return out

    async def evaluate(self, doc: Dict[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
        """``POST /risk/evaluate``: ``(answer, basis)``; raises 404 unknown sid/tid, 400 tid
        not linked to sid (0.1.4's ``{"detail": ...}`` bodies)."""
        if not isinstance(doc.get("sid"), str):
            raise _detail("sid", "sid is required")
        session = await self.live_session(doc.get("sid"))
        if session is None:
            raise ApiError(404, "unknown sid", "UNSPECIFIED", detail="unknown sid")
        trace_rec = None
        tid = doc.get("tid")
        if tid is not None:
            try:
                tid_n = _risk.normalize_risk_id(str(tid))
            except X402SError:
                raise ApiError(404, "unknown tid", "UNSPECIFIED", detail="unknown tid") from None
            trace_rec = await self.store.get_trace(tid_n, self.clock())
            if trace_rec is None:
                raise ApiError(404, "unknown tid", "UNSPECIFIED", detail="unknown tid")
            if trace_rec["sid"] != session["sid"]:
                raise ApiError(400, "tid not linked to sid", "UNSPECIFIED", detail="tid not linked to sid")
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
                                                  now=int(self.clock()), resource=resource)
            except X402SError as exc:
                actions.append("deny")
                findings.append({"code": "mandate_invalid", "action": "deny", "source": source, "detail": exc.message})
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
                  "used_mandate": bool(mandates), "warnings": [], "risk_level": level, "extra": {"findings": findings}}
        basis = {"session": {k: session.get(k) for k in ("sid", "agent_did", "wallet_address", "app_id")},
                 "mandates": [{"source": s, "sha256": _sha256_hex(_canon(m))} for s, m in mandates],
                 "trace": {"tid": tid, "digest": trace_rec.get("digest")} if trace_rec else None,
                 "_trace_doc": trace_rec.get("agent_trace") if trace_rec else None,
                 "_mandate_docs": [m for _, m in mandates]}
        if self.metrics is not None:
            self.metrics.decisions.labels(verdict).inc()
        return answer, basis

    @staticmethod
    def parse_risk_headers(hdrs: Dict[str, str]) -> Tuple[str, Dict[str, Any], Optional[Dict[str, Any]]]:
        """``(sid, trace context, AP2 mandate reference)``; raises 400 as 0.1.4 does."""
        sid_text = hdrs.get("x-risk-session")
        if not sid_text:
            raise ApiError(400, "X-RISK-SESSION required")
        try:
            sid = _risk.normalize_risk_id(sid_text)
        except X402SError as exc:
            raise ApiError(400, f"X-RISK-SESSION invalid: {exc.message}") from None
        xps = hdrs.get("x-payment-secure")
        if not xps:
            raise ApiError(400, "X-PAYMENT-SECURE required")
        try:
            tc = _risk.parse_payment_secure_header(xps)
        except X402SError as exc:
            raise ApiError(400, f"X-PAYMENT-SECURE invalid: {exc.message}") from None
        ap2 = hdrs.get("x-ap2-evidence")
        mandate_ref = None
        if ap2:
            try:
                mandate_ref = _risk.parse_ap2_evidence_header(ap2)
            except X402SError as exc:
                raise ApiError(400, f"X-AP2-EVIDENCE invalid: {exc.message}") from None
        return sid, tc, mandate_ref

    # -------------------------------------------------------------------------------- x402
    async def x402(self, hdrs: Dict[str, str], body: Dict[str, Any], *, settle: bool, flavor: str,
                   req_id: str) -> Tuple[int, Dict[str, Any], Dict[str, str]]:
        """Verify or settle. ``flavor``: ``"facilitator"`` (root and /facilitator: official
        bodies, risk optional) or ``"x402"`` (0.1.4's /x402/*: risk headers required on verify)."""
        now = self.clock()
        version = body.get("x402Version", 1)
        payload = body.get("paymentPayload")
        requirements = body.get("paymentRequirements")
        def bad(loc: str, msg: str) -> ApiError:
            return _detail(loc, msg) if flavor == "x402" else ApiError(400, msg, "INVALID_BODY")

        if not isinstance(version, int) or isinstance(version, bool) or version not in (1, 2):
            raise bad("x402Version", "x402Version must be 1 or 2")
        if not isinstance(payload, dict):
            raise bad("paymentPayload", "paymentPayload must be an object")
        if not isinstance(requirements, dict):
            raise bad("paymentRequirements", "paymentRequirements must be an object")
        x_payment = hdrs.get("x-payment") or hdrs.get("payment-signature")
        if not x_payment and isinstance(body.get("paymentHeader"), str) and body["paymentHeader"]:
            x_payment = body["paymentHeader"]
        decoded = None
        if x_payment:
            try:
                decoded = _x402.decode_payment_header(x_payment)
            except X402SError:
                if flavor == "facilitator":
                    raise ApiError(400, "payment header invalid: not strict base64 JSON", "PAYMENT_HEADER_INVALID") from None
                decoded = None
        payment = decoded if isinstance(decoded, dict) else payload
        header_value = x_payment if decoded is not None else base64.b64encode(_dumps(payload)).decode("ascii")
        out_headers: Dict[str, str] = {"X-Request-ID": req_id}
        op = "settle" if settle else "verify"

        # -- risk --
        has_risk = bool(hdrs.get("x-risk-session") or hdrs.get("x-payment-secure"))
        run_risk = has_risk if flavor == "facilitator" else (not settle or self.cfg.settle_risk)
        decision: Dict[str, Any]
        basis: Dict[str, Any] = {}
        if run_risk:
            sid, tc, mandate_ref = self.parse_risk_headers(hdrs)
            tid = tc.get("tid")
            ev_req: Dict[str, Any] = {"sid": sid, "trace_context": {k: tc[k] for k in ("tp", "ts") if tc.get(k)},
                                      "payment": _payment_summary(payment, version),
                                      "paymentRequirements": requirements}
            if tid:
                ev_req["tid"] = tid
            resource = _resource_of(payment, requirements)
            if resource:
                ev_req["resource"] = resource
            if mandate_ref:
                ev_req["mandate"] = {"ref": mandate_ref.get("mr"), "sha256_b64url": mandate_ref.get("ms"),
                                     "mime": mandate_ref.get("mt"), "size": mandate_ref.get("sz")}
            try:
                decision, basis = await self.evaluate(ev_req)
            except ApiError as e:
                # 0.1.4 passes the evaluator's error through, its JSON as the message
                raise ApiError(e.status, json.dumps({"detail": e.detail if e.detail is not None else e.message},
                                                    separators=(",", ":")), "UNSPECIFIED") from None
            out_headers.update({"X-Risk-Decision": decision["decision"], "X-Risk-Decision-ID": decision["decision_id"],
                                "X-Risk-TTL-Seconds": str(decision["ttl_seconds"])})
            if decision["decision"] == "deny":
                await self._record(decision["decision_id"], op, hdrs, payment, requirements, decision, basis, None, now,
                                   out_headers)
                raise ApiError(403, "Risk denied: " + (", ".join(decision["reasons"]) or "no reason given"),
                               headers=out_headers)
            if decision["decision"] == "review" and not self.cfg.allow_review:
                await self._record(decision["decision_id"], op, hdrs, payment, requirements, decision, basis, None, now,
                                   out_headers)
                raise ApiError(403, "Risk review required: " + (", ".join(decision["reasons"]) or "no reason given"),
                               headers=out_headers)
            await self._check_payment_evidence(hdrs, x_payment, requirements, resource, sid, tid, settle, now)
        else:
            verdict = "skipped" if flavor == "x402" else "unassessed"
            decision = {"decision": verdict, "reasons": [], "decision_id": os.urandom(16).hex(), "risk_level": None}
            out_headers["X-Risk-Decision"] = verdict
            out_headers["X-Risk-Decision-ID"] = decision["decision_id"]
            if flavor == "facilitator" and self.cfg.unassessed == "deny":
                await self._record(decision["decision_id"], op, hdrs, payment, requirements, decision, basis, None, now,
                                   out_headers)
                raise ApiError(403, "Risk not assessed: this proxy refuses payments without risk headers "
                                    "(X-RISK-SESSION, X-PAYMENT-SECURE)", "RISK_UNASSESSED",
                               headers=out_headers)

        key, identity, network, payer = payment_identity(payment, requirements)
        up_body = {"x402Version": version, "paymentPayload": payment, "paymentRequirements": requirements,
                   "paymentHeader": header_value}
        pid = _payment_identifier(payment)
        fingerprint = ""
        if pid is not None:
            fingerprint = _sha256_hex(_canon({"paymentPayload": payment, "paymentRequirements": requirements}))
            prev = await self.store.idem_get(pid, now)
            if prev is not None and prev["fingerprint"] != fingerprint:
                raise ApiError(409, "payment identifier already used with a different payment", "PAYMENT_ID_CONFLICT",
                               headers=out_headers)

        if not settle:
            status, doc = await self._verify(up_body, key, network, payer)
        else:
            # a settle joins the decision its verify made (one decision, several records)
            joined = await self.store.decision_for_payment(key)
            if joined:
                decision["decision_id"] = joined
                out_headers["X-Risk-Decision-ID"] = joined
            status, doc = await self._settle(up_body, key, identity, network, payer, pid, fingerprint, out_headers)
        await self._record(decision["decision_id"], op, hdrs, payment, requirements, decision, basis,
                           {"status": status, "answer": doc, "paymentKey": key}, now, out_headers)
        if flavor == "x402":
            doc = self._x402_shape(doc, settle)
        return status, doc, out_headers

    @staticmethod
    def _x402_shape(doc: Dict[str, Any], settle: bool) -> Dict[str, Any]:
        if settle:
            return {"success": bool(doc.get("success")), "payer": str(doc.get("payer") or ""),
                    "transaction": str(doc.get("transaction") or ""), "network": str(doc.get("network") or ""),
                    "errorReason": doc.get("errorReason") or doc.get("error") or None}
        return {"isValid": bool(doc.get("isValid")), "payer": str(doc.get("payer") or ""),
                "invalidReason": doc.get("invalidReason") or doc.get("error") or None}

    async def _check_payment_evidence(self, hdrs, x_payment, requirements, resource, sid, tid, settle, now) -> None:
        pev = hdrs.get("x-payment-evidence")
        if not (pev or (self.cfg.require_payment_evidence and not settle)):
            return
        if not pev:
            raise ApiError(403, "X-PAYMENT-EVIDENCE required", "PAYMENT_EVIDENCE_MISSING")
        if not x_payment:
            raise ApiError(400, "X-PAYMENT-EVIDENCE needs the payment header (X-PAYMENT or PAYMENT-SIGNATURE)")
        digest = None
        if tid:
            rec = await self.store.get_trace(tid, now)
            digest = bytes.fromhex(rec["digest"]) if rec and rec.get("digest") else None
        try:
            check = _risk.verify_payment_evidence(
                pev, x_payment, requirements, origin=hdrs.get("origin", ""), resource=resource or "",
                session_id=sid, trace_id=tid, agent_trace_digest=digest, now=int(now))
        except X402SError as exc:
            raise ApiError(400, f"X-PAYMENT-EVIDENCE invalid: {exc.message}") from None
        if not check.is_valid:
            raise ApiError(403, "Payment evidence rejected: " + ", ".join(check.reasons))

    def _state_reason(self, row: Dict[str, Any], network: str) -> Tuple[str, str]:
        state = row["state"]
        if state == "settled":
            if network.startswith("eip155:") or not network.startswith("solana"):
                return "invalid_exact_evm_nonce_already_used", "this payment has already been settled"
            return "duplicate_settlement", "this payment has already been settled"
        if state == "pending":
            return PENDING_REASON, "this payment's settlement is pending"
        return "settlement_in_progress", "this payment is being settled"

    async def _verify(self, up_body, key, network, payer) -> Tuple[int, Dict[str, Any]]:
        t = time.perf_counter()
        row = await self.store.get_payment(key)
        self._observe_store("get_payment", t)
        if row is not None and row["state"] != "failed":
            reason, message = self._state_reason(row, network)
            doc = {"isValid": False, "invalidReason": reason, "invalidMessage": message, "payer": payer or row["payer"]}
            self._count_verify(doc)
            return 200, doc
        t = time.perf_counter()
        ans = as_answer(await self.upstream.verify(up_body), time.perf_counter() - t)
        self._observe_upstream("verify", ans)
        if not ans.sent or ans.pending:
            status = 502 if not ans.sent else 504
            raise ApiError(status, f"Upstream unavailable: {ans.error}" if not ans.sent else
                           f"Upstream verify timed out: {ans.error}",
                           "UPSTREAM_UNAVAILABLE" if not ans.sent else "UPSTREAM_TIMEOUT") from None
        if ans.status != 200:
            raise ApiError(ans.status if 400 <= ans.status < 600 else 502,
                           (ans.error or _dumps(ans.body).decode())[:1000] or f"upstream verify answered {ans.status}")
        if ans.body is None:
            raise ApiError(502, "Upstream verify answered invalid JSON", "UPSTREAM_INVALID")
        self._count_verify(ans.body)
        return 200, ans.body

    def _count_verify(self, doc: Dict[str, Any]) -> None:
        if self.metrics is not None:
            self.metrics.child("verify", "true" if doc.get("isValid") else "false", _label(doc.get("invalidReason"))).inc()

    def _observe_upstream(self, op: str, ans: UpstreamAnswer) -> None:
        if self.metrics is None:
            return
        self.metrics.child("upstream_seconds", op).observe(ans.elapsed)
        if not ans.sent:
            self.metrics.upstream_errors.labels(op, "unavailable").inc()
        elif ans.pending:
            self.metrics.upstream_errors.labels(op, "pending").inc()
        elif ans.status != 200:
            self.metrics.upstream_errors.labels(op, f"http_{ans.status}").inc()

    def _count_settle(self, outcome: str, reason: str) -> None:
        if self.metrics is not None:
            self.metrics.child("settle", outcome, _label(reason)).inc()

    @staticmethod
    def _pending_doc(row_or_ref: Dict[str, Any], network: str, payer: str) -> Dict[str, Any]:
        return {"success": False, "errorReason": PENDING_REASON,
                "errorMessage": "the settlement's outcome is not known yet; it will not be sent again",
                "transaction": str(row_or_ref.get("transaction") or row_or_ref.get("transaction_id") or ""),
                "network": network, "payer": payer}

    async def _replay(self, row: Dict[str, Any], key: str, network: str, payer: str,
                      out_headers: Dict[str, str]) -> Tuple[int, Dict[str, Any]]:
        """The answer for a payment someone else claimed."""
        now = self.clock()
        state = row["state"]
        if state == "in_flight" and row["claimed_at"] < now - self.cfg.settle_lease:
            row = await self.store.expire_claim(key, now, self.cfg.settle_lease) or row
            state = row["state"]
        if state == "pending":
            resolved = await self.upstream.settlement_status(
                {"transaction": row["transaction_id"], "network": row["network"] or network, "payer": row["payer"]})
            resolved = as_answer(resolved) if resolved is not None else None
            if resolved is not None and resolved.body is not None and not resolved.pending:
                doc = resolved.body
                new_state = "settled" if doc.get("success") is True else "failed"
                await self.store.resolve_payment(key, new_state, str(doc.get("transaction") or ""), doc,
                                                 "resolved by the upstream's settlement status", now)
                row = await self.store.get_payment(key) or row
                state = row["state"]
        out_headers["X-Settlement-State"] = state.replace("_", "-")
        if state == "settled" or (state == "failed" and row["answer"]):
            out_headers["X-Settlement-Replay"] = "true"
            self._count_settle("replayed", "")
            return 200, row["answer"]
        if state == "pending":
            self._count_settle("pending", "replayed")
            return 200, self._pending_doc(row, row["network"] or network, row["payer"] or payer)
        out_headers["Retry-After"] = "1"
        self._count_settle("in_progress", "")
        return 200, {"success": False, "errorReason": "settlement_in_progress",
                     "errorMessage": "this payment is being settled by another request; retry for its outcome",
                     "transaction": "", "network": network, "payer": payer or row["payer"]}

    async def _settle(self, up_body, key, identity, network, payer, pid, fingerprint,
                      out_headers) -> Tuple[int, Dict[str, Any]]:
        now = self.clock()
        if pid is not None:
            rec = await self.store.idem_put(pid, fingerprint, key, now, now + self.cfg.idempotency_ttl)
            if rec["fingerprint"] != fingerprint:
                raise ApiError(409, "payment identifier already used with a different payment", "PAYMENT_ID_CONFLICT",
                               headers=out_headers)
            if rec["answer"] is not None:
                out_headers["X-Settlement-Replay"] = "true"
                return 200, rec["answer"]
        owner = f"{self.owner}:{uuid.uuid4().hex}"
        t = time.perf_counter()
        claimed, row = await self.store.claim_payment(key, identity, owner, now, network, payer)
        self._observe_store("claim_payment", t)
        if not claimed:
            assert row is not None
            status, doc = await self._replay(row, key, network, payer, out_headers)
            if pid is not None and row["state"] in ("settled", "failed") and doc.get("errorReason") != PENDING_REASON:
                await self.store.idem_answer(pid, doc)
            return status, doc
        out_headers["X-Settlement-State"] = "in-flight"
        t = time.perf_counter()
        try:
            ans = as_answer(await self.upstream.settle(up_body), time.perf_counter() - t)
        except Exception as exc:  # an upstream implementation bug: outcome unknown
            log.exception("upstream settle raised", extra={"fields": {"payment_key": key}})
            ans = UpstreamAnswer(0, None, pending=True, error=f"upstream raised {type(exc).__name__}")
        self._observe_upstream("settle", ans)
        done = self.clock()
        if not ans.sent:
            doc = {"success": False, "errorReason": "upstream_unavailable", "transaction": "", "network": network,
                   "payer": payer}
            await self._finish(key, owner, "failed", "", doc, "not sent: " + ans.error, done)
            self._count_settle("failed", "upstream_unavailable")
            raise ApiError(502, f"Upstream unavailable: {ans.error}", "UPSTREAM_UNAVAILABLE", headers=out_headers)
        if ans.pending:
            ref = ans.reference or {}
            doc = self._pending_doc(ref, network, payer or str(ref.get("payer") or ""))
            await self._finish(key, owner, "pending", str(ref.get("transaction") or ""), doc, ans.error or PENDING_REASON,
                               done)
            out_headers["X-Settlement-State"] = "pending"
            self._count_settle("pending", PENDING_REASON if not ans.error else "timeout_or_transport")
            return 200, doc
        if ans.status != 200 or ans.body is None:
            doc = {"success": False, "errorReason": "upstream_rejected", "transaction": "", "network": network,
                   "payer": payer}
            await self._finish(key, owner, "failed", "", doc, f"upstream answered {ans.status}", done)
            self._count_settle("failed", f"http_{ans.status}")
            if ans.body is None and ans.status == 200:
                raise ApiError(502, "Upstream settle answered invalid JSON", "UPSTREAM_INVALID", headers=out_headers)
            raise ApiError(ans.status if 400 <= ans.status < 500 else 502,
                           (ans.error or _dumps(ans.body).decode())[:1000], headers=out_headers)
        doc = ans.body
        ok = doc.get("success") is True
        state = "settled" if ok else "failed"
        await self._finish(key, owner, state, str(doc.get("transaction") or ""), doc, "", done)
        out_headers["X-Settlement-State"] = state
        self._count_settle(state, "" if ok else str(doc.get("errorReason") or ""))
        if pid is not None:
            await self.store.idem_answer(pid, doc)
        return 200, doc

    async def _finish(self, key, owner, state, tx, doc, note, now) -> None:
        t = time.perf_counter()
        ok = await self.store.finish_payment(key, owner, state, tx, doc, note, now, str(doc.get("payer") or ""))
        self._observe_store("finish_payment", t)
        if not ok:  # our claim was taken over (lease expired): keep what the store says
            log.warning("settlement finished after its claim expired",
                        extra={"fields": {"payment_key": key, "state": state}})

    async def _record(self, decision_id, op, hdrs, payment, requirements, decision, basis, upstream, now,
                      out_headers: Optional[Dict[str, str]] = None) -> None:
        """The decision's evidence record (docs/EVIDENCE.md's schema), durable before the
        answer leaves, and its receipt in ``X-Risk-Receipt``."""
        header = hdrs.get("x-payment") or hdrs.get("payment-signature")
        attachments: List[Tuple[str, str]] = []
        trace = None
        tr = basis.get("trace") if basis else None
        if tr and tr.get("digest"):
            trace = {"tid": tr.get("tid"), "digest": "sha256:" + tr["digest"]}
            if basis.get("_trace_doc") is not None:
                attachments.append((trace["digest"], _risk.canonical_json(basis["_trace_doc"]).decode("utf-8")))
        mandate = None
        ap2 = hdrs.get("x-ap2-evidence")
        if ap2:
            try:
                ref = _risk.parse_ap2_evidence_header(ap2)
                digest = base64.urlsafe_b64decode(str(ref.get("ms")) + "=" * (-len(str(ref.get("ms"))) % 4)).hex()
                mandate = {"ref": ref.get("mr"), "digest": "sha256:" + digest, "size": int(ref.get("sz")),
                           "mediaType": ref.get("mt")}
            except (X402SError, ValueError, TypeError):
                mandate = None
        if mandate is None and basis and basis.get("_mandate_docs"):
            text = _canon(basis["_mandate_docs"][-1]).decode("utf-8")
            digest = "sha256:" + _sha256_hex(text.encode("utf-8"))
            mandate = {"ref": None, "digest": digest, "size": len(text.encode("utf-8")), "mediaType": "application/json"}
            attachments.append((digest, text))
        decided = max(int(self.clock() * 1000), int(now * 1000))
        body = {
            "decisionId": decision_id, "kind": op, "receivedAt": int(now * 1000), "decidedAt": decided,
            "verdict": decision.get("decision"), "reasons": [str(r) for r in decision.get("reasons", [])],
            "riskLevel": decision.get("risk_level"),
            "session": (basis or {}).get("session"), "mandate": mandate, "trace": trace,
            "payment": {"payload": payment, "requirements": requirements, "header": header} if payment else None,
            "riskHeaders": {k: hdrs[k] for k in ("x-risk-session", "x-payment-secure", "x-ap2-evidence",
                                                  "x-payment-evidence", "x-risk-trace", "origin") if k in hdrs},
            "upstream": [{"op": op, "status": upstream["status"], "body": upstream["answer"]}] if upstream else [],
            "extra": {"paymentKey": (upstream or {}).get("paymentKey"),
                      "mandates": (basis or {}).get("mandates", [])},
        }
        t = time.perf_counter()
        out = await self.evidence.append(decision_id, op, body, attachments,
                                         payment_key=(upstream or {}).get("paymentKey"))
        self._observe_store("append_evidence", t)
        if out[2] and out_headers is not None:
            out_headers["X-Risk-Receipt"] = out[2]

    # -------------------------------------------------------------------------------- admin
    async def resolve(self, key: str, action: Dict[str, Any]) -> Dict[str, Any]:
        """Resolve a pending payment: ``{"query": true}`` asks the upstream;
        ``{"state": "settled", "transaction": tx}`` or ``{"state": "failed"}`` records an
        operator's finding (e.g. from a block explorer)."""
        row = await self.store.get_payment(key)
        if row is None:
            raise ApiError(404, "unknown payment", "NOT_FOUND")
        now = self.clock()
        if row["state"] == "in_flight":
            row = await self.store.expire_claim(key, now, self.cfg.settle_lease) or row
        if row["state"] != "pending":
            raise ApiError(409, f"payment is {row['state']}, not pending", "PAYMENT_NOT_PENDING")
        if action.get("query"):
            ans = await self.upstream.settlement_status(
                {"transaction": row["transaction_id"], "network": row["network"], "payer": row["payer"]})
            ans = as_answer(ans) if ans is not None else None
            if ans is None or ans.body is None or ans.pending:
                return {"resolved": False, "payment": row}
            doc = ans.body
            state = "settled" if doc.get("success") is True else "failed"
            await self.store.resolve_payment(key, state, str(doc.get("transaction") or ""), doc,
                                             "resolved by the upstream's settlement status", now)
        else:
            state = action.get("state")
            tx = action.get("transaction") or ""
            if state not in ("settled", "failed") or not isinstance(tx, str) or (state == "settled" and not tx):
                raise ApiError(400, "give {\"query\": true}, {\"state\": \"settled\", \"transaction\": tx} or "
                                    "{\"state\": \"failed\"}", "INVALID_BODY")
            doc = {"success": state == "settled", "transaction": tx if state == "settled" else "",
                   "network": row["network"], "payer": row["payer"]}
            if state == "failed":
                doc["errorReason"] = "settlement_failed"
            await self.store.resolve_payment(key, state, doc["transaction"], doc,
                                             str(action.get("note") or "resolved by an operator")[:500], now)
        return {"resolved": True, "payment": await self.store.get_payment(key)}


# ------------------------------------------------------------------------------------------
# ASGI
# ------------------------------------------------------------------------------------------

def create_app(cfg: Optional[ProxyConfig] = None, *, proxy: Optional[Proxy] = None) -> Any:
    """The Starlette application (its ``state.proxy`` is the :class:`Proxy`)."""
    from .http import build_app

    return build_app(proxy or Proxy(cfg))


def app_factory() -> Any:
    """uvicorn factory for worker processes: the configuration comes from the parent
    (``X402S_PROXY_RESOLVED``, JSON of the checked values)."""
    from .config import ProxyConfig as _PC

    raw = os.environ.get("X402S_PROXY_RESOLVED")
    cfg = _PC(json.loads(raw)) if raw else load_config()
    from .observability import setup_logging

    setup_logging(cfg.log_level)
    return create_app(cfg)
