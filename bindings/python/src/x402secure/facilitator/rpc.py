"""One JSON-RPC 2.0 client for both chain families (EVM nodes and Solana RPC), on httpx.

- Every request has a timeout (connect, read, write, pool: ``timeout`` seconds).
- Several URLs: a request that cannot be delivered (connection refused, timeout, a 5xx or a
  body that is not JSON-RPC) goes to the next URL; an answer with a JSON-RPC ``error`` is the
  node's answer and is raised as :class:`RpcError` at once (another node would say the same).
- :meth:`JsonRpcClient.batch` sends several calls in one HTTP request (JSON-RPC batch), so a
  settlement costs three round trips instead of eight; a node that refuses batches gets the
  calls one by one.
- :class:`RpcUnavailable` says no URL answered: for a send, the request may or may not have
  reached a node (callers that broadcast treat it as "unknown", never as "not sent").

URLs may carry credentials (API keys in the path or query); they never appear in errors or
logs: :func:`redact` keeps scheme, host and port only.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any, List, Optional, Sequence, Tuple
from urllib.parse import urlsplit

__all__ = ["RpcError", "RpcUnavailable", "JsonRpcClient", "redact"]


def redact(url: str) -> str:
    """``scheme://host:port`` of a URL (its path, query and user info may hold API keys)."""
    try:
        u = urlsplit(url)
        host = u.hostname or "?"
        return f"{u.scheme}://{host}" + (f":{u.port}" if u.port else "")
    except ValueError:
        return "<url>"


class RpcError(Exception):
    """The node answered with a JSON-RPC error."""

    def __init__(self, method: str, code: int, message: str, data: Any = None) -> None:
        super().__init__(f"{method}: {message} (code {code})")
        self.method, self.code, self.message, self.data = method, code, message, data


class RpcUnavailable(Exception):
    """No configured URL answered (refused, timed out, 5xx, not JSON-RPC)."""

    def __init__(self, method: str, detail: str) -> None:
        super().__init__(f"{method}: no RPC endpoint answered ({detail})")
        self.method = method


class JsonRpcClient:
    """Async JSON-RPC over HTTP(S) with a timeout per request and URL failover.

    Args:
        urls: one or more endpoints, tried in order.
        timeout: seconds for each request (connect, read, write and pool).
        transport: an ``httpx`` transport (tests and benchmarks inject one).
        max_response_bytes: a larger answer is refused (a node cannot make us buffer without bound).
        local: an in-process node instead of HTTP: called with the request body (bytes),
            returns the decoded JSON answer (benchmarks stub the node at this depth, as the
            official facilitator's are stubbed at its web3 provider).
    """

    def __init__(self, urls: Sequence[str], *, timeout: float = 10.0, transport: Any = None,
                 max_response_bytes: int = 16 << 20, local: Any = None) -> None:
        try:
            import httpx
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ImportError("the on-chain facilitator needs httpx: pip install 'x402secure[facilitator]'") from exc
        urls = [u for u in urls]
        if not urls or not all(isinstance(u, str) and u.startswith(("http://", "https://")) for u in urls):
            raise ValueError("rpc_urls must be one or more http(s) URLs")
        if not timeout > 0:
            raise ValueError("the RPC timeout must be positive")
        self._httpx = httpx
        self.urls = list(urls)
        self.timeout = float(timeout)
        self._max = max_response_bytes
        self._ids = itertools.count(1)
        self._local = local
        # The transport directly (no client layer: no cookies, redirects or auth to run per call);
        # it pools connections. Each request also has an overall deadline (asyncio.wait_for), so
        # a node that trickles its answer cannot hold a settlement longer than ``timeout``.
        self._transport = transport if transport is not None else httpx.AsyncHTTPTransport()
        self._targets = [httpx.URL(u) for u in self.urls]
        self._headers = [("Content-Type", "application/json"), ("Accept", "application/json")]
        t = self.timeout
        self._ext = {"timeout": {"connect": t, "read": t, "write": t, "pool": t}}

    async def call(self, method: str, params: Sequence[Any] = ()) -> Any:
        """The ``result`` of ``method(params)``.

        Raises:
            RpcError: the node answered with an error.
            RpcUnavailable: no URL answered.
        """
        body = json.dumps({"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": list(params)},
                          separators=(",", ":")).encode()
        return self._result(method, await self._post(method, body, batch=False))

    @staticmethod
    def _result(method: str, doc: Any) -> Any:
        err = doc.get("error")
        if err is not None:
            if not isinstance(err, dict):
                raise RpcError(method, -32603, str(err))
            code = err.get("code")
            raise RpcError(method, code if isinstance(code, int) else -32603, str(err.get("message", "")),
                           err.get("data"))
        return doc.get("result")

    async def batch(self, calls: Sequence[Tuple[str, Sequence[Any]]]) -> List[Any]:
        """Several calls in one request: each item is the result, or the :class:`RpcError` the
        node answered for that call (not raised). Raises RpcUnavailable when no URL answered."""
        if len(calls) == 1:
            try:
                return [await self.call(calls[0][0], calls[0][1])]
            except RpcError as exc:
                return [exc]
        first = next(self._ids)
        ids = list(range(first, first + len(calls)))
        for _ in calls[1:]:
            next(self._ids)
        body = json.dumps([{"jsonrpc": "2.0", "id": i, "method": m, "params": list(p)}
                           for i, (m, p) in zip(ids, calls)], separators=(",", ":")).encode()
        doc = await self._post(calls[0][0], body, batch=True)
        if not isinstance(doc, list):  # batches refused: one by one
            out: List[Any] = []
            for m, p in calls:
                try:
                    out.append(await self.call(m, p))
                except RpcError as exc:
                    out.append(exc)
            return out
        by_id = {d.get("id"): d for d in doc if isinstance(d, dict)}
        results: List[Any] = []
        for i, (m, _) in zip(ids, calls):
            d = by_id.get(i)
            if d is None:
                results.append(RpcError(m, -32603, "no answer for this call in the batch"))
                continue
            try:
                results.append(self._result(m, d))
            except RpcError as exc:
                results.append(exc)
        return results

    async def _post(self, method: str, body: bytes, *, batch: bool) -> Any:
        """The parsed JSON-RPC answer of the first URL that gives one (a batch: a list, or the
        single error object of a node that refuses batches)."""
        if self._local is not None:
            return self._local(body)
        last = "no endpoint"
        httpx = self._httpx
        for url, target in zip(self.urls, self._targets):
            try:
                resp = await asyncio.wait_for(self._send(target, body), self.timeout)
            except (httpx.TimeoutException, asyncio.TimeoutError):
                last = f"{redact(url)} timed out after {self.timeout:g} s"
                continue
            except _TooLarge:
                last = f"{redact(url)} answered more than {self._max} bytes"
                continue
            except httpx.HTTPError as exc:
                last = f"{redact(url)}: {type(exc).__name__}"
                continue
            if resp.status_code >= 500 or resp.status_code == 429:
                last = f"{redact(url)} answered HTTP {resp.status_code}"
                continue
            try:
                doc = json.loads(resp.content)
            except ValueError:
                last = f"{redact(url)} answered HTTP {resp.status_code} without JSON"
                continue
            single = isinstance(doc, dict) and ("result" in doc or "error" in doc)
            if not (single or (batch and isinstance(doc, list))):
                last = f"{redact(url)} answered HTTP {resp.status_code} without a JSON-RPC body"
                continue
            return doc
        raise RpcUnavailable(method, last)

    async def _send(self, target: Any, body: bytes) -> Any:
        req = self._httpx.Request("POST", target, content=body, headers=self._headers, extensions=self._ext)
        resp = await self._transport.handle_async_request(req)
        try:
            chunks, n = [], 0
            async for chunk in resp.stream:
                n += len(chunk)
                if n > self._max:
                    raise _TooLarge()
                chunks.append(chunk)
        finally:
            await resp.aclose()
        resp._content = b"".join(chunks)  # httpx's own field for a read body
        return resp

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self._transport.aclose()


class _TooLarge(Exception):
    pass
