"""Differential tests: x402secure against independent implementations in the test venv
(pycryptodome, hashlib, base64, coincurve, eth_account, PyNaCl, solders).

Random inputs come from seeded generators, so a failure is reproducible; each
test runs hundreds of cases.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random

import pytest

import x402secure as x

from conftest import SECP256K1_N

coincurve = pytest.importorskip("coincurve")
eth_account = pytest.importorskip("eth_account")
nacl_signing = pytest.importorskip("nacl.signing")
keccak_mod = pytest.importorskip("Crypto.Hash.keccak")

from eth_account import Account  # noqa: E402
from eth_account.messages import _hash_eip191_message, encode_defunct, encode_typed_data  # noqa: E402
from eth_utils import to_checksum_address  # noqa: E402

N_CASES = 300


def rand_key(rng: random.Random) -> bytes:
    while True:
        k = rng.getrandbits(256)
        if 0 < k < SECP256K1_N:
            return k.to_bytes(32, "big")


def rand_bytes(rng: random.Random, max_len: int) -> bytes:
    n = rng.randrange(max_len + 1)
    return rng.getrandbits(8 * n).to_bytes(n, "big") if n else b""


def pc_keccak(data: bytes) -> bytes:
    h = keccak_mod.new(digest_bits=256)
    h.update(data)
    return h.digest()


def coincurve_sign(digest: bytes, key: bytes) -> bytes:
    sig = coincurve.PrivateKey(key).sign_recoverable(digest, hasher=None)
    return sig[:64] + bytes([sig[64] + 27])


# ----------------------------------------------------------------------------- hashes


def test_keccak256_vs_pycryptodome():
    rng = random.Random(1)
    lengths = list(range(0, 300)) + [rng.randrange(300, 5000) for _ in range(100)]
    for n in lengths:
        data = rand_bytes(rng, 0) if n == 0 else rng.getrandbits(8 * n).to_bytes(n, "big")
        assert x.keccak256(data) == pc_keccak(data), n
    # keccak-256 is not SHA3-256
    assert x.keccak256(b"") != hashlib.sha3_256(b"").digest()


def test_sha256_vs_hashlib():
    rng = random.Random(2)
    for _ in range(N_CASES):
        data = rand_bytes(rng, 2000)
        assert x.sha256(data) == hashlib.sha256(data).digest()


# ----------------------------------------------------------------------------- encodings


def _b58_reference(data: bytes) -> str:
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = alphabet[r] + out
    zeros = len(data) - len(data.lstrip(b"\x00"))
    return "1" * zeros + out


def test_encodings_vs_stdlib():
    rng = random.Random(3)
    for _ in range(N_CASES):
        data = rand_bytes(rng, 300)
        if rng.random() < 0.2:
            data = b"\x00" * rng.randrange(4) + data
        assert x.hex_encode(data) == "0x" + data.hex()
        assert x.hex_decode("0x" + data.hex().upper()) == data
        std = base64.b64encode(data).decode()
        assert x.b64encode(data) == std
        assert x.b64decode(std) == data
        url = base64.urlsafe_b64encode(data).decode().rstrip("=")
        assert x.b64encode(data, urlsafe=True) == url
        assert x.b64decode(url, urlsafe=True) == data
        b58 = _b58_reference(data)
        assert x.b58encode(data) == b58
        assert x.b58decode(b58) == data


# ----------------------------------------------------------------------------- secp256k1 / EVM


def test_sign_digest_vs_coincurve_and_eth_account():
    rng = random.Random(4)
    for i in range(N_CASES):
        key = rand_key(rng)
        digest = rng.getrandbits(256).to_bytes(32, "big")
        with x.EvmAccount.from_key(key) as acct:
            sig = acct.sign_digest(digest)
            assert sig == coincurve_sign(digest, key)
            if i < 100:  # eth_account is slower; a third of the cases
                ref = Account.from_key(key)
                assert acct.address == ref.address
                assert sig == bytes(Account.unsafe_sign_hash(digest, key).signature)
            pub = coincurve.PrivateKey(key).public_key.format(compressed=False)
            assert acct.public_key == pub
            assert x.recover_public_key(digest, sig) == pub
            assert x.recover_address(digest, sig) == acct.address
            assert x.secp256k1_verify(sig, digest, pub) is True
            assert x.secp256k1_verify(sig[:64], digest, coincurve.PublicKey(pub).format(compressed=True)) is True
            other = bytes([digest[0] ^ 1]) + digest[1:]
            assert x.secp256k1_verify(sig, other, pub) is False


def test_from_key_hex_forms_match_bytes():
    rng = random.Random(5)
    for _ in range(50):
        key = rand_key(rng)
        a = x.EvmAccount.from_key(key)
        for form in ("0x" + key.hex(), key.hex(), "0X" + key.hex().upper(), bytearray(key), memoryview(key)):
            assert x.EvmAccount.from_key(form).address == a.address


def test_checksum_address_vs_eth_utils():
    rng = random.Random(6)
    for _ in range(N_CASES):
        raw = rng.getrandbits(160).to_bytes(20, "big")
        lower = "0x" + raw.hex()
        expect = to_checksum_address(lower)
        assert x.checksum_address(lower) == expect
        assert x.checksum_address("0x" + raw.hex().upper()) == expect
        assert x.checksum_address(expect) == expect


def test_eip191_vs_eth_account():
    rng = random.Random(7)
    for _ in range(N_CASES):
        msg = rand_bytes(rng, 200)
        assert x.eip191_hash(msg) == _hash_eip191_message(encode_defunct(primitive=msg))
    assert x.eip191_hash("héllo") == _hash_eip191_message(encode_defunct(text="héllo"))


# ----------------------------------------------------------------------------- EIP-712

EIP3009_TYPES = {
    "EIP712Domain": [
        {"name": "name", "type": "string"},
        {"name": "version", "type": "string"},
        {"name": "chainId", "type": "uint256"},
        {"name": "verifyingContract", "type": "address"},
    ],
    "TransferWithAuthorization": [
        {"name": "from", "type": "address"},
        {"name": "to", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "validAfter", "type": "uint256"},
        {"name": "validBefore", "type": "uint256"},
        {"name": "nonce", "type": "bytes32"},
    ],
}


def eip3009_doc(rng: random.Random) -> dict:
    def addr() -> str:
        return to_checksum_address("0x" + rng.getrandbits(160).to_bytes(20, "big").hex())

    return {
        "types": EIP3009_TYPES,
        "primaryType": "TransferWithAuthorization",
        "domain": {
            "name": rng.choice(["USD Coin", "USDC", "EURC", "USD₮0"]),
            "version": rng.choice(["1", "2"]),
            "chainId": rng.choice([1, 8453, 84532, 43114, 137]),
            "verifyingContract": addr(),
        },
        "message": {
            "from": addr(),
            "to": addr(),
            "value": str(rng.randrange(0, 10**12)),
            "validAfter": str(rng.randrange(0, 2**32)),
            "validBefore": str(rng.randrange(0, 2**40)),
            "nonce": "0x" + rng.getrandbits(256).to_bytes(32, "big").hex(),
        },
    }


def eth_hashes(doc: dict):
    signable = encode_typed_data(full_message=doc)
    return bytes(signable.header), bytes(signable.body), _hash_eip191_message(signable)


def test_eip712_eip3009_vs_eth_account():
    rng = random.Random(8)
    for i in range(N_CASES):
        doc = eip3009_doc(rng)
        dom, body, digest = eth_hashes(doc)
        h = x.eip712_hashes(doc)
        assert (h.domain_separator, h.struct_hash, h.digest) == (dom, body, digest)
        assert x.eip712_hash(doc) == digest
        assert x.eip712_hash(json.dumps(doc)) == digest
        assert x.eip712_hash(json.dumps(doc, ensure_ascii=False).encode("utf-8")) == digest
        if i < 100:
            key = rand_key(rng)
            with x.EvmAccount.from_key(key) as acct:
                sig = acct.sign_typed_data(doc)
                assert sig == bytes(Account.sign_typed_data(key, full_message=doc).signature)
                assert sig == coincurve_sign(digest, key)
                assert acct.sign_digest(digest) == sig


def test_eip712_random_typed_data_vs_eth_account():
    gen = pytest.importorskip(
        "gen_random_typed_data", reason="tests/gen_random_typed_data.py (JSON/EIP-712 engineer) has not landed"
    )
    rng = random.Random(9)
    key = rand_key(rng)
    acct = x.EvmAccount.from_key(key)
    for i in range(N_CASES):
        doc = gen.random_typed_data(rng)
        dom, body, digest = eth_hashes(doc)
        h = x.eip712_hashes(doc)
        assert (h.domain_separator, h.struct_hash, h.digest) == (dom, body, digest), i
        if i < 50:
            assert acct.sign_typed_data(doc) == bytes(Account.sign_typed_data(key, full_message=doc).signature)


# ----------------------------------------------------------------------------- Ed25519 / Solana


def test_ed25519_vs_pynacl():
    rng = random.Random(10)
    for _ in range(N_CASES):
        seed = rng.getrandbits(256).to_bytes(32, "big")
        msg = rand_bytes(rng, 500)
        ref = nacl_signing.SigningKey(seed)
        with x.SolanaKeypair.from_seed(seed) as kp:
            assert kp.public_key == bytes(ref.verify_key)
            sig = kp.sign(msg)
            assert sig == ref.sign(msg).signature
            assert x.ed25519_verify(sig, msg, kp.public_key) is True
            bad = bytes([sig[0] ^ 1]) + sig[1:]
            assert x.ed25519_verify(bad, msg, kp.public_key) is False
            assert kp.address == _b58_reference(kp.public_key)


def test_solana_address_vs_solders():
    solders_keypair = pytest.importorskip("solders.keypair")
    rng = random.Random(11)
    for _ in range(100):
        seed = rng.getrandbits(256).to_bytes(32, "big")
        ref = solders_keypair.Keypair.from_seed(seed)
        kp = x.SolanaKeypair.from_seed(seed)
        assert kp.address == str(ref.pubkey())
        assert kp.public_key == bytes(ref.pubkey())
        msg = rand_bytes(rng, 100)
        assert kp.sign(msg) == bytes(ref.sign_message(msg))


def test_concurrent_calls_from_threads():
    """ctypes releases the GIL during calls: results must not depend on interleaving."""
    import threading

    rng = random.Random(12)
    jobs = []
    for _ in range(40):
        key = rand_key(rng)
        doc = eip3009_doc(rng)
        jobs.append((key, doc, coincurve_sign(eth_hashes(doc)[2], key)))
    errors = []

    def worker(offset: int) -> None:
        try:
            for i in range(len(jobs)):
                key, doc, expect = jobs[(i + offset) % len(jobs)]
                with x.EvmAccount.from_key(key) as acct:
                    assert acct.sign_typed_data(doc) == expect
                    assert x.recover_address(x.eip712_hash(doc), expect) == acct.address
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k * 7,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
