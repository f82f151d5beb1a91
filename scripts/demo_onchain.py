#!/usr/bin/env python3
"""make demo ONCHAIN=1: the main job settled on a real chain.

A Python agent pays a Node seller; the seller's x402-secure gateway verifies and settles
through the on-chain facilitator (upstream "onchain") on a local EVM (py-evm via eth-tester,
JSON-RPC on loopback) holding an EIP-3009 token compiled from Vyper source. The seller serves
only after the transfer is mined; the receipt and the balances are printed. Every process this
script starts is stopped when it ends."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bindings" / "python" / "tests"))

import x402secure as x  # noqa: E402
from x402secure.client import BuyerClient, BuyerConfig  # noqa: E402

from chains.onchain_demo import OnchainStack  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, OnchainStack(Path(tmp)) as s:
        print(f"[1] chain {s.network} on {s.node.url}: token USDC (EIP-3009, Vyper) at {s.token}")
        print(f"    facilitator (on-chain, nonce-managed signer) {s.facilitator}; gateway {s.gateway.url}; "
              f"seller {s.seller.url}")
        key = os.urandom(32).hex()
        buyer = x.EvmAccount.from_key(key).address
        s.mint(buyer, 50_000)
        print(f"[2] agent {buyer} holds {s.balance(buyer)} (6 decimals); seller {s.pay_to} holds {s.balance(s.pay_to)}")
        with BuyerClient(BuyerConfig(seller_base_url=s.seller.url, agent_gateway_url=s.gateway.url,
                                     buyer_private_key="0x" + key, network=None, policy=s.policy())) as b:
            sid = b.create_risk_session()["sid"]
            tid = b.store_agent_trace(sid=sid, task="buy BTC/USD data", params={"symbol": "BTC/USD"}, events=[])
            r = b.request_paid("/api/market-data", "buy BTC/USD data", {"symbol": "BTC/USD"}, sid, tid)
        st = r.settlement
        receipt = s.node.tester.get_transaction_receipt(st["transaction"])
        print(f"[3] seller answered {r.status_code}: {r.data}")
        print(f"[4] settled on chain: tx {st['transaction']} in block {receipt['block_number']}, "
              f"status {receipt['status']}, gas {receipt['gas_used']}")
        print(f"[5] balances now: agent {s.balance(buyer)}, seller {s.balance(s.pay_to)}")
        ok = r.status_code == 200 and receipt["status"] == 1 and s.balance(s.pay_to) >= 10_000
    print("on-chain demo: " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
