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


# ---- x402 protocol: create and verify payment headers (issue 3) ---------------------------
#
# Both sides start from the same wire input and end with the same wire output:
# - create: the PAYMENT-REQUIRED header value of a 402 answer -> the PAYMENT-SIGNATURE value
#   (official: decode_payment_required_header + x402ClientSync.create_payment_payload with its
#   default spend controls + encode_payment_signature_header; ours: create_payment_header with
#   the default policy). Clock and CSPRNG nonces on both sides.
# - verify: the header value and the seller's requirement dict -> the verdict (official:
#   decode + pydantic models + the exact facilitator's verify with the RPC stubbed as in
#   bindings/python/tests/test_interop_x402.py; ours: verify_payment).

X402_PAY_TO = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"
X402_EVM_REQ = {"scheme": "exact", "network": "eip155:84532", "asset": "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
                "amount": "10000", "payTo": X402_PAY_TO, "maxTimeoutSeconds": 3600,
                "extra": {"name": "USDC", "version": "2"}}
X402_SVM_REQ = {"scheme": "exact", "network": "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1",
                "asset": "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU", "amount": "1000",
                "payTo": "GyGKxMyg1p9SsHfm15MkNUu1u9TN2JtTspcdmrtGUdse", "maxTimeoutSeconds": 60,
                "extra": {"feePayer": "9hSR6S7WPtxmTojgo6GG3k4yDPecgJY292j7xrsUGWBu",
                          "recentBlockhash": "US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx"}}


def _x402_required_header(req):
    import base64
    doc = {"x402Version": 2, "error": "Payment required",
           "resource": {"url": "https://api.example.com/premium-data", "description": "Access to premium market data",
                        "mimeType": "application/json"},
           "accepts": [req]}
    return base64.b64encode(json.dumps(doc, separators=(",", ":")).encode()).decode()


def _official_imports():
    import sys
    import types
    # the Permit2 path imports x402.extensions, which needs jsonschema (extra x402[extensions])
    sys.modules.setdefault("jsonschema", types.ModuleType("jsonschema"))


class _StubEvmFacilitatorSigner:
    """Official FacilitatorEvmSigner, offline: no code except at the asset; eth_call succeeds."""

    def __init__(self, asset):
        self.asset = asset.lower()

    def get_addresses(self):
        return ["0x5050A4F4b3f9338C3472dcC01A87C76A144b3c9c"]

    def get_code(self, address):
        return b"\x60\x80" if address.lower() == self.asset else b""

    def read_contract(self, address, abi, fn, *args):
        if fn in ("allowance", "balanceOf"):
            return 2**255
        if fn == "authorizationState":
            return False
        return None


@case("x402_create_evm/x402secure")
def _():
    import x402secure
    acct = x402secure.EvmAccount.from_key(KEY)
    header = _x402_required_header(X402_EVM_REQ)
    return lambda: x402secure.create_payment_header(header, acct)


@case("x402_create_evm/official")
def _():
    _official_imports()
    from eth_account import Account
    from x402 import x402ClientSync
    from x402.http.utils import decode_payment_required_header, encode_payment_signature_header
    from x402.mechanisms.evm.exact.client import ExactEvmScheme
    client = x402ClientSync()
    client.register("eip155:*", ExactEvmScheme(Account.from_key(KEY)))
    header = _x402_required_header(X402_EVM_REQ)
    return lambda: encode_payment_signature_header(client.create_payment_payload(decode_payment_required_header(header)))


def _evm_payment_header():
    import x402secure
    with x402secure.EvmAccount.from_key(KEY) as acct:
        return x402secure.create_payment_header(X402_EVM_REQ, acct)[1]  # clock time, valid for an hour


@case("x402_verify_evm/x402secure")
def _():
    import x402secure
    header, req = _evm_payment_header(), dict(X402_EVM_REQ)
    assert x402secure.verify_payment(header, req).is_valid
    return lambda: x402secure.verify_payment(header, req)


@case("x402_verify_evm/official")
def _():
    _official_imports()
    import base64
    from x402.mechanisms.evm.exact.facilitator import ExactEvmScheme
    from x402.schemas import PaymentPayload, PaymentRequirements
    facilitator = ExactEvmScheme(_StubEvmFacilitatorSigner(X402_EVM_REQ["asset"]))
    header, req = _evm_payment_header(), dict(X402_EVM_REQ)

    def run():
        payload = PaymentPayload.model_validate_json(base64.b64decode(header))
        return facilitator.verify(payload, PaymentRequirements.model_validate(req))

    assert run().is_valid
    return run


@case("x402_create_svm/x402secure")
def _():
    import x402secure
    kp = x402secure.SolanaKeypair.from_seed(bytes([1]) * 32)
    header = _x402_required_header(X402_SVM_REQ)
    return lambda: x402secure.create_payment_header(header, kp)


@case("x402_create_svm/official")
def _():
    _official_imports()
    from solders.keypair import Keypair
    from solders.pubkey import Pubkey
    from x402 import x402ClientSync
    from x402.http.utils import decode_payment_required_header, encode_payment_signature_header
    from x402.mechanisms.svm import mint_cache
    from x402.mechanisms.svm.exact import client as svm_client
    from x402.mechanisms.svm.signers import KeypairSigner
    # Mint metadata (an RPC read the official client caches per mint) comes from a stub, as a
    # warm cache would give it; the blockhash is in extra.recentBlockhash (no RPC).
    meta = mint_cache.MintMetadata(decimals=6, token_program=Pubkey.from_string("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"))
    svm_client.get_cached_mint_metadata = lambda client, network, mint, cache: meta
    client = x402ClientSync()
    client.register("solana:*", svm_client.ExactSvmScheme(KeypairSigner(Keypair.from_seed(bytes([1]) * 32))))
    header = _x402_required_header(X402_SVM_REQ)
    return lambda: encode_payment_signature_header(client.create_payment_payload(decode_payment_required_header(header)))


EXTRA_ROWS = [
    ("x402 EVM exact create header: x402secure (Python)", "x402_create_evm/x402secure", "ours"),
    ("x402 EVM exact create header: official x402, default install", "x402_create_evm/official", "native"),
    ("x402 EVM exact create header: official x402 + coincurve", "x402_create_evm/official", "coincurve"),
    ("x402 EVM exact verify: x402secure (Python)", "x402_verify_evm/x402secure", "ours"),
    ("x402 EVM exact verify: official facilitator, default install", "x402_verify_evm/official", "native"),
    ("x402 EVM exact verify: official facilitator + coincurve", "x402_verify_evm/official", "coincurve"),
    ("x402 Solana exact create header: x402secure (Python)", "x402_create_svm/x402secure", "ours"),
    ("x402 Solana exact create header: official x402 (solders)", "x402_create_svm/official", "ours"),
]

EXTRA_COMPARISONS = [
    ("x402 EVM create header vs official default install (>= 50x)",
     "x402 EVM exact create header: official x402, default install",
     "x402 EVM exact create header: x402secure (Python)", 50.0, "min"),
    ("x402 EVM create header vs official + coincurve (>= 5x)",
     "x402 EVM exact create header: official x402 + coincurve",
     "x402 EVM exact create header: x402secure (Python)", 5.0, "min"),
    ("x402 EVM verify vs official facilitator default install (>= 50x)",
     "x402 EVM exact verify: official facilitator, default install",
     "x402 EVM exact verify: x402secure (Python)", 50.0, "min"),
    ("x402 EVM verify vs official facilitator + coincurve (info, >= 1x)",
     "x402 EVM exact verify: official facilitator + coincurve",
     "x402 EVM exact verify: x402secure (Python)", 1.0, "min"),
    ("x402 Solana create header vs official client (>= 2x)",
     "x402 Solana exact create header: official x402 (solders)",
     "x402 Solana exact create header: x402secure (Python)", 2.0, "min"),
]
