"""The proxy on a socket: uvicorn (httptools + uvloop), one or several worker processes.

uvicorn alone keeps a connection that never finishes its request forever (its only
timer is the keep-alive one, armed after a response). :class:`GuardedHttpToolsProtocol`
adds a request timer, armed when the connection opens and when a request begins,
disarmed when the request is complete: a client that does not send a complete request
(headers and body) within ``request_timeout`` seconds gets 408 and the connection is
closed. It also caps the request line and headers at ``max_header_bytes`` (431).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import tempfile
import threading
from typing import Any, Optional

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .config import ProxyConfig

__all__ = ["GuardedHttpToolsProtocol", "serve", "RunningProxy", "run", "bind_socket"]


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    def __init__(self, config: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self._x_timeout = float(getattr(config, "x402s_request_timeout", 10.0))
        self._x_max_header = int(getattr(config, "x402s_max_header_bytes", 16384))
        self._x_timer: Optional[asyncio.TimerHandle] = None
        self._x_header_bytes = 0
        self._x_in_request = False

    def _x_arm(self) -> None:
        if self._x_timer is None:
            self._x_timer = self.loop.call_later(self._x_timeout, self._x_expired)

    def _x_disarm(self) -> None:
        if self._x_timer is not None:
            self._x_timer.cancel()
            self._x_timer = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._x_arm()

    def connection_lost(self, exc) -> None:
        self._x_disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._x_header_bytes = 0
        self._x_in_request = True
        self._x_arm()

    def on_url(self, url: bytes) -> None:
        self._x_header_bytes += len(url)
        if self._x_header_bytes > self._x_max_header:
            self._x_reject(414, b"request line too long")
            return
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._x_header_bytes += len(name) + len(value) + 4
        if self._x_header_bytes > self._x_max_header:
            self._x_reject(431, b"request headers too large")
            return
        super().on_header(name, value)

    def on_message_complete(self) -> None:
        self._x_in_request = False
        self._x_disarm()
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # the keep-alive timer now guards the idle connection; a new request re-arms ours
        if not self._x_in_request:
            self._x_disarm()

    def _x_reject(self, status: int, msg: bytes) -> None:
        if self.transport.is_closing():
            return
        reason = {408: b"Request Timeout", 414: b"URI Too Long", 431: b"Request Header Fields Too Large"}[status]
        body = b'{"error":{"code":"' + reason.upper().replace(b" ", b"_") + b'","message":"' + msg + b'"}}'
        self.transport.write(b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\n"
                             b"connection: close\r\n\r\n%s" % (status, reason, len(body), body))
        self.transport.close()
        self._x_disarm()

    def _x_expired(self) -> None:
        self._x_timer = None
        if self.transport.is_closing():
            return
        if self.cycle is not None and not self.cycle.response_complete and not self._x_in_request:
            return  # the request is complete and being answered
        if self.cycle is not None and self.cycle.response_started:
            self.transport.close()
            return
        self._x_reject(408, b"request not received in time")


def _uvicorn_config(app: Any, cfg: ProxyConfig, **extra: Any):
    import uvicorn

    from .observability import log_config

    config = uvicorn.Config(
        app, http=GuardedHttpToolsProtocol, loop="uvloop", lifespan="on", access_log=False,
        timeout_keep_alive=max(1, int(round(cfg.keep_alive_timeout))), limit_concurrency=cfg.limit_concurrency,
        backlog=cfg.backlog, timeout_graceful_shutdown=int(cfg.graceful_timeout), log_config=log_config(cfg.log_level),
        server_header=False, date_header=True, proxy_headers=False, ws="none", **extra)
    config.x402s_request_timeout = cfg.request_timeout
    config.x402s_max_header_bytes = cfg.max_header_bytes
    return config


def raise_fd_limit(cfg: ProxyConfig) -> ProxyConfig:
    """Raise the soft open-file limit to the hard one, and keep ``limit_concurrency`` below it
    (with headroom for the store, the upstream pool and logs): past the limit new connections
    get 503 at once instead of failing accept() in a loop."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard != resource.RLIM_INFINITY and soft < hard:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
    except (ImportError, ValueError, OSError):
        return cfg
    room = soft - 128 - cfg.postgres_pool_size - cfg.upstream_pool_size
    if soft != getattr(resource, "RLIM_INFINITY", -1) and cfg.limit_concurrency > room > 0:
        return cfg.replace(limit_concurrency=room)
    return cfg


def bind_socket(host: str, port: int, backlog: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock


class RunningProxy:
    """A proxy served by uvicorn in a background thread of this process (tests, the demo)."""

    def __init__(self, cfg: ProxyConfig, proxy: Any = None) -> None:
        import uvicorn

        from .app import Proxy, create_app

        self.proxy = proxy or Proxy(cfg)
        self.app = create_app(cfg, proxy=self.proxy)
        self.sock = bind_socket(cfg.host, cfg.port, cfg.backlog)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://{cfg.host}:{self.port}"
        self.server = uvicorn.Server(_uvicorn_config(self.app, cfg))
        self.server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
        self._thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                        name="x402s-proxy", daemon=True)
        self._thread.start()
        for _ in range(1000):
            if self.server.started or not self._thread.is_alive():
                break
            threading.Event().wait(0.01)
        if not self.server.started:
            raise RuntimeError("the proxy did not start")

    def close(self) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=30)
        self.sock.close()

    def __enter__(self) -> "RunningProxy":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def serve(cfg: Optional[ProxyConfig] = None, proxy: Any = None, **overrides: Any) -> RunningProxy:
    """Start a proxy in a background thread (default: memory store, local upstream, a free port)."""
    from .config import load_config

    base = cfg or load_config(env={}, overrides={"store": "memory", "port": 0})
    if overrides:
        base = base.replace(**overrides)
    return RunningProxy(base, proxy)


def run(cfg: ProxyConfig, ready_extra: Optional[dict] = None) -> int:
    """Serve until SIGINT/SIGTERM (graceful). Prints ``{"event": "ready", ...}`` on stdout
    once the socket listens and the store is migrated."""
    import asyncio as _asyncio

    import uvicorn

    from .app import Proxy
    from .observability import setup_logging

    setup_logging(cfg.log_level)
    cfg = raise_fd_limit(cfg)
    # Migrate (and fail loudly on a bad store) before accepting anything.
    async def prepare() -> None:
        p = Proxy(cfg)
        await p.store.open()
        await p.store.close()
        aclose = getattr(p.upstream, "aclose", None)
        if aclose is not None:
            await aclose()

    _asyncio.run(prepare())
    sock = bind_socket(cfg.host, cfg.port, cfg.backlog)
    port = sock.getsockname()[1]
    host = cfg.host if ":" not in cfg.host else f"[{cfg.host}]"
    ready = {"event": "ready", "url": f"http://{host}:{port}", "port": port, "workers": cfg.workers,
             "store": cfg.store, "upstream": cfg.upstream}
    ready.update(ready_extra or {})
    os.environ["X402S_PROXY_RESOLVED"] = json.dumps(cfg.values)
    if cfg.workers == 1:
        from .app import create_app

        config = _uvicorn_config(create_app(cfg), cfg)
        server = uvicorn.Server(config)

        async def main() -> None:
            task = _asyncio.create_task(server.serve(sockets=[sock]))
            while not server.started and not task.done():
                await _asyncio.sleep(0.01)
            if server.started:
                print(json.dumps(ready), flush=True)
            await task

        import uvloop

        uvloop.run(main())
        return 0 if server.started else 1
    from uvicorn.supervisors import Multiprocess

    if cfg.metrics and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="x402s-metrics-")
    config = _uvicorn_config("x402secure.proxy.app:app_factory", cfg, factory=True, workers=cfg.workers)
    print(json.dumps(ready), flush=True)
    Multiprocess(config, sockets=[sock]).run()
    return 0
