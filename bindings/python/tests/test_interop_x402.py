"""Interop with the official x402 package (PyPI x402==2.25.0, EVM and SVM extras), offline.

RPC is stubbed:
- EVM facilitator signer (StubEvmFacilitatorSigner): no code at any address but the asset
  (so signatures route to ecrecover and the asset-code check passes); the EIP-3009
  simulation, Permit2 allowance and balance reads succeed.
- SVM facilitator signer: the official FacilitatorKeypairSigner (it really co-signs the fee
  payer slot), with only simulate_transaction replaced by an offline check of every
  signature (what simulateTransaction(sig_verify=True) would reject first).
- SVM client: mint metadata from a stub (decimals, token program); v1 blockhash from a stub.
Time (time.time) and randomness (os.urandom) are patched to make both sides deterministic.

What is asserted:
1. our v1/v2 EVM (EIP-3009, Permit2, upto) and Solana headers pass the official verify;
2. headers made by the official client pass our verify (same payer);
3. negative cases: the same verdict as the official verify where the two agree, and the
   stricter verdict where docs/VERIFY.md is stricter (asserted explicitly on both sides);
4. differential: random EVM exact v2 payments, nonce and time injected into both sides,
   give byte-identical PAYMENT-SIGNATURE headers.
"""

from __future__ import annotations

import base64
import json
import os
import random
import sys
import types
from contextlib import contextmanager
from unittest import mock

import pytest

x402_pkg = pytest.importorskip("x402")
pytest.importorskip("eth_account")
pytest.importorskip("solders")

# The Permit2 allowance path imports x402.extensions, which needs jsonschema (extra
# x402[extensions]); only its import is needed offline.
sys.modules.setdefault("jsonschema", types.ModuleType("jsonschema"))

from eth_account import Account  # noqa: E402
from solders.hash import Hash  # noqa: E402
from solders.instruction import AccountMeta, Instruction  # noqa: E402
from solders.keypair import Keypair  # noqa: E402
from solders.message import MessageV0, to_bytes_versioned  # noqa: E402
from solders.pubkey import Pubkey  # noqa: E402
from solders.signature import Signature  # noqa: E402
from solders.transaction import VersionedTransaction  # noqa: E402
from x402 import x402ClientSync  # noqa: E402
from x402.http.utils import decode_payment_signature_header, encode_payment_signature_header  # noqa: E402
from x402.mechanisms.evm.exact.client import ExactEvmScheme as EvmExactClient  # noqa: E402
from x402.mechanisms.evm.exact.facilitator import ExactEvmScheme as EvmExactFacilitator  # noqa: E402
from x402.mechanisms.evm.exact.v1.client import ExactEvmSchemeV1 as EvmExactClientV1  # noqa: E402
from x402.mechanisms.evm.exact.v1.facilitator import ExactEvmSchemeV1 as EvmExactFacilitatorV1  # noqa: E402
from x402.mechanisms.evm.signers import EthAccountSigner  # noqa: E402
from x402.mechanisms.evm.upto.client import UptoEvmScheme as EvmUptoClient  # noqa: E402
from x402.mechanisms.evm.upto.facilitator import UptoEvmScheme as EvmUptoFacilitator  # noqa: E402
from x402.mechanisms.svm import mint_cache as svm_mint_cache  # noqa: E402
from x402.mechanisms.svm.exact import client as svm_client_mod  # noqa: E402
from x402.mechanisms.svm.exact.client import ExactSvmScheme as SvmExactClient  # noqa: E402
from x402.mechanisms.svm.exact.facilitator import ExactSvmScheme as SvmExactFacilitator  # noqa: E402
from x402.mechanisms.svm.exact.v1 import client as svm_client_v1_mod  # noqa: E402
from x402.mechanisms.svm.exact.v1.client import ExactSvmSchemeV1 as SvmExactClientV1  # noqa: E402
from x402.mechanisms.svm.exact.v1.facilitator import ExactSvmSchemeV1 as SvmExactFacilitatorV1  # noqa: E402
from x402.mechanisms.svm.signers import FacilitatorKeypairSigner, KeypairSigner  # noqa: E402
from x402.schemas import PaymentPayload, PaymentRequired, PaymentRequirements  # noqa: E402
from x402.schemas.v1 import PaymentPayloadV1, PaymentRequiredV1, PaymentRequirementsV1  # noqa: E402

import x402secure as x  # noqa: E402
from x402secure import solana  # noqa: E402

# The official SVM client builds a (deprecated, never used here) synchronous RPC client.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning")

NOW = 1_740_672_000
KEY = "0x" + "01" * 32
KEY2 = "0x" + "02" * 32
PAY_TO = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"
FACILITATOR = "0x5050A4F4b3f9338C3472dcC01A87C76A144b3c9c"
BASE_SEPOLIA_USDC = "0x036CbD53842c5426634e7929541eC2318f3dCF7e"
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141

CLIENT_SEED = bytes([1]) * 32
FEE_PAYER_SEED = bytes([2]) * 32
PAY_TO_SEED = bytes([3]) * 32
SOL_CLIENT = Keypair.from_seed(CLIENT_SEED)
SOL_FEE_PAYER = Keypair.from_seed(FEE_PAYER_SEED)
SOL_PAY_TO = str(Keypair.from_seed(PAY_TO_SEED).pubkey())
DEVNET = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"
DEVNET_USDC = "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"
DEVNET_PYUSD = "CXk2AMBfi3TwaEL2468s6zP8xq9NxTXjp9gjMgzeUynM"
BLOCKHASH = Hash(bytes([7]) * 32)
TOKEN = Pubkey.from_string(solana.TOKEN_PROGRAM)
TOKEN22 = Pubkey.from_string(solana.TOKEN_2022_PROGRAM)
MINTS = {DEVNET_USDC: (6, TOKEN), DEVNET_PYUSD: (6, TOKEN22)}

# ----------------------------------------------------------------------------- stubs


class StubEvmFacilitatorSigner:
    """Official FacilitatorEvmSigner protocol, offline: no code except at the assets."""

    def __init__(self, assets=(), facilitators=(FACILITATOR,)):
        self.assets = {a.lower() for a in assets}
        self.facilitators = list(facilitators)
        self.calls = []

    def get_addresses(self):
        return list(self.facilitators)

    def get_code(self, address):
        self.calls.append(("get_code", address))
        return b"\x60\x80" if address.lower() in self.assets else b""

    def read_contract(self, address, abi, fn, *args):
        self.calls.append(("read_contract", fn))
        if fn in ("allowance", "balanceOf"):
            return 2**255
        if fn == "authorizationState":
            return False
        return None  # eth_call of transferWithAuthorization: success


class SigCheckingFacilitatorSigner(FacilitatorKeypairSigner):
    """The official fee-payer signer (really co-signs), with simulateTransaction replaced by
    its first offline step: every signature must verify (sig_verify=True)."""

    def simulate_transaction(self, tx_base64, network):
        tx = VersionedTransaction.from_bytes(base64.b64decode(tx_base64))
        if not all(tx.verify_with_results()):
            raise RuntimeError("Simulation failed: SignatureFailure")


class _FakeRpc:
    def get_latest_blockhash(self):
        return types.SimpleNamespace(value=types.SimpleNamespace(blockhash=BLOCKHASH))


def _stub_mint(client, network, mint, cache):
    decimals, program = MINTS[str(mint)]
    return svm_mint_cache.MintMetadata(decimals=decimals, token_program=program)


@contextmanager
def patched(now=NOW, random_bytes=None):
    """Pin time.time and os.urandom (when random_bytes is given) for the official code."""
    real = os.urandom
    with mock.patch("time.time", return_value=float(now)):
        if random_bytes is not None:
            os.urandom = lambda n: random_bytes[:n] if len(random_bytes) >= n else real(n)
        try:
            yield
        finally:
            os.urandom = real


# ----------------------------------------------------------------------------- official side


def official_evm_client(key=KEY):
    c = x402ClientSync()
    c.set_spend_controls(False)
    signer = EthAccountSigner(Account.from_key(key))
    c.register("eip155:*", EvmExactClient(signer))
    c.register("eip155:*", EvmUptoClient(signer))
    for n in ("base", "base-sepolia", "polygon", "avalanche", "ethereum"):
        c.register_v1(n, EvmExactClientV1(signer))
    return c


def official_svm_client():
    c = x402ClientSync()
    c.set_spend_controls(False)
    signer = KeypairSigner(SOL_CLIENT)
    c.register("solana:*", SvmExactClient(signer))
    c.register_v1("solana-devnet", SvmExactClientV1(signer))
    return c


def official_pay(client, payment_required, now=NOW, random_bytes=None):
    model = (PaymentRequiredV1 if payment_required["x402Version"] == 1 else PaymentRequired).model_validate(
        payment_required)
    with patched(now, random_bytes), \
            mock.patch.object(svm_client_mod, "get_cached_mint_metadata", _stub_mint), \
            mock.patch.object(svm_client_v1_mod, "get_cached_mint_metadata", _stub_mint), \
            mock.patch.object(SvmExactClientV1, "_get_client", lambda self, network: _FakeRpc()):
        payload = client.create_payment_payload(model)
    return encode_payment_signature_header(payload)


def official_verify(header, requirements, now=NOW, facilitators=(FACILITATOR,), fee_payers=None):
    """The official facilitator verify of a header (decoded as the official server does)."""
    data = json.loads(base64.b64decode(header))
    if str(requirements.get("network", "")).startswith("solana"):
        signer = SigCheckingFacilitatorSigner([SOL_FEE_PAYER])
        if fee_payers is not None:
            signer = SigCheckingFacilitatorSigner([Keypair.from_seed(s) for s in fee_payers])
        if data.get("x402Version") == 1:
            res = SvmExactFacilitatorV1(signer).verify(PaymentPayloadV1.model_validate(data),
                                                       PaymentRequirementsV1.model_validate(requirements))
        else:
            res = SvmExactFacilitator(signer).verify(PaymentPayload.model_validate(data),
                                                     PaymentRequirements.model_validate(requirements))
        return res
    signer = StubEvmFacilitatorSigner([requirements.get("asset", "")], facilitators)
    with mock.patch("time.time", return_value=float(now)):
        if data.get("x402Version") == 1:
            return EvmExactFacilitatorV1(signer).verify(PaymentPayloadV1.model_validate(data),
                                                        PaymentRequirementsV1.model_validate(requirements))
        p = PaymentPayload.model_validate(data)
        r = PaymentRequirements.model_validate(requirements)
        if p.accepted.scheme == "upto":
            return EvmUptoFacilitator(signer).verify(p, r)
        return EvmExactFacilitator(signer).verify(p, r)


def ours(header, requirements, now=NOW, **kw):
    kw.setdefault("facilitator_addresses", (FACILITATOR,))
    return x.verify_payment(header, requirements, now, **kw)


def agree(header, requirements, now=NOW, reason=None, official_reason=None, payer=None):
    """Both verdicts equal: valid (reason None) or invalid with the given reason(s)."""
    o = official_verify(header, requirements, now)
    m = ours(header, requirements, now)
    if reason is None:
        assert o.is_valid, (o.invalid_reason, o.invalid_message)
        assert m.is_valid, m
        assert m.payer == o.payer
        if payer is not None:
            assert m.payer == payer
    else:
        assert not o.is_valid and o.invalid_reason == (official_reason or reason), (o.invalid_reason, o.invalid_message)
        assert not m.is_valid and m.invalid_reason == reason, m
    return o, m


def stricter(header, requirements, reason, now=NOW):
    """The official verify accepts; ours rejects with `reason` (docs/VERIFY.md)."""
    o = official_verify(header, requirements, now)
    m = ours(header, requirements, now)
    assert o.is_valid, (o.invalid_reason, o.invalid_message)
    assert not m.is_valid and m.invalid_reason == reason, m
    return o, m


# ----------------------------------------------------------------------------- fixtures / builders


def evm_req(network="eip155:84532", asset=BASE_SEPOLIA_USDC, amount="10000", pay_to=PAY_TO, extra=None, scheme="exact"):
    return {"scheme": scheme, "network": network, "asset": asset, "amount": amount, "payTo": pay_to,
            "maxTimeoutSeconds": 60, "extra": extra if extra is not None else {"name": "USDC", "version": "2"}}


def pr2(*accepts, resource=None):
    return {"x402Version": 2, "error": "Payment required",
            "resource": resource or {"url": "https://api.example.com/data"}, "accepts": list(accepts)}


V1_REQ = {"scheme": "exact", "network": "base-sepolia", "maxAmountRequired": "10000",
          "resource": "https://api.example.com/data", "description": "d", "mimeType": "application/json",
          "payTo": PAY_TO, "maxTimeoutSeconds": 60, "asset": BASE_SEPOLIA_USDC,
          "extra": {"name": "USDC", "version": "2"}}
PERMIT2_REQ = evm_req(extra={"assetTransferMethod": "permit2", "name": "USDC", "version": "2"})
UPTO_REQ = evm_req(scheme="upto", amount="50000",
                   extra={"assetTransferMethod": "permit2", "name": "USDC", "version": "2",
                          "facilitatorAddress": FACILITATOR})


def svm_req(amount="1000", mint=DEVNET_USDC, memo=None, network=DEVNET):
    extra = {"feePayer": str(SOL_FEE_PAYER.pubkey()), "recentBlockhash": str(BLOCKHASH)}
    if memo is not None:
        extra["memo"] = memo
    return {"scheme": "exact", "network": network, "asset": mint, "amount": amount, "payTo": SOL_PAY_TO,
            "maxTimeoutSeconds": 60, "extra": extra}


SVM_V1_REQ = {"scheme": "exact", "network": "solana-devnet", "maxAmountRequired": "1000",
              "resource": "https://example.com/weather", "description": "", "mimeType": "", "payTo": SOL_PAY_TO,
              "maxTimeoutSeconds": 60, "asset": DEVNET_USDC, "extra": {"feePayer": str(SOL_FEE_PAYER.pubkey())}}


@pytest.fixture(scope="module")
def acct():
    with x.EvmAccount.from_key(KEY) as a:
        yield a


@pytest.fixture(scope="module")
def kp():
    with x.SolanaKeypair.from_seed(CLIENT_SEED) as k:
        yield k


def our_evm(acct, request, now=NOW, nonce=b"\x11" * 32, policy=None):
    return x.create_payment_header(request, acct, policy, now=now, nonce=nonce)[1]


def our_svm(kp, request, **kw):
    return x.create_payment_header(request, kp, **kw)[1]


# ----------------------------------------------------------------------------- 1. ours -> official verify


@pytest.mark.parametrize("request_", [
    pytest.param(pr2(evm_req()), id="v2-eip3009-base-sepolia"),
    pytest.param(pr2(evm_req("eip155:8453", "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
                             extra={"name": "USD Coin", "version": "2"})), id="v2-eip3009-base"),
    pytest.param(pr2(evm_req("eip155:14", "0xe7cd86e13AC4309349F30B3435a9d337750fC82D",
                             extra={"name": "USD\u20ae0", "version": "1"})), id="v2-eip3009-flare-non-ascii"),
    pytest.param(pr2(PERMIT2_REQ), id="v2-permit2"),
    pytest.param(pr2(UPTO_REQ), id="v2-upto"),
    pytest.param({"x402Version": 1, "error": "X-PAYMENT header is required", "accepts": [V1_REQ]}, id="v1-eip3009"),
])
def test_our_evm_headers_pass_official_verify(acct, request_):
    name, value = x.create_payment_header(request_, acct, {"maxPrice": None}, now=NOW, nonce=b"\x42" * 32)
    assert name == ("X-PAYMENT" if request_["x402Version"] == 1 else "PAYMENT-SIGNATURE")
    requirement = request_["accepts"][0]
    o, m = agree(value, requirement, NOW + 1, payer=acct.address)
    assert o.payer == acct.address
    # the official decoder reads our bytes to the same payload
    official = decode_payment_signature_header(value)
    assert json.loads(official.model_dump_json(by_alias=True, exclude_none=True)) == x.decode_payment_header(value)


@pytest.mark.parametrize("request_", [
    pytest.param(pr2(svm_req(memo="pi_3abc123def456")), id="v2-devnet-usdc-memo"),
    pytest.param(pr2(svm_req()), id="v2-devnet-usdc-random-memo"),
    pytest.param(pr2(svm_req(mint=DEVNET_PYUSD)), id="v2-devnet-pyusd-token2022"),
    pytest.param({"x402Version": 1, "error": "X-PAYMENT header is required", "accepts": [SVM_V1_REQ]}, id="v1-devnet"),
])
def test_our_solana_headers_pass_official_verify(kp, request_):
    name, value = x.create_payment_header(request_, kp, recent_blockhash=bytes(BLOCKHASH))
    assert name == ("X-PAYMENT" if request_["x402Version"] == 1 else "PAYMENT-SIGNATURE")
    agree(value, request_["accepts"][0], payer=kp.address)


# ----------------------------------------------------------------------------- 2. official -> our verify


@pytest.mark.parametrize("request_", [
    pytest.param(pr2(evm_req()), id="v2-eip3009"),
    pytest.param(pr2(PERMIT2_REQ), id="v2-permit2"),
    pytest.param(pr2(UPTO_REQ), id="v2-upto"),
    pytest.param({"x402Version": 1, "error": "X-PAYMENT header is required", "accepts": [V1_REQ]}, id="v1-eip3009"),
])
def test_official_evm_headers_pass_our_verify(acct, request_):
    value = official_pay(official_evm_client(), request_)
    m = ours(value, request_["accepts"][0], NOW + 1)
    assert m.is_valid, m
    assert m.payer == acct.address
    assert official_verify(value, request_["accepts"][0], NOW + 1).is_valid


@pytest.mark.parametrize("request_", [
    pytest.param(pr2(svm_req(memo="order-42")), id="v2-memo"),
    pytest.param(pr2(svm_req()), id="v2-random-memo"),
    pytest.param(pr2(svm_req(mint=DEVNET_PYUSD)), id="v2-token2022"),
    pytest.param({"x402Version": 1, "error": "X-PAYMENT header is required", "accepts": [SVM_V1_REQ]}, id="v1"),
])
def test_official_solana_headers_pass_our_verify(kp, request_):
    value = official_pay(official_svm_client(), request_)
    m = ours(value, request_["accepts"][0])
    assert m.is_valid, m
    assert m.payer == kp.address == str(SOL_CLIENT.pubkey())
    assert official_verify(value, request_["accepts"][0]).is_valid


def test_same_solana_bytes_as_official_client(kp):
    """With the memo nonce injected into both, the Solana headers are identical."""
    for request_ in (pr2(svm_req()), pr2(svm_req(memo="x"))):
        nonce = bytes(range(16))
        theirs = official_pay(official_svm_client(), request_, random_bytes=nonce)
        mine = our_svm(kp, request_, memo_nonce=nonce)
        assert mine == theirs


# ----------------------------------------------------------------------------- 3. negative cases


def _reencode(payment: dict) -> str:
    return base64.b64encode(json.dumps(payment, separators=(",", ":")).encode()).decode()


def _with_signature(header: str, mutate) -> str:
    p = x.decode_payment_header(header)
    sig = bytes.fromhex(p["payload"]["signature"][2:])
    p["payload"]["signature"] = "0x" + mutate(sig).hex()
    return _reencode(p)


def _high_s(sig: bytes) -> bytes:
    r, s, v = sig[:32], int.from_bytes(sig[32:64], "big"), sig[64]
    return r + (SECP256K1_N - s).to_bytes(32, "big") + bytes([55 - v])  # 27 <-> 28


@pytest.fixture(scope="module")
def header(acct):
    return our_evm(acct, pr2(evm_req()))


@pytest.fixture(scope="module")
def svm_header(kp):
    return our_svm(kp, pr2(svm_req(memo="m-1")))


class TestEvmNegative:
    def test_wrong_amount(self, header):
        agree(header, evm_req(amount="10001"), reason="invalid_exact_evm_payload_authorization_value_mismatch")
        agree(header, evm_req(amount="9999"), reason="invalid_exact_evm_payload_authorization_value_mismatch")

    def test_wrong_recipient(self, header):
        agree(header, evm_req(pay_to=FACILITATOR), reason="invalid_exact_evm_payload_recipient_mismatch")

    def test_expired(self, header):
        # validBefore = NOW + 60; the grace is 6 s: valid at NOW + 54, expired at NOW + 55.
        agree(header, evm_req(), NOW + 54)
        agree(header, evm_req(), NOW + 55, reason="invalid_exact_evm_payload_authorization_valid_before")

    def test_not_yet_valid(self, acct):
        # v1 payments are valid from now - 600 (x402 2.25.0).
        h = our_evm(acct, {"x402Version": 1, "accepts": [V1_REQ]})
        agree(h, V1_REQ, NOW - 600)
        agree(h, V1_REQ, NOW - 601, reason="invalid_exact_evm_payload_authorization_valid_after")

    def test_wrong_network(self, header):
        agree(header, evm_req(network="eip155:8453"), reason="network_mismatch")

    def test_tampered_authorization(self, header):
        p = x.decode_payment_header(header)
        p["payload"]["authorization"]["value"] = "20000"
        p["accepted"]["amount"] = "20000"
        agree(_reencode(p), evm_req(amount="20000"), reason="invalid_exact_evm_payload_signature")

    def test_signature_by_other_key(self, header):
        with x.EvmAccount.from_key(KEY2) as other:
            h = our_evm(other, pr2(evm_req()))
        p = x.decode_payment_header(h)
        q = x.decode_payment_header(header)
        q["payload"]["signature"] = p["payload"]["signature"]
        agree(_reencode(q), evm_req(), reason="invalid_exact_evm_payload_signature")

    def test_v_0_or_1_accepted_by_both(self, header, acct):
        h = _with_signature(header, lambda s: s[:64] + bytes([s[64] - 27]))
        agree(h, evm_req(), payer=acct.address)

    def test_high_s_is_stricter(self, header):
        """Official verify recovers the same signer from (r, n - s, v ^ 1) and accepts;
        FiatToken v2.2 rejects high-s on chain, so we reject it before broadcast."""
        stricter(_with_signature(header, _high_s), evm_req(), "invalid_exact_evm_non_canonical_signature")

    def test_permit2_high_s_is_stricter(self, acct):
        h = our_evm(acct, pr2(PERMIT2_REQ))
        stricter(_with_signature(h, _high_s), PERMIT2_REQ, "invalid_exact_evm_non_canonical_signature")

    def test_permit2_wrong_amount_and_recipient(self, acct):
        h = our_evm(acct, pr2(PERMIT2_REQ))
        agree(h, {**PERMIT2_REQ, "amount": "1"}, reason="permit2_amount_mismatch")
        agree(h, {**PERMIT2_REQ, "payTo": FACILITATOR}, reason="invalid_permit2_recipient_mismatch")
        agree(h, PERMIT2_REQ, NOW + 55, reason="permit2_deadline_expired")

    def test_requirements_scheme_is_stricter(self, header):
        stricter(header, evm_req(scheme="upto"), "unsupported_scheme")


class TestSolanaNegative:
    def test_wrong_amount(self, svm_header):
        # Underpayment: both reject (the official name is the Python 2.25.0 one).
        agree(svm_header, svm_req(amount="1001", memo="m-1"), reason="invalid_exact_svm_payload_amount_mismatch",
              official_reason="invalid_exact_svm_payload_amount_insufficient")
        # Overpayment: 2.25.0 uses >=, we use strict equality (x402-protocol.md 4.3 rule 17).
        stricter(svm_header, svm_req(amount="999", memo="m-1"), "invalid_exact_svm_payload_amount_mismatch")

    def test_wrong_recipient(self, svm_header):
        req = {**svm_req(memo="m-1"), "payTo": str(SOL_FEE_PAYER.pubkey())}
        agree(svm_header, req, reason="invalid_exact_svm_payload_recipient_mismatch")

    def test_wrong_mint(self, svm_header):
        agree(svm_header, svm_req(mint=DEVNET_PYUSD, memo="m-1"), reason="invalid_exact_svm_payload_mint_mismatch")

    def test_wrong_network(self, svm_header):
        agree(svm_header, svm_req(network="solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp", memo="m-1"), reason="network_mismatch")

    def test_memo_mismatch(self, svm_header):
        agree(svm_header, svm_req(memo="m-2"), reason="invalid_exact_svm_payload_memo_mismatch")

    def test_tampered_transaction(self, svm_header):
        """A flipped byte of the memo: the client's signature no longer verifies. The
        official verify finds it in simulation (sig_verify), we offline."""
        p = x.decode_payment_header(svm_header)
        raw = bytearray(base64.b64decode(p["payload"]["transaction"]))
        i = raw.rindex(b"m-1")
        raw[i:i + 3] = b"m-2"
        p["payload"]["transaction"] = base64.b64encode(bytes(raw)).decode()
        req = svm_req(memo="m-2")
        p["accepted"] = req
        o = official_verify(_reencode(p), req)
        m = ours(_reencode(p), req)
        assert not o.is_valid and o.invalid_reason == "transaction_simulation_failed", o
        assert not m.is_valid and m.invalid_reason == "invalid_exact_svm_payload_signature", m

    @staticmethod
    def _custom_tx(kp, transfer_authority, extra_memo_account=None):
        """An x402-shaped transaction built with solders, signed by the client (slot 1)."""
        mint = Pubkey.from_string(DEVNET_USDC)
        owner = transfer_authority
        src = Pubkey.find_program_address([bytes(owner), bytes(TOKEN), bytes(mint)],
                                          Pubkey.from_string(solana.ASSOCIATED_TOKEN_PROGRAM))[0]
        dst = Pubkey.from_string(solana.associated_token_address(SOL_PAY_TO, DEVNET_USDC))
        cb = Pubkey.from_string("ComputeBudget111111111111111111111111111111")
        memo_prog = Pubkey.from_string("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr")
        memo_accounts = [] if extra_memo_account is None else [AccountMeta(extra_memo_account, False, False)]
        ixs = [
            Instruction(cb, bytes([2]) + (20000).to_bytes(4, "little"), []),
            Instruction(cb, bytes([3]) + (1).to_bytes(8, "little"), []),
            Instruction(TOKEN, bytes([12]) + (1000).to_bytes(8, "little") + bytes([6]),
                        [AccountMeta(src, False, True), AccountMeta(mint, False, False), AccountMeta(dst, False, True),
                         AccountMeta(owner, True, False)]),
            Instruction(memo_prog, b"m-1", memo_accounts),
        ]
        msg = MessageV0.try_compile(SOL_FEE_PAYER.pubkey(), ixs, [], BLOCKHASH)
        signers = {SOL_CLIENT.pubkey(): SOL_CLIENT}
        sigs = [signers[k].sign_message(to_bytes_versioned(msg)) if k in signers else Signature.default()
                for k in msg.account_keys[:msg.header.num_required_signatures]]
        tx = VersionedTransaction.populate(msg, sigs)
        req = svm_req(memo="m-1")
        return _reencode({"x402Version": 2, "payload": {"transaction": base64.b64encode(bytes(tx)).decode()},
                          "accepted": req}), req

    def test_custom_transaction_sanity(self, kp):
        h, req = self._custom_tx(kp, SOL_CLIENT.pubkey())
        agree(h, req, payer=kp.address)

    def test_fee_payer_transferring(self, kp):
        h, req = self._custom_tx(kp, SOL_FEE_PAYER.pubkey())
        o = official_verify(h, req)
        m = ours(h, req)
        assert not o.is_valid and o.invalid_reason == "invalid_exact_svm_payload_transaction_fee_payer_transferring_funds"
        assert not m.is_valid and m.invalid_reason == "invalid_exact_svm_payload_transaction_fee_payer_transferring_funds"

    def test_fee_payer_in_other_instruction_is_stricter(self, kp):
        """x402-protocol.md 4.3: the fee payer must appear in no instruction's accounts; 2.25.0
        checks only the transfer authority."""
        h, req = self._custom_tx(kp, SOL_CLIENT.pubkey(), extra_memo_account=SOL_FEE_PAYER.pubkey())
        stricter(h, req, "invalid_exact_svm_payload_transaction_fee_payer_transferring_funds")


# ----------------------------------------------------------------------------- 4. differential (random)


def test_differential_evm_exact_v2_random():
    rng = random.Random(0x402)
    networks = [("eip155:84532", BASE_SEPOLIA_USDC, "USDC", "2"),
                ("eip155:8453", "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", "USD Coin", "2"),
                ("eip155:137", "0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359", "USD Coin", "2"),
                ("eip155:14", "0xe7cd86e13AC4309349F30B3435a9d337750fC82D", "USD\u20ae0", "1")]
    cases = 40
    for i in range(cases):
        key = "0x" + rng.randbytes(32).hex()
        if int(key, 16) == 0 or int(key, 16) >= SECP256K1_N:
            continue
        net, asset, name, version = rng.choice(networks)
        pay_to = x.checksum_address("0x" + rng.randbytes(20).hex())
        amount = str(rng.choice([0, 1, rng.randrange(10**6), rng.randrange(2**64), rng.randrange(2**255)]))
        now = rng.randrange(1_600_000_000, 2_000_000_000)
        nonce = rng.randbytes(32)
        timeout = rng.choice([1, 60, 300, 3600, 86400])
        req = {"scheme": "exact", "network": net, "asset": asset, "amount": amount, "payTo": pay_to,
               "maxTimeoutSeconds": timeout, "extra": {"name": name, "version": version}}
        answer = pr2(req, resource={"url": f"https://example.com/{i}", "description": "r" * (i % 5)})
        theirs = official_pay(official_evm_client(key), answer, now=now, random_bytes=nonce)
        with x.EvmAccount.from_key(key) as a:
            mine = x.create_payment_header(answer, a, {"maxPrice": None}, now=now, nonce=nonce)[1]
        assert mine == theirs, f"case {i}"
        # our verify at its own time: valid unless the timeout is inside the 6 s grace
        r = ours(mine, req, now)
        assert r.is_valid is (timeout >= x.VALID_BEFORE_GRACE_SECONDS), r
