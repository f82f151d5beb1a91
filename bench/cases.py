"""Benchmark cases. Each case is a setup function that returns a zero-argument callable.

Cases run inside worker processes (bench/worker.py) so that each peer runs in the
configuration its users get: `eth_account` on its default pure-Python backend
(ECC_BACKEND_CLASS=eth_keys.backends.NativeECCBackend, which is what `pip install x402[evm]`
gives, since that does not pull in coincurve) or with coincurve installed.
"""
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VECTORS = json.loads((ROOT.parent / "shared" / "vectors" / "x402-reference-vectors.json").read_text()) \
    if (ROOT.parent / "shared" / "vectors" / "x402-reference-vectors.json").exists() else None
KEY = bytes([1]) * 32
KEY_HEX = "0x" + KEY.hex()


def eip3009_document():
    doc = json.loads((ROOT / "demo" / "transfer_with_authorization.json").read_text())
    return doc


CASES = {}


def case(name):
    def register(fn):
        CASES[name] = fn
        return fn
    return register


# ---- hashing ---------------------------------------------------------------------------

@case("keccak256_32B/x402secure")
def _():
    import x402secure
    data = bytes(range(32))
    return lambda: x402secure.keccak256(data)


@case("keccak256_32B/pycryptodome")
def _():
    from Crypto.Hash import keccak
    data = bytes(range(32))
    return lambda: keccak.new(digest_bits=256, data=data).digest()


# ---- EIP-3009 typed-data signing ---------------------------------------------------------

@case("sign_typed_data/x402secure")
def _():
    import x402secure
    acct = x402secure.EvmAccount.from_key(KEY)
    doc = eip3009_document()
    return lambda: acct.sign_typed_data(doc)


@case("sign_typed_data/eth_account")
def _():
    from eth_account import Account
    acct = Account.from_key(KEY)
    doc = eip3009_document()
    return lambda: acct.sign_typed_data(full_message=doc)


@case("sign_digest/coincurve")
def _():
    import coincurve
    from eth_account.messages import encode_typed_data, _hash_eip191_message
    pk = coincurve.PrivateKey(KEY)
    digest = _hash_eip191_message(encode_typed_data(full_message=eip3009_document()))
    return lambda: pk.sign_recoverable(digest, hasher=None)


@case("sign_digest/x402secure")
def _():
    import x402secure
    acct = x402secure.EvmAccount.from_key(KEY)
    digest = x402secure.eip712_hash(eip3009_document())
    return lambda: acct.sign_digest(digest)


@case("recover/x402secure")
def _():
    import x402secure
    acct = x402secure.EvmAccount.from_key(KEY)
    digest = x402secure.eip712_hash(eip3009_document())
    sig = acct.sign_digest(digest)
    return lambda: x402secure.recover_address(digest, sig)


@case("recover/eth_account")
def _():
    from eth_account import Account
    from eth_account.messages import encode_typed_data
    msg = encode_typed_data(full_message=eip3009_document())
    sig = Account.from_key(KEY).sign_message(msg).signature
    return lambda: Account.recover_message(msg, signature=sig)
