"""End to end on a real chain: a Python agent (BuyerClient) pays a Node seller
(x402Middleware, proxy mode); the seller's x402-secure gateway verifies and settles through
the on-chain facilitator (``--upstream onchain``) over JSON-RPC to py-evm (eth-tester) with
the Vyper EIP-3009 token; the tokens move on chain before the seller serves. Every process
runs on loopback and is stopped by the test."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

pytest.importorskip("eth_tester")
pytest.importorskip("vyper")
httpx = pytest.importorskip("httpx")

import x402secure as x  # noqa: E402
from x402secure import evm  # noqa: E402
from x402secure.client import BuyerClient, BuyerConfig, PaymentRejectedError  # noqa: E402

from chains.onchain_demo import OnchainStack  # noqa: E402

REPO = Path(__file__).resolve().parents[3]
if shutil.which("node") is None or not (REPO / "bindings" / "node" / "build" / "x402s_node.node").is_file():
    pytest.skip("needs node and the Node addon (make node)", allow_module_level=True)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with OnchainStack(tmp_path_factory.mktemp("onchain")) as s:
        yield s


def test_agent_pays_seller_and_the_tokens_move_on_chain(stack):
    buyer_key = os.urandom(32).hex()
    buyer_addr = x.EvmAccount.from_key(buyer_key).address
    stack.mint(buyer_addr, 50_000)
    before = stack.balance(stack.pay_to)
    with BuyerClient(BuyerConfig(seller_base_url=stack.seller.url, agent_gateway_url=stack.gateway.url,
                                 buyer_private_key="0x" + buyer_key, network=None,
                                 policy=stack.policy())) as b:
        sid = b.create_risk_session()["sid"]
        tid = b.store_agent_trace(sid=sid, task="buy data", params={"symbol": "BTC/USD"}, events=[])
        result = b.request_paid("/api/market-data", "buy data", {"symbol": "BTC/USD"}, sid, tid)
        assert result.status_code == 200, result.data
        assert result.data["payer"] == buyer_addr and result.data["paidWith"] == stack.network
        s = result.settlement
        assert s["success"] is True and s["payer"] == buyer_addr
        tx = s["transaction"]
        receipt = stack.node.tester.get_transaction_receipt(tx)
        assert receipt["status"] == 1
        assert stack.balance(stack.pay_to) == before + 10_000 and stack.balance(buyer_addr) == 40_000
        # the same payment header again: refused, nothing moves
        name, value = result.payment_header
        again = httpx.get(stack.seller.url + "/api/market-data", headers={name: value,
                          "X-PAYMENT-SECURE": result.request_headers["X-PAYMENT-SECURE"],
                          "X-RISK-SESSION": sid, "Origin": stack.seller.url}, timeout=30)
        assert again.status_code in (402, 403, 409)
        assert stack.balance(buyer_addr) == 40_000


def test_insufficient_balance_is_refused_before_anything_is_sent(stack):
    buyer_key = os.urandom(32).hex()
    stack.mint(x.EvmAccount.from_key(buyer_key).address, 10)  # far below the price
    sent_before = stack.node.tester.get_block_by_number("latest")["number"]
    with BuyerClient(BuyerConfig(seller_base_url=stack.seller.url, agent_gateway_url=stack.gateway.url,
                                 buyer_private_key="0x" + buyer_key, network=None,
                                 policy=stack.policy())) as b:
        sid = b.create_risk_session()["sid"]
        tid = b.store_agent_trace(sid=sid, task="buy data", params={}, events=[])
        with pytest.raises(PaymentRejectedError):
            b.request_paid("/api/market-data", "buy data", {}, sid, tid)
    assert stack.node.tester.get_block_by_number("latest")["number"] == sent_before  # no transaction
