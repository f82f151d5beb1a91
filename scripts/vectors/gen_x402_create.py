#!/usr/bin/env python3
"""Generate test-vectors/x402_create.json and x402_select.json.

Positive create vectors replay x402==2.25.0 outputs from ../shared/vectors/x402-reference-vectors.json:
the same requirements, key, time (1740672000) and nonce must give the official header byte for byte.
Negative vectors are x402-secure's own error rules.
Run: python3 scripts/vectors/gen_x402_create.py [path/to/x402-reference-vectors.json]
"""
import base64, json, pathlib, sys

here = pathlib.Path(__file__).resolve()
root = here.parents[2]
cands = [pathlib.Path(a) for a in sys.argv[1:]] + [root.parent / "shared/vectors/x402-reference-vectors.json",
                                                   root.parent.parent / "shared/vectors/x402-reference-vectors.json"]
ref = json.loads(next(p for p in cands if p.exists()).read_text())
NOW = 1740672000
keys = ref["constants"]["keys"]

def dec(h):
    return json.loads(base64.b64decode(h, validate=True))

def u256hex(n):
    return "0x" + int(n).to_bytes(32, "big").hex()

V = []
for i, v in enumerate(ref["evm_exact_v2_eip3009"]):
    V.append({"name": f"evm_exact_v2_eip3009[{i}]_{v['network']}",
              "input": {"paymentRequired": v["paymentRequired"], "privateKey": v["privateKey"], "now": NOW,
                        "nonce": v["message"]["nonce"]},
              "intermediate": {"domainSeparator": v["domainSeparator"], "structHash": v["structHash"], "digest": v["digest"]},
              "expect": {"headerName": "PAYMENT-SIGNATURE", "header": v["paymentSignatureHeader"], "from": v["from"]}})
for i, v in enumerate(ref["evm_exact_v1_eip3009_via_x402_2.25.0"]):
    V.append({"name": f"evm_exact_v1_eip3009_via_x402_2.25.0[{i}]_{v['network']}",
              "input": {"paymentRequired": v["paymentRequiredBody"], "privateKey": v["privateKey"], "now": NOW,
                        "nonce": v["message"]["nonce"]},
              "intermediate": {"domainSeparator": v["domainSeparator"], "structHash": v["structHash"], "digest": v["digest"]},
              "expect": {"headerName": "X-PAYMENT", "header": v["xPaymentHeader"], "from": v["from"]}})
for sect, scheme in (("evm_exact_v2_permit2", "exact"), ("evm_upto_v2_permit2", "upto")):
    for i, v in enumerate(ref[sect]):
        p = dec(v["paymentSignatureHeader"])
        pr = {"x402Version": 2, "error": "Payment required", "resource": p["resource"], "accepts": [p["accepted"]]}
        V.append({"name": f"{sect}[{i}]_{v['network']}",
                  "input": {"paymentRequired": pr, "privateKey": keys[v["key"]]["privateKey"], "now": NOW,
                            "nonce": u256hex(v["message"]["nonce"])},
                  "intermediate": {"domainSeparator": v["domainSeparator"], "structHash": v["structHash"], "digest": v["digest"]},
                  "expect": {"headerName": "PAYMENT-SIGNATURE", "header": v["paymentSignatureHeader"], "from": v["from"]}})

# A single requirement (no 402 wrapper): no resource in the payload.
base = ref["evm_exact_v2_eip3009"][1]
req = base["paymentRequired"]["accepts"][0]
single = dict(dec(base["paymentSignatureHeader"]))
single.pop("resource")
V.append({"name": "single_requirement_v2_no_resource",
          "input": {"requirement": req, "privateKey": base["privateKey"], "now": NOW, "nonce": base["message"]["nonce"]},
          "expect": {"headerName": "PAYMENT-SIGNATURE",
                     "header": base64.b64encode(json.dumps(single, separators=(",", ":")).encode()).decode()}})

def b58(b):
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    n = int.from_bytes(b, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = alphabet[r] + out
    return "1" * (len(b) - len(b.lstrip(b"\0"))) + out


# Solana exact (x402 2.25.0 reference transactions; client seed 01*32, memo nonce patched as in the reference).
svm = ref["svm_exact"]
SOL_SEED = "0x" + svm["keys"]["client_seed"]
for c in svm["cases"]:
    p = dec(c["paymentSignatureHeader"])
    pr = {"x402Version": 2, "error": "Payment required", "resource": p["resource"], "accepts": [p["accepted"]]}
    inp = {"paymentRequired": pr, "solanaSeed": SOL_SEED, "now": NOW}
    if "memo" not in c["extra"]:
        inp["memoNonce"] = "0x" + svm["memoRandomBytes_patched"]
    V.append({"name": f"svm_exact_{c['name']}", "input": inp,
              "expect": {"headerName": "PAYMENT-SIGNATURE", "header": c["paymentSignatureHeader"]}})
SVM_V1_REQ = {"scheme": "exact", "network": "solana-devnet", "maxAmountRequired": "1000", "resource": "https://example.com/weather",
              "description": "", "mimeType": "", "payTo": svm["keys"]["payTo_pubkey"], "maxTimeoutSeconds": 60,
              "asset": "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU", "extra": {"feePayer": svm["keys"]["feePayer_pubkey"]}}
BLOCKHASH_HEX = "0x" + "07" * 32
assert json.loads(svm["v1_devnet"]["paymentPayloadJson"])["network"] == "solana-devnet"
V.append({"name": "svm_exact_v1_devnet_blockhash_from_caller",
          "input": {"paymentRequired": {"x402Version": 1, "error": "X-PAYMENT header is required", "accepts": [SVM_V1_REQ]},
                    "solanaSeed": SOL_SEED, "now": NOW, "memoNonce": "0x" + svm["memoRandomBytes_patched"],
                    "recentBlockhash": BLOCKHASH_HEX},
          "expect": {"headerName": "X-PAYMENT", "header": svm["v1_devnet"]["xPaymentHeader"]}})
sreq = dec(svm["cases"][0]["paymentSignatureHeader"])["accepted"]
for name, r, err, extra_in in [
    ("svm_no_blockhash", {**sreq, "extra": {"feePayer": sreq["extra"]["feePayer"], "memo": "x"}}, "X402S_ERR_X402_INVALID_REQUIREMENTS", {}),
    ("svm_no_fee_payer", {**sreq, "extra": {"recentBlockhash": sreq["extra"]["recentBlockhash"]}}, "X402S_ERR_X402_INVALID_REQUIREMENTS", {}),
    ("svm_unknown_mint", {**sreq, "asset": svm["keys"]["feePayer_pubkey"]}, "X402S_ERR_X402_UNKNOWN_ASSET", {}),
    ("svm_amount_above_u64", {**sreq, "amount": str(2**64)}, "X402S_ERR_X402_INVALID_REQUIREMENTS", {}),
    ("svm_payTo_not_base58", {**sreq, "payTo": "0OIl"}, "X402S_ERR_X402_INVALID_REQUIREMENTS", {}),
    ("svm_memo_257_bytes", {**sreq, "extra": {**sreq["extra"], "memo": "m" * 257}}, "X402S_ERR_INVALID_ARGUMENT", {}),
    ("evm_requirement_with_solana_key", req, "X402S_ERR_INVALID_ARGUMENT", {}),
]:
    V.append({"name": f"bad_{name}", "input": {"requirement": r, "solanaSeed": SOL_SEED, "now": NOW, **extra_in},
              "expect": {"error": err}})
V.append({"name": "svm_unknown_mint_with_caller_metadata",
          "input": {"requirement": {**sreq, "asset": b58(bytes([9] * 32))},
                    "solanaSeed": SOL_SEED, "now": NOW, "mintDecimals": 9, "tokenProgram": "token2022"},
          "expect": {"headerName": "PAYMENT-SIGNATURE"}})

def bad(name, requirement, err, **kw):
    inp = {"requirement": requirement, "privateKey": base["privateKey"], "now": NOW, "nonce": base["message"]["nonce"]}
    inp.update(kw)
    V.append({"name": f"bad_{name}", "input": inp, "expect": {"error": err}})

bad("amount_decimal_point", {**req, "amount": "1.5"}, "X402S_ERR_X402_INVALID_REQUIREMENTS")
bad("amount_leading_zero", {**req, "amount": "010000"}, "X402S_ERR_X402_INVALID_REQUIREMENTS")
bad("amount_too_big", {**req, "amount": str(2**256)}, "X402S_ERR_X402_INVALID_REQUIREMENTS")
bad("payTo_not_address", {**req, "payTo": "0x1234"}, "X402S_ERR_X402_INVALID_REQUIREMENTS")
bad("asset_not_address", {**req, "asset": "USDC"}, "X402S_ERR_X402_INVALID_REQUIREMENTS")
bad("unknown_asset_without_domain", {**req, "asset": "0x" + "11" * 20, "extra": {}}, "X402S_ERR_X402_INVALID_REQUIREMENTS")
bad("extra_name_not_string", {**req, "extra": {"name": 5, "version": "2"}}, "X402S_ERR_X402_INVALID_REQUIREMENTS")
bad("network_malformed", {**req, "network": "eip155:abc"}, "X402S_ERR_X402_UNKNOWN_NETWORK")
bad("network_v1_name_in_v2", {**req, "network": "base-sepolia"}, "X402S_ERR_X402_UNKNOWN_NETWORK")
bad("network_unknown", {**req, "network": "cosmos:hub"}, "X402S_ERR_X402_UNKNOWN_NETWORK")
bad("scheme_unknown", {**req, "scheme": "batch-settlement"}, "X402S_ERR_X402_UNSUPPORTED_SCHEME")
bad("transfer_method_unknown", {**req, "extra": {**req["extra"], "assetTransferMethod": "erc7710"}}, "X402S_ERR_X402_UNSUPPORTED_SCHEME")
bad("upto_without_facilitator", {**req, "scheme": "upto", "extra": {"assetTransferMethod": "permit2"}}, "X402S_ERR_X402_INVALID_REQUIREMENTS")
bad("upto_zero_timeout", {**req, "scheme": "upto", "maxTimeoutSeconds": 0,
                          "extra": {"assetTransferMethod": "permit2", "facilitatorAddress": keys["key02"]["address"]}},
    "X402S_ERR_X402_INVALID_REQUIREMENTS")
bad("nonce_31_bytes", req, "X402S_ERR_INVALID_LENGTH", nonce="0x" + "ab" * 31)
bad("private_key_zero", req, "X402S_ERR_INVALID_KEY", privateKey="0x" + "00" * 32)
bad("private_key_order", req, "X402S_ERR_INVALID_KEY",
    privateKey="0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
bad("solana_requirement_with_evm_key", {**req, "network": "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"}, "X402S_ERR_INVALID_ARGUMENT")

doc = {"schema": "x402s.vectors.x402_create@1",
       "source": "positive: inputs and outputs of x402==2.25.0 from ../shared/vectors/x402-reference-vectors.json (key, now, nonce "
                 "injected; Permit2 nonce given as the 32-byte big-endian uint256); negative: x402-secure rules. "
                 "input.paymentRequired (a 402 answer: v1 body or decoded v2 PaymentRequired) is paid with the default policy "
                 "(table assets, max $1); input.requirement is paid directly. Generated by scripts/vectors/gen_x402_create.py.",
       "vectors": V}
(root / "test-vectors" / "x402_create.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")

# Selection by policy.
def R(network, amount, asset, scheme="exact", **extra):
    return {"scheme": scheme, "network": network, "asset": asset, "amount": amount,
            "payTo": "0x209693Bc6afc0C5328bA36FaF03C514EF312287C", "maxTimeoutSeconds": 60, "extra": extra}
BASE, BSEP = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", "0x036CbD53842c5426634e7929541eC2318f3dCF7e"
SOL_USDC = "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"
pr = {"x402Version": 2, "accepts": [R("eip155:8453", "2000000", BASE), R("eip155:84532", "10000", BSEP),
                                     R("eip155:84532", "5000", "0x" + "22" * 20), R("eip155:1", "10000", "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48")]}
S = []
def sel(name, policy, expect, answer=pr):
    S.append({"name": name, "input": {"paymentRequired": answer, "policy": policy},
              "expect": {"selectedIndex": expect} if isinstance(expect, int) else {"error": expect}})
sel("default_policy_skips_over_one_dollar", None, 1)
sel("max_price_two_dollars", {"maxPrice": "$2"}, 0)
sel("no_cap", {"maxPrice": None}, 0)
sel("max_amount_atomic", {"maxPrice": None, "maxAmount": "9999"}, "X402S_ERR_X402_NO_MATCHING_REQUIREMENT")
sel("unknown_asset_allowed", {"maxPrice": None, "maxAmount": "9999", "allowUnknownAssets": True}, 2)
sel("asset_allow_list", {"assets": ["0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"]}, 3)
sel("networks_v1_name", {"networks": ["ethereum"]}, 3)
sel("networks_wildcard", {"networks": ["eip155:*"]}, 1)
sel("networks_solana_only", {"networks": ["solana:*"]}, "X402S_ERR_X402_NO_MATCHING_REQUIREMENT")
sel("preferred_network", {"preferredNetworks": ["eip155:1", "eip155:84532"]}, 3)
sel("preferred_unlisted_falls_back_to_order", {"preferredNetworks": ["eip155:137"]}, 1)
sel("schemes_upto_only", {"schemes": ["upto"]}, "X402S_ERR_X402_NO_MATCHING_REQUIREMENT")
sel("empty_accepts", None, "X402S_ERR_X402_NO_MATCHING_REQUIREMENT", answer={"x402Version": 2, "accepts": []})
sel("unsupported_scheme_and_network_skipped", None, 2, answer={"x402Version": 2, "accepts": [
    R("eip155:84532", "10000", BSEP, scheme="batch-settlement"), R("cosmos:hub", "1", "uatom"),
    R("eip155:84532", "10000", BSEP)]})
sel("malformed_amount_skipped", None, 1, answer={"x402Version": 2, "accepts": [R("eip155:84532", "1.5", BSEP), R("eip155:84532", "1", BSEP)]})
sel("v1_answer", None, 0, answer=ref["evm_exact_v1_eip3009_via_x402_2.25.0"][0]["paymentRequiredBody"])
sel("v1_permit2_not_supported", None, "X402S_ERR_X402_NO_MATCHING_REQUIREMENT", answer={"x402Version": 1, "accepts": [
    {**ref["evm_exact_v1_eip3009_via_x402_2.25.0"][0]["paymentRequiredBody"]["accepts"][0], "extra": {"assetTransferMethod": "permit2"}}]})
sel("upto_needs_v2", {"schemes": ["upto"]}, "X402S_ERR_X402_NO_MATCHING_REQUIREMENT", answer={"x402Version": 1, "accepts": [
    {**ref["evm_exact_v1_eip3009_via_x402_2.25.0"][0]["paymentRequiredBody"]["accepts"][0], "scheme": "upto"}]})
sel("bad_policy_max_amount", {"maxAmount": "1.5"}, "X402S_ERR_INVALID_ARGUMENT")
sel("bad_policy_networks_type", {"networks": "eip155:1"}, "X402S_ERR_INVALID_ARGUMENT")
sel("bad_policy_max_price", {"maxPrice": "one dollar"}, "X402S_ERR_X402_INVALID_AMOUNT")
doc = {"schema": "x402s.vectors.x402_select@1",
       "source": "x402-secure selection rules (Client.swift X402PaymentPolicy): default policy = x402 2.25.0 spend controls "
                 "(table assets only, max $1 per payment); policy null = default. Expected index into accepts. "
                 "Generated by scripts/vectors/gen_x402_create.py.",
       "vectors": S}
(root / "test-vectors" / "x402_select.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
print("ok", len(V), len(S))
