"""x402secure.evidence beyond the shared vectors: differential tests against an independent
implementation (evidence_ref.py: hashlib, json, PyNaCl) on random decisions and chains, the
receipt key's handling of secrets and lifetimes, bad input through the binding, and the
proxy's flow end to end (records appended under a lock by threads, receipts, bundle export)."""

from __future__ import annotations

import base64
import copy
import json
import os
import random
import stat
import threading

import pytest

import x402secure as x
from x402secure import _native_evidence as E
from x402secure import evidence as ev

import evidence_ref as ref
from conftest import VECTOR_DIR

VECTORS = json.loads((VECTOR_DIR / "evidence.json").read_text(encoding="utf-8"))
SEED = bytes.fromhex(VECTORS["keys"]["seed"][2:])
PK = bytes.fromhex(VECTORS["keys"]["publicKey"][2:])


def vector(name):
    return next(v for v in VECTORS["vectors"] if v["name"] == name)


def code_of(fn, *args, **kwargs) -> str:
    with pytest.raises(x.X402SError) as info:
        fn(*args, **kwargs)
    assert info.value.message
    return info.value.code


# ------------------------------------------------------------------ random documents

_ALPHABET = "aZ09 -_\"\\/\n\t\u0001\u007f\u00e9\u2028\u4e2d\U0001F600"


def rand_text(r: random.Random, n: int = 12) -> str:
    return "".join(r.choice(_ALPHABET) for _ in range(r.randrange(n)))


def rand_value(r: random.Random, depth: int = 0):
    k = r.randrange(7 if depth < 4 else 4)
    if k == 0:
        return rand_text(r)
    if k == 1:
        return r.choice([0, 1, -7, 2 ** 64 + 3, -(2 ** 80), 10 ** 30])
    if k == 2:
        return r.choice([True, False, None])
    if k == 3:
        return r.choice([0.5, -1.25, 1e-07, 123456.789])  # floats in Python's repr form
    if k in (4, 5):
        return {rand_text(r, 6): rand_value(r, depth + 1) for _ in range(r.randrange(4))}
    return [rand_value(r, depth + 1) for _ in range(r.randrange(4))]


def rand_decision(r: random.Random, did: str):
    d = {"decisionId": did, "kind": r.choice(["verify", "settle", "evaluate"]),
         "decidedAt": r.randrange(2 ** 53), "verdict": r.choice(["allow", "deny", "review", "step_up"])}
    if r.random() < 0.5:
        d["receivedAt"] = r.randrange(d["decidedAt"] + 1)
    if r.random() < 0.5:
        d["reasons"] = [rand_text(r) for _ in range(r.randrange(3))]
    if r.random() < 0.5:
        d["riskLevel"] = r.choice(["low", "medium", "high"])
    if r.random() < 0.5:
        d["session"] = rand_value(r, 3) if r.random() < 0.3 else {"sid": rand_text(r)}
        if not isinstance(d["session"], dict):
            d["session"] = {"v": d["session"]}
    if r.random() < 0.5:
        d["trace"] = {"tid": rand_text(r), "digest": "sha256:" + os.urandom(32).hex()}
    if r.random() < 0.3:
        d["mandate"] = {"ref": rand_text(r), "digest": "sha256:" + os.urandom(32).hex(), "size": r.randrange(9999)}
    if r.random() < 0.5:
        d["payment"] = {"payload": {"x": rand_value(r, 2)}, "requirements": {"y": rand_value(r, 2)}}
        if r.random() < 0.5:
            d["payment"]["header"] = rand_text(r)
    if r.random() < 0.5:
        d["riskHeaders"] = {f"X-H{i}": rand_text(r) for i in range(r.randrange(4))}
    if r.random() < 0.5:
        d["upstream"] = [{"op": "verify", "status": 200, "body": rand_value(r, 2)}]
    if r.random() < 0.5:
        d["extra"] = {rand_text(r, 5): rand_value(r, 2)}
    return d


# ------------------------------------------------------------------ differential


def test_record_hashes_and_texts_match_the_independent_implementation():
    r = random.Random(9)
    prev_core, prev_ref = None, None
    for seq in range(300):
        d = rand_decision(r, f"d{seq % 11}")
        rec = ev.make_record(d, seq=seq, prev=prev_core)
        want = ref.record(d, seq, prev_ref)
        assert rec.text == ref.canon(want).decode("utf-8")
        assert rec.hash == ref.record_hash(want)
        assert rec.body_digest == ref.sha(ref.canon(want["body"]))
        assert ev.parse_record(rec.text) == rec
        link = ev.parse_record(ref.canon(ref.link(want)))
        assert link.hash == rec.hash and link.is_link
        prev_core, prev_ref = rec.hash, ref.record_hash(want)


def test_receipts_verify_with_pynacl_and_match_the_reference():
    from nacl.signing import VerifyKey

    r = random.Random(10)
    with ev.ReceiptKey.from_seed(SEED) as key:
        assert key.public_key == bytes(VerifyKey(PK)) == PK
        assert key.key_id == ref.kid(PK)
        prev = None
        for seq in range(100):
            d = rand_decision(r, "dec")
            rec = ev.make_record(d, seq=seq, prev=prev)
            prev = rec.hash
            header = key.sign_receipt(rec)
            assert header == ref.sign_receipt(SEED, json.loads(rec.text))
            receipt = ref.verify_receipt(header, PK)  # PyNaCl verifies the signature
            assert receipt is not None and receipt["record"] == rec.hash
            assert ev.verify_receipt(header, key.key_set(), record=rec).is_valid
            # a flipped bit anywhere in the signed message is caught by PyNaCl and the core
            e = ref.open_envelope(header, "rcpt.v1")
            m = bytearray(e["message"])
            m[r.randrange(len(m))] ^= 1 << r.randrange(7)
            assert ref.verify_receipt(ref.envelope("rcpt.v1", bytes(m), e["signature"]), PK) is None


def test_bundles_of_random_chains_match_the_reference_and_verify():
    r = random.Random(11)
    with ev.ReceiptKey.from_seed(SEED) as key:
        for _ in range(15):
            decisions = [rand_decision(r, r.choice(["a", "b", "c"])) for _ in range(r.randrange(2, 12))]
            for d in decisions:
                d.pop("trace", None)  # a referenced trace must be attached: covered by the vectors
            texts, chain, prev = [], [], None
            for seq, d in enumerate(decisions):
                rec = ev.make_record(d, seq=seq, prev=prev)
                prev = rec.hash
                texts.append(rec.text)
                chain.append(json.loads(rec.text))
            for did in sorted({d["decisionId"] for d in decisions}):
                out = ev.build_bundle(did, texts, key=key, exported_at=5)
                assert out == ref.canon(ref.bundle(SEED, did, chain, [], 5)).decode("utf-8")
                v = ev.verify_bundle(out, key)
                # random payments are not x402 payments: only payment_malformed may appear
                assert set(v.codes) <= {"payment_malformed"}, v.reasons
                assert v.key_pinned and v.key_ids == (key.key_id,)


# ------------------------------------------------------------------ the proxy's flow


def test_threads_append_under_a_lock_and_every_bundle_verifies():
    """What the proxy does: many workers append to one chain under a head lock, sign a
    receipt per decision, and export bundles of decisions with records far apart."""
    lock = threading.Lock()
    store = []  # (seq, decision_id, text, hash, prev)
    receipts = {}
    with ev.ReceiptKey.from_seed(SEED) as key:
        def worker(n):
            for k in range(25):
                did = f"w{n}-{k % 5}"
                with lock:
                    head = store[-1] if store else None
                    rec = ev.make_record({"decisionId": did, "kind": "verify", "decidedAt": 1000 + len(store),
                                          "verdict": "allow"},
                                         seq=0 if head is None else head[0] + 1, prev=None if head is None else head[3])
                    store.append((rec.seq, rec.decision_id, rec.text, rec.hash, rec.prev))
                receipts[rec.hash] = key.sign_receipt(rec)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert [s[0] for s in store] == list(range(100))
        for did in sorted({s[1] for s in store})[:6]:
            seqs = [s[0] for s in store if s[1] == did]
            texts = [s[2] for s in store[seqs[0]:seqs[-1] + 1]]
            stored = [receipts[s[3]] for s in store if s[1] == did]
            out = ev.build_bundle(did, texts, key=key, receipts=stored)
            b = json.loads(out)
            assert b["receipts"] == stored  # the receipts the sellers got
            v = ev.verify_bundle(out, key.key_set())
            assert v.is_valid, v.reasons
            assert [rec["seq"] for rec in v.records] == seqs


# ------------------------------------------------------------------ receipt key


def test_receipt_key_from_file_generate_and_wipe(tmp_path):
    p = tmp_path / "k"
    for body in ("0x" + SEED.hex(), SEED.hex(), "  0X" + SEED.hex().upper() + "\n"):
        p.write_text(body)
        with ev.ReceiptKey.from_file(p) as k:
            assert k.public_key == PK
    for body, code in (("0x1234", "X402S_ERR_INVALID_LENGTH"), ("zz" * 32, "X402S_ERR_INVALID_HEX"), ("", "X402S_ERR_INVALID_LENGTH")):
        p.write_text(body)
        assert code_of(ev.ReceiptKey.from_file, p) == code
    gen = tmp_path / "new"
    k = ev.ReceiptKey.generate(gen)
    assert stat.S_IMODE(os.stat(gen).st_mode) == 0o600
    with ev.ReceiptKey.from_file(gen) as again:
        assert again.key_id == k.key_id
    with pytest.raises(FileExistsError):
        ev.ReceiptKey.generate(gen)  # never overwrites a key
    assert ev.ReceiptKey.generate().key_id != k.key_id
    # the caller's bytearray is the caller's; the key keeps no Python copy of the seed
    seed = bytearray(SEED)
    k2 = ev.ReceiptKey.from_seed(seed)
    assert seed == bytearray(SEED)
    assert all(not isinstance(getattr(k2, a, None), (bytes, bytearray)) or getattr(k2, a) == PK
               for a in type(k2).__slots__ if a != "__weakref__")
    assert SEED.hex() not in repr(k2) and k2.key_id in repr(k2)
    rec = ev.parse_record(vector("record_make seq 1 (dec-1 verify)")["expect"]["text"])
    k2.close()
    k2.close()
    assert k2.closed
    assert code_of(k2.sign_receipt, rec) == "X402S_ERR_INVALID_KEY"
    assert code_of(ev.build_bundle, "dec-1", [rec], key=k2) == "X402S_ERR_INVALID_KEY"
    with pytest.raises(TypeError):
        import pickle
        pickle.dumps(k)
    with pytest.raises(TypeError):
        copy.copy(k)
    with pytest.raises(TypeError):
        ev.ReceiptKey()
    k.close()


def test_receipt_key_close_while_signing_in_threads():
    rec = ev.parse_record(vector("record_make seq 1 (dec-1 verify)")["expect"]["text"])
    want = vector("receipt_sign seq 1")["expect"]["header"]
    for _ in range(5):
        key = ev.ReceiptKey.from_seed(SEED)
        results = []

        def sign():
            for _ in range(200):
                try:
                    results.append(key.sign_receipt(rec))
                except x.InvalidKeyError:
                    results.append(None)

        threads = [threading.Thread(target=sign) for _ in range(3)]
        for t in threads:
            t.start()
        key.close()
        for t in threads:
            t.join()
        assert all(r in (want, None) for r in results)
        assert results[-1] is None or len(results) == 600


def test_public_key_document():
    with ev.ReceiptKey.from_seed(SEED) as k, ev.ReceiptKey.from_seed(bytes(32)) as old:
        doc = ev.key_set(k, old)
        assert doc == {"keys": [k.jwk, old.jwk]}
        assert k.jwk == ref.jwk(PK)
        assert base64.urlsafe_b64decode(k.jwk["x"] + "=") == PK
        assert ev.RECEIPT_KEY_PATH == "/.well-known/x402-secure/receipt-key"
        header = vector("receipt_sign seq 1")["expect"]["header"]
        for keys in (doc, json.dumps(doc), [k.jwk], k.jwk, k, PK, "0x" + PK.hex(), ref.b64url(PK)):
            assert ev.verify_receipt(header, keys).is_valid, keys


# ------------------------------------------------------------------ bad input


def test_bad_input_gives_specific_errors():
    rec = vector("record_make seq 1 (dec-1 verify)")
    good = json.loads(rec["input"]["decision_json"])
    assert code_of(ev.make_record, None, seq=0) == "X402S_ERR_NULL_ARGUMENT"
    with pytest.raises(x.ArgumentTypeError):
        ev.make_record(good, seq="1", prev=rec["input"]["prev"])
    assert code_of(ev.make_record, {"x": float("nan")}, seq=0) == "X402S_ERR_INVALID_JSON"
    assert code_of(ev.make_record, b'{"decisionId":"\xff"}', seq=0) == "X402S_ERR_INVALID_UTF8"
    big = dict(good, extra={"pad": "x" * (1 << 20)})
    assert code_of(ev.make_record, big, seq=1, prev=rec["input"]["prev"]) == "X402S_ERR_INPUT_TOO_LARGE"
    deep = {"a": None}
    for _ in range(100):
        deep = {"a": deep}
    assert code_of(ev.make_record, dict(good, extra=deep), seq=1, prev=rec["input"]["prev"]) == "X402S_ERR_JSON_TOO_DEEP"
    assert code_of(ev.parse_record, None) == "X402S_ERR_NULL_ARGUMENT"
    assert code_of(ev.parse_record, "x" * (E.MAX_RECORD_BYTES + 1)) == "X402S_ERR_INPUT_TOO_LARGE"
    assert code_of(ev.parse_record, b"\xff") == "X402S_ERR_INVALID_UTF8"
    assert code_of(ev.verify_receipt, None, PK) == "X402S_ERR_NULL_ARGUMENT"
    assert code_of(ev.verify_receipt, "rcpt.v1;m=e30;sig=" + "A" * 86, PK) == "X402S_ERR_EVIDENCE_INVALID_RECEIPT"
    assert code_of(ev.verify_receipt, "x" * (E.RECEIPT_MAX_BYTES + 1), PK) == "X402S_ERR_RISK_HEADER_TOO_LONG"
    assert code_of(ev.verify_receipt, "rcpt.v1;m=e30", PK) == "X402S_ERR_EVIDENCE_INVALID_RECEIPT"
    assert code_of(ev.verify_receipt, vector("receipt_sign seq 1")["expect"]["header"], b"short") == "X402S_ERR_INVALID_JSON"
    assert code_of(ev.verify_bundle, None) == "X402S_ERR_NULL_ARGUMENT"
    assert code_of(ev.verify_bundle, "{") == "X402S_ERR_INVALID_JSON"
    assert code_of(ev.verify_bundle, "x" * (E.MAX_BUNDLE_BYTES + 1)) == "X402S_ERR_INPUT_TOO_LARGE"
    # one byte below the bundle limit is parsed (and is no bundle)
    assert code_of(ev.verify_bundle, '"' + "x" * (E.MAX_BUNDLE_BYTES - 2) + '"') == "X402S_ERR_EVIDENCE_INVALID_BUNDLE"
    assert code_of(ev.verify_bundle, {"v": 1}) == "X402S_ERR_EVIDENCE_INVALID_BUNDLE"
    with ev.ReceiptKey.from_seed(SEED) as key:
        with pytest.raises(x.ArgumentTypeError):
            key.sign_receipt(12)
        with pytest.raises(x.ArgumentTypeError):
            ev.build_bundle("dec-1", [rec["expect"]["text"]], key=None)
        assert code_of(ev.build_bundle, "dec/1", [rec["expect"]["text"]], key=key) == "X402S_ERR_EVIDENCE_INVALID_BUNDLE"
    assert code_of(ev.ReceiptKey.from_seed, b"short") == "X402S_ERR_INVALID_LENGTH"
    with pytest.raises(x.ArgumentTypeError):
        ev.ReceiptKey.from_seed("00" * 32)
    # the error classes: 110-119 are EvidenceError (a ValueError)
    with pytest.raises(x.EvidenceError) as info:
        ev.parse_record(rec["expect"]["text"] + "\n")
    assert isinstance(info.value, ValueError) and info.value.status == 111


def test_verdicts_are_returned_not_raised():
    bad = vector("bundle_verify tampered verdict")
    v = ev.verify_bundle(bad["input"]["bundle"], json.loads(bad["input"]["public_keys"]))
    assert not v and not v.is_valid and v.codes == tuple(bad["expect"]["codes"])
    assert all(r.detail and r.at for r in v.reasons)


def test_binding_constants_match_the_header():
    import re

    from conftest import HEADER

    macros = dict(re.findall(r"#define (X402S_EVIDENCE_[A-Z_]+) (\d+)", HEADER.read_text(encoding="utf-8")))
    assert {k: int(v) for k, v in macros.items()} == {
        "X402S_EVIDENCE_MAX_RECORD_BYTES": E.MAX_RECORD_BYTES,
        "X402S_EVIDENCE_MAX_BUNDLE_BYTES": E.MAX_BUNDLE_BYTES,
        "X402S_EVIDENCE_RECEIPT_MAX_BYTES": E.RECEIPT_MAX_BYTES,
    }
