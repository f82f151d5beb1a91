"""The CLI's dispute-evidence subcommands (x402secure evidence verify-bundle, verify-receipt,
keygen, public-key) on the shared vectors: a good bundle, tampered / reordered / forged ones,
pinned and unpinned keys, and key files shared with x402secure.evidence.ReceiptKey."""

from __future__ import annotations

import json
import os
import stat

import pytest

from x402secure import evidence as ev

from test_risk_cli import run, vector

KEYSET = vector("evidence", "receipt_verify good (JWK Set)")["input"]["public_keys"]
GOOD = vector("evidence", "bundle_verify good, key pinned")


def write(tmp_path, name: str, text: str):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_verify_bundle_good_pinned_and_unpinned(tmp_path):
    bundle = write(tmp_path, "b.json", GOOD["input"]["bundle"])
    keys = write(tmp_path, "keys.json", KEYSET)
    for key_arg in (["--public-key", keys], ["--public-key", KEYSET],
                    ["--public-key", json.loads(KEYSET)["keys"][0]["x"]]):
        r = run("evidence", "verify-bundle", bundle, *key_arg, "--compact")
        assert r.returncode == 0, r.stderr
        out = json.loads(r.stdout)
        assert out["isValid"] is True and out["keyPinned"] is True and out["reasons"] == []
        assert out["records"] == GOOD["expect"]["records"]
        assert r.stderr == b""
    r = run("evidence", "verify-bundle", stdin=GOOD["input"]["bundle"].encode())
    assert r.returncode == 0
    assert json.loads(r.stdout)["keyPinned"] is False
    assert b"pass --public-key" in r.stderr


@pytest.mark.parametrize("name", [
    "bundle_verify tampered verdict", "bundle_verify reordered chain", "bundle_verify forged receipt",
    "bundle_verify truncated (last record and its receipt dropped)", "bundle_verify attachment text changed",
    "bundle_verify payer signature invalid", "bundle_verify wrong key pinned",
])
def test_verify_bundle_refuses_with_the_vector_reasons(name, tmp_path):
    v = vector("evidence", name)
    bundle = write(tmp_path, "b.json", v["input"]["bundle"])
    args = ["--public-key", v["input"]["public_keys"]] if "public_keys" in v["input"] else []
    r = run("evidence", "verify-bundle", bundle, *args, "--compact")
    assert r.returncode == 1
    out = json.loads(r.stdout)
    assert out["isValid"] is False
    assert [x["code"] for x in out["reasons"]] == v["expect"]["codes"]


def test_verify_bundle_malformed_input(tmp_path):
    r = run("evidence", "verify-bundle", write(tmp_path, "b.json", "[]"))
    assert r.returncode == 1 and b"X402S_ERR_EVIDENCE_INVALID_BUNDLE" in r.stderr
    r = run("evidence", "verify-bundle", write(tmp_path, "c.json", GOOD["input"]["bundle"]), "--public-key", '{"keys":[]}')
    assert r.returncode == 1 and b"X402S_ERR_EVIDENCE_INVALID_RECEIPT" in r.stderr
    r = run("evidence", "verify-bundle", str(tmp_path / "missing.json"))
    assert r.returncode != 0


def test_verify_receipt(tmp_path):
    v = vector("evidence", "receipt_sign seq 1")
    header = v["expect"]["header"]
    rec = write(tmp_path, "r.json", v["input"]["record"])
    r = run("evidence", "verify-receipt", header, "--public-key", KEYSET, "--record", rec)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["isValid"] is True
    other = vector("evidence", "record_make seq 3 (dec-1 settle)")["expect"]["text"]
    r = run("evidence", "verify-receipt", header, "--public-key", KEYSET, "--record", write(tmp_path, "o.json", other))
    assert r.returncode == 1 and json.loads(r.stdout)["reasons"] == ["receipt_record_mismatch"]
    assert run("evidence", "verify-receipt", header).returncode != 0  # a key is required


def test_keygen_and_public_key_share_the_python_key_format(tmp_path):
    path = tmp_path / "receipt.key"
    r = run("evidence", "keygen", "--out", str(path))
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    printed = json.loads(r.stdout)
    with ev.ReceiptKey.from_file(path) as key:
        assert printed == key.key_set()
        assert path.read_text().strip()[2:] not in r.stdout.decode()  # the seed is never printed
    assert json.loads(run("evidence", "public-key", "--key-file", str(path)).stdout) == printed
    assert run("evidence", "keygen", "--out", str(path)).returncode != 0  # never overwrites
    # a bundle signed with the generated key verifies pinned to the printed JWK Set
    rec = ev.make_record({"decisionId": "d", "kind": "evaluate", "decidedAt": 1, "verdict": "deny"}, seq=0)
    with ev.ReceiptKey.from_file(path) as key:
        bundle = write(tmp_path, "b.json", ev.build_bundle("d", [rec], key=key, exported_at=2))
    assert run("evidence", "verify-bundle", bundle, "--public-key", json.dumps(printed)).returncode == 0
