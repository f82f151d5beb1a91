"""The proxy's upstream facilitator: one async interface, three implementations.

:class:`Upstream` is the contract between the proxy and whatever settles payments
(CONTRACTS.md, proxy <-> settle)::

    class Upstream(Protocol):
        async def verify(self, body: dict) -> UpstreamAnswer     # official facilitator /verify body
        async def settle(self, body: dict) -> UpstreamAnswer     # official /settle body
        async def supported(self) -> dict                       # official /supported body
        async def settlement_status(self, reference: dict) -> Optional[UpstreamAnswer]
        async def aclose(self) -> None

``body`` is exactly what x402's ``HTTPFacilitatorClient`` posts (``{"x402Version",
"paymentPayload", "paymentRequirements"}``) plus ``paymentHeader`` (the payment header as
the buyer sent it). An :class:`UpstreamAnswer` is HTTP-like: ``status`` and the official
VerifyResponse / SettleResponse JSON in ``body``. Two answers are not outcomes:

- ``sent=False``: the request certainly never reached the upstream (connection refused,
  connect timeout, pool exhausted). A settle may be tried again later.
- ``pending=True``: the outcome is unknown (the upstream timed out after the request
  left, answered 5xx, or said ``settlement_pending``). The proxy records the payment as
  pending with ``reference`` (``{"transaction", "network", "payer"}`` as far as known)
  and never sends it again by itself; :meth:`settlement_status` or an operator resolves it.

Implementations: :class:`LocalUpstream` (the core's offline verification and a
settlement stub; tests and the demo), :class:`HttpUpstream` (x402's facilitator HTTP
API over a pooled client with connect/read timeouts, a deadline for the whole exchange
and a byte cap; verify retried once on a connection error, settle never), and the
on-chain facilitator (``upstream = "onchain"``: ``x402secure.facilitator.OnchainFacilitator``
configured by ``onchain_config``; its answers are read through :func:`as_answer`).
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Protocol, runtime_checkable

__all__ = ["Upstream", "UpstreamAnswer", "LocalUpstream", "HttpUpstream", "make_upstream", "PENDING_REASON"]

#: x402's non-terminal settle result (``SettleResponse.errorReason``).
PENDING_REASON = "settlement_pending"


@dataclass
class UpstreamAnswer:
    """One upstream exchange.

    Attributes:
        status: HTTP status of the upstream's answer (0 when there was none).
        body: the answer's JSON object (None if absent or not a JSON object).
        sent: False when the request certainly never reached the upstream.
        pending: True when the outcome is unknown (see the module doc).
        error: a short description when there was no usable answer (never secrets).
        reference: for pending settlements, what identifies them upstream.
        elapsed: seconds the exchange took.
    """

    status: int
    body: Optional[Dict[str, Any]] = None
    sent: bool = True
    pending: bool = False
    error: str = ""
    reference: Dict[str, Any] = field(default_factory=dict)
    elapsed: float = 0.0


@runtime_checkable
class Upstream(Protocol):
    async def verify(self, body: Dict[str, Any]) -> UpstreamAnswer: ...

    async def settle(self, body: Dict[str, Any]) -> UpstreamAnswer: ...

    async def supported(self) -> Dict[str, Any]: ...

    async def settlement_status(self, reference: Dict[str, Any]) -> Optional[UpstreamAnswer]: ...

    async def aclose(self) -> None: ...


def _network_of(body: Dict[str, Any]) -> str:
    from ..gateway.facilitator import _network_of as network_of

    return network_of(body.get("paymentPayload"), body.get("paymentRequirements"))


def settle_outcome(answer: UpstreamAnswer, body: Dict[str, Any]) -> UpstreamAnswer:
    """Classify a settle answer: a 200 whose ``errorReason`` is ``settlement_pending`` and
    every 5xx (the facilitator may have broadcast before failing) are pending."""
    if not answer.sent or answer.pending:
        return answer
    doc = answer.body or {}
    if answer.status >= 500 or (answer.status == 200 and doc.get("success") is not True
                                 and doc.get("errorReason") == PENDING_REASON):
        answer.pending = True
        answer.reference = {"transaction": str(doc.get("transaction") or ""),
                            "network": str(doc.get("network") or _network_of(body)),
                            "payer": str(doc.get("payer") or "")}
    return answer


def as_answer(ans: Any, elapsed: float = 0.0) -> UpstreamAnswer:
    """Any upstream's answer as an :class:`UpstreamAnswer`: implementations may return their
    own class with ``status``, ``body`` and ``pending`` (``sent``, ``error``, ``reference``,
    ``elapsed`` optional), as the on-chain facilitator does."""
    if isinstance(ans, UpstreamAnswer):
        if not ans.elapsed:
            ans.elapsed = elapsed
        return ans
    body = getattr(ans, "body", None)
    body = body if isinstance(body, dict) else None
    pending = bool(getattr(ans, "pending", False))
    ref = getattr(ans, "reference", None) or {}
    if pending and not ref and body is not None:
        ref = {"transaction": str(body.get("transaction") or ""), "network": str(body.get("network") or ""),
               "payer": str(body.get("payer") or "")}
    return UpstreamAnswer(int(getattr(ans, "status", 0) or 0), body, sent=bool(getattr(ans, "sent", True)),
                          pending=pending, error=str(getattr(ans, "error", "") or ""), reference=ref,
                          elapsed=float(getattr(ans, "elapsed", 0.0) or elapsed))


class LocalUpstream:
    """The core's offline verification and the settlement stub of
    :class:`x402secure.gateway.facilitator.LocalFacilitator` (no chain), as an
    :class:`Upstream`. ``delay`` (seconds) slows settle down for tests."""

    def __init__(self, facilitator: Any, *, delay: float = 0.0) -> None:
        self.facilitator = facilitator
        self.delay = delay

    async def verify(self, body: Dict[str, Any]) -> UpstreamAnswer:
        t = time.perf_counter()
        status, doc, _ = self.facilitator.verify(body)
        return UpstreamAnswer(status, doc, elapsed=time.perf_counter() - t)

    async def settle(self, body: Dict[str, Any]) -> UpstreamAnswer:
        t = time.perf_counter()
        if self.delay:
            await asyncio.sleep(self.delay)
        status, doc, _ = self.facilitator.settle(body)
        return settle_outcome(UpstreamAnswer(status, doc, elapsed=time.perf_counter() - t), body)

    async def supported(self) -> Dict[str, Any]:
        return self.facilitator.supported()

    async def settlement_status(self, reference: Dict[str, Any]) -> Optional[UpstreamAnswer]:
        tx = reference.get("transaction")
        for rec in reversed(self.facilitator.settlements):
            if tx and rec.get("transaction") == tx:
                doc = {"success": True, "transaction": tx, "network": rec.get("network", ""),
                       "payer": rec.get("payer") or ""}
                return UpstreamAnswer(200, doc)
        return None

    async def aclose(self) -> None:
        self.facilitator.close()


class _TooLarge(Exception):
    pass


class HttpUpstream:
    """A facilitator over HTTP (x402's facilitator API), through one pooled httpx client.

    Args:
        verify_url, settle_url, supported_url: endpoints.
        connect_timeout, read_timeout: seconds (per connect / per read).
        verify_deadline, settle_deadline: seconds for the whole exchange, every byte of the
            answer included (a trickling upstream cannot hold a request longer).
        max_bytes: largest answer read.
        pool_size: keep-alive connections.
        authorization: value of the Authorization header sent upstream (or None).
    """

    def __init__(self, verify_url: str, settle_url: str, supported_url: str, *, connect_timeout: float = 3.0,
                 read_timeout: float = 10.0, verify_deadline: float = 10.0, settle_deadline: float = 60.0,
                 max_bytes: int = 1 << 20, pool_size: int = 32, authorization: Optional[str] = None) -> None:
        import httpx

        self._httpx = httpx
        self.verify_url, self.settle_url, self.supported_url = verify_url, settle_url, supported_url
        self.verify_deadline, self.settle_deadline = verify_deadline, settle_deadline
        self.max_bytes = max_bytes
        self._headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if authorization:
            self._headers["Authorization"] = authorization
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(connect=connect_timeout, read=read_timeout, write=read_timeout,
                                  pool=connect_timeout),
            limits=httpx.Limits(max_connections=pool_size, max_keepalive_connections=pool_size),
            follow_redirects=False, trust_env=False)

    async def _exchange(self, method: str, url: str, payload: Optional[bytes]) -> UpstreamAnswer:
        async with self._client.stream(method, url, content=payload, headers=self._headers) as resp:
            chunks = []
            total = 0
            async for chunk in resp.aiter_raw():
                total += len(chunk)
                if total > self.max_bytes:
                    raise _TooLarge()
                chunks.append(chunk)
            raw = b"".join(chunks)
            doc = None
            ctype = resp.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if ctype == "application/json" or raw[:1] == b"{":
                try:
                    parsed = json.loads(raw)
                    doc = parsed if isinstance(parsed, dict) else None
                except (ValueError, RecursionError):
                    doc = None
            return UpstreamAnswer(resp.status_code, doc, error="" if doc is not None else raw[:200].decode("utf-8", "replace"))

    async def _call(self, method: str, url: str, body: Optional[Dict[str, Any]], deadline: float,
                    retry_unsent: bool) -> UpstreamAnswer:
        httpx = self._httpx
        payload = None if body is None else json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        start = time.perf_counter()
        attempts = 2 if retry_unsent else 1
        for attempt in range(attempts):
            remaining = deadline - (time.perf_counter() - start)
            try:
                ans = await asyncio.wait_for(self._exchange(method, url, payload), max(remaining, 0.001))
                ans.elapsed = time.perf_counter() - start
                return ans
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                # Never reached the upstream.
                if attempt + 1 < attempts:
                    continue
                return UpstreamAnswer(0, None, sent=False, error=f"connect failed: {type(exc).__name__}",
                                      elapsed=time.perf_counter() - start)
            except httpx.RemoteProtocolError as exc:
                # A stale pooled connection closed under us; the request may have left.
                if attempt + 1 < attempts:
                    continue
                return UpstreamAnswer(0, None, pending=True, error=f"upstream closed the connection: {type(exc).__name__}",
                                      elapsed=time.perf_counter() - start)
            except _TooLarge:
                return UpstreamAnswer(0, None, pending=True, error=f"answer larger than {self.max_bytes} bytes",
                                      elapsed=time.perf_counter() - start)
            except (asyncio.TimeoutError, httpx.TimeoutException):
                return UpstreamAnswer(0, None, pending=True, error=f"no complete answer within {deadline:g} s",
                                      elapsed=time.perf_counter() - start)
            except httpx.HTTPError as exc:
                return UpstreamAnswer(0, None, pending=True, error=f"transport error: {type(exc).__name__}",
                                      elapsed=time.perf_counter() - start)
        raise AssertionError("unreachable")  # pragma: no cover

    async def verify(self, body: Dict[str, Any]) -> UpstreamAnswer:
        return await self._call("POST", self.verify_url, body, self.verify_deadline, retry_unsent=True)

    async def settle(self, body: Dict[str, Any]) -> UpstreamAnswer:
        ans = await self._call("POST", self.settle_url, body, self.settle_deadline, retry_unsent=False)
        if ans.pending and not ans.reference:
            ans.reference = {"transaction": "", "network": _network_of(body), "payer": ""}
        return settle_outcome(ans, body)

    async def supported(self) -> Dict[str, Any]:
        ans = await self._call("GET", self.supported_url, None, self.verify_deadline, retry_unsent=True)
        if ans.status != 200 or ans.body is None:
            raise RuntimeError(f"upstream /supported answered {ans.status or ans.error}")
        return ans.body

    async def settlement_status(self, reference: Dict[str, Any]) -> Optional[UpstreamAnswer]:
        # x402's HTTP API has no status query; an operator resolves pending payments.
        return None

    async def aclose(self) -> None:
        await self._client.aclose()


def make_upstream(cfg: Any) -> Any:
    """The upstream of a :class:`~x402secure.proxy.config.ProxyConfig`."""
    import os

    v = cfg.values
    if v["upstream"] == "onchain":
        try:
            from ..facilitator import OnchainFacilitator  # type: ignore[attr-defined]
            from ..facilitator import load_config as load_facilitator_config  # type: ignore[attr-defined]
        except ImportError:
            raise RuntimeError("upstream = 'onchain' needs x402secure.facilitator, which this build lacks") from None
        return OnchainFacilitator(load_facilitator_config(v["onchain_config"]))
    if v["upstream"] == "local" and not (v["upstream_verify_url"] or v["upstream_settle_url"]):
        from .._accounts import SolanaKeypair
        from ..gateway.facilitator import LocalFacilitator

        keys = [SolanaKeypair.from_seed(s) for s in cfg.fee_payer_seeds()]
        fac = LocalFacilitator(solana_fee_payers=v["solana_fee_payers"] or None, solana_fee_payer_keys=keys)
        fac._owned_keys = keys  # wiped by close()
        return LocalUpstream(fac)
    base = "" if v["upstream"] == "local" else v["upstream"].rstrip("/")
    verify_url = v["upstream_verify_url"] or (base + "/verify" if base else "")
    settle_url = v["upstream_settle_url"] or (base + "/settle" if base else "")
    supported_url = v["upstream_supported_url"] or (base + "/supported" if base else "")
    if not (verify_url and settle_url):
        raise RuntimeError("an HTTP upstream needs upstream (a base URL) or both upstream_verify_url and upstream_settle_url")
    auth = os.environ.get(v["upstream_authorization_env"]) if v["upstream_authorization_env"] else None
    return HttpUpstream(verify_url, settle_url, supported_url or verify_url.rsplit("/", 1)[0] + "/supported",
                        connect_timeout=v["upstream_connect_timeout"], read_timeout=v["upstream_read_timeout"],
                        verify_deadline=v["upstream_verify_deadline"], settle_deadline=v["upstream_settle_deadline"],
                        max_bytes=v["upstream_max_bytes"], pool_size=v["upstream_pool_size"], authorization=auth)
