"""A minimal JSON-RPC 2.0 server over HTTP on 127.0.0.1 (port 0), one thread per request,
batches included, for the test chains. ``handler(method, params)`` returns a result or raises :class:`RpcFault`."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, List, Optional


class RpcFault(Exception):
    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.code, self.message, self.data = code, message, data


class RpcServer:
    def __init__(self, handler: Callable[[str, List[Any]], Any]) -> None:
        self.handler = handler
        self.calls: List[str] = []
        #: When set, requests sleep this long before answering (client timeouts).
        self.delay: float = 0.0
        #: Methods answered by dropping the connection (a node that fails mid-request).
        self.drop: set = set()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802
                n = int(self.headers.get("Content-Length", "0"))
                req = json.loads(self.rfile.read(n))
                reqs = req if isinstance(req, list) else [req]
                if any(r.get("method") in outer.drop for r in reqs):
                    self.close_connection = True
                    self.connection.close()
                    return
                if outer.delay:
                    threading.Event().wait(outer.delay)
                answers = [outer.answer(r) for r in reqs]
                body = answers if isinstance(req, list) else answers[0]
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread: Optional[threading.Thread] = None

    def answer(self, req: Any) -> Any:
        method, params, rid = req.get("method"), req.get("params") or [], req.get("id")
        self.calls.append(method)
        try:
            return {"jsonrpc": "2.0", "id": rid, "result": self.handler(method, params)}
        except RpcFault as f:
            err = {"code": f.code, "message": f.message}
            if f.data is not None:
                err["data"] = f.data
            return {"jsonrpc": "2.0", "id": rid, "error": err}
        except Exception as exc:  # a bug in a test node: say so instead of hanging up
            return {"jsonrpc": "2.0", "id": rid,
                    "error": {"code": -32603, "message": f"test node error: {type(exc).__name__}: {exc}"}}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> "RpcServer":
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class NodeFront:
    """Base of the test nodes: a JSON-RPC front (``self.rpc``) on loopback."""

    rpc: RpcServer

    @property
    def url(self) -> str:
        return self.rpc.url

    def start(self):
        self.rpc.start()
        return self

    def stop(self) -> None:
        self.rpc.stop()
