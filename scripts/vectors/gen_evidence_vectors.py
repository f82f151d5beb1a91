#!/usr/bin/env python3
"""Generate test-vectors/evidence.json: dispute-evidence records, receipts and bundles.

Run with the repository venv (PyNaCl):
    .venv/bin/python scripts/vectors/gen_evidence_vectors.py

Where the expected values come from: bindings/python/tests/evidence_ref.py, an independent
implementation of docs/EVIDENCE.md (hashlib, json.dumps(sort_keys=True, separators=(",", ":"),
ensure_ascii=False), PyNaCl); nothing here imports x402secure. Payments are valid signed
payments of test-vectors/x402_verify.json (EVM v2 EIP-3009, v1 with its header, v2 upto,
Solana v2). Tampered, reordered, truncated and forged bundles are made from good ones by the
edits named in each vector; their reason codes are the checks of docs/EVIDENCE.md that the
edit breaks, in check order.
"""
from __future__ import annotations

import base64
import copy
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bindings" / "python" / "tests"))
import evidence_ref as ref  # noqa: E402

SEED = bytes.fromhex("42" * 32)        # the proxy's receipt key
OTHER_SEED = bytes.fromhex("07" * 32)  # someone else's key
PK, OTHER_PK = ref.public_key(SEED), ref.public_key(OTHER_SEED)
vectors = []


def add(name, op, inp, expect, intermediate=None):
    v = {"name": name, "input": dict(op=op, **inp), "expect": expect}
    if intermediate:
        v["intermediate"] = intermediate
    vectors.append(v)


def text(value) -> str:
    return ref.canon(value).decode("utf-8")


# ---------------------------------------------------------------- payments

verify_vectors = {v["name"]: v for v in json.loads((ROOT / "test-vectors/x402_verify.json").read_text())["vectors"]}


def payment(name):
    v = verify_vectors[name]
    header = v["input"]["header"]
    payload = json.loads(base64.b64decode(header))
    return {"payload": payload, "requirements": v["input"]["requirements"]}, header, v["input"]["now"], v["expect"]["payer"]


evm, evm_header, NOW, EVM_PAYER = payment("v2_eip3009_valid[1]_eip155:84532")
svm, _, _, SVM_PAYER = payment("svm_valid_v2_devnet_memo")
v1, v1_header, _, _ = payment("v1_eip3009_valid[0]_base-sepolia")
upto, _, _, _ = payment("v2_upto_valid")
T = NOW * 1000  # decision times in Unix ms

TRACE = text({
    "task": "Buy BTC/USD market data", "parameters": {"symbol": "BTC/USD"},
    "events": [{"ts": 1740671999.5, "type": "user_input", "role": "user", "content": "Buy BTC/USD",
                "content_hash": "96740a91c5cb374f7d6282c79bcb73c503bbe88150165bf6d79304122f9a7ad9", "length": 11}],
    "completed_at": "2025-02-27T15:59:59.500000+00:00",
})
TRACE_DIGEST = ref.sha(TRACE.encode("utf-8"))
SID = "925ca6ee-aa4b-4508-955b-10b1c02c69bb"
TID = "af88271b-e93d-4998-bc15-2f130d437262"


def decision(did, kind, at, verdict="allow", pay=None, header=None, trace=False, **extra):
    d = {"decisionId": did, "kind": kind, "receivedAt": at - 40, "decidedAt": at, "verdict": verdict,
         "reasons": [] if verdict == "allow" else ["risk_high"], "riskLevel": "low" if verdict == "allow" else "high",
         "session": {"sid": SID, "walletAddress": EVM_PAYER}}
    if trace:
        d["trace"] = {"tid": TID, "digest": TRACE_DIGEST}
        d["riskHeaders"] = {"X-PAYMENT-SECURE": "w3c.v1;tp=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                            "X-RISK-SESSION": SID}
    if pay is not None:
        pay = copy.deepcopy(pay)  # each record owns its objects (tampering one must not edit another)
        d["payment"] = dict(pay, header=header) if header else pay
        d["upstream"] = [{"op": kind, "status": 200, "body": {"isValid": True, "payer": EVM_PAYER}}]
    d.update(extra)
    return d


# The chain: decisions D1 (verify + settle, EVM, trace), D2 (Solana), D3 (v1 with its header),
# D4 (upto), and an evaluation without payment at the start.
decisions = [
    decision("dec-0", "evaluate", T - 5000, verdict="deny"),
    decision("dec-1", "verify", T + 150, pay=evm, trace=True),
    decision("dec-2", "verify", T + 900, pay=svm),
    decision("dec-1", "settle", T + 2150, pay=evm, trace=True),
    decision("dec-3", "verify", T + 3000, pay=v1, header=v1_header),
    decision("dec-4", "verify", T + 4000, pay=upto),
]
chain = []
for i, d in enumerate(decisions):
    chain.append(ref.record(d, i, ref.record_hash(chain[-1]) if chain else None))
texts = [text(r) for r in chain]
hashes = [ref.record_hash(r) for r in chain]

# ---------------------------------------------------------------- record_make

for i, d in enumerate(decisions):
    made = dict(d)
    if "trace" in made:  # the risk layer's 0x form is accepted and normalised
        made["trace"] = {"tid": TID, "digest": "0x" + TRACE_DIGEST[7:]}
    add(f"record_make seq {i} ({d['decisionId']} {d['kind']})", "record_make",
        {"decision_json": text(made), "seq": i, "prev": None if i == 0 else hashes[i - 1]},
        {"text": texts[i], "hash": hashes[i], "bodyDigest": ref.sha(ref.canon(chain[i]["body"]))},
        {"link": text(ref.link(chain[i]))})

add("record_make custom chain name", "record_make",
    {"decision_json": text(decisions[0]), "seq": 0, "prev": None, "chain": "proxy-eu-1"},
    {"text": text(ref.record(decisions[0], 0, None, "proxy-eu-1")),
     "hash": ref.record_hash(ref.record(decisions[0], 0, None, "proxy-eu-1")),
     "bodyDigest": ref.sha(ref.canon(chain[0]["body"]))})
unicode_decision = decision("dec-u", "verify", T, extra={"note": "caf\u00e9 \u2028 \U0001F600 \u0001 \"q\" \\"})
unicode_rec = ref.record(unicode_decision, 7, hashes[-1])
add("record_make non-ASCII and escapes in free-form members", "record_make",
    {"decision_json": text(unicode_decision), "seq": 7, "prev": hashes[-1]},
    {"text": text(unicode_rec), "hash": ref.record_hash(unicode_rec), "bodyDigest": ref.sha(ref.canon(unicode_rec["body"]))})


def bad_make(name, dec, seq=1, prev=hashes[0], code="X402S_ERR_EVIDENCE_INVALID_RECORD", chain_name=None, raw=None):
    inp = {"decision_json": raw if raw is not None else text(dec), "seq": seq, "prev": prev}
    if chain_name is not None:
        inp["chain"] = chain_name
    add(f"record_make refuses {name}", "record_make", inp, {"error": code})


base = decisions[1]
bad_make("a missing decisionId", {k: v for k, v in base.items() if k != "decisionId"})
bad_make("a decisionId with '/'", dict(base, decisionId="dec/1"))
bad_make("a decisionId of 129 characters", dict(base, decisionId="d" * 129))
bad_make("an empty verdict", dict(base, verdict=""))
bad_make("decidedAt as a float", dict(base, decidedAt=1.5))
bad_make("decidedAt above 2^53-1", dict(base, decidedAt=2 ** 53))
bad_make("a negative receivedAt", dict(base, receivedAt=-1))
bad_make("receivedAt after decidedAt", dict(base, receivedAt=base["decidedAt"] + 1))
bad_make("an unknown member", dict(base, foo=1))
bad_make("a reason that is not a string", dict(base, reasons=[1]))
bad_make("a header name given twice", dict(base, riskHeaders={"X-Risk-Session": "a", "x-risk-session": "b"}))
bad_make("a header value that is not a string", dict(base, riskHeaders={"x-a": 1}))
bad_make("a payment without requirements", dict(base, payment={"payload": {}}))
bad_make("a trace digest that is not a digest", dict(base, trace={"digest": "sha256:00"}))
bad_make("an upstream answer that is not an object", dict(base, upstream=["ok"]))
bad_make("a decision that is not an object", None, raw="[]")
bad_make("seq 0 with a real prev", base, seq=0, prev=hashes[0])
bad_make("seq > 0 with no prev", base, seq=1, prev=None)
bad_make("seq > 0 with the genesis prev", base, seq=1, prev=ref.GENESIS)
bad_make("a prev in upper-case hex", base, seq=1, prev=hashes[0].upper().replace("SHA256", "sha256"))
bad_make("a chain name with a space", base, chain_name="main chain")
bad_make("a decision that is not JSON", None, raw="{", code="X402S_ERR_INVALID_JSON")

# ---------------------------------------------------------------- record_parse

for i in (0, 1):
    add(f"record_parse stored text seq {i}", "record_parse", {"text": texts[i]},
        {"hash": hashes[i], "seq": i, "prev": chain[i]["prev"], "isLink": False,
         "decisionId": chain[i]["body"]["decisionId"]})
add("record_parse a link", "record_parse", {"text": text(ref.link(chain[2]))},
    {"hash": hashes[2], "seq": 2, "prev": hashes[1], "isLink": True, "decisionId": None})
pretty = json.dumps(chain[1], sort_keys=True, indent=1, ensure_ascii=False)
for name, t, code in [
    ("pretty-printed JSON", pretty, "X402S_ERR_EVIDENCE_NOT_CANONICAL"),
    ("unsorted keys", json.dumps(chain[1], separators=(",", ":"), ensure_ascii=False), "X402S_ERR_EVIDENCE_NOT_CANONICAL"),
    ("a trailing newline", texts[1] + "\n", "X402S_ERR_EVIDENCE_NOT_CANONICAL"),
    ("an escaped letter", texts[1].replace('"kind":"verify"', '"kind":"\\u0076erify"'), "X402S_ERR_EVIDENCE_NOT_CANONICAL"),
    ("non-ASCII written as an escape", text(unicode_rec).replace("\u00e9", "\\u00e9"), "X402S_ERR_EVIDENCE_NOT_CANONICAL"),
    ("seq written as 1.0", texts[1].replace('"seq":1,', '"seq":1.0,'), "X402S_ERR_EVIDENCE_INVALID_RECORD"),
    ("version 2", texts[1].replace('"v":1}', '"v":2}'), "X402S_ERR_EVIDENCE_INVALID_RECORD"),
    ("a body digest in upper case", text(ref.link(chain[2])).replace(ref.link(chain[2])["body"][7:], ref.link(chain[2])["body"][7:].upper()),
     "X402S_ERR_EVIDENCE_INVALID_RECORD"),
    ("a body member missing", text(dict(chain[1], body={k: v for k, v in chain[1]["body"].items() if k != "extra"})),
     "X402S_ERR_EVIDENCE_INVALID_RECORD"),
    ("an upper-case header name", text(dict(chain[1], body=dict(chain[1]["body"], riskHeaders={"X-A": "1"}))),
     "X402S_ERR_EVIDENCE_INVALID_RECORD"),
    ("a duplicate key", texts[1][:-1] + ',"v":1}', "X402S_ERR_INVALID_JSON"),
    ("not JSON", "{", "X402S_ERR_INVALID_JSON"),
]:
    add(f"record_parse refuses {name}", "record_parse", {"text": t}, {"error": code})

# ---------------------------------------------------------------- receipts

KEYSET = {"keys": [ref.jwk(PK)]}
for i in (1, 2, 3):
    r = ref.sign_receipt(SEED, chain[i])
    add(f"receipt_sign seq {i}", "receipt_sign", {"seed": "0x" + SEED.hex(), "record": texts[i]},
        {"header": r, "kid": ref.kid(PK), "jwk": text(ref.jwk(PK))},
        {"receipt": text(ref.receipt(chain[i], ref.kid(PK)))})
add("receipt_sign refuses a link", "receipt_sign", {"seed": "0x" + SEED.hex(), "record": text(ref.link(chain[1]))},
    {"error": "X402S_ERR_EVIDENCE_INVALID_RECORD"})

good = ref.sign_receipt(SEED, chain[1])
env = ref.open_envelope(good, "rcpt.v1")
forged_sig = bytearray(env["signature"])
forged_sig[5] ^= 1
tampered = json.loads(env["message"])
tampered["verdict"] = "deny"


def receipt_case(name, header, keys, expect_valid, reasons=(), record=None, error=None):
    inp = {"header": header, "public_keys": text(keys)}
    if record is not None:
        inp["record"] = record
    if error:
        add(f"receipt_verify {name}", "receipt_verify", inp, {"error": error})
    else:
        add(f"receipt_verify {name}", "receipt_verify", inp,
            {"isValid": expect_valid, "reasons": list(reasons), "keyId": ref.kid(PK)})


receipt_case("good (JWK Set)", good, KEYSET, True)
receipt_case("good with its record", good, KEYSET, True, record=texts[1])
receipt_case("good (one JWK)", good, ref.jwk(PK), True)
receipt_case("good (raw key as hex)", good, "0x" + PK.hex(), True)
receipt_case("good (raw key as base64url)", good, ref.b64url(PK), True)
receipt_case("forged signature", ref.envelope("rcpt.v1", env["message"], bytes(forged_sig)), KEYSET, False,
             ["receipt_signature_invalid"])
receipt_case("tampered verdict", ref.envelope("rcpt.v1", ref.canon(tampered), env["signature"]), KEYSET, False,
             ["receipt_signature_invalid"])
receipt_case("wrong key", good, {"keys": [ref.jwk(OTHER_PK)]}, False, ["receipt_key_unknown"])
receipt_case("another record", good, KEYSET, False, ["receipt_record_mismatch"], record=texts[3])
receipt_case("padded base64url", good + "=", KEYSET, False,
             error="X402S_ERR_EVIDENCE_INVALID_RECEIPT")
receipt_case("another version tag", good.replace("rcpt.v1", "rcpt.v2"), KEYSET, False, error="X402S_ERR_EVIDENCE_INVALID_RECEIPT")
receipt_case("a message that is not canonical", ref.envelope("rcpt.v1", json.dumps(json.loads(env["message"])).encode(), env["signature"]),
             KEYSET, False, error="X402S_ERR_EVIDENCE_INVALID_RECEIPT")
receipt_case("a short signature", ref.envelope("rcpt.v1", env["message"], env["signature"][:63]), KEYSET, False,
             error="X402S_ERR_EVIDENCE_INVALID_RECEIPT")
receipt_case("a value above 4096 bytes", good + ";pad=" + "x" * 4096, KEYSET, False, error="X402S_ERR_RISK_HEADER_TOO_LONG")
receipt_case("a JWK with a private part", good, dict(ref.jwk(PK), d=ref.b64url(SEED)), False,
             error="X402S_ERR_EVIDENCE_INVALID_RECEIPT")
receipt_case("a JWK whose kid is not its thumbprint", good, dict(ref.jwk(PK), kid=ref.kid(OTHER_PK)), False,
             error="X402S_ERR_EVIDENCE_INVALID_RECEIPT")
receipt_case("a secp256k1 JWK", good, {"kty": "EC", "crv": "secp256k1", "x": ref.b64url(PK)}, False,
             error="X402S_ERR_EVIDENCE_INVALID_RECEIPT")

# ---------------------------------------------------------------- bundles

EXPORTED = T + 60_000


def d1_bundle(seed=SEED):
    return ref.bundle(seed, "dec-1", chain, [TRACE, "unrelated"], EXPORTED)


good_bundle = d1_bundle()
add("bundle_build dec-1 (verify + settle, a link between, trace attached)", "bundle_build",
    {"decision_id": "dec-1", "records": texts, "seed": "0x" + SEED.hex(), "attachments": [TRACE, "unrelated"],
     "exported_at": EXPORTED},
    {"bundle": text(good_bundle)})
for did in ("dec-2", "dec-3", "dec-4"):
    add(f"bundle_build {did}", "bundle_build",
        {"decision_id": did, "records": texts, "seed": "0x" + SEED.hex(), "attachments": [], "exported_at": EXPORTED},
        {"bundle": text(ref.bundle(SEED, did, chain, [], EXPORTED))})
for name, inp in [
    ("records out of order", {"records": [texts[0], texts[2], texts[1], texts[3]]}),
    ("no record of the decision", {"records": texts[4:]}),
    ("a missing trace attachment", {"attachments": []}),
    ("a record that is not canonical", {"records": [pretty]}),
]:
    base_inp = {"decision_id": "dec-1", "records": texts, "seed": "0x" + SEED.hex(), "attachments": [TRACE],
                "exported_at": EXPORTED}
    base_inp.update(inp)
    code = "X402S_ERR_EVIDENCE_NOT_CANONICAL" if "canonical" in name else "X402S_ERR_EVIDENCE_INVALID_BUNDLE"
    add(f"bundle_build refuses {name}", "bundle_build", base_inp, {"error": code})


def summary(rec, pay_valid=True, reason=None, payer=EVM_PAYER):
    b = rec["body"]
    p = None
    if b["payment"] is not None:
        p = {"checkedAt": b["decidedAt"] // 1000, "isValid": pay_valid, "invalidReason": reason, "payer": payer}
    return {"seq": rec["seq"], "hash": ref.record_hash(rec), "kind": b["kind"], "verdict": b["verdict"],
            "decidedAt": b["decidedAt"], "payment": p}


def verify_case(name, bundle, reasons=(), keys=None, records=None, error=None, pinned=None):
    inp = {"bundle": text(bundle) if not isinstance(bundle, str) else bundle}
    if keys is not None:
        inp["public_keys"] = text(keys)
    if error:
        add(f"bundle_verify {name}", "bundle_verify", inp, {"error": error})
        return
    exp = {"isValid": not reasons, "codes": [r[0] for r in reasons], "at": [r[1] for r in reasons],
           "keyPinned": keys is not None}
    if records is not None:
        exp["records"] = records
    add(f"bundle_verify {name}", "bundle_verify", inp, exp)


verify_case("good, key pinned", good_bundle, keys=KEYSET, records=[summary(chain[1]), summary(chain[3])])
verify_case("good, key not pinned", good_bundle, records=[summary(chain[1]), summary(chain[3])])
verify_case("good, key pinned as raw hex", good_bundle, keys="0x" + PK.hex())
verify_case("good Solana payment", ref.bundle(SEED, "dec-2", chain, [], EXPORTED), keys=KEYSET,
            records=[summary(chain[2], payer=SVM_PAYER)])
verify_case("good v1 payment with its header", ref.bundle(SEED, "dec-3", chain, [], EXPORTED), keys=KEYSET,
            records=[summary(chain[4])])
verify_case("good upto payment", ref.bundle(SEED, "dec-4", chain, [], EXPORTED), keys=KEYSET,
            records=[summary(chain[5])])

# tampered field: the verdict of the verify record
b = copy.deepcopy(good_bundle)
b["segment"][0]["body"]["verdict"] = "review"
verify_case("tampered verdict", b, [("chain_link_broken", "segment[1]"), ("receipt_record_mismatch", "receipts[0]"),
                                    ("manifest_mismatch", "manifest")], keys=KEYSET)
# tampered field in a link: its body digest
b = copy.deepcopy(good_bundle)
b["segment"][1]["body"] = ref.sha(b"other body")
verify_case("tampered link digest", b, [("chain_link_broken", "segment[2]")], keys=KEYSET)
# tampered amount (requirements and authorization both raised): the payer never signed it
b = copy.deepcopy(good_bundle)
b["segment"][0]["body"]["payment"]["payload"]["payload"]["authorization"]["value"] = "99999"
b["segment"][0]["body"]["payment"]["payload"]["accepted"]["amount"] = "99999"
b["segment"][0]["body"]["payment"]["requirements"]["amount"] = "99999"
verify_case("tampered amount", b, [("chain_link_broken", "segment[1]"), ("receipt_record_mismatch", "receipts[0]"),
                                   ("manifest_mismatch", "manifest"), ("payer_signature_invalid", "segment[0]")],
            keys=KEYSET)
# reordered chain
b = copy.deepcopy(good_bundle)
b["segment"][1], b["segment"][2] = b["segment"][2], b["segment"][1]
verify_case("reordered chain", b, [("chain_seq_gap", "segment[1]"), ("chain_link_broken", "segment[1]"),
                                   ("chain_seq_gap", "segment[2]"), ("chain_link_broken", "segment[2]")], keys=KEYSET)
# a link removed from the middle
b = copy.deepcopy(good_bundle)
del b["segment"][1]
verify_case("a link removed", b, [("chain_seq_gap", "segment[1]"), ("chain_link_broken", "segment[1]")], keys=KEYSET)
# truncated: the settle record dropped with its receipt; then without its receipt
b = copy.deepcopy(good_bundle)
del b["segment"][1:]
del b["receipts"][1]
verify_case("truncated (last record and its receipt dropped)", b, [("manifest_mismatch", "manifest")], keys=KEYSET)
b = copy.deepcopy(good_bundle)
del b["segment"][1:]
verify_case("truncated (last record dropped)", b, [("receipt_unmatched", "receipts[1]"), ("manifest_mismatch", "manifest")],
            keys=KEYSET)
# forged receipt
b = copy.deepcopy(good_bundle)
b["receipts"][0] = ref.envelope("rcpt.v1", env["message"], bytes(forged_sig))
verify_case("forged receipt", b, [("receipt_signature_invalid", "receipts[0]")], keys=KEYSET)
b = copy.deepcopy(good_bundle)
b["receipts"][0] = "rcpt.v1;m=AAAA"
verify_case("malformed receipt", b, [("receipt_malformed", "receipts[0]"), ("receipt_missing", "segment[0]")], keys=KEYSET)
b = copy.deepcopy(good_bundle)
del b["receipts"][0]
verify_case("receipt missing", b, [("receipt_missing", "segment[0]")], keys=KEYSET)
# forged manifest
b = copy.deepcopy(good_bundle)
menv = ref.open_envelope(b["manifest"], "bnd.v1")
msig = bytearray(menv["signature"])
msig[0] ^= 0x80
b["manifest"] = ref.envelope("bnd.v1", menv["message"], bytes(msig))
verify_case("forged manifest", b, [("manifest_signature_invalid", "manifest")], keys=KEYSET)
# the whole bundle re-signed with another key
forged = d1_bundle(OTHER_SEED)
verify_case("re-signed with another key, not pinned", forged, [])
verify_case("re-signed with another key, pinned", forged,
            [("key_not_trusted", "receipts[0]"), ("key_not_trusted", "receipts[1]"), ("key_not_trusted", "manifest")],
            keys=KEYSET)
verify_case("wrong key pinned", good_bundle,
            [("key_not_trusted", "receipts[0]"), ("key_not_trusted", "receipts[1]"), ("key_not_trusted", "manifest")],
            keys={"keys": [ref.jwk(OTHER_PK)]})
b = copy.deepcopy(good_bundle)
b["keys"] = []
verify_case("keys removed, not pinned", b, [("receipt_key_unknown", "receipts[0]"), ("receipt_key_unknown", "receipts[1]"),
                                            ("manifest_key_unknown", "manifest")])
# attachments
b = copy.deepcopy(good_bundle)
b["attachments"][0]["text"] = b["attachments"][0]["text"].replace("BTC", "ETH")
verify_case("attachment text changed", b, [("attachment_digest_mismatch", "attachments[0]")], keys=KEYSET)
b = copy.deepcopy(good_bundle)
b["attachments"] = []
verify_case("trace not attached", b, [("attachment_missing", "segment[0]"), ("attachment_missing", "segment[2]")], keys=KEYSET)
b = copy.deepcopy(good_bundle)
b["attachments"].append({"digest": ref.sha(b"x"), "mediaType": "text/plain", "text": "x"})
verify_case("extra attachment", b, [("attachment_unreferenced", "attachments[1]")], keys=KEYSET)
b = copy.deepcopy(good_bundle)
b["attachments"].append({"digest": ref.sha(b"x"), "text": "x"})
verify_case("malformed attachment", b, [("attachment_malformed", "attachments[1]")], keys=KEYSET)
# records
b = copy.deepcopy(good_bundle)
b["segment"][1] = chain[2]
verify_case("full record of another decision", b, [("record_foreign", "segment[1]")], keys=KEYSET)
b = copy.deepcopy(good_bundle)
b["segment"][1]["seq"] = "2"
verify_case("malformed link", b, [("record_malformed", "segment[1]")], keys=KEYSET)

# signed by the proxy, but the evidence itself shows a problem with the payment
bad_sig = copy.deepcopy(evm)
sig = bad_sig["payload"]["payload"]["signature"]
bad_sig["payload"]["payload"]["signature"] = sig[:10] + ("0" if sig[10] != "0" else "1") + sig[11:]  # r changed
bad_chain = [ref.record(decision("dec-9", "verify", T + 150, verdict="deny", pay=bad_sig), 0, None)]
verify_case("payer signature invalid", ref.bundle(SEED, "dec-9", bad_chain, [], EXPORTED),
            [("payer_signature_invalid", "segment[0]")], keys=KEYSET,
            records=[summary(bad_chain[0], False, "invalid_exact_evm_payload_signature")])
late_chain = [ref.record(decision("dec-8", "settle", (NOW + 600) * 1000, pay=evm), 0, None)]
verify_case("payment expired at the decision time", ref.bundle(SEED, "dec-8", late_chain, [], EXPORTED),
            [("payment_invalid_at_decision", "segment[0]")], keys=KEYSET,
            records=[summary(late_chain[0], False, "invalid_exact_evm_payload_authorization_valid_before")])
hdr_chain = [ref.record(decision("dec-7", "verify", T + 150, pay=v1, header=evm_header), 0, None)]
verify_case("payment header is another payment", ref.bundle(SEED, "dec-7", hdr_chain, [], EXPORTED),
            [("payment_header_mismatch", "segment[0]")], keys=KEYSET)
junk_chain = [ref.record(decision("dec-6", "verify", T + 150, pay={"payload": {"x402Version": 3}, "requirements": {}}), 0, None)]
verify_case("payment that is not an x402 payment", ref.bundle(SEED, "dec-6", junk_chain, [], EXPORTED),
            [("payment_malformed", "segment[0]")], keys=KEYSET)

# not a bundle at all
for name, value, code in [
    ("an array", "[]", "X402S_ERR_EVIDENCE_INVALID_BUNDLE"),
    ("version 2", text(dict(good_bundle, v=2)), "X402S_ERR_EVIDENCE_INVALID_BUNDLE"),
    ("no manifest", text({k: v for k, v in good_bundle.items() if k != "manifest"}), "X402S_ERR_EVIDENCE_INVALID_BUNDLE"),
    ("an empty segment", text(dict(good_bundle, segment=[])), "X402S_ERR_EVIDENCE_INVALID_BUNDLE"),
    ("an unknown member", text(dict(good_bundle, extra=1)), "X402S_ERR_EVIDENCE_INVALID_BUNDLE"),
    ("a key with a private part", text(dict(good_bundle, keys=[dict(ref.jwk(PK), d="AA")])), "X402S_ERR_EVIDENCE_INVALID_BUNDLE"),
    ("not JSON", "{", "X402S_ERR_INVALID_JSON"),
]:
    verify_case(f"refuses {name}", value, error=code)
verify_case("refuses malformed pinned keys", good_bundle, keys={"keys": []}, error="X402S_ERR_EVIDENCE_INVALID_RECEIPT")

out = {
    "schema": "x402s.vectors.evidence@1",
    "source": "scripts/vectors/gen_evidence_vectors.py (bindings/python/tests/evidence_ref.py: hashlib, json, PyNaCl)",
    "keys": {"seed": "0x" + SEED.hex(), "publicKey": "0x" + PK.hex(), "kid": ref.kid(PK),
             "otherSeed": "0x" + OTHER_SEED.hex(), "otherPublicKey": "0x" + OTHER_PK.hex()},
    "vectors": vectors,
}
(ROOT / "test-vectors" / "evidence.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
print(f"wrote {len(vectors)} vectors")
