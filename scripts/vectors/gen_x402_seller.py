#!/usr/bin/env python3
"""Generate test-vectors/x402_seller.json from the official x402 2.25.0 server code.

For each offer, the expected requirement is what x402 2.25.0's scheme server builds
(parse_price -> PaymentRequirements(extra = asset extra + config extra) -> enhance_payment_requirements),
and the expected PAYMENT-REQUIRED header is base64(PaymentRequired.model_dump_json(by_alias, exclude_none)).
Run with the probe venv: /tmp/probe-venv/bin/python scripts/vectors/gen_x402_seller.py
"""
import base64, json, pathlib
from x402.schemas import PaymentRequirements, PaymentRequired, ResourceInfo, SupportedKind
from x402.schemas.v1 import PaymentRequiredV1, PaymentRequirementsV1
from x402.mechanisms.evm.exact.server import ExactEvmScheme
from x402.mechanisms.evm.upto.server import UptoEvmScheme
from x402.mechanisms.svm.exact.server import ExactSvmScheme

root = pathlib.Path(__file__).resolve().parents[2]
PAY = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"
SOLPAY = "GyGKxMyg1p9SsHfm15MkNUu1u9TN2JtTspcdmrtGUdse"
FEE = "9hSR6S7WPtxmTojgo6GG3k4yDPecgJY292j7xrsUGWBu"
FAC = "0x5050A4F4b3f9338C3472dcC01A87C76A144b3c9c"

def build(offer):
    scheme = offer.get("scheme", "exact")
    net = offer["network"]
    if net.startswith("solana:"):
        server, kind_extra = ExactSvmScheme(), {"feePayer": offer.get("extra", {}).get("feePayer")}
    elif scheme == "upto":
        server, kind_extra = UptoEvmScheme(), {"facilitatorAddress": offer.get("extra", {}).get("facilitatorAddress")}
    else:
        server, kind_extra = ExactEvmScheme(), None
    aa = server.parse_price(offer["price"], net)
    extra = {**(aa.extra or {}), **{k: v for k, v in offer.get("extra", {}).items()}}
    req = PaymentRequirements(scheme=scheme, network=net, asset=aa.asset, amount=aa.amount, pay_to=offer["payTo"],
                              max_timeout_seconds=offer.get("maxTimeoutSeconds") or 300, extra=extra)
    kind = SupportedKind(x402_version=2, scheme=scheme, network=net, extra=kind_extra)
    return server.enhance_payment_requirements(req, kind, [])

offers = [
    {"network": "eip155:84532", "payTo": PAY, "price": "$0.01"},
    {"network": "eip155:8453", "payTo": PAY, "price": "$1.50", "maxTimeoutSeconds": 60},
    {"network": "eip155:4326", "payTo": PAY, "price": "$0.01"},
    {"network": "eip155:38833", "payTo": PAY, "price": "0.25"},
    {"network": "eip155:14", "payTo": PAY, "price": "$0.001"},
    {"network": "eip155:42220", "payTo": PAY, "price": "$2"},
    {"network": "eip155:84532", "payTo": PAY, "price": "$0.05", "scheme": "upto", "extra": {"facilitatorAddress": FAC}},
    {"network": "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1", "payTo": SOLPAY, "price": "$0.001", "extra": {"feePayer": FEE}},
    {"network": "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp", "payTo": SOLPAY, "price": "$0.10",
     "extra": {"feePayer": FEE, "memo": "order-42"}},
]
V = []
resource = {"url": "https://api.example.com/premium-data", "description": "Access to premium market data", "mimeType": "application/json"}
for o in offers:
    req = build(o)
    V.append({"name": f"offer_{o.get('scheme', 'exact')}_{o['network']}_{o['price']}", "input": {"offer": o},
              "expect": {"requirement": json.loads(req.model_dump_json(by_alias=True, exclude_none=True))}})
# A whole 402 answer (v2 header) for two offers.
reqs = [build(offers[0]), build(offers[7])]
pr = PaymentRequired(x402_version=2, error="Payment required", resource=ResourceInfo(**{"url": resource["url"],
     "description": resource["description"], "mime_type": resource["mimeType"]}), accepts=reqs)
j = pr.model_dump_json(by_alias=True, exclude_none=True)
V.append({"name": "payment_required_v2_two_offers", "input": {"offers": [offers[0], offers[7]], "resource": resource},
          "expect": {"paymentRequired": json.loads(j), "header": base64.b64encode(j.encode()).decode()}})
# v1 body from the same offers (x402 2.25.0 v1 model field order).
v1reqs = []
for o, name in ((offers[0], "base-sepolia"), (offers[7], "solana-devnet")):
    r = build(o)
    v1reqs.append(PaymentRequirementsV1(scheme="exact", network=name, max_amount_required=r.amount, resource=resource["url"],
                                        description=resource["description"], mime_type=resource["mimeType"], pay_to=r.pay_to,
                                        max_timeout_seconds=r.max_timeout_seconds, asset=r.asset, extra=r.extra))
b = PaymentRequiredV1(x402_version=1, error="X-PAYMENT header is required", accepts=v1reqs)
V.append({"name": "payment_required_v1_body", "input": {"offers": [offers[0], offers[7]], "resource": resource, "v1": True},
          "expect": {"paymentRequired": json.loads(b.model_dump_json(by_alias=True, exclude_none=True)),
                     "body": b.model_dump_json(by_alias=True, exclude_none=True)}})
# Errors (x402-secure rules).
for name, o, err in [
    ("unknown_network", {"network": "eip155:abc", "payTo": PAY, "price": "$1"}, "X402S_ERR_X402_UNKNOWN_NETWORK"),
    ("no_default_asset", {"network": "sepolia", "payTo": PAY, "price": "$1"}, "X402S_ERR_X402_UNKNOWN_ASSET"),
    ("price_too_precise", {"network": "eip155:84532", "payTo": PAY, "price": "$0.0000001"}, "X402S_ERR_X402_INVALID_AMOUNT"),
    ("price_and_amount", {"network": "eip155:84532", "payTo": PAY, "price": "$1", "amount": "1"}, "X402S_ERR_X402_INVALID_REQUIREMENTS"),
    ("bad_payTo", {"network": "eip155:84532", "payTo": "0x12", "price": "$1"}, "X402S_ERR_X402_INVALID_REQUIREMENTS"),
    ("solana_without_fee_payer", {"network": "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1", "payTo": SOLPAY, "price": "$1"},
     "X402S_ERR_X402_INVALID_REQUIREMENTS"),
    ("solana_memo_too_long", {"network": "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1", "payTo": SOLPAY, "price": "$1",
                              "extra": {"feePayer": FEE, "memo": "x" * 257}}, "X402S_ERR_X402_INVALID_REQUIREMENTS"),
    ("upto_without_facilitator", {"network": "eip155:84532", "payTo": PAY, "price": "$1", "scheme": "upto"},
     "X402S_ERR_X402_INVALID_REQUIREMENTS"),
    ("upto_on_solana", {"network": "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1", "payTo": SOLPAY, "price": "$1", "scheme": "upto",
                        "extra": {"feePayer": FEE}}, "X402S_ERR_X402_UNSUPPORTED_SCHEME"),
    ("unknown_asset_price", {"network": "eip155:84532", "payTo": PAY, "price": "$1", "asset": "0x" + "11" * 20},
     "X402S_ERR_X402_UNKNOWN_ASSET"),
    ("unknown_asset_without_domain", {"network": "eip155:84532", "payTo": PAY, "amount": "5", "asset": "0x" + "11" * 20},
     "X402S_ERR_X402_INVALID_REQUIREMENTS"),
]:
    V.append({"name": f"bad_{name}", "input": {"offer": o}, "expect": {"error": err}})
# Unknown asset with atomic amount and explicit domain is fine.
V.append({"name": "unknown_asset_atomic_with_domain",
          "input": {"offer": {"network": "eip155:84532", "payTo": PAY, "amount": "5", "asset": "0x" + "11" * 20,
                              "extra": {"name": "Token", "version": "1"}}},
          "expect": {"requirement": {"scheme": "exact", "network": "eip155:84532", "asset": "0x" + "11" * 20, "amount": "5",
                                     "payTo": PAY, "maxTimeoutSeconds": 300, "extra": {"name": "Token", "version": "1"}}}})
doc = {"schema": "x402s.vectors.x402_seller@1",
       "source": "x402==2.25.0 scheme servers (parse_price + enhance_payment_requirements) and pydantic PaymentRequired / "
                 "PaymentRequiredV1 dumps, via scripts/vectors/gen_x402_seller.py; errors are x402-secure rules. "
                 "Compare requirement JSON with key order (extra order matters).",
       "vectors": V}
(root / "test-vectors" / "x402_seller.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
print("ok", len(V))
