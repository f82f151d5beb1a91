"""The on-chain facilitator against a real EVM (py-evm through eth-tester) over JSON-RPC on
loopback, with an EIP-3009 token compiled from Vyper source (tests/chains/usdc3009.vy)."""

from __future__ import annotations

import asyncio
import os
import secrets
import time

import pytest

pytest.importorskip("eth_tester")
pytest.importorskip("vyper")
pytest.importorskip("httpx")

import x402secure as x  # noqa: E402
from x402secure import evm  # noqa: E402
from x402secure.facilitator import OnchainFacilitator, load_config  # noqa: E402
from x402secure.facilitator import reasons as R  # noqa: E402

from chains.evm_node import EvmNode  # noqa: E402

FAC_KEY = "7a" * 32
PAY_TO = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"


@pytest.fixture(scope="module")
def chain():
    node = EvmNode().start()
    token = node.deploy_token()
    fac = x.EvmAccount.from_key(FAC_KEY)
    node.fund_eth(fac.address, 10**18)
    yield {"node": node, "token": token, "network": f"eip155:{node.chain_id}", "facilitator": fac.address}
    fac.close()
    node.stop()


@pytest.fixture()
def env(monkeypatch):
    monkeypatch.setenv("X402S_TEST_FAC_KEY", FAC_KEY)


def make_facilitator(chain, **overrides):
    net = {"network": chain["network"], "rpcUrls": [chain["node"].url], "signerKeyEnv": "X402S_TEST_FAC_KEY",
           "receiptTimeout": 10, "pollInterval": 0.05, "rpcTimeout": 5}
    net.update(overrides)
    return OnchainFacilitator(load_config({"networks": [net]}))


def new_buyer(chain, tokens=0):
    acct = x.EvmAccount.from_key(secrets.token_bytes(32))
    if tokens:
        chain["node"].transact(chain["token"], evm.abi_encode_call("mint(address,uint256)", [acct.address, tokens]))
    return acct


def requirement(chain, amount="10000", **extra_fields):
    req = {"scheme": "exact", "network": chain["network"], "asset": chain["token"], "amount": amount,
           "payTo": PAY_TO, "maxTimeoutSeconds": 300, "extra": {"name": "USDC", "version": "2"}}
    req.update(extra_fields)
    return req


def body(chain, buyer, req=None, **kw):
    req = req or requirement(chain)
    created = x.create_payment(req, buyer, **kw)
    return {"x402Version": 2, "paymentPayload": created.payment, "paymentRequirements": req}


def balance(chain, who):
    out = chain["node"].call(chain["token"], evm.abi_encode_call(evm.BALANCE_OF, [who]))
    return evm.abi_decode("(uint256)", out)[0]


def run(coro):
    return asyncio.run(coro)


def test_settle_moves_balances_and_reports_the_transaction(chain, env):
    buyer = new_buyer(chain, 50_000)
    before = balance(chain, PAY_TO)

    async def go():
        fac = make_facilitator(chain)
        try:
            v = await fac.verify(body_)
            s = await fac.settle(body_)
            again = await fac.settle(body_)
            return v, s, again, await fac.supported()
        finally:
            await fac.aclose()

    body_ = body(chain, buyer)
    v, s, again, sup = run(go())
    assert v.body == {"isValid": True, "payer": buyer.address}
    assert s.outcome == "success", s.body
    assert s.body["success"] is True and s.body["payer"] == buyer.address and s.body["network"] == chain["network"]
    tx = s.body["transaction"]
    assert tx.startswith("0x") and len(tx) == 66
    receipt = chain["node"].tester.get_transaction_receipt(tx)
    assert receipt["status"] == 1
    assert balance(chain, PAY_TO) == before + 10_000 and balance(chain, buyer.address) == 40_000
    # the transaction on chain is ours: sent by the facilitator, to the token, signed for this chain
    sent = chain["node"].tester.get_transaction_by_hash(tx)
    assert sent["from"].lower() == chain["facilitator"].lower() and sent["to"].lower() == chain["token"].lower()
    # a second settle of the same authorization sends nothing and says so
    assert again.outcome == "failure" and again.body["errorReason"] == R.DUPLICATE_SETTLEMENT
    assert again.body["transaction"] == tx
    assert {"x402Version": 2, "scheme": "exact", "network": chain["network"]} in sup["kinds"]
    assert sup["signers"]["eip155:*"] == [chain["facilitator"]]


def test_verify_reports_the_official_reason_codes(chain, env):
    rich, poor = new_buyer(chain, 1_000_000), new_buyer(chain, 10)

    async def go():
        fac = make_facilitator(chain)
        try:
            used = body(chain, rich)
            first = await fac.settle(used)
            reused = await fac.verify(used)
            now = int(time.time())
            expired = await fac.verify(body(chain, rich, now=now - 1000))  # validBefore = now - 700
            insufficient = await fac.verify(body(chain, poor))
            other_chain = requirement(chain, network="eip155:1")
            wrong_chain_sig = body(chain, rich, req=requirement(chain))
            wrong_chain_sig["paymentRequirements"] = dict(wrong_chain_sig["paymentRequirements"])
            # the buyer signed for chain 1 but the requirement is this chain: the signature fails
            signed_for_1 = x.create_payment(other_chain, rich)
            forged = {"x402Version": 2, "paymentRequirements": requirement(chain),
                      "paymentPayload": dict(signed_for_1.payment, accepted=requirement(chain))}
            wrong_sig = await fac.verify(forged)
            unserved = await fac.verify({"x402Version": 2, "paymentPayload": signed_for_1.payment,
                                         "paymentRequirements": other_chain})
            return first, reused, expired, insufficient, wrong_sig, unserved
        finally:
            await fac.aclose()

    first, reused, expired, insufficient, wrong_sig, unserved = run(go())
    assert first.outcome == "success"
    assert reused.body["invalidReason"] == "invalid_exact_evm_nonce_already_used"
    assert expired.body["invalidReason"] == "invalid_exact_evm_payload_authorization_valid_before"
    assert insufficient.body["invalidReason"] == "invalid_exact_evm_insufficient_balance"
    assert insufficient.body["payer"]
    assert wrong_sig.body["invalidReason"] == "invalid_exact_evm_payload_signature"
    assert unserved.body["invalidReason"] == "unsupported_network"


def test_a_node_on_another_chain_is_refused_at_verify(chain, env):
    buyer = new_buyer(chain, 20_000)
    # configured as chain 8453 but the node serves another chain id: fail closed
    req = requirement(chain, network="eip155:8453")

    async def go():
        fac = OnchainFacilitator(load_config({"networks": [{
            "network": "eip155:8453", "rpcUrls": [chain["node"].url], "signerKeyEnv": "X402S_TEST_FAC_KEY"}]}))
        try:
            b = body(chain, buyer, req=req)
            return await fac.verify(b), await fac.settle(b)
        finally:
            await fac.aclose()

    v, s = run(go())
    assert v.body["invalidReason"] == "invalid_exact_evm_failed_to_get_network_config"
    assert "chain id" in v.body["invalidMessage"]
    assert s.outcome == "failure" and s.body["transaction"] == ""


def test_receipt_timeout_leaves_pending_then_resolves_without_a_second_send(chain, env):
    node = chain["node"]
    buyer = new_buyer(chain, 30_000)
    b = body(chain, buyer)

    async def go():
        fac = make_facilitator(chain, receiptTimeout=0.3)
        node.hold()
        try:
            pending = await fac.settle(b)
            retry_before_mined = await fac.settle(b)  # still pending: same transaction, nothing sent
            sent_before = fac.counts["broadcast"]
            node.release()
            retry = await fac.settle(b)  # reconciles with the transaction sent: success, reported once
            status = await fac.settlement_status({"network": chain["network"],
                                                  "transaction": pending.body["transaction"]})
            third = await fac.settle(b)
            return pending, retry_before_mined, status, retry, third, sent_before, fac.counts["broadcast"]
        finally:
            node.release()
            await fac.aclose()

    pending, retry0, status, retry, third, sent_before, sent_after = run(go())
    assert pending.outcome == "pending" and pending.body["errorReason"] == "settlement_pending"
    assert pending.body["success"] is False and len(pending.body["transaction"]) == 66
    assert retry0.outcome == "pending" and retry0.body["transaction"] == pending.body["transaction"]
    assert sent_before == sent_after == 1
    assert status.outcome == "success" and status.body["transaction"] == pending.body["transaction"]
    assert retry.outcome == "success" and retry.body["transaction"] == pending.body["transaction"]
    assert third.body["errorReason"] == R.DUPLICATE_SETTLEMENT
    assert balance(chain, buyer.address) == 20_000


def test_two_concurrent_settles_of_one_authorization_send_one_transaction(chain, env):
    buyer = new_buyer(chain, 30_000)
    b = body(chain, buyer)

    async def go():
        fac = make_facilitator(chain)
        try:
            answers = await asyncio.gather(*(fac.settle(b) for _ in range(3)))
            return answers, fac.counts["broadcast"]
        finally:
            await fac.aclose()

    answers, broadcasts = run(go())
    outcomes = sorted(a.outcome for a in answers)
    assert outcomes == ["failure", "failure", "success"], [a.body for a in answers]
    assert broadcasts == 1
    tx = next(a.body["transaction"] for a in answers if a.outcome == "success")
    assert all(a.body["errorReason"] == R.DUPLICATE_SETTLEMENT and a.body["transaction"] == tx
               for a in answers if a.outcome == "failure")
    assert balance(chain, buyer.address) == 20_000


def test_a_reverted_settle_reports_its_decoded_reason(chain, env):
    node = chain["node"]
    buyer = new_buyer(chain, 15_000)  # enough for one payment of 10000, not two
    b1, b2 = body(chain, buyer), body(chain, buyer)

    async def go():
        fac = make_facilitator(chain)
        node.hold()
        try:
            t1 = asyncio.ensure_future(fac.settle(b1))
            t2 = asyncio.ensure_future(fac.settle(b2))
            for _ in range(200):  # both simulate fine, both are sent into the same block
                if fac.counts["broadcast"] >= 2:
                    break
                await asyncio.sleep(0.02)
            node.release()
            return await t1, await t2
        finally:
            node.release()
            await fac.aclose()

    a1, a2 = run(go())
    ok, failed = (a1, a2) if a1.outcome == "success" else (a2, a1)
    assert ok.outcome == "success", ok.body
    assert failed.outcome == "failure", failed.body
    assert failed.body["errorReason"] == "invalid_exact_evm_insufficient_balance"
    assert "transfer amount exceeds balance" in failed.body["errorMessage"]
    assert len(failed.body["transaction"]) == 66  # it was mined, and reverted
    assert node.tester.get_transaction_receipt(failed.body["transaction"])["status"] == 0


def test_a_stale_signer_nonce_is_resynced(chain, env):
    node = chain["node"]
    fac_acct = x.EvmAccount.from_key(FAC_KEY)
    buyer = new_buyer(chain, 30_000)

    async def go():
        fac = make_facilitator(chain)
        try:
            first = await fac.settle(body(chain, buyer))
            # another process uses the signer's next nonce behind the facilitator's back
            nonce = node.tester.get_nonce(fac_acct.address)
            base = node.tester.get_block_by_number("latest")["base_fee_per_gas"]
            other = evm.sign_transaction({"chainId": node.chain_id, "nonce": nonce, "maxPriorityFeePerGas": 10**9,
                                          "maxFeePerGas": 2 * base + 10**9, "gas": 21000, "to": PAY_TO,
                                          "value": 1}, fac_acct)
            node.tester.send_raw_transaction("0x" + other.raw.hex())
            second = await fac.settle(body(chain, buyer))
            chain_id = await fac._chains[chain["network"]].rpc.call("eth_chainId")
            return first, second, fac._chains[chain["network"]].nonces.resyncs, chain_id
        finally:
            await fac.aclose()
            fac_acct.close()

    first, second, resyncs, chain_id = run(go())
    assert first.outcome == "success" and second.outcome == "success", second.body
    assert resyncs >= 2 and int(chain_id, 16) == node.chain_id


def test_bytes_signature_overload_settles(chain, env):
    """The core picks the (bytes signature) overload for signatures that are not split; the
    token's overload accepts 65 bytes: the same authorization settles through it."""
    buyer = new_buyer(chain, 10_000)
    b = body(chain, buyer)
    call = evm.settle_call(b["paymentPayload"], b["paymentRequirements"])
    sig = bytes.fromhex(b["paymentPayload"]["payload"]["signature"][2:])
    a = b["paymentPayload"]["payload"]["authorization"]
    data = evm.abi_encode_call(evm.TRANSFER_WITH_AUTHORIZATION_BYTES,
                               [a["from"], a["to"], int(a["value"]), int(a["validAfter"]), int(a["validBefore"]),
                                a["nonce"], sig])
    assert call["function"] == evm.TRANSFER_WITH_AUTHORIZATION_VRS
    receipt = chain["node"].transact(chain["token"], data)
    assert receipt["status"] == 1
    assert balance(chain, buyer.address) == 0


def test_a_slow_node_times_out_and_verify_fails_closed(chain, env):
    node = chain["node"]
    buyer = new_buyer(chain, 20_000)
    b = body(chain, buyer)

    async def go():
        fac = make_facilitator(chain, rpcTimeout=0.3)
        node.rpc.delay = 1.0
        try:
            t0 = time.monotonic()
            v = await fac.verify(b)
            return v, time.monotonic() - t0
        finally:
            node.rpc.delay = 0.0
            await fac.aclose()

    v, took = run(go())
    assert v.body["isValid"] is False and v.body["invalidReason"] == R.CHAIN_UNAVAILABLE
    assert "timed out" in v.body["invalidMessage"] and took < 0.9


def test_a_forgotten_settlement_is_still_refused_by_the_chain(chain, env):
    buyer = new_buyer(chain, 30_000)
    first, second = body(chain, buyer), body(chain, buyer)

    async def go():
        fac = make_facilitator(chain)
        fac.max_settled = 1
        try:
            a = await fac.settle(first)
            b = await fac.settle(second)   # the first is forgotten now
            again = await fac.settle(first)
            return a, b, again, fac.counts["broadcast"]
        finally:
            await fac.aclose()

    a, b2, again, broadcasts = run(go())
    assert a.outcome == b2.outcome == "success"
    assert again.outcome == "failure" and again.body["errorReason"] == "invalid_exact_evm_nonce_already_used"
    assert broadcasts == 2 and balance(chain, buyer.address) == 10_000
