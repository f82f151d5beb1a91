#!/usr/bin/env python3
"""Generate test-vectors/x402_header.json: header decode / re-encode vectors.

Inputs are the official headers in ../shared/vectors/x402-reference-vectors.json (x402 2.25.0 and
1.0.0 outputs). Expected decoded JSON is Python's json.loads(base64.b64decode(header)); expected
re-encoding is base64 of compact JSON (separators=(",", ":"), ensure_ascii=False) in the model's
field order, which for 2.25.0 headers is the original header itself.
Run: python3 scripts/vectors/gen_x402_header.py [path/to/x402-reference-vectors.json]
"""
import base64, json, pathlib, sys

here = pathlib.Path(__file__).resolve()
ref_path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else here.parents[2] / ".." / ".." / "shared" / "vectors" / "x402-reference-vectors.json"
if not ref_path.exists():
    ref_path = here.parents[2] / ".." / "shared" / "vectors" / "x402-reference-vectors.json"
ref = json.loads(ref_path.read_text())
out = here.parents[2] / "test-vectors" / "x402_header.json"

def dec(h):
    return json.loads(base64.b64decode(h, validate=True))

def compact(o):
    return base64.b64encode(json.dumps(o, separators=(",", ":"), ensure_ascii=False).encode()).decode()

V = []
def add(name, kind, header, reencoded=None, style="compact", extra=None):
    d = dec(header)
    e = {"kind": kind, "json": d, "reencoded": reencoded if reencoded is not None else header, "style": style}
    if extra: e.update(extra)
    V.append({"name": name, "input": {"header": header}, "expect": e})

for i, v in enumerate(ref["evm_exact_v2_eip3009"]):
    assert compact(dec(v["paymentSignatureHeader"])) == v["paymentSignatureHeader"]
    assert json.loads(v["paymentPayloadJson"]) == dec(v["paymentSignatureHeader"])
    add(f"evm_exact_v2_eip3009[{i}]_{v['network']}_payment_signature", "payment", v["paymentSignatureHeader"],
        extra={"x402Version": 2, "scheme": "exact", "network": v["network"], "headerName": "PAYMENT-SIGNATURE"})
    add(f"evm_exact_v2_eip3009[{i}]_{v['network']}_payment_required", "paymentRequired", v["paymentRequiredHeader"],
        extra={"x402Version": 2})
for i, v in enumerate(ref["evm_exact_v1_eip3009_via_x402_2.25.0"]):
    add(f"evm_exact_v1_2.25.0[{i}]_{v['network']}_x_payment", "payment", v["xPaymentHeader"],
        extra={"x402Version": 1, "scheme": "exact", "network": v["network"], "headerName": "X-PAYMENT"})
for i, v in enumerate(ref["evm_exact_v1_eip3009_via_x402_1.0.0_legacy"]):
    d = dec(v["xPaymentHeader"])
    add(f"evm_exact_v1_1.0.0_legacy[{i}]_x_payment_spaced", "payment", v["xPaymentHeader"], reencoded=compact(d),
        extra={"x402Version": 1, "scheme": "exact", "network": v["network"], "headerName": "X-PAYMENT"})
for i, v in enumerate(ref["evm_exact_v2_permit2"]):
    add(f"evm_exact_v2_permit2[{i}]_{v['network']}", "payment", v["paymentSignatureHeader"],
        extra={"x402Version": 2, "scheme": "exact", "network": v["network"], "headerName": "PAYMENT-SIGNATURE"})
for i, v in enumerate(ref["evm_upto_v2_permit2"]):
    add(f"evm_upto_v2_permit2[{i}]_{v['network']}", "payment", v["paymentSignatureHeader"],
        extra={"x402Version": 2, "scheme": "upto", "network": v["network"], "headerName": "PAYMENT-SIGNATURE"})
svm = ref["svm_exact"]
for c in svm["cases"]:
    add(f"svm_exact_{c['name']}", "payment", c["paymentSignatureHeader"],
        extra={"x402Version": 2, "scheme": "exact", "network": c["network"], "headerName": "PAYMENT-SIGNATURE"})
add("svm_exact_v1_devnet", "payment", svm["v1_devnet"]["xPaymentHeader"],
    extra={"x402Version": 1, "scheme": "exact", "network": "solana-devnet", "headerName": "X-PAYMENT"})
r2 = ref["response_headers_v2"]
for k in ("PAYMENT-RESPONSE_success", "PAYMENT-RESPONSE_failure"):
    h = r2[k]["header"]
    assert base64.b64encode(json.dumps(dec(h)).encode()).decode() == h  # python-spaced, ensure_ascii
    add(f"settle_{k}_python_spaced", "settleResponse", h, style="pythonSpaced")
    add(f"settle_{k}_compact", "settleResponse", compact(dec(h)))
leg = ref["response_header_v1_legacy_x402_1.0.0"]["header"]
d = {k: v for k, v in dec(leg).items() if v is not None}
order = ["success", "errorReason", "errorMessage", "payer", "transaction", "network", "amount", "extensions", "extra"]
add("settle_v1_legacy_1.0.0_with_null", "settleResponse", leg,
    reencoded=compact({k: d[k] for k in order if k in d}))
V[-1]["expect"]["json"] = {k: d[k] for k in order if k in d}

# Negative cases (x402-secure rules: strict standard padded base64; see x402-protocol.md 1.2).
base = dec(ref["evm_exact_v2_eip3009"][1]["paymentSignatureHeader"])
base["resource"]["description"] = "Premium data??? >>> ~~~ \u20ae!"
good = compact(base)
assert "+" in good and "/" in good and good.endswith("=")
add("modified_with_plus_and_slash", "payment", good,
    extra={"x402Version": 2, "scheme": "exact", "network": "eip155:84532", "headerName": "PAYMENT-SIGNATURE"})
urlsafe = base64.urlsafe_b64encode(base64.b64decode(good)).decode()
assert urlsafe != good
neg = [
    ("urlsafe_alphabet", urlsafe, "X402S_ERR_INVALID_BASE64"),
    ("urlsafe_unpadded", urlsafe.rstrip("="), "X402S_ERR_INVALID_BASE64"),
    ("missing_padding", good.rstrip("="), "X402S_ERR_INVALID_BASE64"),
    ("embedded_newline", good[:40] + "\n" + good[40:], "X402S_ERR_INVALID_BASE64"),
    ("embedded_space", good[:40] + " " + good[40:], "X402S_ERR_INVALID_BASE64"),
    ("leading_space", " " + good, "X402S_ERR_INVALID_BASE64"),
    ("empty", "", "X402S_ERR_INVALID_BASE64"),
    ("raw_json_not_base64", '{"x402Version":2}', "X402S_ERR_INVALID_BASE64"),
    ("base64_of_text", base64.b64encode(b"hello world").decode(), "X402S_ERR_INVALID_JSON"),
    ("base64_of_invalid_utf8", base64.b64encode(b'{"a":"\xff"}').decode(), "X402S_ERR_INVALID_UTF8"),
    ("no_version", compact({"payload": {}}), "X402S_ERR_X402_UNSUPPORTED_VERSION"),
    ("version_3", compact({"x402Version": 3, "payload": {}}), "X402S_ERR_X402_UNSUPPORTED_VERSION"),
    ("version_string", compact({"x402Version": "2", "payload": {}}), "X402S_ERR_X402_UNSUPPORTED_VERSION"),
    ("array_not_object", compact([1, 2]), "X402S_ERR_X402_UNSUPPORTED_VERSION"),
    ("v2_missing_accepted", compact({"x402Version": 2, "payload": {}}), "X402S_ERR_X402_INVALID_PAYLOAD"),
    ("v2_missing_payload", compact({k: v for k, v in dec(good).items() if k != "payload"}), "X402S_ERR_X402_INVALID_PAYLOAD"),
    ("v2_amount_number", compact({**dec(good), "accepted": {**dec(good)["accepted"], "amount": 10000}}), "X402S_ERR_X402_INVALID_PAYLOAD"),
    ("v2_payload_array", compact({**dec(good), "payload": []}), "X402S_ERR_X402_INVALID_PAYLOAD"),
    ("v1_missing_network", compact({"x402Version": 1, "scheme": "exact", "payload": {}}), "X402S_ERR_X402_INVALID_PAYLOAD"),
    ("duplicate_keys", base64.b64encode(b'{"x402Version":2,"x402Version":2}').decode(), "X402S_ERR_INVALID_JSON"),
]
for name, h, err in neg:
    V.append({"name": f"bad_{name}", "input": {"header": h}, "expect": {"kind": "payment", "error": err}})
V.append({"name": "bad_too_large", "input": {"headerRepeat": {"text": "QUFB", "times": 16385}},
          "expect": {"kind": "payment", "error": "X402S_ERR_INPUT_TOO_LARGE"}})

doc = {"schema": "x402s.vectors.x402_header@1",
       "source": "headers from ../shared/vectors/x402-reference-vectors.json (x402==2.25.0 and x402==1.0.0 outputs) via "
                 "scripts/vectors/gen_x402_header.py; expected JSON = json.loads(base64.b64decode(header)); re-encoding = "
                 "base64 of compact JSON in model field order (style pythonSpaced = json.dumps defaults). Negative cases are "
                 "x402-secure's strict-base64 rule (x402-protocol.md 1.2). kind: payment = X-PAYMENT/PAYMENT-SIGNATURE, "
                 "paymentRequired = PAYMENT-REQUIRED, settleResponse = PAYMENT-RESPONSE/X-PAYMENT-RESPONSE.",
       "vectors": V}
out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
print("ok", len(V))
