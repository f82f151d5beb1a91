"""An official x402 2.25.0 seller (FastAPI + x402's payment middleware) whose facilitator is
the URL in $FACILITATOR_URL (the proxy's root). $API_KEY, when set, is sent through the
facilitator client's auth-header option. Run with uvicorn as a process; prints the ready line.

Routes: GET /paid/evm (Base Sepolia USDC), GET /paid/solana (Solana devnet USDC), $0.01.
"""

import json
import os
import socket
import sys

import uvicorn
from fastapi import FastAPI
from x402 import x402ResourceServer
from x402.http import FacilitatorConfig, HTTPFacilitatorClient
from x402.http.facilitator_client_base import CreateHeadersAuthProvider
from x402.http.middleware.fastapi import payment_middleware
from x402.mechanisms.evm.exact.register import register_exact_evm_server
from x402.mechanisms.svm.exact.register import register_exact_svm_server

api_key = os.environ.get("API_KEY")
auth = None
if api_key:
    h = {"Authorization": f"Bearer {api_key}"}
    auth = CreateHeadersAuthProvider(lambda: {"verify": h, "settle": h, "supported": h})
facilitator = HTTPFacilitatorClient(FacilitatorConfig(url=os.environ["FACILITATOR_URL"], auth_provider=auth))
server = x402ResourceServer(facilitator)
register_exact_evm_server(server, "eip155:84532")
register_exact_svm_server(server, "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1")
routes = {
    "GET /paid/evm": {"accepts": {"scheme": "exact", "payTo": os.environ["PAY_TO_EVM"], "price": "$0.01",
                                  "network": "eip155:84532"}},
    "GET /paid/solana": {"accepts": {"scheme": "exact", "payTo": os.environ["PAY_TO_SOLANA"], "price": "$0.01",
                                     "network": "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"}},
}
app = FastAPI()
mw = payment_middleware(routes, server)


@app.middleware("http")
async def x402_mw(request, call_next):
    return await mw(request, call_next)


@app.get("/paid/evm")
async def paid_evm():
    return {"data": "evm paid content"}


@app.get("/paid/solana")
async def paid_solana():
    return {"data": "solana paid content"}


if __name__ == "__main__":
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.listen(128)
    print(json.dumps({"event": "ready", "url": f"http://127.0.0.1:{port}", "port": port}), flush=True)
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
    sys.exit(0)
