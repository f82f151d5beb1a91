"""Runner for test-vectors/evidence.json through the public x402secure.evidence API.

Imported by test_vectors.py into its RUNNERS table.
"""

from __future__ import annotations

import json
from typing import Any, Dict

import pytest

import x402secure as x
from x402secure import _native, evidence as ev


def expect_error(code: str, fn, *args, **kwargs) -> None:
    with pytest.raises(x.X402SError) as info:
        fn(*args, **kwargs)
    assert info.value.code == code, f"got {info.value.code} ({info.value.message}), expected {code}"
    assert info.value.status == _native.STATUS[code]


def seed(v: str) -> bytearray:
    return bytearray.fromhex(v[2:])


def run_evidence(v: Dict[str, Any]) -> None:
    i, exp = v["input"], v["expect"]
    op = i["op"]
    if op == "record_make":
        def make():
            return ev.make_record(i["decision_json"], seq=i["seq"], prev=i["prev"], chain=i.get("chain", "main"))
        if "error" in exp:
            return expect_error(exp["error"], make)
        rec = make()
        assert rec.text == exp["text"]
        assert rec.hash == exp["hash"]
        assert rec.body_digest == exp["bodyDigest"]
        assert rec.seq == i["seq"] and rec.prev == (i["prev"] or ev.GENESIS_HASH)
        # the stored text parses back to the same record; its link has the same hash
        assert ev.parse_record(rec.text) == rec
        if "link" in v.get("intermediate", {}):
            link = ev.parse_record(v["intermediate"]["link"])
            assert link.hash == rec.hash and link.is_link and link.decision_id is None
    elif op == "record_parse":
        if "error" in exp:
            return expect_error(exp["error"], ev.parse_record, i["text"])
        rec = ev.parse_record(i["text"])
        assert (rec.hash, rec.seq, rec.prev, rec.is_link, rec.decision_id) == (
            exp["hash"], exp["seq"], exp["prev"], exp["isLink"], exp["decisionId"])
    elif op == "receipt_sign":
        with ev.ReceiptKey.from_seed(seed(i["seed"])) as key:
            if "error" in exp:
                return expect_error(exp["error"], key.sign_receipt, i["record"])
            assert key.sign_receipt(i["record"]) == exp["header"]
            assert key.key_id == exp["kid"]
            assert json.dumps(key.jwk, sort_keys=True, separators=(",", ":")) == exp["jwk"]
            assert key.key_set() == {"keys": [json.loads(exp["jwk"])]}
            got = ev.verify_receipt(exp["header"], key, record=i["record"])
            assert got.is_valid and got.receipt == json.loads(v["intermediate"]["receipt"])
    elif op == "receipt_verify":
        keys = json.loads(i["public_keys"])
        def verify():
            return ev.verify_receipt(i["header"], keys, record=i.get("record"))
        if "error" in exp:
            return expect_error(exp["error"], verify)
        got = verify()
        assert got.is_valid == exp["isValid"] and bool(got) == exp["isValid"]
        assert list(got.reasons) == exp["reasons"]
        assert got.key_id == exp["keyId"]
    elif op == "bundle_build":
        with ev.ReceiptKey.from_seed(seed(i["seed"])) as key:
            def build():
                return ev.build_bundle(i["decision_id"], i["records"], key=key, attachments=i["attachments"],
                                       exported_at=i["exported_at"])
            if "error" in exp:
                return expect_error(exp["error"], build)
            out = build()
            assert out == exp["bundle"]
            # records passed as EvidenceRecord give the same bundle, and it verifies pinned
            assert ev.build_bundle(i["decision_id"], [ev.parse_record(t) for t in i["records"]], key=key,
                                   attachments=i["attachments"], exported_at=i["exported_at"]) == out
            assert ev.verify_bundle(out, key).is_valid
    elif op == "bundle_verify":
        keys = json.loads(i["public_keys"]) if "public_keys" in i else None
        def verify_b():
            return ev.verify_bundle(i["bundle"], keys)
        if "error" in exp:
            return expect_error(exp["error"], verify_b)
        got = verify_b()
        assert got.is_valid == exp["isValid"] and bool(got) == exp["isValid"]
        assert list(got.codes) == exp["codes"], [(r.code, r.at, r.detail) for r in got.reasons]
        assert [r.at for r in got.reasons] == exp["at"]
        assert all(r.detail for r in got.reasons)
        assert got.key_pinned == exp["keyPinned"]
        assert got.decision_id == json.loads(i["bundle"])["decisionId"]
        if "records" in exp:
            assert list(got.records) == exp["records"]
        # the same verdict from the parsed dict
        assert ev.verify_bundle(json.loads(i["bundle"]), keys).codes == got.codes
    else:
        raise AssertionError(f"unknown op {op}")


EVIDENCE_RUNNERS = {"evidence": run_evidence}
