"""Valid raw-ctypes calls of every x402s_risk_* function, for the NULL-pointer and
short-buffer tests of test_ctypes_abi.py (which adds them to its CASES table).

Each case: name -> (builder of a valid argument list without err, indexes of pointer
arguments that may be NULL, [(out index, cap index, needed size)]). Every pointer input
of a valid call has a length > 0, so setting it to NULL must give NULL_ARGUMENT.
"""

from __future__ import annotations

import json
from ctypes import c_char, c_size_t
from typing import Any, Callable, Dict, List, Tuple

from conftest import VECTOR_DIR

from x402secure import _native

lib = _native.lib


def _buf(n: int):
    return (c_char * max(n, 1))()


def _vector(area: str, name: str) -> Dict[str, Any]:
    with (VECTOR_DIR / f"{area}.json").open(encoding="utf-8") as f:
        for v in json.load(f)["vectors"]:
            if v["name"] == name:
                return v
    raise KeyError(name)


def _b(s: str) -> bytes:
    return s.encode("utf-8")


TP = b"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
SID = b"925ca6ee-aa4b-4508-955b-10b1c02c69bb"
TID = b"af88271b-e93d-4998-bc15-2f130d437262"
SECURE = (b"w3c.v1;tp=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01;"
          b"ts=eyJ0aWQiOiJhZjg4MjcxYi1lOTNkLTQ5OTgtYmMxNS0yZjEzMGQ0MzcyNjIifQ%3D%3D")
MANDATE = b'{"type":"PaymentMandate"}'
AP2 = b"evd.v1;mr=m;ms=M3UbiUEkgkLQR6YWruLssdceUcHGup_nl8Vp6u1AvAc;mt=application/json;sz=25"
VI = (b"vi.v1;ref=r;sha256=sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881;"
      b"mt=text/plain;sz=1")
TRACE = b'{"task":"t","parameters":{},"completed_at":"2025-01-01T00:00:00+00:00"}'


def risk_cases() -> Dict[str, Tuple[Callable[[], List[Any]], Tuple[int, ...], List[Tuple[int, int, int]]]]:
    build = _vector("risk_evidence", "build v1 spec example (base-sepolia, Hardhat #0)")
    verify = _vector("risk_evidence", "verify v1 valid")
    allow = _vector("risk_mandate", "allow: everything within the mandate")
    msg = _b(build["expect"]["message_json"])
    key = bytes.fromhex(build["input"]["key"][2:])
    sig = bytes.fromhex(build["expect"]["signature"][2:])
    header = _b(build["expect"]["header"])
    bi = build["input"]
    ev_request = _b(json.dumps({
        "paymentHeader": bi["payment_header"], "requirement": json.loads(bi["requirement_json"]),
        "origin": bi["origin"], "resource": bi["resource"], "riskSessionId": bi["sid"], "riskTraceId": bi["tid"],
        "agentTrace": json.loads(bi["agent_trace_json"]), "validFor": bi["valid_for"]}))
    vi = verify["input"]
    expectation = _b(json.dumps({
        "paymentHeader": vi["payment_header"], "requirement": json.loads(vi["requirement_json"]),
        "origin": vi["origin"], "resource": vi["resource"], "riskSessionId": vi["sid"], "riskTraceId": vi["tid"],
        "agentTraceDigest": vi["agent_trace_digest"]}))
    ai = allow["input"]
    now_opts = lambda n: _b(json.dumps({"now": n}))  # noqa: E731

    # name -> list of the inputs after (out, cap, out_len), in order
    variable: Dict[str, List[Any]] = {
        "x402s_risk_traceparent": [TP, len(TP), b'{"random":"0x1112131415161718"}', 31],
        "x402s_risk_build_secure_header": [TP, len(TP), b'{"tid":"x"}', 11, b"a=b", 3],
        "x402s_risk_parse_secure_header": [SECURE, len(SECURE)],
        "x402s_risk_secure_header_context": [SECURE, len(SECURE)],
        "x402s_risk_normalize_uuid": [SID, len(SID)],
        "x402s_risk_ids": [SID, len(SID), TID, len(TID)],
        "x402s_risk_build_ap2_evidence": [b"m", 1, MANDATE, len(MANDATE)],
        "x402s_risk_build_ap2_evidence_digest": [b"m", 1, b"M3UbiUEkgkLQR6YWruLssdceUcHGup_nl8Vp6u1AvAc", 43, 25],
        "x402s_risk_parse_ap2_evidence": [AP2, len(AP2)],
        "x402s_risk_build_verifiable_intent": [b"r", 1, b"x", 1, b"text/plain", 10, 0],
        "x402s_risk_parse_verifiable_intent": [VI, len(VI)],
        "x402s_risk_canonical_json": [b'{"b":1,"a":2}', 13],
        "x402s_risk_trace_event": [b'{"type":"user_input","content":"hi","ts":1.5}', 45],
        "x402s_risk_agent_trace_build": [TRACE, len(TRACE), b'{"eventOrder":"collector"}', 26],
        "x402s_risk_agent_trace_parse": [TRACE, len(TRACE)],
        "x402s_risk_session_request": [b'{"wallet_address":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"}', 63],
        "x402s_risk_trace_request": [b'{"sid":"' + SID + b'"}', 46],
        "x402s_risk_parse_gateway_answer": [2, b'{"tid":"' + TID + b'"}', 46],
        "x402s_risk_evidence_build": [ev_request, len(ev_request), now_opts(bi["now"]), len(now_opts(bi["now"]))],
        "x402s_risk_evidence_sign": [msg, len(msg), key, 32, 1],
        "x402s_risk_evidence_assemble": [msg, len(msg), sig, 65, 1],
        "x402s_risk_evidence_parse": [header, len(header)],
        "x402s_risk_evidence_verify": [_b(vi["header"]), len(_b(vi["header"])), expectation, len(expectation),
                                       now_opts(vi["now"]), len(now_opts(vi["now"]))],
        "x402s_risk_mandate_evaluate": [
            _b(ai["mandate_json"]), len(_b(ai["mandate_json"])), _b(ai["requirement_json"]),
            len(_b(ai["requirement_json"])), _b(ai["trace_json"]), len(_b(ai["trace_json"])),
            now_opts(ai["now"]), len(now_opts(ai["now"]))],
    }
    for name, inputs in variable.items():
        # every length argument must match its pointer (guards against typos above)
        for k, a in enumerate(inputs[:-1]):
            if isinstance(a, bytes) and isinstance(inputs[k + 1], int) and name != "x402s_risk_parse_gateway_answer":
                assert inputs[k + 1] == len(a), (name, k)

    cases: Dict[str, Tuple[Callable[[], List[Any]], Tuple[int, ...], List[Tuple[int, int, int]]]] = {}
    for name, inputs in variable.items():
        n = c_size_t(0)
        st = getattr(lib, name)(None, 0, n, *inputs, None)
        assert st == _native.S_BUFFER_TOO_SMALL and n.value > 0, (name, st)
        size = n.value
        cases[name] = (lambda size=size, inputs=inputs: [_buf(size), size, c_size_t()] + list(inputs), (), [(0, 1, size)])
    cases["x402s_risk_ap2_evidence_matches"] = (lambda: [AP2, len(AP2), MANDATE, len(MANDATE)], (), [])
    cases["x402s_risk_verifiable_intent_matches"] = (lambda: [VI, len(VI), b"x", 1], (), [])
    cases["x402s_risk_check_content_type"] = (lambda: [b"application/json", 16], (), [])
    return cases
