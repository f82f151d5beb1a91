"""A counting facilitator for the proxy's tests (run as a process; loopback only).

The core's offline verification and settlement stub (LocalFacilitator) behind x402's
facilitator HTTP API, plus misbehaviour on demand:

    python fake_facilitator.py [--settle-delay S] [--mode normal|hang|trickle] [--fee-payer-seed-env VAR]

``GET /stats`` -> ``{"verify": n, "settle": n, "settled": [tx, ...]}`` (every settle that
reached it). ``hang``: verify/settle never answer; ``trickle``: they answer one byte every
0.3 s. Prints ``{"event": "ready", "url", "port"}``.
"""

import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--settle-delay", type=float, default=0.0)
    p.add_argument("--mode", default="normal", choices=["normal", "hang", "trickle"])
    p.add_argument("--fee-payer-seed-env")
    args = p.parse_args()
    from x402secure import SolanaKeypair
    from x402secure.gateway import LocalFacilitator

    keys = []
    if args.fee_payer_seed_env:
        keys = [SolanaKeypair.from_seed(bytes.fromhex(os.environ[args.fee_payer_seed_env]))]
    fac = LocalFacilitator(solana_fee_payer_keys=keys)
    lock = threading.Lock()
    stats = {"verify": 0, "settle": 0, "settled": []}

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _send(self, status, doc):
            body = json.dumps(doc).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path == "/stats":
                with lock:
                    return self._send(200, stats)
            if self.path == "/supported":
                return self._send(200, fac.supported())
            self._send(404, {"error": "not found"})

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(n) or b"{}")
            op = self.path.strip("/")
            if op not in ("verify", "settle"):
                return self._send(404, {"error": "not found"})
            with lock:
                stats[op] += 1
            if args.mode == "hang":
                time.sleep(3600)
                return None
            if op == "settle" and args.settle_delay:
                time.sleep(args.settle_delay)
            status, doc, _ = (fac.settle if op == "settle" else fac.verify)(body)
            if op == "settle" and doc.get("success"):
                with lock:
                    stats["settled"].append(doc["transaction"])
            if args.mode == "trickle":
                raw = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                for i in range(len(raw)):
                    self.wfile.write(raw[i:i + 1])
                    self.wfile.flush()
                    time.sleep(0.3)
                return None
            self._send(status, doc)

        def log_message(self, *a):
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    srv.daemon_threads = True
    port = srv.server_address[1]
    print(json.dumps({"event": "ready", "url": f"http://127.0.0.1:{port}", "port": port}), flush=True)
    srv.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
