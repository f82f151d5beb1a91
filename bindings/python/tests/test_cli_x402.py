"""The CLI's x402 commands (pay, decode, verify, networks) against the Python binding: same
bytes, same verdicts, exit codes, errors on stderr, keys never echoed.

The CLI is X402SECURE_CLI (set by `make test-python`) or <repo>/build/bin/x402secure."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import x402secure as x

from conftest import REPO

CLI = os.environ.get("X402SECURE_CLI") or str(REPO / "build" / "bin" / "x402secure")
pytestmark = pytest.mark.skipif(not (Path(CLI).is_file() and os.access(CLI, os.X_OK)), reason=f"no CLI at {CLI}")

KEY = "0x" + "01" * 32
SEED = "0x" + "01" * 32
NOW = 1_740_672_000
NONCE = "0x" + "ab" * 32
REQ = {"scheme": "exact", "network": "eip155:84532", "asset": "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
       "amount": "10000", "payTo": "0x209693Bc6afc0C5328bA36FaF03C514EF312287C", "maxTimeoutSeconds": 60,
       "extra": {"name": "USDC", "version": "2"}}
SVM_REQ = {"scheme": "exact", "network": "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1",
           "asset": "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU", "amount": "1000",
           "payTo": "GyGKxMyg1p9SsHfm15MkNUu1u9TN2JtTspcdmrtGUdse", "maxTimeoutSeconds": 60,
           "extra": {"feePayer": "9hSR6S7WPtxmTojgo6GG3k4yDPecgJY292j7xrsUGWBu",
                     "recentBlockhash": "US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx", "memo": "m"}}


def run(*args, stdin=None, env_key=KEY, check=True):
    env = dict(os.environ)
    env.pop("X402_PRIVATE_KEY", None)
    if env_key is not None:
        env["X402_TEST_KEY"] = env_key
    p = subprocess.run([CLI, *args], input=stdin, capture_output=True, text=True, env=env, timeout=60)
    if check:
        assert p.returncode == 0, (args, p.stdout, p.stderr)
    assert KEY[2:] not in p.stdout + p.stderr  # the key never appears
    return p


@pytest.fixture()
def req_file(tmp_path):
    f = tmp_path / "req.json"
    f.write_text(json.dumps(REQ))
    return f


def test_networks():
    table = json.loads(run("networks").stdout)
    assert table == x.networks()
    assert json.loads(run("networks", "--compact").stdout) == table
    assert json.loads(run("networks", "--network", "base-sepolia").stdout) == x.network("base-sepolia")
    p = run("networks", "--network", "nope", check=False)
    assert p.returncode != 0 and "X402S_ERR_X402_UNKNOWN_NETWORK" in p.stderr


def test_pay_requirement_file_and_stdin(req_file):
    with x.EvmAccount.from_key(KEY) as acct:
        want = x.create_payment_header(REQ, acct, now=NOW, nonce=NONCE)
    out = run("pay", str(req_file), "--key-env", "X402_TEST_KEY", "--now", str(NOW), "--nonce", NONCE).stdout
    assert out.strip() == f"{want[0]}: {want[1]}"
    out = run("pay", "--key-env", "X402_TEST_KEY", "--now", str(NOW), "--nonce", NONCE, stdin=json.dumps(REQ)).stdout
    assert out.strip() == f"{want[0]}: {want[1]}"


def test_pay_402_answer_header_and_policy():
    answer = x.payment_required_response(
        [{"network": "base", "payTo": REQ["payTo"], "price": "$0.50"},
         {"network": "base-sepolia", "payTo": REQ["payTo"], "price": "$0.01"}], resource="https://example.com/x")
    header = answer.headers["PAYMENT-REQUIRED"]
    out = run("pay", "--header", header, "--key-env", "X402_TEST_KEY", "--now", str(NOW), "--nonce", NONCE,
              "--policy", '{"networks":["eip155:84532"]}', "--show-payload").stdout
    name, value = out.splitlines()[0].split(": ", 1)
    assert name == "PAYMENT-SIGNATURE"
    payment = x.decode_payment_header(value)
    assert payment["accepted"]["network"] == "eip155:84532"
    assert payment["resource"]["url"] == "https://example.com/x"
    assert json.loads("\n".join(out.splitlines()[1:])) == payment
    # the same from the 402 JSON (decoded v2 answer) on stdin; no match -> error
    out2 = run("pay", "--key-env", "X402_TEST_KEY", "--now", str(NOW), "--nonce", NONCE,
               "--policy", '{"networks":["eip155:84532"]}', stdin=json.dumps(answer.payment_required)).stdout
    assert out2.splitlines()[0] == out.splitlines()[0]
    p = run("pay", "--header", header, "--key-env", "X402_TEST_KEY", "--policy", '{"networks":["eip155:1"]}', check=False)
    assert p.returncode != 0 and "X402S_ERR_X402_NO_MATCHING_REQUIREMENT" in p.stderr


def test_pay_solana(tmp_path):
    f = tmp_path / "svm.json"
    f.write_text(json.dumps(SVM_REQ))
    out = run("pay", str(f), "--solana", "--key-env", "X402_TEST_KEY", "--now", str(NOW), env_key=SEED).stdout
    value = out.split(": ", 1)[1].strip()
    with x.SolanaKeypair.from_seed(bytes([1]) * 32) as kp:
        assert value == x.create_payment_header(SVM_REQ, kp)[1]  # memo given: deterministic
    assert x.verify_payment(value, SVM_REQ, NOW).is_valid


def test_pay_key_file_and_errors(tmp_path, req_file):
    kf = tmp_path / "key"
    kf.write_text(KEY + "\n")
    assert run("pay", str(req_file), "--key-file", str(kf), "--now", str(NOW)).stdout.startswith("PAYMENT-SIGNATURE: ")
    p = run("pay", str(req_file), env_key=None, check=False)
    assert p.returncode != 0 and "no key" in p.stderr
    p = run("pay", str(req_file), "--key-env", "X402_TEST_KEY", env_key="0xzz" + KEY[4:], check=False)
    assert p.returncode != 0 and "not hex" in p.stderr
    p = run("pay", str(req_file), "--key-env", "X402_TEST_KEY", "--solana", env_key=SEED, check=False)
    assert p.returncode != 0 and "X402S_ERR_INVALID_ARGUMENT" in p.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    p = run("pay", str(bad), "--key-env", "X402_TEST_KEY", check=False)
    assert p.returncode != 0 and "X402S_ERR_INVALID_JSON" in p.stderr


def test_decode(req_file):
    with x.EvmAccount.from_key(KEY) as acct:
        _, value = x.create_payment_header(REQ, acct, now=NOW, nonce=NONCE)
    pretty = run("decode", value).stdout
    assert json.loads(pretty) == x.decode_payment_header(value)
    assert "\n  " in pretty
    assert json.loads(run("decode", "--compact", stdin=value + "\n").stdout) == x.decode_payment_header(value)
    answer = x.payment_required_response([{"network": "base", "payTo": REQ["payTo"], "price": "$1"}], resource="u")
    assert json.loads(run("decode", "--kind", "required", answer.headers["PAYMENT-REQUIRED"]).stdout) == answer.payment_required
    receipt = x.encode_settle_response({"success": True, "transaction": "0x12", "network": "base"}, python_spaced=True)
    assert json.loads(run("decode", "--kind", "response", receipt).stdout) == x.decode_settle_response(receipt)
    p = run("decode", "eyJhIjoxfQ_-", check=False)
    assert p.returncode != 0 and "X402S_ERR_INVALID_BASE64" in p.stderr and "URL-safe" in p.stderr


def test_verify_exit_codes(req_file):
    with x.EvmAccount.from_key(KEY) as acct:
        _, value = x.create_payment_header(REQ, acct, now=NOW, nonce=NONCE)
    ok = run("verify", "--header", value, "--requirements", str(req_file), "--now", str(NOW))
    assert json.loads(ok.stdout) == x.verify_payment(value, REQ, NOW).to_json()
    late = run("verify", "--header", value, "--requirements", str(req_file), "--now", str(NOW + 55), check=False)
    assert late.returncode == 1
    assert json.loads(late.stdout) == x.verify_payment(value, REQ, NOW + 55).to_json()
    assert json.loads(late.stdout)["invalidReason"] == "invalid_exact_evm_payload_authorization_valid_before"
    hf = req_file.parent / "header.txt"
    hf.write_text(value + "\n")
    assert run("verify", "--header-file", str(hf), "--requirements", str(req_file), "--now", str(NOW)).returncode == 0
    p = run("verify", "--header", "e30=", "--requirements", str(req_file), check=False)
    assert p.returncode == 1 and "X402S_ERR_X402_UNSUPPORTED_VERSION" in p.stderr
    p = run("verify", "--requirements", str(req_file), check=False)
    assert p.returncode != 0
