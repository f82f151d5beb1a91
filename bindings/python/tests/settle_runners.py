"""Runner for test-vectors/settle.json (house schema; one vector per "kind") through
x402secure.evm and x402secure.solana.submission. Used by test_vectors.py."""

from __future__ import annotations

from typing import Any, Dict

import pytest

import x402secure as x
from x402secure import evm, solana
from x402secure.errors import X402SError


def _b(h):
    return None if h is None else bytes.fromhex(h[2:])


def _item(j):
    return _b(j) if isinstance(j, str) else [_item(i) for i in j]


def _error(code, fn, *args):
    with pytest.raises(X402SError) as e:
        fn(*args)
    assert e.value.code == code, (e.value.code, e.value.message)


def _pair(seed):
    return None if seed is None else x.SolanaKeypair.from_seed(_b(seed))


def run_settle(v: Dict[str, Any]) -> None:
    k, i, e = v["kind"], v["input"], v["expect"]
    if k == "rlp":
        assert evm.rlp_encode(i["item"]) == _b(e["encoded"])
        assert evm.rlp_decode(_b(e["encoded"])) == _item(i["item"])
    elif k == "rlp_invalid":
        _error(e["error"], evm.rlp_decode, _b(i["encoded"]))
    elif k in ("evm_tx", "evm_tx_sign_invalid"):
        with x.EvmAccount.from_key(i["key"]) as acct:
            if k == "evm_tx_sign_invalid":
                _error(e["error"], evm.sign_transaction, i["tx"], acct)
                return
            signed = evm.sign_transaction(i["tx"], acct)
        assert signed.raw == _b(e["raw"]) and signed.hash == e["hash"] and signed.sender == e["from"]
        back = evm.decode_transaction(_b(e["raw"]))
        assert back.sender == e["from"] and back.hash == e["hash"] and back.raw == signed.raw
        assert int(back.fields["nonce"]) == int(i["tx"]["nonce"])
    elif k == "evm_tx_decode_invalid":
        _error(e["error"], evm.decode_transaction, _b(i["raw"]))
    elif k == "abi_call":
        assert evm.abi_encode_call(i["signature"], i["args"]) == _b(e["data"])
    elif k == "abi_call_invalid":
        _error(e["error"], evm.abi_encode_call, i["signature"], i["args"])
    elif k == "abi_decode":
        assert evm.abi_decode(i["types"], _b(i["data"])) == evm._typed(e["values"], i["types"])
    elif k == "abi_decode_invalid":
        _error(e["error"], evm.abi_decode, i["types"], _b(i["data"]))
    elif k == "revert":
        assert evm.decode_revert(_b(i["data"])) == e
    elif k == "settle_call":
        got = evm.settle_call(i["payment"], i["requirements"])
        for key, want in e.items():
            assert got[key] == want, key
    elif k == "settle_call_invalid":
        _error(e["error"], evm.settle_call, i["payment"], i["requirements"])
    elif k == "solana_submission":
        got = solana.submission(_b(i["transaction"]), _pair(i["feePayerSeed"]), _b(i["messageHash"]))
        names = {"transactionBase64": "transaction_base64", "transactionId": "transaction_id",
                 "messageHashBase64": "message_hash_base64", "feePayer": "fee_payer",
                 "recentBlockhash": "recent_blockhash"}
        for key, want in e.items():
            assert getattr(got, names[key]) == want, key
    elif k == "solana_submission_invalid":
        _error(e["error"], solana.submission, _b(i["transaction"]), _pair(i["feePayerSeed"]), _b(i["messageHash"]))
    else:
        raise AssertionError(f"unknown settle vector kind {k}")


SETTLE_RUNNERS = {"settle": run_settle}
