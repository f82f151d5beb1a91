"""The on-chain facilitator against Solana's LiteSVM (solders) over JSON-RPC on loopback:
mints of both token programs, funded associated token accounts, the buyer's transaction built
by the core, co-signed by the facilitator's fee payer, simulated, sent and confirmed."""

from __future__ import annotations

import asyncio
import os

import pytest

pytest.importorskip("solders.litesvm")
pytest.importorskip("httpx")

import x402secure as x  # noqa: E402
from x402secure.facilitator import OnchainFacilitator, load_config  # noqa: E402
from x402secure.facilitator import reasons as R  # noqa: E402

from chains.sol_node import TOKEN, TOKEN_2022, SolanaNode  # noqa: E402

DEVNET = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"
FEE_SEED = bytes([0x42] * 32)


@pytest.fixture(scope="module")
def node():
    n = SolanaNode().start()
    fee = x.SolanaKeypair.from_seed(FEE_SEED)
    n.airdrop(fee.address, 10**10)
    n.fee_payer = fee.address
    n.mints = {p: n.create_mint(p) for p in (TOKEN, TOKEN_2022)}
    yield n
    fee.close()
    n.stop()


@pytest.fixture()
def env(monkeypatch):
    monkeypatch.setenv("X402S_TEST_SOL_FEE", FEE_SEED.hex())


def make_facilitator(node, **overrides):
    net = {"network": DEVNET, "rpcUrls": [node.url], "feePayerKeyEnv": "X402S_TEST_SOL_FEE",
           "confirmTimeout": 5, "pollInterval": 0.05, "rpcTimeout": 5}
    net.update(overrides)
    return OnchainFacilitator(load_config({"networks": [net]}))


def setup_buyer(node, program, amount=5000):
    buyer = x.SolanaKeypair.from_seed(os.urandom(32))
    pay_to = x.SolanaKeypair.from_seed(os.urandom(32)).address
    mint = node.mints[program]
    node.fund_token(buyer.address, mint, program, amount)
    node.fund_token(pay_to, mint, program, 0)
    return buyer, pay_to, mint


def body(node, buyer, pay_to, mint, program, amount="1000", blockhash=None, asset=None):
    req = {"scheme": "exact", "network": DEVNET, "asset": asset or mint, "amount": amount, "payTo": pay_to,
           "maxTimeoutSeconds": 60, "extra": {"feePayer": node.fee_payer}}
    signed_req = dict(req, asset=mint)
    created = x.create_payment(signed_req, buyer, recent_blockhash=blockhash or node.latest_blockhash(),
                               mint_decimals=6, token_program="token" if program == TOKEN else "token2022")
    payment = dict(created.payment, accepted=req)
    return {"x402Version": 2, "paymentPayload": payment, "paymentRequirements": req}


def run(coro):
    return asyncio.run(coro)


@pytest.mark.parametrize("program", [TOKEN, TOKEN_2022], ids=["token", "token-2022"])
def test_cosigned_transaction_executes_and_moves_tokens(node, env, program):
    buyer, pay_to, mint = setup_buyer(node, program)
    b = body(node, buyer, pay_to, mint, program)

    async def go():
        fac = make_facilitator(node)
        try:
            return await fac.verify(b), await fac.settle(b), await fac.supported()
        finally:
            await fac.aclose()

    v, s, sup = run(go())
    assert v.body == {"isValid": True, "payer": buyer.address}
    assert s.outcome == "success", s.body
    tx_bytes = __import__("base64").b64decode(b["paymentPayload"]["payload"]["transaction"])
    decoded = x.solana.decode_transaction(tx_bytes)
    # the id is the fee payer's signature over the very message the buyer signed
    assert node.statuses[s.body["transaction"]]["err"] is None
    assert decoded["messageHashBase64"] == x.solana.decode_transaction(tx_bytes)["messageHashBase64"]
    assert node.token_balance(buyer.address, mint, program) == 4000
    assert node.token_balance(pay_to, mint, program) == 1000
    assert {"x402Version": 2, "scheme": "exact", "network": DEVNET, "extra": {"feePayer": node.fee_payer}} in sup["kinds"]


def test_duplicates_are_refused_by_the_store_and_by_the_chain(node, env):
    buyer, pay_to, mint = setup_buyer(node, TOKEN)
    b = body(node, buyer, pay_to, mint, TOKEN)

    async def go():
        fac = make_facilitator(node)
        fresh = make_facilitator(node)  # another instance, without this one's memory
        try:
            first = await fac.settle(b)
            again = await fac.settle(b)
            elsewhere = await fresh.settle(b)
            return first, again, elsewhere
        finally:
            await fac.aclose()
            await fresh.aclose()

    first, again, elsewhere = run(go())
    assert first.outcome == "success"
    assert again.body["errorReason"] == R.DUPLICATE_SETTLEMENT and again.body["transaction"] == first.body["transaction"]
    assert elsewhere.outcome == "failure" and elsewhere.body["errorReason"] == R.DUPLICATE_SETTLEMENT
    assert node.token_balance(buyer.address, mint, TOKEN) == 4000


def test_expired_blockhash_fails_before_sending(node, env):
    buyer, pay_to, mint = setup_buyer(node, TOKEN)
    b = body(node, buyer, pay_to, mint, TOKEN)
    node.expire_blockhash()

    async def go():
        fac = make_facilitator(node)
        try:
            return await fac.verify(b), await fac.settle(b)
        finally:
            await fac.aclose()

    v, s = run(go())
    assert v.body["invalidReason"] == R.SVM_BLOCKHASH_EXPIRED
    assert s.outcome == "failure" and s.body["errorReason"] == R.SVM_BLOCKHASH_EXPIRED and s.body["transaction"] == ""
    assert node.token_balance(buyer.address, mint, TOKEN) == 5000


def test_blockhash_expiring_after_send_is_a_failure_not_pending(node, env):
    buyer, pay_to, mint = setup_buyer(node, TOKEN)
    b = body(node, buyer, pay_to, mint, TOKEN)

    async def go():
        fac = make_facilitator(node)
        node.hold()
        try:
            task = asyncio.ensure_future(fac.settle(b))
            for _ in range(200):
                if fac.counts["broadcast"]:
                    break
                await asyncio.sleep(0.02)
            node.expire_blockhash()  # the held transaction can no longer land
            node.release()
            return await task
        finally:
            node.release()
            await fac.aclose()

    s = run(go())
    assert s.outcome == "failure" and s.body["errorReason"] == R.SVM_BLOCKHASH_EXPIRED, s.body
    assert node.token_balance(buyer.address, mint, TOKEN) == 5000


def test_confirmation_timeout_is_pending_then_resolves(node, env):
    buyer, pay_to, mint = setup_buyer(node, TOKEN_2022)
    b = body(node, buyer, pay_to, mint, TOKEN_2022)

    async def go():
        fac = make_facilitator(node, confirmTimeout=0.3)
        node.hold()
        try:
            pending = await fac.settle(b)
            node.release()
            status = await fac.settlement_status({"network": DEVNET, "transaction": pending.body["transaction"]})
            return pending, status, fac.counts["broadcast"]
        finally:
            node.release()
            await fac.aclose()

    pending, status, broadcasts = run(go())
    assert pending.outcome == "pending" and pending.body["errorReason"] == "settlement_pending"
    assert status.outcome == "success" and status.body["transaction"] == pending.body["transaction"]
    assert broadcasts == 1
    assert node.token_balance(pay_to, mint, TOKEN_2022) == 1000


def test_wrong_mint_and_insufficient_funds_fail_with_specific_reasons(node, env):
    buyer, pay_to, mint = setup_buyer(node, TOKEN, amount=500)
    other_mint = node.mints[TOKEN_2022]
    wrong = body(node, buyer, pay_to, mint, TOKEN, asset=other_mint)  # pays mint, asked for another
    poor = body(node, buyer, pay_to, mint, TOKEN)                       # 1000 from 500

    async def go():
        fac = make_facilitator(node)
        try:
            return await fac.verify(wrong), await fac.settle(wrong), await fac.verify(poor), await fac.settle(poor)
        finally:
            await fac.aclose()

    vw, sw, vp, sp = run(go())
    assert vw.body["invalidReason"] == "invalid_exact_svm_payload_mint_mismatch"
    assert sw.body["errorReason"] == "invalid_exact_svm_payload_mint_mismatch" and sw.body["transaction"] == ""
    assert vp.body["invalidReason"] == "transaction_simulation_failed"
    assert "InstructionError" in vp.body["invalidMessage"]
    assert sp.outcome == "failure" and sp.body["errorReason"] == "transaction_simulation_failed"
    assert node.token_balance(buyer.address, mint, TOKEN) == 500
