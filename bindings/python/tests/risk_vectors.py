"""Runners for the risk-layer vector files (test-vectors/risk_*.json) and the canonical
form of test-vectors/json.json, through the public x402secure.risk API.

Imported by test_vectors.py into its RUNNERS table.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Callable, Dict, Optional

import pytest

import x402secure as x
from x402secure import _native, risk

from conftest import hx


def expect_error(code: str, fn: Callable, *args, **kwargs) -> x.X402SError:
    with pytest.raises(x.X402SError) as info:
        fn(*args, **kwargs)
    assert info.value.code == code, f"got {info.value.code} ({info.value.message}), expected {code}"
    assert info.value.status == _native.STATUS[code]
    return info.value


def run_or_error(v: Dict[str, Any], fn: Callable[[], Any]) -> Any:
    if "error" in v["expect"]:
        expect_error(v["expect"]["error"], fn)
        return None
    return fn()


def raw(name: str, *args, verdicts=()) -> bytes:
    """The exact output bytes of an x402s_risk_* function (for byte comparisons)."""
    return risk._call(name, *args, verdicts=verdicts)[1]


# ----------------------------------------------------------------------------- risk_headers


def run_risk_headers(v: Dict[str, Any]) -> None:
    i, exp = v["input"], v["expect"]
    op = i["op"]
    if op == "secure_build":
        ctx = i.get("context_json")
        ctx = None if ctx is None else ctx.encode("utf-8")  # JSON text as bytes: key order kept
        got = run_or_error(v, lambda: x.build_payment_secure_header(
            ctx, traceparent=i["traceparent"], tracestate=i.get("tracestate")))
        if got is not None:
            assert got == exp["value"]
            assert len(got.encode("utf-8")) == exp["length"]
            # the parser accepts everything the builder emits
            parsed = x.parse_payment_secure_header(got)
            assert parsed["tp"] == i["traceparent"]
            if ctx is not None:  # a Python value serialises as 0.1.4's json.dumps does
                assert x.build_payment_secure_header(json.loads(ctx), traceparent=i["traceparent"]) == got
    elif op in ("traceparent_generate", "traceparent_child"):
        got = run_or_error(v, lambda: x.new_traceparent(
            i.get("parent"), i.get("flags"), random=hx(i["random"])))
        if got is not None:
            assert got == exp["traceparent"]
    elif op == "secure_parse":
        got = run_or_error(v, lambda: x.parse_payment_secure_header(i["value"]))
        if got is not None:
            assert got == exp
            assert raw("x402s_risk_parse_secure_header", *risk._ptr(i["value"].encode("utf-8"))) == \
                json.dumps(exp, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    elif op == "secure_context":
        got = run_or_error(v, lambda: x.payment_secure_context(i["value"]))
        if "error" not in exp:
            want = exp["context_json"]
            if want is None:
                assert got is None
            else:
                assert got == json.loads(want)
                assert raw("x402s_risk_secure_header_context", *risk._ptr(i["value"].encode("utf-8"))) == \
                    want.encode("utf-8")
    elif op == "uuid":
        got = run_or_error(v, lambda: x.normalize_risk_id(i["value"]))
        if got is not None:
            assert got == exp["normalized"]
            assert int(got[14], 16) == exp["version"]
    elif op == "risk_ids":
        got = run_or_error(v, lambda: x.parse_risk_ids(i.get("session"), i.get("trace")))
        if got is not None:
            assert got == (exp["sid"], exp["tid"])
    elif op == "ap2_build":
        if "mandate" in i:
            fn = lambda: x.build_ap2_evidence_header(i["mr"], hx(i["mandate"]))  # noqa: E731
        else:
            fn = lambda: x.build_ap2_evidence_header(i["mr"], mandate_sha256=i["ms"], size=i["sz"])  # noqa: E731
        got = run_or_error(v, fn)
        if got is not None:
            assert got == exp["value"]
            if "mandate" in i:
                assert x.ap2_evidence_matches(got, hx(i["mandate"]))
                assert not x.ap2_evidence_matches(got, hx(i["mandate"]) + b" ")
    elif op == "ap2_parse":
        got = run_or_error(v, lambda: x.parse_ap2_evidence_header(i["value"]))
        if got is not None:
            assert got == exp
    elif op == "vi_build":
        if "evidence_json" in i:
            evidence: Any = json.loads(i["evidence_json"])
        else:
            evidence = hx(i["evidence"])
        got = run_or_error(v, lambda: x.build_verifiable_intent_header(i["ref"], evidence, media_type=i.get("mt")))
        if got is not None:
            assert got == exp["value"]
            assert x.verifiable_intent_matches(got, evidence)
    elif op == "vi_parse":
        got = run_or_error(v, lambda: x.parse_verifiable_intent_header(i["value"]))
        if got is not None:
            assert got == exp
    elif op == "canonical":
        got = x.canonical_json(i["json"])
        assert got == exp["canonical"].encode("utf-8")
        assert hashlib.sha256(got).hexdigest() == exp["sha256"]
        assert x.canonical_sha256(i["json"]).hex() == exp["sha256"]
        assert "sha256:" + exp["sha256"] == exp["tagged"]
    else:
        raise AssertionError(f"unknown op {op}")


# ----------------------------------------------------------------------------- risk_trace


def _record(trace: x.AgentTrace, spec: Dict[str, Any]) -> None:
    r, ts = spec["record"], spec["ts"]
    if r == "user_input":
        trace.user_input(spec["content"], spec.get("role", "user"), ts=ts)
    elif r == "system_prompt":
        trace.system_prompt(spec["content"], spec.get("version", "v1.0"), ts=ts)
    elif r == "agent_output":
        trace.agent_output(spec["content"], spec.get("role", "assistant"), ts=ts)
    elif r == "tool":
        trace.tool_call(spec["name"], json.loads(spec["args_json"]), json.loads(spec["kwargs_json"]), ts=ts)
        trace.tool_result(spec["name"], json.loads(spec["result_json"]), ts=spec["result_ts"])
    elif r == "function_call":
        trace.function_call(spec["name"], spec["arguments"], spec["call_id"], ts=ts)
    elif r == "reasoning_summary":
        trace.reasoning_summary(spec["text"], ts=ts)
    elif r == "marker":
        trace.custom(spec["type"], ts=ts)
    else:
        raise AssertionError(f"unknown event record {r}")


def _loads_opt(text: Optional[str]) -> Any:
    return None if text is None else json.loads(text)


def run_risk_trace(v: Dict[str, Any]) -> None:
    i, exp = v["input"], v["expect"]
    op = i["op"]
    if op == "session_request":
        got = run_or_error(v, lambda: x.risk_session_request(
            i["wallet"], agent_did=i.get("agent_did"), agent_endpoint=i.get("agent_endpoint"),
            app_id=i.get("app_id"), device=_loads_opt(i.get("device_json"))))
        if got is not None:
            assert got == exp["body"].encode("utf-8")
    elif op == "trace_request":
        trace = x.AgentTrace(
            i["task"], json.loads(i["params_json"]), environment=_loads_opt(i.get("environment_json")),
            model_config=_loads_opt(i.get("model_config_json")),
            session_context=_loads_opt(i.get("session_context_json")),
            completed_at=_isoformat(i["completed_at_micros"]))
        if "events" in i:
            trace.events = []
            for spec in i["events"]:
                _record(trace, spec)
        body = x.risk_trace_request(i["sid"], trace)
        assert body == exp["body"].encode("utf-8")
        assert trace.digest().hex() == exp["agent_trace_sha256"]
        assert x.canonical_json(trace.to_dict()) == v["intermediate"]["agent_trace_canonical"].encode("utf-8")
        # the seller side parses what was sent back to the same digest
        sent = json.loads(body)["agent_trace"]
        assert x.parse_agent_trace(json.dumps(sent, separators=(",", ":"), ensure_ascii=False)).digest == trace.digest()
    elif op == "isoformat":
        got = run_or_error(v, lambda: _isoformat(i["micros"]))
        if got is not None:
            assert got == exp["text"]
    elif op == "event_ts":
        event = risk._call("x402s_risk_trace_event", *risk._ptr(
            json.dumps({"type": "m", "ts": i["ts"]}).encode()))[1]
        assert event.startswith(b'{"ts":' + exp["text"].encode() + b',"type":"m"}')
        assert json.loads(event)["ts"] == i["ts"]
    elif op == "session_answer":
        got = run_or_error(v, lambda: x.parse_risk_session_answer(i["body"]))
        if got is not None:
            assert got == {"sid": exp["sid"], "expires_at": exp["expires_at"]}
    elif op == "trace_answer":
        got = run_or_error(v, lambda: x.parse_risk_trace_answer(i["body"]))
        if got is not None:
            assert got == exp["tid"]
    elif op == "error_answer":
        got = x.parse_risk_error_answer(i["body"])
        if exp.get("none"):
            assert got is None
        else:
            assert got == {"code": exp["code"], "message": exp["message"], "request_id": exp["request_id"]}
    elif op == "content_type":
        assert x.is_json_content_type(i["value"]) is exp["json"]
        if exp["json"]:
            x.parse_risk_trace_answer('{"tid":"af88271b-e93d-4998-bc15-2f130d437262"}', content_type=i["value"])
        elif i["value"] is not None:
            expect_error("X402S_ERR_INVALID_JSON", x.parse_risk_trace_answer,
                         '{"tid":"af88271b-e93d-4998-bc15-2f130d437262"}', content_type=i["value"])
    elif op == "trace_parse":
        got = run_or_error(v, lambda: x.parse_agent_trace(i["json"]))
        if got is not None:
            assert x.canonical_json(i["json"]) == exp["canonical"].encode("utf-8")
            assert got.digest.hex() == exp["sha256"]
            assert got.trace == json.loads(i["json"])
    else:
        raise AssertionError(f"unknown op {op}")


def _isoformat(micros: int) -> str:
    """completed_at through the core's clock injection (now_micros)."""
    return x.AgentTrace("t", now_micros=micros).to_dict()["completed_at"]


# ----------------------------------------------------------------------------- risk_evidence


def _account(alg: str, key: bytes):
    return x.SolanaKeypair.from_seed(key) if alg == "ed25519" else x.EvmAccount.from_key(key)


def run_risk_evidence(v: Dict[str, Any]) -> None:
    i, exp = v["input"], v["expect"]
    op = i["op"]
    if op == "evidence_build":
        def build():
            ev = x.PaymentEvidence.build(
                i["payment_header"], i["requirement_json"], origin=i["origin"], resource=i["resource"],
                session_id=i["sid"], trace_id=i.get("tid"), agent_trace=i.get("agent_trace_json"),
                payer=i.get("payer"), valid_for=i["valid_for"], now=i["now"])
            with _account(i["alg"], hx(i["key"])) as signer:
                return ev, ev.sign(signer)
        got = run_or_error(v, build)
        if got is None:
            return
        ev, header = got
        inter = v["intermediate"]
        assert "0x" + ev.digest.hex() == inter["digest"]
        assert ev.message["paymentHash"] == inter["paymentHash"]
        assert x.canonical_json(ev.message) == exp["message_json"].encode("utf-8")
        assert header == exp["header"]
        parsed = x.parse_payment_evidence_header(header)
        assert parsed["signature"] == exp["signature"]
        assert parsed["alg"] == i["alg"]
        assert parsed["message"] == ev.message
        assert parsed["digest"] == inter["digest"]
        # the typed data hashes to the same digest with the generic EIP-712 encoder
        hashes = x.eip712_hashes(ev.typed_data)
        assert "0x" + hashes.domain_separator.hex() == inter["domainSeparator"]
        assert "0x" + hashes.struct_hash.hex() == inter["structHash"]
        # a wallet signature assembles to the same header
        assert ev.assemble(hx(exp["signature"]), i["alg"]) == header
    elif op == "evidence_verify":
        got = x.verify_payment_evidence(
            i["header"], i["payment_header"], i["requirement_json"], origin=i["origin"], resource=i["resource"],
            session_id=i["sid"], trace_id=i.get("tid"),
            agent_trace_digest=hx(i["agent_trace_digest"]) if "agent_trace_digest" in i else None,
            payer=i.get("payer"), now=i["now"])
        assert got.is_valid is exp["isValid"]
        assert bool(got) is exp["isValid"]
        assert list(got.reasons) == exp["reasons"]
        assert got.signer == exp["signer"]
    elif op == "evidence_parse":
        expect_error(exp["error"], x.parse_payment_evidence_header, i["value"])
    else:
        raise AssertionError(f"unknown op {op}")


# ----------------------------------------------------------------------------- risk_mandate

_ISO_REQUIREMENT = {
    "scheme": "exact", "network": "base-sepolia", "maxAmountRequired": "1",
    "resource": "https://seller.example/r", "description": "d", "mimeType": "application/json",
    "payTo": "0x0987654321098765432109876543210987654321", "maxTimeoutSeconds": 30,
    "asset": "0x036CbD53842c5426634e7929541eC2318f3dCF7e", "extra": {"name": "USDC", "version": "2"},
}


def run_risk_mandate(v: Dict[str, Any]) -> None:
    i, exp = v["input"], v["expect"]
    op = i["op"]
    if op == "mandate_evaluate":
        d = x.evaluate_mandate(i["mandate_json"], i["requirement_json"], i.get("trace_json"),
                               resource=i.get("resource"), now=i["now"])
        assert d.action == exp["decision"]
        assert [(r.code, r.action, r.detail) for r in d.reasons] == \
            [(r["code"], r["action"], r["detail"]) for r in exp["reasons"]]
        assert bool(d) is (exp["decision"] == "allow")
        # the same through bytes and Python values
        d2 = x.evaluate_mandate(json.loads(i["mandate_json"]), i["requirement_json"].encode(),
                                None if "trace_json" not in i else json.loads(i["trace_json"]),
                                resource=i.get("resource"), now=i["now"])
        assert d2 == d
    elif op == "mandate_parse":
        expect_error(exp["error"], x.evaluate_mandate, i["mandate_json"], _ISO_REQUIREMENT, now=0)
    elif op == "iso8601":
        # RiskClock.parseISO8601 is reached through the mandate's intent_expiry.
        mandate = {"mandate_version": 1, "intent_expiry": i["text"], "max_amount": "1"}
        unix = exp["unix"]
        if unix is None:
            expect_error("X402S_ERR_RISK_INVALID_MANDATE", x.evaluate_mandate, mandate, _ISO_REQUIREMENT, now=0)
        else:
            assert x.evaluate_mandate(mandate, _ISO_REQUIREMENT, now=unix - 1).action == "allow"
            late = x.evaluate_mandate(mandate, _ISO_REQUIREMENT, now=unix)
            assert late.action == "deny" and late.codes == ("mandate_expired",)
    else:
        raise AssertionError(f"unknown op {op}")


# ----------------------------------------------------------------------------- json (canonical form)


def run_json_canonical(v: Dict[str, Any]) -> None:
    """test-vectors/json.json through canonical_json: the canonical form and the parse
    errors. The compact and pythonSpaced forms have no C function (Swift tests cover
    them); vectors that override the parser limits are skipped (canonical_json has the
    fixed limits of the risk layer: 8 MiB, depth 64)."""
    i, exp = v["input"], v["expect"]
    if "maxBytes" in i or "maxDepth" in i:
        pytest.skip("parser limit overrides are not part of canonical_json")
    doc = i["json"].encode("utf-8") if "json" in i else hx(i["hex"])
    got = run_or_error(v, lambda: x.canonical_json(doc))
    if got is not None:
        assert got == exp["canonical"].encode("utf-8")


RISK_RUNNERS = {
    "risk_headers": run_risk_headers,
    "risk_trace": run_risk_trace,
    "risk_evidence": run_risk_evidence,
    "risk_mandate": run_risk_mandate,
    "json": run_json_canonical,
}
