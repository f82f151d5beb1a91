"""test-vectors/settle.json through the Python binding: RLP, EIP-1559 transactions, ABI calls,
results and reverts, x402 settle calls, Solana submissions (expected values from rlp,
eth_account, eth_abi and solders; the same file runs in Swift and Node)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import x402secure as x
from x402secure import evm, solana
from x402secure.errors import X402SError

V = json.loads((Path(__file__).resolve().parents[3] / "test-vectors" / "settle.json").read_text())


def b(h):
    return None if h is None else bytes.fromhex(h[2:])


def py_item(j):
    return b(j) if isinstance(j, str) else [py_item(i) for i in j]


def expect_error(code, fn, *args):
    with pytest.raises(X402SError) as e:
        fn(*args)
    assert e.value.code == code, (e.value.code, e.value.message)


@pytest.mark.parametrize("case", V["rlp"]["valid"], ids=lambda c: c["encoded"][:20])
def test_rlp_valid(case):
    assert evm.rlp_encode(case["item"]) == b(case["encoded"])
    assert evm.rlp_decode(b(case["encoded"])) == py_item(case["item"])


@pytest.mark.parametrize("case", V["rlp"]["invalid"], ids=lambda c: c["what"])
def test_rlp_invalid(case):
    expect_error(case["error"], evm.rlp_decode, b(case["encoded"]))


@pytest.mark.parametrize("case", V["evmTransactions"]["valid"], ids=lambda c: c["hash"][:12])
def test_tx_sign_and_decode(case):
    with x.EvmAccount.from_key(case["key"]) as acct:
        signed = evm.sign_transaction(case["tx"], acct)
    assert signed.raw == b(case["raw"]) and signed.hash == case["hash"] and signed.sender == case["from"]
    back = evm.decode_transaction(b(case["raw"]))
    assert back.sender == case["from"] and back.hash == case["hash"]
    assert int(back.fields["nonce"]) == int(case["tx"]["nonce"])


@pytest.mark.parametrize("case", V["evmTransactions"]["invalidSign"], ids=lambda c: c["what"])
def test_tx_sign_invalid(case):
    with x.EvmAccount.from_key(V["evmTransactions"]["valid"][0]["key"]) as acct:
        expect_error(case["error"], evm.sign_transaction, case["tx"], acct)


@pytest.mark.parametrize("case", V["evmTransactions"]["invalidDecode"], ids=lambda c: c["what"])
def test_tx_decode_invalid(case):
    expect_error(case["error"], evm.decode_transaction, b(case["raw"]))


@pytest.mark.parametrize("case", V["abiCalls"]["valid"], ids=lambda c: c["signature"][:30])
def test_abi_calls(case):
    assert evm.abi_encode_call(case["signature"], case["args"]) == b(case["data"])


@pytest.mark.parametrize("case", V["abiCalls"]["invalid"], ids=lambda c: c["what"])
def test_abi_calls_invalid(case):
    expect_error(case["error"], evm.abi_encode_call, case["signature"], case["args"])


@pytest.mark.parametrize("case", V["abiDecode"]["valid"], ids=lambda c: c["types"])
def test_abi_decode(case):
    assert evm.abi_decode(case["types"], b(case["data"])) == evm._typed(case["values"], case["types"])


@pytest.mark.parametrize("case", V["abiDecode"]["invalid"], ids=lambda c: c["what"])
def test_abi_decode_invalid(case):
    expect_error(case["error"], evm.abi_decode, case["types"], b(case["data"]))


@pytest.mark.parametrize("case", V["reverts"], ids=lambda c: c["data"][:12])
def test_reverts(case):
    assert evm.decode_revert(b(case["data"])) == case["result"]


@pytest.mark.parametrize("case", V["settleCalls"]["valid"], ids=lambda c: c["name"])
def test_settle_calls(case):
    got = evm.settle_call(case["payment"], case["requirements"])
    for k, v in case["expected"].items():
        assert got[k] == v, k


@pytest.mark.parametrize("case", V["settleCalls"]["invalid"], ids=lambda c: c["what"])
def test_settle_calls_invalid(case):
    expect_error(case["error"], evm.settle_call, case["payment"], case["requirements"])


def _keypair(seed):
    return None if seed is None else x.SolanaKeypair.from_seed(b(seed))


@pytest.mark.parametrize("case", V["solanaSubmission"]["valid"], ids=lambda c: c["name"])
def test_solana_submission(case):
    got = solana.submission(b(case["transaction"]), _keypair(case["feePayerSeed"]), b(case["messageHash"]))
    exp = case["expected"]
    assert got.transaction_base64 == exp["transactionBase64"] and got.transaction_id == exp["transactionId"]
    for k, attr in (("messageHashBase64", "message_hash_base64"), ("feePayer", "fee_payer"),
                    ("recentBlockhash", "recent_blockhash")):
        if k in exp:
            assert getattr(got, attr) == exp[k]


@pytest.mark.parametrize("case", V["solanaSubmission"]["invalid"], ids=lambda c: c["what"])
def test_solana_submission_invalid(case):
    expect_error(case["error"], solana.submission, b(case["transaction"]), _keypair(case["feePayerSeed"]),
                 b(case["messageHash"]))
