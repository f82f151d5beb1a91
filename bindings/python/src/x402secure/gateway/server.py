"""The gateway on a socket: Python's ``http.server.ThreadingHTTPServer`` (loopback by default)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional

from .app import Gateway

__all__ = ["RunningGateway", "serve", "make_server"]

_MAX_BODY = 1 << 20


def _handler_for(gateway: Gateway, quiet: bool):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "x402secure-gateway/0.1"

        def _answer(self) -> None:
            length_text = self.headers.get("Content-Length") or "0"
            try:
                length = int(length_text)
            except ValueError:
                length = -1
            if length < 0 or length > _MAX_BODY:
                self._send(413 if length > _MAX_BODY else 400, {"Content-Type": "application/json"},
                           b'{"detail":"bad Content-Length"}', close=True)
                return
            body = self.rfile.read(length) if length else b""
            headers = {k: v for k, v in self.headers.items()}
            status, out_headers, out = gateway.handle(self.command, self.path, headers, body)
            self._send(status, out_headers, out)

        def _send(self, status: int, headers, body: bytes, close: bool = False) -> None:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            if close:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(body)

        do_GET = _answer
        do_POST = _answer
        do_PUT = _answer
        do_DELETE = _answer

        def log_message(self, fmt: str, *args) -> None:  # noqa: D401 - http.server hook
            if not quiet:
                super().log_message(fmt, *args)

    return Handler


def make_server(gateway: Gateway, host: str = "127.0.0.1", port: int = 0, quiet: bool = True) -> ThreadingHTTPServer:
    """A ``ThreadingHTTPServer`` serving ``gateway`` (port 0: a free port)."""
    server = ThreadingHTTPServer((host, port), _handler_for(gateway, quiet))
    server.daemon_threads = True
    return server


class RunningGateway:
    """A gateway served from a background thread (tests, the demo).

    Attributes:
        gateway: the :class:`Gateway`.
        url: ``http://host:port``.
        port: the bound port.
    """

    def __init__(self, gateway: Gateway, host: str = "127.0.0.1", port: int = 0, quiet: bool = True) -> None:
        self.gateway = gateway
        self._server = make_server(gateway, host, port, quiet)
        self.port = self._server.server_address[1]
        self.url = f"http://{host}:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="x402s-gateway", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop serving and release the gateway."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self.gateway.close()

    def __enter__(self) -> "RunningGateway":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def serve(gateway: Optional[Gateway] = None, host: str = "127.0.0.1", port: int = 0, quiet: bool = True) -> RunningGateway:
    """Start ``gateway`` (default: a local-facilitator gateway) in a background thread."""
    return RunningGateway(gateway or Gateway(), host, port, quiet)
