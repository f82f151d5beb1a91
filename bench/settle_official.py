"""Worker: the official x402 2.25.0 EVM facilitator's settle path (ExactEvmScheme.settle with
FacilitatorWeb3Signer) against bench/settle_stub.py's node, in-process through a web3 provider
(no HTTP, which favours it). The ECC backend of eth_keys comes from ECC_BACKEND_CLASS.

Protocol (stdin/stdout, one JSON line each): {"n": count} -> {"us": per-settle microseconds}."""

from __future__ import annotations

import json
import os
import sys
import time

from web3.providers.base import BaseProvider

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import settle_stub as S  # noqa: E402
from x402.mechanisms.evm.exact.facilitator import ExactEvmScheme, ExactEvmSchemeConfig  # noqa: E402
from x402.mechanisms.evm.signers import FacilitatorWeb3Signer  # noqa: E402
from x402.schemas import PaymentPayload, PaymentRequirements  # noqa: E402
from web3 import Web3  # noqa: E402

FAC_KEY = "0x" + "7a" * 32


class StubProvider(BaseProvider):
    def __init__(self, node):
        super().__init__()
        self.node = node

    def make_request(self, method, params):
        return {"jsonrpc": "2.0", "id": 1, "result": self.node.answer(method, list(params))}

    def is_connected(self, show_traceback=False):
        return True


def main() -> None:
    payments = json.loads(sys.stdin.readline())  # [(payment, requirements)...]
    signer = FacilitatorWeb3Signer(FAC_KEY, "http://127.0.0.1:1")
    node = S.Node(payments[0][0]["payload"]["authorization"]["from"], signer.address)
    signer._w3 = Web3(StubProvider(node))
    scheme = ExactEvmScheme(signer, ExactEvmSchemeConfig())
    i = 0
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        n = json.loads(line)["n"]
        t0 = time.perf_counter()
        for _ in range(n):
            p, r = payments[i % len(payments)]
            i += 1
            res = scheme.settle(PaymentPayload.model_validate(p), PaymentRequirements.model_validate(r))
            if not res.success:
                raise SystemExit(f"official settle failed: {res}")
        print(json.dumps({"us": (time.perf_counter() - t0) / n * 1e6}), flush=True)


if __name__ == "__main__":
    main()
