"""The CLI's risk subcommands (risk-header, evidence, mandate-check) against the shared
vectors. The CLI is X402SECURE_CLI (set by `make test-python`), else build/bin/x402secure,
else .build/debug/x402secure-cli; the tests are skipped when none is built."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any, Dict, List

import pytest

from conftest import REPO, VECTOR_DIR


def _cli() -> str:
    for candidate in (os.environ.get("X402SECURE_CLI"), REPO / "build" / "bin" / "x402secure",
                      REPO / ".build" / "debug" / "x402secure-cli"):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    pytest.skip("the x402secure CLI is not built")


def run(*args: str, stdin: bytes = b"", env: Dict[str, str] = None) -> subprocess.CompletedProcess:
    return subprocess.run([_cli(), *args], input=stdin, capture_output=True, timeout=60,
                          env={**os.environ, **(env or {})})


def vector(area: str, name: str) -> Dict[str, Any]:
    with (VECTOR_DIR / f"{area}.json").open(encoding="utf-8") as f:
        for v in json.load(f)["vectors"]:
            if v["name"] == name:
                return v
    raise KeyError(name)


def header_value(out: bytes, name: str) -> str:
    line = out.decode().strip()
    assert line.startswith(name + ": "), line
    return line[len(name) + 2:]


def test_risk_header_secure_matches_the_vector():
    v = vector("risk_headers", "build tid context (spec 2.1 example)")
    tid = json.loads(v["input"]["context_json"])["tid"]
    r = run("risk-header", "secure", "--traceparent", v["input"]["traceparent"], "--tid", tid)
    assert r.returncode == 0, r.stderr
    assert header_value(r.stdout, "X-PAYMENT-SECURE") == v["expect"]["value"]
    parsed = run("risk-header", "parse", v["expect"]["value"], "--compact")
    assert parsed.returncode == 0
    doc = json.loads(parsed.stdout)
    assert doc["header"] == "X-PAYMENT-SECURE" and doc["value"]["tid"] == tid and doc["context"] == {"tid": tid}


def test_risk_header_ap2_vi_uuid_and_errors(tmp_path):
    v = vector("risk_headers", "ap2 build spec 2.6 example")
    mandate = bytes.fromhex(v["input"]["mandate"][2:])
    r = run("risk-header", "ap2", "--ref", v["input"]["mr"], stdin=mandate)
    assert header_value(r.stdout, "X-AP2-EVIDENCE") == v["expect"]["value"]
    assert run("risk-header", "ap2", "--ref", "x", "--check", v["expect"]["value"], stdin=mandate).returncode == 0
    assert run("risk-header", "ap2", "--ref", "x", "--check", v["expect"]["value"], stdin=mandate + b" ").returncode == 1
    vi = vector("risk_headers", "vi build spec 12 example")
    path = tmp_path / "evidence.json"
    path.write_text(vi["input"]["evidence_json"])
    r = run("risk-header", "vi", "--ref", vi["input"]["ref"], "--json", str(path))
    assert header_value(r.stdout, "X-VERIFIABLE-INTENT") == vi["expect"]["value"]
    assert run("risk-header", "uuid", "925CA6EE-AA4B-4508-955B-10B1C02C69BB").stdout.strip() == \
        b"925ca6ee-aa4b-4508-955b-10b1c02c69bb"
    for args, code in ((["risk-header", "uuid", "nope"], b"X402S_ERR_RISK_INVALID_UUID"),
                       (["risk-header", "parse", "w3c.v1;tp=01-x"], b"X402S_ERR_RISK_INVALID_TRACEPARENT"),
                       (["risk-header", "parse", "evd.v1;mr=a"], b"X402S_ERR_RISK_INVALID_HEADER"),
                       (["risk-header", "parse", "x" * 5000], b"X402S_ERR_RISK_INVALID_HEADER"),
                       (["risk-header", "secure", "--traceparent", "00-" + "0" * 32 + "-" + "1" * 16 + "-01"],
                        b"X402S_ERR_RISK_INVALID_TRACEPARENT")):
        r = run(*args)
        assert r.returncode == 1 and code in r.stderr, (args, r.stderr)
    tp = run("risk-header", "traceparent").stdout.decode().strip()
    child = run("risk-header", "traceparent", "--parent", tp, "--flags", "03").stdout.decode().strip()
    assert child.split("-")[1] == tp.split("-")[1] and child.endswith("-03")


def _request_args(i: Dict[str, Any], tmp_path: Path) -> List[str]:
    req = tmp_path / "requirement.json"
    req.write_text(i["requirement_json"])
    args = ["--payment-header", i["payment_header"], "--requirement", str(req), "--origin", i["origin"],
            "--resource", i["resource"], "--session", i["sid"], "--now", str(i["now"])]
    if "tid" in i:
        args += ["--trace", i["tid"]]
    if "payer" in i:
        args += ["--payer", i["payer"]]
    return args


@pytest.mark.parametrize("name", ["build v1 spec example (base-sepolia, Hardhat #0)", "build solana devnet (ed25519, explicit payer)",
                                  "build v2 permit2 (key01)"])
def test_evidence_build_matches_the_vector(name, tmp_path):
    v = vector("risk_evidence", name)
    i = v["input"]
    args = ["evidence", "build", *_request_args(i, tmp_path), "--valid-for", str(i["valid_for"]), "--key-env", "K"]
    if "agent_trace_json" in i:
        trace = tmp_path / "trace.json"
        trace.write_text(i["agent_trace_json"])
        args += ["--agent-trace", str(trace)]
    if i["alg"] == "ed25519":
        args.append("--solana")
    r = run(*args, env={"K": i["key"]})
    assert r.returncode == 0, r.stderr
    assert header_value(r.stdout, "X-PAYMENT-EVIDENCE") == v["expect"]["header"]
    unsigned = run(*[a for a in args if a not in ("--key-env", "K", "--solana")], "--unsigned")
    doc = json.loads(unsigned.stdout)
    assert doc["digest"] == v["intermediate"]["digest"]
    assert i["key"][2:] not in (r.stdout + r.stderr).decode()


def test_evidence_build_refuses_another_key(tmp_path):
    i = vector("risk_evidence", "build v1 spec example (base-sepolia, Hardhat #0)")["input"]
    r = run("evidence", "build", *_request_args(i, tmp_path), "--key-env", "K", env={"K": "0x" + "01" * 32})
    assert r.returncode == 1 and b"X402S_ERR_RISK_EVIDENCE_MISMATCH" in r.stderr


@pytest.mark.parametrize("name", ["verify v1 valid", "verify v1 wrong origin", "verify solana other payer given",
                                  "verify v1 everything wrong"])
def test_evidence_verify_matches_the_vector(name, tmp_path):
    v = vector("risk_evidence", name)
    i = v["input"]
    args = ["evidence", "verify", i["header"], *_request_args(i, tmp_path)]
    if "agent_trace_digest" in i:
        args += ["--agent-trace-digest", i["agent_trace_digest"]]
    r = run(*args)
    assert json.loads(r.stdout) == v["expect"]
    assert r.returncode == (0 if v["expect"]["isValid"] else 1)


@pytest.mark.parametrize("name,code", [("allow: everything within the mandate", 0),
                                       ("step_up 3: tool output offers a free trial that auto-renews", 2),
                                       ("deny 1: navigation adds an ?aff= parameter", 3),
                                       ("allow: v2 requirement with the resource given", 0)])
def test_mandate_check(name, code, tmp_path):
    v = vector("risk_mandate", name)
    i = v["input"]
    (tmp_path / "m.json").write_text(i["mandate_json"])
    (tmp_path / "r.json").write_text(i["requirement_json"])
    args = ["mandate-check", "--mandate", str(tmp_path / "m.json"), "--requirement", str(tmp_path / "r.json"),
            "--now", str(i["now"]), "--compact"]
    if "trace_json" in i:
        (tmp_path / "t.json").write_text(i["trace_json"])
        args += ["--trace", str(tmp_path / "t.json")]
    if "resource" in i:
        args += ["--resource", i["resource"]]
    r = run(*args)
    assert r.returncode == code, r.stderr
    assert json.loads(r.stdout) == {"decision": v["expect"]["decision"], "reasons": v["expect"]["reasons"]}


def test_mandate_check_malformed(tmp_path):
    (tmp_path / "m.json").write_text('{"mandate_version": 2}')
    r = run("mandate-check", "--mandate", str(tmp_path / "m.json"), "--requirement", '{"scheme":"exact"}', "--now", "0")
    assert r.returncode == 1 and b"X402S_ERR_RISK_INVALID_MANDATE" in r.stderr
