"""The proxy's decision evidence (the core's evidence module): a receipt (X-Risk-Receipt)
on every decision that verifies under the key the proxy publishes, bundles that verify
offline (Python, the CLI), and a tampered bundle, a reordered chain and a forged receipt
that fail with specific reasons; receipts and bundles survive a restart."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

httpx = pytest.importorskip("httpx")

from proxy_harness import Cluster, evm_payment, session_trace_settle  # noqa: E402

from x402secure import evidence as ev  # noqa: E402
from x402secure import risk  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    with Cluster() as c:
        yield c


@pytest.fixture(scope="module")
def db(cluster):
    return os.path.join(cluster.tmp, "ev.db")


@pytest.fixture(scope="module")
def px(cluster, db):
    return cluster.proxy("--sqlite-path", db, name="proxy-evidence")


def keys(px):
    return httpx.get(px.url + "/.well-known/x402-secure/receipt-key", timeout=5).json()


def test_every_decision_has_a_receipt_under_the_published_key(px, db):
    ks = keys(px)
    assert len(ks["keys"]) == 1 and ks["keys"][0]["kty"] == "OKP" and "d" not in ks["keys"][0]
    assert oct(os.stat(db + ".receipt-key").st_mode & 0o777) == "0o600"
    sid, tid, body, hdrs, settled = session_trace_settle(px.url, "0x" + "ad" * 20)
    v = httpx.post(px.url + "/x402/verify", json=body, headers=hdrs, timeout=10)
    for r in (v, httpx.post(px.url + "/settle", json=evm_payment()[3], timeout=10)):
        check = ev.verify_receipt(r.headers["x-risk-receipt"], ks)
        assert check.is_valid, check
        assert check.receipt["decisionId"] == r.headers["x-risk-decision-id"]
    # a refusal has its receipt too
    r = httpx.post(px.url + "/x402/verify", json=body, headers={**hdrs, "X-RISK-SESSION": "00000000-0000-4000-8000-000000000000"},
                   timeout=10)
    assert r.status_code == 404


def test_bundle_verifies_and_tampering_is_caught(cluster, px):
    sid, tid, body, hdrs, settled = session_trace_settle(px.url, "0x" + "ae" * 20)
    r = httpx.post(px.url + "/x402/settle", json=body, headers=hdrs, timeout=10)
    did = r.headers["x-risk-decision-id"]
    bundle = httpx.get(px.url + f"/evidence/{did}", timeout=10)
    assert bundle.status_code == 200 and bundle.headers["content-type"] == "application/json"
    ks = keys(px)
    verdict = ev.verify_bundle(bundle.text, ks)
    assert verdict.is_valid and verdict.key_pinned, verdict
    doc = bundle.json()
    assert doc["attachments"] == [] or all("text" in a for a in doc["attachments"])
    # the CLI agrees
    cli = os.environ.get("X402SECURE_CLI")
    if cli and os.path.exists(cli):
        path = os.path.join(cluster.tmp, "bundle.json")
        with open(path, "w") as f:
            f.write(bundle.text)
        out = subprocess.run([cli, "evidence", "verify-bundle", path, "--public-key", json.dumps(ks)],
                             capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out.stdout + out.stderr
    # tampered record
    bad = json.loads(bundle.text)
    full = [e for e in bad["segment"] if isinstance(e.get("body"), dict)][0]
    full["body"]["verdict"] = "deny"
    assert not ev.verify_bundle(json.dumps(bad), ks).is_valid
    # reordered chain
    seg = json.loads(bundle.text)
    if len(seg["segment"]) > 1:
        seg["segment"] = list(reversed(seg["segment"]))
        assert {"chain_seq_gap", "chain_link_broken"} & set(ev.verify_bundle(json.dumps(seg), ks).codes)
    # forged receipt: signed by another key
    other = ev.ReceiptKey.generate()
    forged = json.loads(bundle.text)
    forged["receipts"] = [other.sign_receipt(risk.canonical_json(e).decode("utf-8"))
                          for e in forged["segment"] if isinstance(e.get("body"), dict)]
    forged["keys"] = [other.jwk, *forged["keys"]]
    v = ev.verify_bundle(json.dumps(forged), ks)
    assert not v.is_valid and set(v.codes) & {"key_not_trusted", "receipt_key_unknown", "receipt_signature_invalid",
                                              "manifest_key_unknown", "manifest_signature_invalid"}
    other.close()


def test_receipts_and_bundles_survive_a_restart(cluster, tmp_path):
    db = str(tmp_path / "r.db")
    px = cluster.proxy("--sqlite-path", db, name="proxy-ev-restart")
    before = keys(px)
    _, _, body, hdrs, _ = session_trace_settle(px.url, "0x" + "af" * 20)
    did = httpx.post(px.url + "/x402/settle", json=body, headers=hdrs, timeout=10).headers["x-risk-decision-id"]
    cluster.kill9(px)
    px = cluster.proxy("--sqlite-path", db, name="proxy-ev-restart-2")
    assert keys(px) == before  # the same key from the file beside the database
    assert ev.verify_bundle(httpx.get(px.url + f"/evidence/{did}", timeout=10).text, before).is_valid
    cluster.stop(px)


def test_agent_trace_travels_in_the_bundle(px):
    s = httpx.post(px.url + "/risk/session", json={"agent_did": "a", "wallet_address": "0x" + "b0" * 20},
                   timeout=5).json()["sid"]
    t = risk.AgentTrace("buy", {"symbol": "BTC/USD"})
    tid = httpx.post(px.url + "/risk/trace", content=risk.risk_trace_request(s, t),
                     headers={"Content-Type": "application/json"}, timeout=5).json()["tid"]
    _, name, value, body = evm_payment()
    r = httpx.post(px.url + "/x402/verify", json=body, timeout=10, headers={
        name: value, "X-RISK-SESSION": s, "X-PAYMENT-SECURE": risk.build_payment_secure_header(tid=tid)})
    did = r.headers["x-risk-decision-id"]
    doc = httpx.get(px.url + f"/evidence/{did}", timeout=10).json()
    assert len(doc["attachments"]) == 1 and json.loads(doc["attachments"][0]["text"])["task"] == "buy"
    assert ev.verify_bundle(json.dumps(doc), keys(px)).is_valid
