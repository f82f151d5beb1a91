"""One JSON-RPC 2.0 client for both chain families (EVM nodes and Solana RPC), on httpx.

- Every request has a timeout (connect, read, write, pool: ``timeout`` seconds).
- Several URLs: a request that cannot be delivered (connection refused, timeout, a 5xx or a
  body that is not JSON-RPC) goes to the next URL; an answer with a JSON-RPC ``error`` is the
  node's answer and is raised as :class:`RpcError` at once (another node would say the same).
- :class:`RpcUnavailable` says no URL answered: for a send, the request may or may not have
  reached a node (callers that broadcast treat it as "unknown", never as "not sent").

URLs may carry credentials (API keys in the path or query); they never appear in errors or
logs: :func:`redact` keeps scheme, host and port only.
"""

from __future__ import annotations

import itertools
import json
from typing import Any, Optional, Sequence
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
    """

    def __init__(self, urls: Sequence[str], *, timeout: float = 10.0, transport: Any = None,
                 max_response_bytes: int = 16 << 20) -> None:
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
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(self.timeout), transport=transport,
                                         follow_redirects=False,
                                         headers={"Content-Type": "application/json", "Accept": "application/json"})

    async def call(self, method: str, params: Sequence[Any] = ()) -> Any:
        """The ``result`` of ``method(params)``.

        Raises:
            RpcError: the node answered with an error.
            RpcUnavailable: no URL answered.
        """
        body = json.dumps({"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": list(params)},
                          separators=(",", ":")).encode()
        last = "no endpoint"
        httpx = self._httpx
        for url in self.urls:
            try:
                resp = await self._client.post(url, content=body)
            except httpx.TimeoutException:
                last = f"{redact(url)} timed out after {self.timeout:g} s"
                continue
            except httpx.HTTPError as exc:
                last = f"{redact(url)}: {type(exc).__name__}"
                continue
            if resp.status_code >= 500 or resp.status_code == 429:
                last = f"{redact(url)} answered HTTP {resp.status_code}"
                continue
            if len(resp.content) > self._max:
                last = f"{redact(url)} answered more than {self._max} bytes"
                continue
            try:
                doc = json.loads(resp.content)
            except ValueError:
                last = f"{redact(url)} answered HTTP {resp.status_code} without JSON"
                continue
            if not isinstance(doc, dict) or ("result" not in doc and "error" not in doc):
                last = f"{redact(url)} answered HTTP {resp.status_code} without a JSON-RPC body"
                continue
            err = doc.get("error")
            if err is not None:
                if not isinstance(err, dict):
                    raise RpcError(method, -32603, str(err))
                code = err.get("code")
                raise RpcError(method, code if isinstance(code, int) else -32603, str(err.get("message", "")),
                               err.get("data"))
            return doc.get("result")
        raise RpcUnavailable(method, last)

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self._client.aclose()
