"""Run the official x402 2.25.0 facilitator verify offline (RPC stubbed) at a pinned time.

The stub signer reports no code for every address except the asset (so signatures route to
ecrecover and the asset-code check passes), answers the EIP-3009 simulation, Permit2
allowance and balance reads with success / large values, and has the given facilitator
addresses (upto). EOA signatures are checked by the official code (ecrecover). Time is pinned by patching time.time in the verify modules.
"""
import base64, json, sys, time, types

# The Permit2 allowance path imports x402.extensions, which needs jsonschema (extra
# `x402[extensions]`); only its import is needed here.
sys.modules.setdefault("jsonschema", types.ModuleType("jsonschema"))
from unittest import mock
from x402.schemas import PaymentPayload, PaymentRequirements
from x402.schemas.v1 import PaymentPayloadV1, PaymentRequirementsV1
from x402.mechanisms.evm.exact.facilitator import ExactEvmScheme
from x402.mechanisms.evm.exact.v1.facilitator import ExactEvmSchemeV1
from x402.mechanisms.evm.upto.facilitator import UptoEvmScheme
from x402.mechanisms.svm.exact.facilitator import ExactSvmScheme
from x402.mechanisms.svm.exact.v1.facilitator import ExactSvmSchemeV1

FACILITATOR = "0x5050A4F4b3f9338C3472dcC01A87C76A144b3c9c"


class StubSigner:
    def __init__(self, assets=(), facilitators=(FACILITATOR,)):
        self.assets = {a.lower() for a in assets}
        self.facilitators = list(facilitators)

    def get_addresses(self):
        return self.facilitators

    def get_code(self, address):
        return b"\x60\x80" if address.lower() in self.assets else b""

    def read_contract(self, address, abi, fn, *args):
        if fn in ("allowance", "balanceOf"):
            return 2**255
        if fn == "authorizationState":
            return False
        return None  # simulation of transferWithAuthorization succeeds


class StubSvmSigner:
    """Facilitator fee payers `addresses`; signing is a no-op and the simulation succeeds."""

    def __init__(self, addresses):
        self.addresses = list(addresses)

    def get_addresses(self):
        return list(self.addresses)

    def sign_transaction(self, tx_base64, fee_payer, network):
        return tx_base64

    def simulate_transaction(self, tx_base64, network):
        return None


def verify(header, requirements, now, facilitators=(FACILITATOR,), fee_payers=None):
    """Decode `header` as the official server does and run the official facilitator verify."""
    data = json.loads(base64.b64decode(header))
    if requirements.get("network", "").startswith("solana"):
        fp = fee_payers if fee_payers is not None else [requirements.get("extra", {}).get("feePayer", "")]
        signer = StubSvmSigner(fp)
        try:
            if data.get("x402Version") == 1:
                res = ExactSvmSchemeV1(signer).verify(PaymentPayloadV1.model_validate(data),
                                                      PaymentRequirementsV1.model_validate(requirements))
            else:
                res = ExactSvmScheme(signer).verify(PaymentPayload.model_validate(data),
                                                    PaymentRequirements.model_validate(requirements))
        except Exception as e:  # the official code raises on some malformed input
            return {"exception": type(e).__name__}
        return json.loads(res.model_dump_json(by_alias=True, exclude_none=True))
    assets = [requirements.get("asset", "")]
    signer = StubSigner(assets, facilitators)
    with mock.patch("time.time", return_value=float(now)):
        if data.get("x402Version") == 1:
            p = PaymentPayloadV1.model_validate(data)
            r = PaymentRequirementsV1.model_validate(requirements)
            res = ExactEvmSchemeV1(signer).verify(p, r)
        else:
            p = PaymentPayload.model_validate(data)
            r = PaymentRequirements.model_validate(requirements)
            if p.accepted.scheme == "upto":
                res = UptoEvmScheme(signer).verify(p, r)
            else:
                res = ExactEvmScheme(signer).verify(p, r)
    return json.loads(res.model_dump_json(by_alias=True, exclude_none=True))
