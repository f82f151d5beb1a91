"""The benchmark's peer: a FastAPI facilitator built on the official x402 2.25.0 facilitator
verify (x402Facilitator + the exact EVM scheme), with chain reads stubbed as in
bench/cases.py. ECC_BACKEND_CLASS chooses eth_keys' backend: coincurve, or the default
install's pure-Python one. Prints the ready line, serves until killed (uvicorn, 1 worker)."""

import json
import socket
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import uvicorn  # noqa: E402
from fastapi import FastAPI, Request  # noqa: E402
from fastapi.responses import JSONResponse  # noqa: E402

from cases import X402_EVM_REQ, _official_imports, _StubEvmFacilitatorSigner  # noqa: E402

_official_imports()
from x402 import x402Facilitator  # noqa: E402
from x402.mechanisms.evm.exact.facilitator import ExactEvmScheme  # noqa: E402
from x402.schemas import PaymentPayload, PaymentRequirements  # noqa: E402

facilitator = x402Facilitator()
facilitator.register(["eip155:84532"], ExactEvmScheme(_StubEvmFacilitatorSigner(X402_EVM_REQ["asset"])))
app = FastAPI()


@app.post("/verify")
async def verify(request: Request):
    body = await request.json()
    payload = PaymentPayload.model_validate(body["paymentPayload"])
    req = PaymentRequirements.model_validate(body["paymentRequirements"])
    result = await facilitator.verify(payload, req)
    return JSONResponse(result.model_dump(by_alias=True, exclude_none=True))


if __name__ == "__main__":
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    port = sock.getsockname()[1]
    print(json.dumps({"event": "ready", "url": f"http://127.0.0.1:{port}", "port": port}), flush=True)
    uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, loop="uvloop",
                                  http="httptools")).run(sockets=[sock])
