#!/usr/bin/env python3
"""make bench (settle row): CPU cost of one EVM settle excluding the chain, x402-secure's
on-chain facilitator against the official x402 2.25.0 EVM facilitator, with the same stubbed
node (bench/settle_stub.py), side by side in one run.

What is timed, per settle: parse the request, verify (signature, amounts, window, the
chain's answers), build the call, fees and gas from the node, sign the transaction, encode
it, "send" it, read the receipt and check its Transfer log. Ours: OnchainFacilitator.settle
over httpx (MockTransport: real request/response objects and JSON, no socket), re-simulating
in settle (more node calls than the official default). Official: ExactEvmScheme.settle with
FacilitatorWeb3Signer through a web3 provider answering in-process (no HTTP layer at all),
pydantic models built from the same JSON; with eth_keys' default pure-Python ECC and with
coincurve. Rounds are interleaved; medians of per-batch means; ratios from the medians.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import settle_stub as S  # noqa: E402

import httpx  # noqa: E402

import x402secure as x  # noqa: E402
from x402secure.facilitator import OnchainFacilitator, load_config  # noqa: E402

FAC_KEY = "7a" * 32
REQ = {"scheme": "exact", "network": f"eip155:{S.CHAIN_ID}", "asset": S.TOKEN, "amount": str(S.VALUE),
       "payTo": S.PAY_TO, "maxTimeoutSeconds": 3600, "extra": {"name": "USDC", "version": "2"}}


def payments(n: int):
    with x.EvmAccount.from_key("01" * 32) as buyer:
        return [(x.create_payment(REQ, buyer).payment, REQ) for _ in range(n)]


class Ours:
    """local=False: the node behind httpx (MockTransport: request and response objects, JSON
    both ways, no socket). local=True: the node at the JSON-RPC client (the request body is
    still encoded; the answer comes back decoded), the depth at which the official
    facilitator's web3 provider is stubbed."""

    def __init__(self, node: S.Node, local: bool = False) -> None:
        os.environ["X402S_BENCH_FAC_KEY"] = FAC_KEY

        def one(req):
            return {"jsonrpc": "2.0", "id": req["id"], "result": node.answer(req["method"], req["params"])}

        def handler(request: httpx.Request) -> httpx.Response:
            req = json.loads(request.content)
            return httpx.Response(200, json=[one(r) for r in req] if isinstance(req, list) else one(req))

        cfg = load_config({"networks": [{"network": REQ["network"], "rpcUrls": ["http://stub.invalid"],
                                         "signerKeyEnv": "X402S_BENCH_FAC_KEY", "pollInterval": 0.01}]})
        def in_process(body: bytes):
            req = json.loads(body)
            return [one(r) for r in req] if isinstance(req, list) else one(req)

        if local:
            self.fac = OnchainFacilitator(cfg, local_nodes={REQ["network"]: in_process})
        else:
            self.fac = OnchainFacilitator(cfg, transport=httpx.MockTransport(handler))
        self.loop = asyncio.new_event_loop()

    def run(self, bodies) -> float:
        async def go():
            for p, r in bodies:
                a = await self.fac.settle({"x402Version": 2, "paymentPayload": p, "paymentRequirements": r})
                if a.outcome != "success":
                    raise SystemExit(f"our settle failed: {a.body}")
        t0 = time.perf_counter()
        self.loop.run_until_complete(go())
        return (time.perf_counter() - t0) / len(bodies) * 1e6

    def close(self) -> None:
        self.loop.run_until_complete(self.fac.aclose())
        self.loop.close()


class Official:
    def __init__(self, backend: str, pays) -> None:
        env = dict(os.environ, ECC_BACKEND_CLASS=backend)
        self.p = subprocess.Popen([sys.executable, str(HERE / "settle_official.py")], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True, env=env)
        self.p.stdin.write(json.dumps(pays) + "\n")
        self.p.stdin.flush()
        json.loads(self.p.stdout.readline())

    def run(self, n: int) -> float:
        self.p.stdin.write(json.dumps({"n": n}) + "\n")
        self.p.stdin.flush()
        line = self.p.stdout.readline()
        if not line:
            raise SystemExit("the official worker died")
        return json.loads(line)["us"]

    def close(self) -> None:
        self.p.stdin.close()
        self.p.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--batch", type=int, default=60)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    pays = payments((args.rounds + 1) * args.batch)
    with x.EvmAccount.from_key(FAC_KEY) as fac_acct:
        node = S.Node(pays[0][0]["payload"]["authorization"]["from"], fac_acct.address)
    ours = Ours(node)
    ours_local = Ours(node, local=True)
    peers = {"official, default install (pure-Python ECC)": Official("eth_keys.backends.NativeECCBackend", pays[:50]),
             "official + coincurve": Official("eth_keys.backends.CoinCurveECCBackend", pays[:50])}
    LOCAL, HTTPX = "x402secure, node stubbed at the RPC client", "x402secure, node behind httpx (MockTransport)"
    samples = {LOCAL: [], HTTPX: [], **{k: [] for k in peers}}
    try:
        ours.run(pays[:args.batch // 2])  # warm-up
        ours_local.run(pays[args.batch // 2:args.batch])
        for name, peer in peers.items():
            peer.run(5)
        for rnd in range(args.rounds):
            batch = pays[(rnd + 1) * args.batch:(rnd + 2) * args.batch]
            half = len(batch) // 2
            samples[LOCAL].append(ours_local.run(batch[:half]))
            samples[HTTPX].append(ours.run(batch[half:]))
            for name, peer in peers.items():
                samples[name].append(peer.run(max(5, args.batch // 4)))
    finally:
        ours.close()
        ours_local.close()
        for peer in peers.values():
            peer.close()
    med = {k: statistics.median(v) for k, v in samples.items()}
    base = med[LOCAL]
    print("\nEVM settle, CPU excluding the chain (stubbed node), median of per-batch means:")
    print(f"{'':52s} {'us/settle':>10s} {'vs stubbed-at-client':>21s} {'vs httpx':>9s}")
    for k, v in med.items():
        print(f"{k:52s} {v:10.0f} {v / base:20.1f}x {v / med[HTTPX]:8.1f}x")
    if args.json:
        args.json.write_text(json.dumps({"settle_us": med, "samples": samples}, indent=1))


if __name__ == "__main__":
    main()
