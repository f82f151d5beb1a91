#!/usr/bin/env python3
"""Generate test-vectors/x402_verify.json: offline verify verdicts for EVM payments.

Each case is a payment header, the seller's requirements, a pinned `now` and options. Every
case is also run through the official x402 2.25.0 facilitator verify (RPC stubbed, see
official_verify.py); its verdict is stored in `intermediate.official`. `expect` is x402-secure's
verdict: equal to the official one unless the case is marked `stricter` (documented in
docs/VERIFY.md), which the script asserts.
Run: /tmp/probe-venv/bin/python scripts/vectors/gen_x402_verify.py [path/to/x402-reference-vectors.json]
"""
import base64, copy, json, pathlib, sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import official_verify as ov

here = pathlib.Path(__file__).resolve()
root = here.parents[2]
cands = [pathlib.Path(a) for a in sys.argv[1:]] + [root.parent / "shared/vectors/x402-reference-vectors.json",
                                                   root.parent.parent / "shared/vectors/x402-reference-vectors.json"]
ref = json.loads(next(p for p in cands if p.exists()).read_text())
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
NOW = 1740672000
FAC = ov.FACILITATOR


def dec(h):
    return json.loads(base64.b64decode(h))


def enc(o, spaced=False):
    s = json.dumps(o) if spaced else json.dumps(o, separators=(",", ":"), ensure_ascii=False)
    return base64.b64encode(s.encode()).decode()


def high_s(sig):
    b = bytes.fromhex(sig[2:])
    r, s, v = b[:32], int.from_bytes(b[32:64], "big"), b[64]
    return "0x" + (r + (N - s).to_bytes(32, "big") + bytes([55 - v])).hex()


V = []


def case(name, header, requirements, now, expect, stricter=None, facilitators=None, replay=1, official=True, fee_payers=None):
    off = None
    if official:
        off = ov.verify(header, requirements, now, facilitators=tuple(facilitators if facilitators is not None else [FAC]),
                        fee_payers=fee_payers)
        # 2.25.0 SVM reports payer "" before the transfer is found; x402-secure omits it.
        off = {k: off[k] for k in ("isValid", "invalidReason", "payer") if k in off and not (k == "payer" and off[k] == "")}
        if stricter is None:
            assert off == expect, (name, off, expect)
        else:
            assert off != expect, (name, "marked stricter but official agrees", off)
    inp = {"header": header, "requirements": requirements, "now": now}
    opts = {}
    if facilitators is not None:
        opts["facilitatorAddresses"] = facilitators
    if fee_payers is not None:
        opts["solanaFeePayers"] = fee_payers
    if replay > 1:
        opts["replayGuard"] = True
        inp["times"] = replay
    if opts:
        inp["options"] = opts
    im = {"official": off}
    if stricter:
        im["stricter"] = stricter
    V.append({"name": name, "input": inp, "intermediate": im, "expect": expect})


def ok(payer):
    return {"isValid": True, "payer": payer}


def bad(reason, payer):
    d = {"isValid": False, "invalidReason": reason}
    if payer is not None:
        d["payer"] = payer
    return d


# ---------- EIP-3009 v2 ----------
v = ref["evm_exact_v2_eip3009"][1]
H = v["paymentSignatureHeader"]
P = dec(H)
R = v["paymentRequired"]["accepts"][0]
payer = v["from"]


def mod(f):
    p = copy.deepcopy(P)
    f(p)
    return enc(p)


for i, x in enumerate(ref["evm_exact_v2_eip3009"]):
    case(f"v2_eip3009_valid[{i}]_{x['network']}", x["paymentSignatureHeader"], x["paymentRequired"]["accepts"][0], NOW,
         ok(x["from"]))
case("v2_eip3009_valid_at_grace_boundary", H, R, 1740672060 - 6, ok(payer))
case("v2_eip3009_expired_inside_grace", H, R, 1740672060 - 5, bad("invalid_exact_evm_payload_authorization_valid_before", payer))
case("v2_eip3009_expired_reference_time", H, R, 1777000000, bad("invalid_exact_evm_payload_authorization_valid_before", payer))
case("v2_eip3009_value_above_required", H, {**R, "amount": "9999"}, NOW, bad("invalid_exact_evm_payload_authorization_value_mismatch", payer))
case("v2_eip3009_value_below_required", H, {**R, "amount": "10001"}, NOW, bad("invalid_exact_evm_payload_authorization_value_mismatch", payer))
case("v2_eip3009_recipient_mismatch", H, {**R, "payTo": "0x" + "33" * 20}, NOW, bad("invalid_exact_evm_payload_recipient_mismatch", payer))
case("v2_eip3009_payTo_lowercase_ok", H, {**R, "payTo": R["payTo"].lower()}, NOW, ok(payer))
case("v2_eip3009_missing_eip712_domain", H, {**R, "extra": {}}, NOW, bad("missing_eip712_domain", payer))
case("v2_eip3009_wrong_domain_name", H, {**R, "extra": {"name": "USD Coin", "version": "2"}}, NOW, bad("invalid_exact_evm_payload_signature", payer))
case("v2_eip3009_network_mismatch", H, {**R, "network": "eip155:8453"}, NOW, bad("network_mismatch", payer))
case("v2_eip3009_requirements_scheme_upto", H, {**R, "scheme": "upto"}, NOW, bad("unsupported_scheme", payer),
     stricter="the requirements' scheme must be exact too (2.25.0 v2 checks only accepted.scheme)")
case("v2_eip3009_accepted_asset_swapped", mod(lambda p: p["accepted"].update(asset="0x" + "44" * 20)), R, NOW,
     bad("invalid_exact_evm_asset_mismatch", payer), stricter="accepted.asset must equal the requirements' asset")
sig = P["payload"]["signature"]
case("v2_eip3009_sig_high_s_flipped_v", mod(lambda p: p["payload"].update(signature=high_s(sig))), R, NOW,
     bad("invalid_exact_evm_non_canonical_signature", payer), stricter="high-s signatures are rejected (FiatToken v2.2 rejects them on chain)")
vv = int(sig[-2:], 16)
case("v2_eip3009_sig_v_0_or_1", mod(lambda p: p["payload"].update(signature=sig[:-2] + f"{vv - 27:02x}")), R, NOW, ok(payer))
case("v2_eip3009_sig_v_29", mod(lambda p: p["payload"].update(signature=sig[:-2] + "1d")), R, NOW, bad("invalid_exact_evm_failed_to_verify_signature", payer))
case("v2_eip3009_sig_v_flipped", mod(lambda p: p["payload"].update(signature=sig[:-2] + f"{55 - vv:02x}")), R, NOW, bad("invalid_exact_evm_payload_signature", payer))
case("v2_eip3009_sig_not_hex", mod(lambda p: p["payload"].update(signature="0xzz")), R, NOW, bad("invalid_exact_evm_failed_to_verify_signature", payer))
case("v2_eip3009_sig_r_zero", mod(lambda p: p["payload"].update(signature="0x" + "00" * 32 + sig[66:])), R, NOW, bad("invalid_exact_evm_payload_signature", payer))
case("v2_eip3009_sig_no_0x_prefix", mod(lambda p: p["payload"].update(signature=sig[2:])), R, NOW, ok(payer))
case("v2_eip3009_sig_uppercase_hex", mod(lambda p: p["payload"].update(signature="0x" + sig[2:].upper())), R, NOW, ok(payer))
case("v2_eip3009_sig_66_bytes", mod(lambda p: p["payload"].update(signature=sig + "00")), R, NOW,
     bad("invalid_exact_evm_payload_signature", payer),
     stricter="non-65-byte (smart-wallet) signatures cannot be verified offline; 2.25.0 reports an undeployed smart wallet")
case("v2_eip3009_sig_missing", mod(lambda p: p["payload"].pop("signature")), R, NOW, bad("invalid_exact_evm_payload_signature", payer))
case("v2_eip3009_sig_by_other_key", mod(lambda p: p["payload"].update(signature=ref["evm_exact_v2_eip3009"][3]["signature"])), R, NOW,
     bad("invalid_exact_evm_payload_signature", payer))
case("v2_eip3009_nonce_without_0x", mod(lambda p: p["payload"]["authorization"].update(nonce=p["payload"]["authorization"]["nonce"][2:])), R, NOW, ok(payer))
case("v2_eip3009_nonce_31_bytes", mod(lambda p: p["payload"]["authorization"].update(nonce="0x" + "ab" * 31)), R, NOW,
     bad("invalid_exact_evm_payload_signature", payer))
case("v2_eip3009_value_as_json_number", mod(lambda p: p["payload"]["authorization"].update(value=10000)), R, NOW, ok(payer))
case("v2_eip3009_tampered_validBefore", mod(lambda p: p["payload"]["authorization"].update(validBefore="1740672061")), R, NOW,
     bad("invalid_exact_evm_payload_signature", payer))
case("v2_eip3009_tampered_from", mod(lambda p: p["payload"]["authorization"].update(**{"from": ref["constants"]["keys"]["key02"]["address"]})), R, NOW,
     bad("invalid_exact_evm_payload_signature", ref["constants"]["keys"]["key02"]["address"]))
case("v2_eip3009_not_yet_valid", mod(lambda p: p["payload"]["authorization"].update(validAfter="1740672001")), R, NOW,
     bad("invalid_exact_evm_payload_authorization_valid_after", payer))
case("v2_eip3009_replayed_with_guard", H, R, NOW, bad("duplicate_payment", payer), replay=2, official=False)

# ---------- EIP-3009 v1 (2.25.0 and 1.0.0 legacy) and the spec example ----------
for i, x in enumerate(ref["evm_exact_v1_eip3009_via_x402_2.25.0"]):
    case(f"v1_eip3009_valid[{i}]_{x['network']}", x["xPaymentHeader"], x["paymentRequiredBody"]["accepts"][0], NOW, ok(x["from"]))
x = ref["evm_exact_v1_eip3009_via_x402_2.25.0"][0]
r1 = x["paymentRequiredBody"]["accepts"][0]
case("v1_eip3009_not_yet_valid", x["xPaymentHeader"], r1, 1740671399, bad("invalid_exact_evm_payload_authorization_valid_after", x["from"]))
case("v1_eip3009_network_mismatch", x["xPaymentHeader"], {**r1, "network": "base"}, NOW, bad("network_mismatch", x["from"]))
case("v1_eip3009_no_extra", x["xPaymentHeader"], {k: v for k, v in r1.items() if k != "extra"}, NOW, bad("missing_eip712_domain", x["from"]))
leg = ref["evm_exact_v1_eip3009_via_x402_1.0.0_legacy"][0]
case("v1_eip3009_legacy_1.0.0_spaced_header", leg["xPaymentHeader"], leg["paymentRequiredBody"]["accepts"][0], NOW, ok(leg["from"]))
spec = ref["spec_example_signature_check"]
spec_payload = {"x402Version": 1, "scheme": "exact", "network": "base-sepolia",
                "payload": {"signature": spec["signature"], "authorization": spec["authorization"]}}
case("v1_eip3009_spec_example_signature", enc(spec_payload), r1, 1740672100, ok(spec["authorization"]["from"]))
case("version_mismatch_v1_payment_v2_requirements", x["xPaymentHeader"], R, NOW, bad("unsupported_version", None), official=False)

# ---------- Permit2 exact ----------
for i, x in enumerate(ref["evm_exact_v2_permit2"]):
    p = dec(x["paymentSignatureHeader"])
    case(f"v2_permit2_valid[{i}]_{x['network']}", x["paymentSignatureHeader"], p["accepted"], NOW, ok(x["from"]))
x = ref["evm_exact_v2_permit2"][1]
PP = dec(x["paymentSignatureHeader"])
PR = PP["accepted"]
pp = x["from"]


def pmod(f, base=None):
    p = copy.deepcopy(base or PP)
    f(p)
    return enc(p)


A = lambda p: p["payload"]["permit2Authorization"]
case("v2_permit2_expired", x["paymentSignatureHeader"], PR, 1740672060 - 5, bad("permit2_deadline_expired", pp))
case("v2_permit2_not_yet_valid", pmod(lambda p: A(p)["witness"].update(validAfter="1740672001")), PR, NOW, bad("permit2_not_yet_valid", pp))
case("v2_permit2_amount_mismatch", x["paymentSignatureHeader"], {**PR, "amount": "9999"}, NOW, bad("permit2_amount_mismatch", pp))
case("v2_permit2_recipient_mismatch", x["paymentSignatureHeader"], {**PR, "payTo": "0x" + "33" * 20}, NOW, bad("invalid_permit2_recipient_mismatch", pp))
case("v2_permit2_wrong_spender", pmod(lambda p: A(p).update(spender=ov.FACILITATOR)), PR, NOW, bad("invalid_permit2_spender", pp))
case("v2_permit2_token_mismatch", pmod(lambda p: A(p)["permitted"].update(token="0x" + "44" * 20)), PR, NOW, bad("permit2_token_mismatch", pp))
case("v2_permit2_deadline_malformed", pmod(lambda p: A(p).update(deadline="soon")), PR, NOW, bad("invalid_permit2_payload_format", pp))
case("v2_permit2_network_mismatch", x["paymentSignatureHeader"], {**PR, "network": "eip155:8453"}, NOW, bad("network_mismatch", pp))
psig = PP["payload"]["signature"]
case("v2_permit2_high_s", pmod(lambda p: p["payload"].update(signature=high_s(psig))), PR, NOW,
     bad("invalid_exact_evm_non_canonical_signature", pp), stricter="high-s signatures are rejected")
case("v2_permit2_tampered_nonce", pmod(lambda p: A(p).update(nonce="1")), PR, NOW, bad("invalid_permit2_signature", pp))
case("v2_permit2_replayed_with_guard", x["paymentSignatureHeader"], PR, NOW, bad("duplicate_payment", pp), replay=2, official=False)

# ---------- upto ----------
x = ref["evm_upto_v2_permit2"][0]
UP = dec(x["paymentSignatureHeader"])
UR = UP["accepted"]
up = x["from"]
case("v2_upto_valid", x["paymentSignatureHeader"], UR, NOW, ok(up), facilitators=[FAC])
case("v2_upto_facilitator_not_ours", x["paymentSignatureHeader"], UR, NOW, bad("upto_facilitator_mismatch", up), facilitators=["0x" + "55" * 20])
case("v2_upto_no_facilitators_configured", x["paymentSignatureHeader"], UR, NOW, bad("upto_facilitator_mismatch", up), facilitators=[])
case("v2_upto_requirements_exact", x["paymentSignatureHeader"], {**UR, "scheme": "exact"}, NOW, bad("invalid_upto_evm_scheme", up), facilitators=[FAC])
case("v2_upto_network_mismatch", x["paymentSignatureHeader"], {**UR, "network": "eip155:8453"}, NOW, bad("invalid_upto_evm_network_mismatch", up), facilitators=[FAC])
case("v2_upto_amount_mismatch", x["paymentSignatureHeader"], {**UR, "amount": "40000"}, NOW, bad("permit2_amount_mismatch", up), facilitators=[FAC])
case("v2_upto_exact_proxy_as_spender", pmod(lambda p: A(p).update(spender="0x402085c248EeA27D92E8b30b2C58ed07f9E20001"), UP), UR, NOW,
     bad("invalid_permit2_spender", up), facilitators=[FAC])
case("v2_upto_expired", x["paymentSignatureHeader"], UR, 1740672300 - 5, bad("permit2_deadline_expired", up), facilitators=[FAC])

# ---------- Solana exact ----------
svm = ref["svm_exact"]
client = svm["keys"]["client_pubkey"]
for c in svm["cases"]:
    p = dec(c["paymentSignatureHeader"])
    case(f"svm_valid_{c['name']}", c["paymentSignatureHeader"], p["accepted"], NOW, ok(client))
SH = svm["cases"][0]["paymentSignatureHeader"]
SP = dec(SH)
SR = SP["accepted"]
svm_v1_req = {"scheme": "exact", "network": "solana-devnet", "maxAmountRequired": "1000", "resource": "https://example.com/weather",
              "payTo": svm["keys"]["payTo_pubkey"], "maxTimeoutSeconds": 60, "asset": "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU",
              "extra": {"feePayer": svm["keys"]["feePayer_pubkey"]}}
case("svm_valid_v1_devnet", svm["v1_devnet"]["xPaymentHeader"], svm_v1_req, NOW, ok(client))
case("svm_overpayment_rejected", SH, {**SR, "amount": "999"}, NOW, bad("invalid_exact_svm_payload_amount_mismatch", client),
     stricter="strict amount equality (2.25.0 SVM accepts overpayment)")
case("svm_underpayment", SH, {**SR, "amount": "1001"}, NOW, bad("invalid_exact_svm_payload_amount_mismatch", client),
     stricter="same verdict, TS/spec reason name (2.25.0: invalid_exact_svm_payload_amount_insufficient)")
case("svm_memo_mismatch", SH, {**SR, "extra": {**SR["extra"], "memo": "pi_other"}}, NOW, bad("invalid_exact_svm_payload_memo_mismatch", client))
case("svm_wrong_mint", SH, {**SR, "asset": "CXk2AMBfi3TwaEL2468s6zP8xq9NxTXjp9gjMgzeUynM"}, NOW, bad("invalid_exact_svm_payload_mint_mismatch", client))
case("svm_recipient_mismatch", SH, {**SR, "payTo": svm["keys"]["client_pubkey"]}, NOW, bad("invalid_exact_svm_payload_recipient_mismatch", client))
case("svm_network_mismatch", SH, {**SR, "network": "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp"}, NOW, bad("network_mismatch", None))
case("svm_fee_payer_not_managed", SH, SR, NOW, bad("fee_payer_not_managed_by_facilitator", None),
     fee_payers=[svm["keys"]["payTo_pubkey"]])
case("svm_missing_fee_payer", SH, {**SR, "extra": {k: v for k, v in SR["extra"].items() if k != "feePayer"}}, NOW,
     bad("invalid_exact_svm_payload_missing_fee_payer", None))
tx = bytearray(base64.b64decode(SP["payload"]["transaction"]))
tx[70] ^= 1  # inside the client's signature (slot 1 starts at byte 65)
case("svm_tampered_client_signature", mod_svm := enc({**SP, "payload": {"transaction": base64.b64encode(bytes(tx)).decode()}}), SR, NOW,
     bad("invalid_exact_svm_payload_signature", client),
     stricter="the client's signature is checked offline (2.25.0 relies on the simulation)")
tx2 = bytearray(base64.b64decode(SP["payload"]["transaction"]))
tx2[-1] ^= 0xFF  # last byte of the message (address-table-lookup count) -> not a valid transaction
case("svm_tampered_message_tail", enc({**SP, "payload": {"transaction": base64.b64encode(bytes(tx2)).decode()}}), SR, NOW,
     bad("invalid_exact_svm_payload_transaction_could_not_be_decoded", None), official=False)
case("svm_transaction_not_base64", enc({**SP, "payload": {"transaction": "not base64!"}}), SR, NOW,
     bad("invalid_exact_svm_payload_transaction_could_not_be_decoded", None))
case("svm_replayed_with_guard", SH, SR, NOW, bad("duplicate_payment", client), replay=2, official=False)

doc = {"schema": "x402s.vectors.x402_verify@1",
       "source": "headers from ../shared/vectors/x402-reference-vectors.json (x402==2.25.0, x402==1.0.0 and the spec example) and "
                 "tampered variants; intermediate.official = x402==2.25.0 facilitator verify with RPC stubbed "
                 "(an empty official payer is shown as absent) "
                 "(scripts/vectors/official_verify.py); expect = x402-secure verdict (equal to official unless intermediate.stricter). "
                 "input.options.facilitatorAddresses for upto; input.options.solanaFeePayers (absent = not checked); input.options.replayGuard + input.times: verify that many times "
                 "with one replay guard, expect is the last verdict. Generated by scripts/vectors/gen_x402_verify.py.",
       "vectors": V}
(root / "test-vectors" / "x402_verify.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
print("ok", len(V), "stricter:", sum(1 for v in V if "stricter" in v["intermediate"]))
