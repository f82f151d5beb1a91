"""Differential tests on random inputs: our signed EIP-1559 transactions against eth_account's
sign_transaction, our RLP against the `rlp` package, our ABI encoding and decoding against
eth_abi. Seeded (X402S_DIFF_SEED) so a failure reproduces."""

from __future__ import annotations

import os
import random

import pytest

rlp = pytest.importorskip("rlp")
eth_account = pytest.importorskip("eth_account")
eth_abi = pytest.importorskip("eth_abi")

import x402secure as x  # noqa: E402
from x402secure import evm  # noqa: E402

SEED = int(os.environ.get("X402S_DIFF_SEED", "13013"))


def rand_int(r: random.Random, bits: int) -> int:
    return r.choice([0, 1, 127, 128, 255, 256, 2**bits - 1, r.getrandbits(bits), r.getrandbits(r.randint(1, bits))])


def rand_tx(r: random.Random):
    tip = rand_int(r, 200)
    tx = {"type": 2, "chainId": r.choice([1, 8453, 84532, 131277322940537, r.randint(1, 2**64)]),
          "nonce": r.choice([0, 1, 2**64 - 2, r.getrandbits(r.randint(1, 63))]),
          "maxPriorityFeePerGas": tip, "maxFeePerGas": tip + rand_int(r, 200),
          "gas": r.choice([21000, 2**64 - 1, r.getrandbits(r.randint(1, 63))]),
          "value": rand_int(r, 256), "data": "0x" + os.urandom(r.choice([0, 1, 4, 55, 56, 300])).hex(),
          "accessList": []}
    if r.random() < 0.9:
        tx["to"] = x.checksum_address("0x" + os.urandom(20).hex())
    if r.random() < 0.3:
        tx["accessList"] = [{"address": eth_account.Account.create().address,
                             "storageKeys": ["0x" + os.urandom(32).hex() for _ in range(r.randint(0, 3))]}
                            for _ in range(r.randint(1, 3))]
    return tx


def test_signed_transactions_equal_eth_account():
    r = random.Random(SEED)
    for i in range(150):
        key = os.urandom(32)
        try:
            ref_acct = eth_account.Account.from_key(key)
        except Exception:
            continue
        tx = rand_tx(r)
        ref = ref_acct.sign_transaction(tx)
        with x.EvmAccount.from_key(key) as acct:
            ours = evm.sign_transaction(tx, acct)
        assert ours.raw == bytes(ref.raw_transaction), (i, tx)
        assert ours.hash == "0x" + bytes(ref.hash).hex()
        back = evm.decode_transaction(bytes(ref.raw_transaction))
        assert back.sender == ref_acct.address and back.raw == ours.raw


def rand_item(r: random.Random, depth: int = 0):
    if depth < 5 and r.random() < 0.35:
        return [rand_item(r, depth + 1) for _ in range(r.choice([0, 1, 2, 3, 8, 20]))]
    n = r.choice([0, 1, 1, 2, 55, 56, 57, 255, 256, 1100])
    data = os.urandom(n)
    if n == 1 and r.random() < 0.5:
        data = bytes([r.choice([0, 0x7f, 0x80, 0xff])])
    return data


def test_rlp_equals_the_rlp_package_on_random_nested_items():
    r = random.Random(SEED + 1)
    for _ in range(400):
        item = rand_item(r)
        enc = rlp.encode(item)
        assert evm.rlp_encode(item) == enc
        assert evm.rlp_decode(enc) == rlp.decode(enc) if isinstance(item, bytes) else True
        assert evm.rlp_decode(enc) == _lists(rlp.decode(enc))


def _lists(v):
    return [_lists(i) for i in v] if isinstance(v, list) else bytes(v)


def test_rlp_refuses_what_the_rlp_package_refuses_on_mutations():
    """Random byte flips and truncations of valid encodings: when rlp (strict) refuses, so do we;
    when it accepts, we decode the same item."""
    r = random.Random(SEED + 2)
    for _ in range(400):
        enc = bytearray(rlp.encode(rand_item(r)))
        if not enc:
            continue
        if r.random() < 0.5:
            enc[r.randrange(len(enc))] = r.randrange(256)
        else:
            del enc[r.randrange(len(enc)):]
        try:
            ref = _lists(rlp.decode(bytes(enc), strict=True))
        except Exception:
            ref = None
        try:
            ours = evm.rlp_decode(bytes(enc))
        except x.EvmError:
            ours = None
        assert ours == ref, enc.hex()


def test_abi_equals_eth_abi_on_random_values():
    r = random.Random(SEED + 3)
    for _ in range(200):
        bits = r.choice([8, 32, 64, 256])
        v = [r.getrandbits(bits), os.urandom(r.choice([0, 1, 31, 32, 33, 100])), "0x" + os.urandom(20).hex(),
             r.random() < 0.5, os.urandom(32), [r.getrandbits(64) for _ in range(r.randint(0, 4))],
             (r.getrandbits(256), os.urandom(r.randint(0, 70)))]
        types = [f"uint{bits}", "bytes", "address", "bool", "bytes32", "uint64[]", "(uint256,bytes)"]
        sig = "f(" + ",".join(types) + ")"
        ours = evm.abi_encode_call(sig, v)
        ref = eth_abi.encode(types, v)
        assert ours[4:] == ref
        back = evm.abi_decode("(" + ",".join(types) + ")", ref)
        assert back[0] == v[0] and back[1] == v[1] and back[2].lower() == v[2] and back[3] == v[3]
        assert back[5] == v[5] and back[6] == [v[6][0], v[6][1]]
