"""An independent Python implementation of the evidence formats of docs/EVIDENCE.md, written
from the document with hashlib, base64, json and PyNaCl only (no x402secure import).

Used by scripts/vectors/gen_evidence_vectors.py to produce test-vectors/evidence.json and by
test_evidence.py for differential tests (record hashes recomputed, receipts checked with
PyNaCl). Numbers in the documents used here are integers (and floats in Python's repr form),
for which json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False) is the
canonical JSON of the core.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any, Dict, List, Optional, Sequence

GENESIS = "sha256:" + "0" * 64
RECORD_DOMAIN = b"x402-secure/evidence-record/v1\n"
RECEIPT_DOMAIN = b"x402-secure/decision-receipt/v1\n"
MANIFEST_DOMAIN = b"x402-secure/evidence-bundle/v1\n"
BUNDLE_TYPE = "x402-secure.evidence.bundle"


def canon(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# ---------------------------------------------------------------- records


def full_body(decision: Dict[str, Any]) -> Dict[str, Any]:
    """The canonical body: every member present (defaults null / [] / {}), header names
    lower case, digests in sha256: form."""
    d = dict(decision)
    trace = d.get("trace")
    if trace is not None:
        digest = trace["digest"]
        if digest.startswith("0x"):
            digest = "sha256:" + digest[2:].lower()
        trace = {"tid": trace.get("tid"), "digest": digest}
    mandate = d.get("mandate")
    if mandate is not None:
        mandate = {"ref": mandate.get("ref"), "digest": mandate["digest"], "size": mandate.get("size"),
                   "mediaType": mandate.get("mediaType")}
    payment = d.get("payment")
    if payment is not None:
        payment = {"payload": payment["payload"], "requirements": payment["requirements"],
                   "header": payment.get("header")}
    return {
        "decisionId": d["decisionId"], "kind": d["kind"], "receivedAt": d.get("receivedAt"),
        "decidedAt": d["decidedAt"], "verdict": d["verdict"], "reasons": d.get("reasons", []),
        "riskLevel": d.get("riskLevel"), "session": d.get("session"), "mandate": mandate, "trace": trace,
        "payment": payment, "riskHeaders": {k.lower(): v for k, v in d.get("riskHeaders", {}).items()},
        "upstream": d.get("upstream", []), "extra": d.get("extra", {}),
    }


def record(decision: Dict[str, Any], seq: int, prev: Optional[str], chain: str = "main") -> Dict[str, Any]:
    return {"body": full_body(decision), "chain": chain, "prev": prev or GENESIS, "seq": seq, "v": 1}


def link(rec: Dict[str, Any]) -> Dict[str, Any]:
    out = dict(rec)
    if isinstance(rec["body"], dict):
        out["body"] = sha(canon(rec["body"]))
    return out


def record_hash(rec: Dict[str, Any]) -> str:
    return sha(RECORD_DOMAIN + canon(link(rec)))


# ---------------------------------------------------------------- keys, receipts, manifests


def public_key(seed: bytes) -> bytes:
    from nacl.signing import SigningKey

    return bytes(SigningKey(seed).verify_key)


def kid(pk: bytes) -> str:
    return b64url(hashlib.sha256(canon({"crv": "Ed25519", "kty": "OKP", "x": b64url(pk)})).digest())


def jwk(pk: bytes) -> Dict[str, str]:
    return {"alg": "EdDSA", "crv": "Ed25519", "kid": kid(pk), "kty": "OKP", "use": "sig", "x": b64url(pk)}


def receipt(rec: Dict[str, Any], key_id: str) -> Dict[str, Any]:
    b = rec["body"]
    p = b["payment"]
    return {
        "chain": rec["chain"], "decidedAt": b["decidedAt"], "decisionId": b["decisionId"], "kid": key_id,
        "kind": b["kind"], "payment": None if p is None else sha(canon(p["payload"])),
        "record": record_hash(rec), "requirements": None if p is None else sha(canon(p["requirements"])),
        "riskLevel": b["riskLevel"], "seq": rec["seq"], "v": 1, "verdict": b["verdict"],
    }


def envelope(tag: str, message: bytes, signature: bytes) -> str:
    return f"{tag};m={b64url(message)};sig={b64url(signature)}"


def sign(seed: bytes, domain: bytes, message: bytes) -> bytes:
    from nacl.signing import SigningKey

    return SigningKey(seed).sign(domain + message).signature


def sign_receipt(seed: bytes, rec: Dict[str, Any]) -> str:
    m = canon(receipt(rec, kid(public_key(seed))))
    return envelope("rcpt.v1", m, sign(seed, RECEIPT_DOMAIN, m))


def open_envelope(value: str, tag: str) -> Dict[str, Any]:
    parts = dict(p.split("=", 1) for p in value.split(";")[1:])
    assert value.split(";")[0] == tag
    return {"message": unb64url(parts["m"]), "signature": unb64url(parts["sig"])}


def verify_receipt(value: str, pk: bytes) -> Optional[Dict[str, Any]]:
    """The receipt when PyNaCl verifies its signature under pk, else None."""
    from nacl.exceptions import BadSignatureError
    from nacl.signing import VerifyKey

    e = open_envelope(value, "rcpt.v1")
    try:
        VerifyKey(pk).verify(RECEIPT_DOMAIN + e["message"], e["signature"])
    except BadSignatureError:
        return None
    return json.loads(e["message"])


def manifest(seed: bytes, decision_id: str, chain: str, exported_at: int, recs: Sequence[Dict[str, Any]]) -> str:
    m = canon({
        "chain": chain, "decisionId": decision_id, "exportedAt": exported_at, "kid": kid(public_key(seed)),
        "records": [{"hash": record_hash(r), "seq": r["seq"]} for r in recs], "v": 1,
    })
    return envelope("bnd.v1", m, sign(seed, MANIFEST_DOMAIN, m))


# ---------------------------------------------------------------- bundles


def bundle(seed: bytes, decision_id: str, chain_records: Sequence[Dict[str, Any]],
           attachments: Sequence[str], exported_at: int) -> Dict[str, Any]:
    """The bundle of decision_id from records in chain order (as the core builds it)."""
    mine = [i for i, r in enumerate(chain_records) if r["body"]["decisionId"] == decision_id]
    first, last = mine[0], mine[-1]
    segment: List[Dict[str, Any]] = []
    referenced = set()
    for i in range(first, last + 1):
        r = chain_records[i]
        if i in mine:
            segment.append(r)
            for k in ("trace", "mandate"):
                if r["body"][k] is not None:
                    referenced.add(r["body"][k]["digest"])
        else:
            segment.append(link(r))
    decision_recs = [chain_records[i] for i in mine]
    atts, seen = [], set()
    for text in attachments:
        d = sha(text.encode("utf-8"))
        if d in referenced and d not in seen:
            seen.add(d)
            atts.append({"digest": d, "mediaType": "application/json", "text": text})
    return {
        "attachments": atts, "decisionId": decision_id, "keys": [jwk(public_key(seed))],
        "manifest": manifest(seed, decision_id, chain_records[first]["chain"], exported_at, decision_recs),
        "receipts": [sign_receipt(seed, r) for r in decision_recs], "segment": segment,
        "type": BUNDLE_TYPE, "v": 1,
    }
