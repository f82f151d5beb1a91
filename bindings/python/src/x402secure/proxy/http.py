"""Starlette routes and the edge middleware (request id, limits, access log, metrics, spans)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import json
import logging
import time
import uuid
from typing import Any, Dict, Optional

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import risk as _risk
from ..errors import X402SError
from .app import ApiError, Proxy, _detail, _dumps, _iso_z
from .limits import json_depth_exceeds
from .evidence_log import core as _evidence
from .store import StoreUnavailable

#: decision ids (docs/EVIDENCE.md tokens)
_TOKEN = __import__("re").compile(r"[A-Za-z0-9._:-]{1,128}")

log = logging.getLogger("x402secure.proxy")

__all__ = ["build_app"]

_JSON = "application/json"


def _json(status: int, doc: Any, headers: Optional[Dict[str, str]] = None) -> Response:
    return Response(_dumps(doc), status_code=status, headers=headers, media_type=_JSON)


def _rid(request: Request) -> str:
    return request.scope.get("x402s.request_id") or uuid.uuid4().hex


def _error_response(request: Request, e: ApiError) -> Response:
    headers = dict(e.headers)
    if e.detail is not None:
        doc: Any = {"detail": e.detail}
    else:
        doc = {"error": {"code": e.code, "message": e.message}, "request_id": _rid(request)}
    return _json(e.status, doc, headers)


async def _read_json(request: Request, limit: int, depth: int, detail_style: bool) -> Dict[str, Any]:
    ctype = request.headers.get("content-type", "")
    if ctype.split(";", 1)[0].strip().lower() != _JSON:
        raise ApiError(415, "Content-Type must be application/json", "UNSUPPORTED_MEDIA_TYPE")
    cl = request.headers.get("content-length")
    if cl is not None and (not cl.isdigit() or int(cl) > limit):
        if not cl.isdigit():
            raise ApiError(400, "bad Content-Length", "BAD_REQUEST")
        raise ApiError(413, f"request body larger than {limit} bytes", "PAYLOAD_TOO_LARGE")
    chunks = []
    n = 0
    async for chunk in request.stream():
        n += len(chunk)
        if n > limit:
            raise ApiError(413, f"request body larger than {limit} bytes", "PAYLOAD_TOO_LARGE")
        chunks.append(chunk)
    raw = b"".join(chunks)
    status = 422 if detail_style else 400

    def bad(msg: str) -> ApiError:
        if detail_style:
            return _detail("", msg)
        return ApiError(400, msg, "INVALID_BODY")

    try:
        doc = json.loads(raw.decode("utf-8")) if raw else None
    except UnicodeDecodeError:
        raise bad("body must be UTF-8 JSON") from None
    except RecursionError:
        raise bad(f"JSON nested deeper than {depth} levels") from None
    except ValueError:
        raise bad("body must be JSON") from None
    if not isinstance(doc, dict):
        raise bad("body must be a JSON object")
    # A body with fewer brackets than the limit cannot nest deeper (two C-level counts).
    if raw.count(b"{") + raw.count(b"[") > depth and json_depth_exceeds(doc, depth):
        raise bad(f"JSON nested deeper than {depth} levels")
    del status
    return doc


def _client_ip(request: Request, trusted: frozenset) -> str:
    host = request.client.host if request.client else ""
    if host in trusted:
        xff = request.headers.get("x-forwarded-for", "")
        hops = [h.strip() for h in xff.split(",") if h.strip()]
        while hops and hops[-1] in trusted:
            hops.pop()
        if hops:
            return hops[-1]
    return host


def _size(value: Any) -> int:
    return len(_dumps(value)) if value is not None else 0


def build_app(proxy: Proxy) -> Starlette:
    cfg = proxy.cfg
    trusted = frozenset(cfg.trusted_proxies)
    supported_cache: Dict[str, Any] = {}
    ready_cache: Dict[str, Any] = {}

    def hdrs(request: Request) -> Dict[str, str]:
        return {k.decode("latin-1"): v.decode("latin-1") for k, v in request.scope["headers"]}

    def rate_limit(request: Request, key: str, scope: str) -> None:
        buckets = proxy.limiter.ip if scope == "ip" else proxy.limiter.wallet
        wait = buckets.take(key)
        if wait > 0:
            if proxy.metrics is not None:
                proxy.metrics.rate_limited.labels(scope).inc()
            raise ApiError(429, f"too many requests from this {'address' if scope == 'ip' else 'wallet'}",
                           "RATE_LIMITED", headers={"Retry-After": str(max(1, int(wait + 0.999)))})

    # ----------------------------------------------------------------------- x402 endpoints
    def x402_endpoint(settle: bool, flavor: str):
        async def endpoint(request: Request) -> Response:
            h = hdrs(request)
            await proxy.authenticate(h, "seller")
            body = await _read_json(request, cfg.max_body_bytes, cfg.max_json_depth, flavor == "x402")
            status, doc, out = await proxy.x402(h, body, settle=settle, flavor=flavor, req_id=_rid(request))
            return _json(status, doc, out)
        return endpoint

    async def supported(request: Request) -> Response:
        hit = supported_cache.get("doc")
        if hit is None or hit[0] < time.monotonic():
            try:
                doc = await proxy.upstream.supported()
            except Exception as exc:  # noqa: BLE001 - upstream down or broken
                raise ApiError(502, f"Upstream unavailable: /supported failed ({type(exc).__name__})",
                               "UPSTREAM_UNAVAILABLE") from None
            hit = (time.monotonic() + 60.0, doc)
            supported_cache["doc"] = hit
        return _json(200, hit[1])

    # ----------------------------------------------------------------------- agent endpoints
    async def risk_session(request: Request) -> Response:
        rate_limit(request, _client_ip(request, trusted), "ip")
        doc = await _read_json(request, cfg.agent_max_body_bytes, cfg.max_json_depth, True)
        agent_did = doc.get("agent_did")
        wallet = doc.get("wallet_address")
        if not isinstance(agent_did, str) or not agent_did.strip() or len(agent_did) > 512:
            raise _detail("agent_did", "agent_did is required (a non-empty string of at most 512 characters)")
        if not _is_wallet_text(wallet):
            raise _detail("wallet_address", "wallet_address must be an EVM address (0x + 40 hex) or a Solana address")
        for key in ("agent_endpoint", "app_id"):
            val = doc.get(key)
            if val is not None and (not isinstance(val, str) or len(val) > 2048):
                raise _detail(key, f"{key} must be a string of at most 2048 characters or null")
        for key in ("device", "mandate"):
            if doc.get(key) is not None and not isinstance(doc.get(key), dict):
                raise _detail(key, f"{key} must be an object or null")
        if _size(doc.get("device")) > cfg.max_device_bytes:
            raise _detail("device", f"device larger than {cfg.max_device_bytes} bytes", 413)
        if _size(doc.get("mandate")) > cfg.max_telemetry_bytes:
            raise _detail("mandate", f"mandate larger than {cfg.max_telemetry_bytes} bytes", 413)
        rate_limit(request, wallet.lower() if wallet.startswith("0x") else wallet, "wallet")
        now = proxy.clock()
        sid = str(uuid.uuid4())
        expires = now + cfg.session_ttl
        session = {"sid": sid, "agent_did": agent_did, "wallet_address": wallet,
                   "agent_endpoint": doc.get("agent_endpoint"), "app_id": doc.get("app_id"),
                   "device": doc.get("device"), "mandate": doc.get("mandate"), "created": now, "expires": expires}
        await proxy.store.put_session(sid, wallet, session, now, expires)
        return _json(200, {"sid": sid, "expires_at": _iso_z(expires)})

    async def risk_trace(request: Request) -> Response:
        rate_limit(request, _client_ip(request, trusted), "ip")
        doc = await _read_json(request, cfg.agent_max_body_bytes, cfg.max_json_depth, True)
        if not isinstance(doc.get("sid"), str):
            raise _detail("sid", "sid is required")
        session = await proxy.live_session(doc.get("sid"))
        if session is None:
            raise ApiError(404, "unknown sid", detail="unknown sid")
        wallet = session.get("wallet_address") or ""
        rate_limit(request, wallet.lower() if wallet.startswith("0x") else wallet, "wallet")
        for key in ("fingerprint", "telemetry"):
            if _size(doc.get(key)) > cfg.max_telemetry_bytes:
                raise _detail(key, f"{key} larger than {cfg.max_telemetry_bytes} bytes", 413)
        agent_trace = doc.get("agent_trace")
        digest = None
        if agent_trace is not None:
            if not isinstance(agent_trace, dict):
                raise _detail("agent_trace", "agent_trace must be an object")
            events = agent_trace.get("events")
            if isinstance(events, list) and len(events) > cfg.max_trace_events:
                raise _detail("agent_trace", f"agent_trace has more than {cfg.max_trace_events} events", 413)
            try:
                parsed = _risk.parse_agent_trace(agent_trace)
            except X402SError as exc:
                raise _detail("agent_trace", f"invalid agent_trace: {exc.message}") from None
            d = parsed.digest
            digest = d.hex() if isinstance(d, (bytes, bytearray)) else d
        now = proxy.clock()
        tid = str(uuid.uuid4())
        record = {"sid": session["sid"], "fingerprint": doc.get("fingerprint"), "telemetry": doc.get("telemetry"),
                  "agent_trace": agent_trace}
        await proxy.store.put_trace(tid, session["sid"], record, digest, now, now + cfg.trace_ttl)
        return _json(200, {"tid": tid})

    async def get_trace(request: Request) -> Response:
        await proxy.authenticate(hdrs(request), "seller")
        try:
            tid = _risk.normalize_risk_id(request.path_params["tid"])
        except X402SError:
            raise ApiError(404, "unknown tid", detail="unknown tid") from None
        rec = await proxy.store.get_trace(tid, proxy.clock())
        if rec is None:
            raise ApiError(404, "unknown tid", detail="unknown tid")
        return _json(200, {k: rec.get(k) for k in ("sid", "fingerprint", "telemetry", "agent_trace")})

    async def risk_evaluate(request: Request) -> Response:
        h = hdrs(request)
        await proxy.authenticate(h, "seller")
        doc = await _read_json(request, cfg.max_body_bytes, cfg.max_json_depth, True)
        answer, basis = await proxy.evaluate(doc)
        out: Dict[str, str] = {}
        await proxy._record(answer["decision_id"], "evaluate", h, doc.get("payment") or {},
                            doc.get("paymentRequirements") or {}, answer, basis, None, proxy.clock(), out)
        return _json(200, answer, out)

    # ----------------------------------------------------------------------- evidence
    async def evidence(request: Request) -> Response:
        await proxy.authenticate(hdrs(request), "seller")
        did = request.path_params["decision_id"]
        if not _TOKEN.fullmatch(did):
            raise ApiError(404, "unknown decision", "NOT_FOUND")
        seqs = await proxy.store.decision_seqs(did)
        if not seqs:
            raise ApiError(404, "unknown decision", "NOT_FOUND")
        rows = await proxy.store.evidence_range(seqs[0], seqs[-1])
        attachments = []
        for r in rows:
            if r["decision_id"] != did:
                continue
            body = json.loads(r["record"]).get("body") or {}
            for ref in (body.get("trace"), body.get("mandate")):
                if isinstance(ref, dict) and ref.get("digest"):
                    text = await proxy.store.get_attachment(ref["digest"])
                    if text is not None and text not in attachments:
                        attachments.append(text)
        bundle = _evidence.build_bundle(did, [r["record"] for r in rows], key=proxy.receipt_key,
                                        attachments=attachments)
        return Response(bundle.encode("utf-8"), media_type=_JSON)

    async def receipt_keys(request: Request) -> Response:
        return _json(200, proxy.receipt_key.key_set())

    # ----------------------------------------------------------------------- operations
    async def health(request: Request) -> Response:
        up = proxy.upstream
        return _json(200, {"status": "ok", "time": _iso_z(proxy.clock()),
                           "upstream_verify": getattr(up, "verify_url", cfg.upstream),
                           "upstream_settle": getattr(up, "settle_url", cfg.upstream)})

    async def ready(request: Request) -> Response:
        hit = ready_cache.get("r")
        if hit is not None and hit[0] > time.monotonic():
            return _json(hit[1], hit[2])
        checks: Dict[str, str] = {}
        ok = True
        try:
            await proxy.store.ping()
            checks["store"] = "ok"
        except StoreUnavailable as exc:
            ok, checks["store"] = False, str(exc)[:200]
        try:
            await asyncio.wait_for(proxy.upstream.supported(), cfg.upstream_verify_deadline)
            checks["upstream"] = "ok"
        except Exception as exc:  # noqa: BLE001
            ok, checks["upstream"] = False, type(exc).__name__
        status = 200 if ok else 503
        doc = {"status": "ready" if ok else "not ready", "checks": checks}
        ready_cache["r"] = (time.monotonic() + 2.0, status, doc)
        return _json(status, doc)

    async def metrics(request: Request) -> Response:
        if cfg.metrics_require_key:
            await proxy.authenticate(hdrs(request), "admin")
        if proxy.metrics is None:
            raise ApiError(404, "metrics are off", "NOT_FOUND")
        from prometheus_client import CONTENT_TYPE_LATEST

        return Response(proxy.metrics.render(), media_type=CONTENT_TYPE_LATEST)

    # ----------------------------------------------------------------------- admin
    async def admin_payments(request: Request) -> Response:
        await proxy.authenticate(hdrs(request), "admin")
        state = request.query_params.get("state")
        if state not in (None, "in_flight", "settled", "failed", "pending"):
            raise ApiError(400, "state must be one of in_flight, settled, failed, pending", "BAD_REQUEST")
        try:
            limit = min(1000, max(1, int(request.query_params.get("limit", "100"))))
        except ValueError:
            raise ApiError(400, "limit must be an integer", "BAD_REQUEST") from None
        return _json(200, {"payments": await proxy.store.list_payments(state, limit)})

    async def admin_resolve(request: Request) -> Response:
        await proxy.authenticate(hdrs(request), "admin")
        doc = await _read_json(request, 16384, 8, False)
        return _json(200, await proxy.resolve(request.path_params["key"], doc))

    async def admin_decisions(request: Request) -> Response:
        await proxy.authenticate(hdrs(request), "admin")
        try:
            limit = min(1000, max(1, int(request.query_params.get("limit", "20"))))
        except ValueError:
            raise ApiError(400, "limit must be an integer", "BAD_REQUEST") from None
        out = []
        for r in await proxy.store.recent_evidence(limit):
            body = json.loads(r["record"]).get("body") or {}
            out.append({"seq": r["seq"], "decision_id": r["decision_id"], "operation": r["kind"],
                        "sid": (body.get("session") or {}).get("sid"), "tid": (body.get("trace") or {}).get("tid"),
                        "decision": body.get("verdict"), "reasons": body.get("reasons"), "hash": r["hash"]})
        return _json(200, {"decisions": out})

    async def on_api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return _error_response(request, exc)

    async def on_store_down(request: Request, exc: Exception) -> Response:
        if proxy.metrics is not None:
            proxy.metrics.store_errors.labels(request.url.path[:32]).inc()
        log.warning("store unavailable", extra={"fields": {"request_id": _rid(request), "error": str(exc)[:200]}})
        return _error_response(request, ApiError(503, "state store unavailable; nothing was forwarded",
                                                 "STORE_UNAVAILABLE", headers={"Retry-After": "1"}))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(exc.status_code, "BAD_REQUEST")
        msg = {404: "Not Found", 405: "Method Not Allowed"}.get(exc.status_code, str(exc.detail))
        return _error_response(request, ApiError(exc.status_code, msg, code, headers=dict(exc.headers or {})))

    routes = [
        Route("/verify", x402_endpoint(False, "facilitator"), methods=["POST"]),
        Route("/settle", x402_endpoint(True, "facilitator"), methods=["POST"]),
        Route("/supported", supported, methods=["GET"]),
        Route("/facilitator/verify", x402_endpoint(False, "facilitator"), methods=["POST"]),
        Route("/facilitator/settle", x402_endpoint(True, "facilitator"), methods=["POST"]),
        Route("/facilitator/supported", supported, methods=["GET"]),
        Route("/x402/verify", x402_endpoint(False, "x402"), methods=["POST"]),
        Route("/x402/settle", x402_endpoint(True, "x402"), methods=["POST"]),
        Route("/risk/session", risk_session, methods=["POST"]),
        Route("/risk/trace", risk_trace, methods=["POST"]),
        Route("/risk/trace/{tid}", get_trace, methods=["GET"]),
        Route("/risk/evaluate", risk_evaluate, methods=["POST"]),
        Route("/evidence/{decision_id}", evidence, methods=["GET"]),
        Route("/.well-known/x402-secure/receipt-key", receipt_keys, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/ready", ready, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
        Route("/admin/payments", admin_payments, methods=["GET"]),
        Route("/admin/payments/{key}/resolve", admin_resolve, methods=["POST"]),
        Route("/admin/decisions", admin_decisions, methods=["GET"]),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        await proxy.startup()
        try:
            yield
        finally:
            await proxy.shutdown()

    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={ApiError: on_api_error, StoreUnavailable: on_store_down,
                                        HTTPException: on_http})
    app.router.redirect_slashes = False
    app.state.proxy = proxy
    # The payment endpoints skip Starlette's router and exception middleware (the same
    # endpoint functions and error handlers, called directly): a third of the framework time.
    fast = {("POST", r.path): r.endpoint for r in routes
            if r.path in ("/verify", "/settle", "/facilitator/verify", "/facilitator/settle", "/x402/verify",
                          "/x402/settle")}
    return _Edge(app, proxy, fast, {ApiError: on_api_error, StoreUnavailable: on_store_down})


def _is_wallet_text(w: Any) -> bool:
    from .app import _is_wallet

    return _is_wallet(w)


_ROUTES = {"/verify", "/settle", "/supported", "/facilitator/verify", "/facilitator/settle", "/facilitator/supported",
           "/x402/verify", "/x402/settle", "/risk/session", "/risk/trace", "/risk/evaluate", "/health", "/ready",
           "/metrics", "/admin/payments", "/admin/decisions", "/.well-known/x402-secure/receipt-key"}


def _route_label(path: str) -> str:
    if path in _ROUTES:
        return path
    for prefix in ("/risk/trace/", "/evidence/", "/admin/payments/"):
        if path.startswith(prefix):
            return prefix + "*"
    return "other"


class _Edge:
    """Pure ASGI middleware: request id, header-size limit, access log, metrics, spans,
    and a last-resort 500 that never leaks an exception's text."""

    def __init__(self, app: Starlette, proxy: Proxy, fast: Dict[Any, Any], handlers: Dict[Any, Any]) -> None:
        self.app = app
        self.fast = fast
        self.handlers = handlers
        self.proxy = proxy
        self.state = app.state
        self.max_header_bytes = proxy.cfg.max_header_bytes
        self.access_log = proxy.cfg.access_log

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        rid = os.urandom(16).hex()
        scope["x402s.request_id"] = rid
        rid_b = rid.encode()
        status = [0]

        async def send_wrapper(message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                headers = list(message.get("headers") or [])
                if not any(k == b"x-request-id" for k, _ in headers):
                    headers.append((b"x-request-id", rid_b))
                message = dict(message, headers=headers)
            await send(message)

        size = 0
        for k, v in scope["headers"]:
            size += len(k) + len(v) + 4
        try:
            if size > self.max_header_bytes:
                await _send_plain(send_wrapper, 431, {"error": {"code": "HEADERS_TOO_LARGE",
                                                               "message": f"request headers larger than {self.max_header_bytes} bytes"},
                                                     "request_id": rid})
            elif self.proxy.tracing is not None:
                tp = None
                for k, v in scope["headers"]:
                    if k == b"x-payment-secure":
                        try:
                            tp = _risk.parse_payment_secure_header(v.decode("latin-1")).get("tp")
                        except Exception:  # noqa: BLE001 - answered by the handler
                            tp = None
                with self.proxy.tracing.span(f"{scope['method']} {_route_label(scope['path'])}", tp) as span:
                    span.set_attribute("x402s.request_id", rid)
                    await self.app(scope, receive, send_wrapper)
                    span.set_attribute("http.status_code", status[0])
            elif (scope["method"], scope["path"]) in self.fast:
                request = Request(scope, receive)
                try:
                    response = await self.fast[(scope["method"], scope["path"])](request)
                except (ApiError, StoreUnavailable) as exc:
                    response = await self.handlers[type(exc)](request, exc)
                await response(scope, receive, send_wrapper)
            else:
                await self.app(scope, receive, send_wrapper)
        except Exception:  # noqa: BLE001 - a bug: log it, answer 500 without details
            log.exception("unhandled error", extra={"fields": {"request_id": rid, "path": _route_label(scope["path"])}})
            if status[0] == 0:
                await _send_plain(send_wrapper, 500, {"error": {"code": "INTERNAL", "message": "internal error"},
                                                     "request_id": rid})
        finally:
            route = _route_label(scope["path"])
            m = self.proxy.metrics
            if m is not None:
                m.child("requests", route, scope["method"], str(status[0])).inc()
                m.child("request_seconds", route).observe(time.perf_counter() - start)
            if self.access_log:
                client = scope.get("client")
                log.info("request", extra={"fields": {
                    "request_id": rid, "method": scope["method"], "path": route, "status": status[0],
                    "ms": round((time.perf_counter() - start) * 1000, 3),
                    "client": client[0] if client else None}})


async def _send_plain(send, status: int, doc: Any) -> None:
    body = _dumps(doc)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
