"""x402secure.risk: byte compatibility with the PyPI x402-secure 0.1.4 client, bad input
for every parser (specific status, never a crash), the verdict statuses of the mandate
gate and evidence verification, and the builder's behaviour."""

from __future__ import annotations

import ctypes
import json
import random
import time
from ctypes import c_char, c_size_t
from typing import Any, Dict

import pytest

import x402secure as x
from x402secure import _native, risk

from conftest import VECTOR_DIR

S = _native.STATUS
TP = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
SID = "925ca6ee-aa4b-4508-955b-10b1c02c69bb"
TID = "af88271b-e93d-4998-bc15-2f130d437262"


def code_of(fn, *args, **kwargs) -> str:
    with pytest.raises(x.X402SError) as info:
        fn(*args, **kwargs)
    assert info.value.status == S[info.value.code]
    assert info.value.message
    return info.value.code


def vector(area: str, name: str) -> Dict[str, Any]:
    with (VECTOR_DIR / f"{area}.json").open(encoding="utf-8") as f:
        for v in json.load(f)["vectors"]:
            if v["name"] == name:
                return v
    raise KeyError(name)


# ----------------------------------------------------------------------------- PyPI x402-secure 0.1.4

otel_trace = pytest.importorskip("opentelemetry.trace")
otel_context = pytest.importorskip("opentelemetry.context")
headers_014 = pytest.importorskip("x402_secure_client.headers")
tracing_014 = pytest.importorskip("x402_secure_client.tracing")


def build_014(trace_id: int, span_id: int, flags: int, context: Any, tracestate: str = None) -> str:
    """x402_secure_client.headers.build_payment_secure_header inside a pinned span context."""
    from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags, TraceState

    state = TraceState.from_header([tracestate]) if tracestate else TraceState()
    sc = SpanContext(trace_id=trace_id, span_id=span_id, is_remote=False, trace_flags=TraceFlags(flags),
                     trace_state=state)
    token = otel_context.attach(otel_trace.set_span_in_context(NonRecordingSpan(sc)))
    try:
        return headers_014.build_payment_secure_header(context)["X-PAYMENT-SECURE"]
    finally:
        otel_context.detach(token)


CONTEXTS = [
    {"tid": TID},
    {"tid": TID, "sid": SID, "extra": [1, -2, 3.5, True, None]},
    {},
    {"z": 1, "a": {"nested": "é 😀 \u2028 \"q\" \\ /"}},
    {"tid": "x" * 200},
    ["array", "context"],
    "a string context",
    {"big": 12345678901234567890123, "neg": -7},
]


@pytest.mark.parametrize("context", CONTEXTS, ids=range(len(CONTEXTS)))
@pytest.mark.parametrize("flags", [0, 1, 3])
def test_secure_header_is_byte_identical_to_pypi_014(context, flags):
    trace_id, span_id = 0x4BF92F3577B34DA6A3CE929D0E0E4736, 0x00F067AA0BA902B7
    theirs = build_014(trace_id, span_id, flags, context)
    tp = f"00-{trace_id:032x}-{span_id:016x}-{flags:02x}"
    ours = x.build_payment_secure_header(context, traceparent=tp)
    assert ours.encode("utf-8") == theirs.encode("utf-8")
    parsed = x.parse_payment_secure_header(theirs)
    assert parsed["tp"] == tp
    assert x.payment_secure_context(theirs) == context
    if isinstance(context, dict) and isinstance(context.get("tid"), str):
        assert parsed["tid"] == context["tid"]


def test_secure_header_tracestate_only_matches_pypi_014():
    theirs = build_014(0x1, 0x2, 1, None, "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")
    ours = x.build_payment_secure_header(traceparent=f"00-{1:032x}-{2:016x}-01",
                                         tracestate="rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")
    assert ours == theirs
    assert x.parse_payment_secure_header(theirs)["ts"] == "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"
    assert x.payment_secure_context(x.build_payment_secure_header(traceparent=f"00-{1:032x}-{2:016x}-01")) is None


def test_secure_header_random_ids_and_contexts_match_pypi_014():
    rng = random.Random(402)
    alphabet = "abcXYZ019 _-+/=%;é€😀\"\\\n\t"
    for _ in range(300):
        trace_id = rng.getrandbits(128) or 1
        span_id = rng.getrandbits(64) or 1
        flags = rng.getrandbits(8)
        context = {"tid": str(rng.getrandbits(64))}
        for _k in range(rng.randrange(4)):
            key = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 6)))
            context[key] = rng.choice([
                "".join(rng.choice(alphabet) for _ in range(rng.randrange(20))),
                rng.randrange(-10**20, 10**20), None, True, [1, "2"],
            ])
        theirs = build_014(trace_id, span_id, flags, context)
        ours = x.build_payment_secure_header(context, traceparent=f"00-{trace_id:032x}-{span_id:016x}-{flags:02x}")
        assert ours == theirs, context
        parsed = x.parse_payment_secure_header(theirs)
        assert parsed["tid"] == context["tid"]
        assert x.payment_secure_context(theirs) == context


def test_new_traceparent_ids_are_accepted_by_both_sides():
    for _ in range(50):
        tp = x.new_traceparent()
        parsed = x.parse_payment_secure_header(x.build_payment_secure_header(traceparent=tp))
        assert parsed["tp"] == tp and parsed["flags"] == "01"
        assert int(parsed["traceId"], 16) and int(parsed["spanId"], 16)
        child = x.new_traceparent(tp)
        assert child.split("-")[1] == tp.split("-")[1] and child.split("-")[2] != tp.split("-")[2]
        theirs = build_014(int(parsed["traceId"], 16), int(parsed["spanId"], 16), 1, {"tid": TID})
        assert theirs == x.build_payment_secure_header(traceparent=tp, tid=TID)


def test_agent_trace_events_are_byte_identical_to_pypi_collector(monkeypatch):
    """Random event sequences through 0.1.4's OpenAITraceCollector (time.time pinned) and
    through AgentTrace give the same events, in the same order, as the same JSON bytes."""
    rng = random.Random(7)
    words = ["pay", "café", "😀", "BTC/USD", "", "line\nbreak", "\"quoted\"", "tab\t", "\u2028"]
    for _ in range(40):
        clock = [1764051200.0]

        def tick():
            clock[0] += rng.choice([0.5, 0.123456, 1.0, 0.0818572])
            return clock[0]

        monkeypatch.setattr(tracing_014.time, "time", tick)
        collector = tracing_014.OpenAITraceCollector()
        ours = x.AgentTrace("task", {"q": rng.choice(words)})
        for _k in range(rng.randrange(1, 10)):
            kind = rng.randrange(5)
            text = " ".join(rng.choice(words) for _ in range(rng.randrange(4)))
            if kind == 0:
                collector.record_user_input(text)  # inserted at the front
                ours.user_input(text, ts=collector.events[0]["ts"])
            elif kind == 1:
                collector.record_system_prompt(text, version="v2")
                ours.system_prompt(text, "v2", ts=collector.events[0]["ts"])
            elif kind == 2:
                collector.record_agent_output(text)
                ours.agent_output(text, ts=collector.events[-1]["ts"])
            elif kind == 3:
                def lookup(a, b=None):
                    return {"a": a, "b": b, "ok": True}
                wrapped = collector.tool(lookup)
                n_events = len(collector.events)
                wrapped(text, b=[1, 2])
                call, result = collector.events[n_events], collector.events[n_events + 1]
                ours.tool_call("lookup", [text], {"b": [1, 2]}, ts=call["ts"])
                ours.tool_result("lookup", {"a": text, "b": [1, 2], "ok": True}, ts=result["ts"])
            else:
                class Item:
                    type = "function_call"
                    call_id = "call_1"
                    name = "prepare"
                    arguments = rng.choice(['{"x": 1}', "", "{broken", "[1, 2]"])

                class Done:
                    type = "response.output_item.done"
                    item = Item

                tick()
                collector.ingest_event(Done)
                ours.function_call("prepare", Item.arguments, "call_1", ts=collector.events[-1]["ts"])
        theirs = json.dumps(collector.events, separators=(",", ":"), ensure_ascii=False)
        mine = json.dumps(ours.to_dict()["events"], separators=(",", ":"), ensure_ascii=False)
        assert mine == theirs


# ----------------------------------------------------------------------------- bad input for every parser

OVERSIZE = "w3c.v1;tp=" + TP + ";x=" + "a" * 5000


@pytest.mark.parametrize("value,code", [
    (OVERSIZE, "X402S_ERR_RISK_HEADER_TOO_LONG"),
    ("w3c.v1;tp=" + TP + ";x=" + "a" * (2 << 20), "X402S_ERR_RISK_HEADER_TOO_LONG"),
    ("w3c.v2;tp=" + TP, "X402S_ERR_RISK_INVALID_HEADER"),
    ("W3C.V1;tp=" + TP, "X402S_ERR_RISK_INVALID_HEADER"),
    ("", "X402S_ERR_RISK_INVALID_HEADER"),
    ("w3c.v1;tp", "X402S_ERR_RISK_INVALID_HEADER"),
    ("w3c.v1;ts=abc", "X402S_ERR_RISK_INVALID_HEADER"),
    ("w3c.v1;tp=01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "X402S_ERR_RISK_INVALID_TRACEPARENT"),
    ("w3c.v1;tp=00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", "X402S_ERR_RISK_INVALID_TRACEPARENT"),
    ("w3c.v1;tp=00-00000000000000000000000000000000-00f067aa0ba902b7-01", "X402S_ERR_RISK_INVALID_TRACEPARENT"),
    (b"w3c.v1;tp=" + TP.encode() + b";ts=\xff", "X402S_ERR_INVALID_UTF8"),
])
def test_parse_payment_secure_header_bad_input(value, code):
    assert code_of(x.parse_payment_secure_header, value) == code


@pytest.mark.parametrize("ts,code", [
    ("%4", "X402S_ERR_RISK_INVALID_HEADER"),          # bad percent-encoding
    ("%zz", "X402S_ERR_RISK_INVALID_HEADER"),
    ("eyJ0aWQiOiJ4In0", "X402S_ERR_INVALID_BASE64"),  # unpadded
    ("eyJ0aWQiOiJ4In0-", "X402S_ERR_INVALID_BASE64"),  # url-safe alphabet
    ("rojo=00f067aa0ba902b7", "X402S_ERR_INVALID_BASE64"),  # a raw tracestate
    ("bm90IGpzb24%3D", "X402S_ERR_INVALID_JSON"),  # base64("not json")
    ("eyJhIjoxLCJhIjoyfQ%3D%3D", "X402S_ERR_INVALID_JSON"),  # duplicate keys
])
def test_payment_secure_context_bad_input(ts, code):
    assert code_of(x.payment_secure_context, f"w3c.v1;tp={TP};ts={ts}") == code
    # the lenient gateway extraction never fails: no tid instead
    assert "tid" not in x.parse_payment_secure_header(f"w3c.v1;tp={TP};ts={ts}")


@pytest.mark.parametrize("value", [
    "", "abc", "925ca6ee-aa4b-4508-955b-10b1c02c69b", "925ca6ee-aa4b-4508-955b-10b1c02c69bbb",
    "925ca6ee-aa4b-3508-955b-10b1c02c69bb", "925ca6ee-aa4b-4508-c55b-10b1c02c69bb", " " + SID, "0x" + SID.replace("-", ""),
    "00000000-0000-0000-0000-000000000000", "925ca6ee_aa4b_4508_955b_10b1c02c69bb", "x" * 5000,
])
def test_non_uuid_ids_are_refused_everywhere(value):
    assert code_of(x.normalize_risk_id, value) == "X402S_ERR_RISK_INVALID_UUID"
    assert code_of(x.parse_risk_ids, value) == "X402S_ERR_RISK_INVALID_UUID"
    if value:
        assert code_of(x.parse_risk_ids, SID, value) == "X402S_ERR_RISK_INVALID_UUID"
    assert code_of(x.risk_trace_request, value) == "X402S_ERR_RISK_INVALID_UUID"
    assert code_of(x.parse_risk_trace_answer, json.dumps({"tid": value})) == "X402S_ERR_RISK_INVALID_UUID"
    assert code_of(x.parse_risk_session_answer, json.dumps({"sid": value})) == "X402S_ERR_RISK_INVALID_UUID"


def test_missing_session_id():
    assert code_of(x.parse_risk_ids, None, TID) == "X402S_ERR_RISK_INVALID_UUID"
    assert code_of(x.parse_risk_ids, "") == "X402S_ERR_RISK_INVALID_UUID"


AP2_OK = "evd.v1;mr=m;ms=M3UbiUEkgkLQR6YWruLssdceUcHGup_nl8Vp6u1AvAc;mt=application/json;sz=25"
VI_OK = "vi.v1;ref=r;sha256=sha256:" + "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881" + ";mt=t;sz=1"


@pytest.mark.parametrize("fn,value,code", [
    (x.parse_ap2_evidence_header, AP2_OK + ";x=" + "a" * 2048, "X402S_ERR_RISK_HEADER_TOO_LONG"),
    (x.parse_ap2_evidence_header, AP2_OK.replace("evd.v1", "evd.v2"), "X402S_ERR_RISK_INVALID_HEADER"),
    (x.parse_ap2_evidence_header, AP2_OK.replace(";sz=25", ""), "X402S_ERR_RISK_INVALID_HEADER"),
    (x.parse_ap2_evidence_header, AP2_OK.replace("sz=25", "sz=-1"), "X402S_ERR_RISK_INVALID_HEADER"),
    (x.parse_ap2_evidence_header, AP2_OK.replace("application/json", "text/plain"), "X402S_ERR_RISK_INVALID_HEADER"),
    (x.parse_ap2_evidence_header, "evd.v1;mr", "X402S_ERR_RISK_INVALID_HEADER"),
    (x.parse_verifiable_intent_header, VI_OK + ";x=" + "a" * 4096, "X402S_ERR_RISK_HEADER_TOO_LONG"),
    (x.parse_verifiable_intent_header, VI_OK.replace("vi.v1", "vi.v0"), "X402S_ERR_RISK_INVALID_HEADER"),
    (x.parse_verifiable_intent_header, VI_OK.replace("sha256:2d", "sha256:2D"), "X402S_ERR_RISK_INVALID_HEADER"),
    (x.parse_verifiable_intent_header, VI_OK.replace("sz=1", "sz=1x"), "X402S_ERR_RISK_INVALID_HEADER"),
])
def test_evidence_reference_headers_bad_input(fn, value, code):
    assert code_of(fn, value) == code


def test_reference_header_matching():
    assert x.ap2_evidence_matches(AP2_OK, b'{"type":"PaymentMandate"}')
    assert not x.ap2_evidence_matches(AP2_OK, b'{"type":"PaymentMandate"} ')
    assert code_of(x.ap2_evidence_matches, "evd.v2;mr=m", b"") == "X402S_ERR_RISK_INVALID_HEADER"
    assert x.verifiable_intent_matches(VI_OK, b"x") and not x.verifiable_intent_matches(VI_OK, "y")
    vi = x.build_verifiable_intent_header("r", {"b": 1, "a": [2]})
    assert x.verifiable_intent_matches(vi, {"a": [2], "b": 1})
    assert x.verifiable_intent_matches(vi, x.canonical_json({"a": [2], "b": 1}))


EVIDENCE = vector("risk_evidence", "build v1 spec example (base-sepolia, Hardhat #0)")
GOOD_EVIDENCE = EVIDENCE["expect"]["header"]


def _evidence_with_message(message: bytes) -> str:
    import base64

    m = base64.urlsafe_b64encode(message).rstrip(b"=").decode()
    sig = GOOD_EVIDENCE.split(";sig=")[1]
    return f"pev.v1;alg=secp256k1;m={m};sig={sig}"


@pytest.mark.parametrize("value,code", [
    (GOOD_EVIDENCE + ";x=" + "a" * 4096, "X402S_ERR_RISK_HEADER_TOO_LONG"),
    (GOOD_EVIDENCE.replace("pev.v1", "pev.v2"), "X402S_ERR_RISK_INVALID_HEADER"),
    (GOOD_EVIDENCE.replace("alg=secp256k1", "alg=rsa"), "X402S_ERR_RISK_INVALID_HEADER"),
    (GOOD_EVIDENCE.split(";sig=")[0], "X402S_ERR_RISK_INVALID_HEADER"),
    (GOOD_EVIDENCE.replace(";m=", ";m=*"), "X402S_ERR_INVALID_BASE64"),
    (_evidence_with_message(b"not json"), "X402S_ERR_INVALID_JSON"),
    (_evidence_with_message(b"[]"), "X402S_ERR_RISK_INVALID_HEADER"),
    (_evidence_with_message(json.dumps({**json.loads(EVIDENCE["expect"]["message_json"]),
                                        "riskSessionId": "nope"}).encode()), "X402S_ERR_RISK_INVALID_UUID"),
    (_evidence_with_message(json.dumps({**json.loads(EVIDENCE["expect"]["message_json"]),
                                        "amount": "01"}).encode()), "X402S_ERR_INVALID_NUMBER"),
])
def test_payment_evidence_header_bad_input(value, code):
    assert code_of(x.parse_payment_evidence_header, value) == code
    vi = vector("risk_evidence", "verify v1 valid")["input"]
    assert code_of(x.verify_payment_evidence, value, vi["payment_header"], vi["requirement_json"],
                   origin=vi["origin"], resource=vi["resource"], session_id=vi["sid"], now=vi["now"]) == code


@pytest.mark.parametrize("doc,code", [
    ("{", "X402S_ERR_INVALID_JSON"),
    ('{"a":1,"a":2}', "X402S_ERR_INVALID_JSON"),
    (b'{"a":"\xff"}', "X402S_ERR_INVALID_UTF8"),
    ("[" * 100 + "]" * 100, "X402S_ERR_JSON_TOO_DEEP"),
    (b"[" + b"1," * (5 << 20) + b"1]", "X402S_ERR_INPUT_TOO_LARGE"),
])
def test_bad_json_everywhere(doc, code):
    assert code_of(x.canonical_json, doc) == code
    assert code_of(x.parse_agent_trace, doc) == code
    assert code_of(x.evaluate_mandate, doc, "{}", now=0) in (code, "X402S_ERR_INPUT_TOO_LARGE")
    assert code_of(x.parse_risk_session_answer, doc) in (code, "X402S_ERR_INPUT_TOO_LARGE")
    raw = doc if isinstance(doc, bytes) else doc.encode()  # bytes = JSON text (a str is a JSON string value)
    assert code_of(x.build_payment_secure_header, raw, traceparent=TP) in (code, "X402S_ERR_INPUT_TOO_LARGE")


def test_python_values_that_are_not_json():
    assert code_of(x.canonical_json, {"a": float("nan")}) == "X402S_ERR_INVALID_JSON"
    assert code_of(x.canonical_json, {"a": object()}) == "X402S_ERR_INVALID_JSON"
    assert code_of(x.canonical_json, {"a": "\ud800"}) == "X402S_ERR_INVALID_JSON"
    shallow: Any = []
    for _ in range(70):  # serialisable, but deeper than the core's limit of 64
        shallow = [shallow]
    assert code_of(x.canonical_json, shallow) == "X402S_ERR_JSON_TOO_DEEP"


def test_bad_traceparents_for_the_builder():
    for tp in ("", "00-" + "0" * 32 + "-" + "1" * 16 + "-01", TP.upper(), TP + "x" * 300, TP[:-1]):
        assert code_of(x.build_payment_secure_header, traceparent=tp, tid=TID) == "X402S_ERR_RISK_INVALID_TRACEPARENT"
    assert code_of(x.new_traceparent, "01" + TP[2:]) == "X402S_ERR_RISK_INVALID_TRACEPARENT"
    assert code_of(x.build_payment_secure_header, traceparent=TP, tracestate="a;b") == "X402S_ERR_INVALID_ARGUMENT"
    assert code_of(x.build_payment_secure_header, traceparent=TP, tid="x" * 5000) == "X402S_ERR_RISK_HEADER_TOO_LONG"


def test_wrong_python_types():
    with pytest.raises(TypeError) as info:
        x.parse_payment_secure_header(None)
    assert info.value.code == "X402S_ERR_NULL_ARGUMENT"
    with pytest.raises(TypeError):
        x.normalize_risk_id(5)
    with pytest.raises(TypeError):
        x.PaymentEvidence({}, b"", b"").sign("not an account")
    with pytest.raises(TypeError):
        x.risk_session_request(None)


def test_random_mutations_never_crash():
    """Random byte edits of valid headers: every parser answers a status, never crashes."""
    rng = random.Random(1)
    seeds = [
        (x.parse_payment_secure_header, x.build_payment_secure_header(traceparent=TP, tid=TID)),
        (x.payment_secure_context, x.build_payment_secure_header(traceparent=TP, tid=TID)),
        (x.parse_ap2_evidence_header, AP2_OK),
        (x.parse_verifiable_intent_header, VI_OK),
        (x.parse_payment_evidence_header, GOOD_EVIDENCE),
        (x.normalize_risk_id, SID),
        (x.parse_agent_trace, '{"task":"t","parameters":{},"events":[{"type":"a","ts":1}]}'),
    ]
    for fn, seed in seeds:
        base = bytearray(seed.encode())
        for _ in range(300):
            b = bytearray(base)
            for _k in range(rng.randrange(1, 4)):
                op = rng.randrange(3)
                pos = rng.randrange(len(b) + 1)
                if op == 0 and b:
                    del b[min(pos, len(b) - 1)]
                elif op == 1:
                    b.insert(pos, rng.choice(b";=%-{}[]\",:\x00\xff\xc3 aZ09"))
                elif b:
                    b[min(pos, len(b) - 1)] = rng.randrange(256)
            try:
                fn(bytes(b))
            except x.X402SError as e:
                assert e.code.startswith("X402S_ERR_") and e.status == S[e.code]


# ----------------------------------------------------------------------------- verdicts and behaviour


def _raw_call(name: str, *args):
    n = c_size_t(0)
    out = (c_char * 65536)()
    err = _native.Error()
    st = getattr(_native.lib, name)(out, 65536, n, *args, err)
    return st, ctypes.string_at(out, n.value), err


def test_mandate_gate_statuses_and_verdict_json():
    for name, status in (("deny 2: payTo not in the merchant allow-list", "X402S_ERR_RISK_DENIED"),
                         ("step_up 6: selection justified by a single low-trust source", "X402S_ERR_RISK_STEP_UP"),
                         ("allow: everything within the mandate", "X402S_OK")):
        i = vector("risk_mandate", name)["input"]
        args = [i["mandate_json"].encode(), i["requirement_json"].encode(), i["trace_json"].encode(),
                json.dumps({"now": i["now"]}).encode()]
        flat = [a for b in args for a in (b, len(b))]
        st, out, err = _raw_call("x402s_risk_mandate_evaluate", *flat)
        assert st == S[status], (name, st)
        d = json.loads(out)
        assert d["decision"] == {"X402S_OK": "allow", "X402S_ERR_RISK_STEP_UP": "step_up",
                                 "X402S_ERR_RISK_DENIED": "deny"}[status]
        if st:
            assert err.code == st and err.message
        decision = x.evaluate_mandate(i["mandate_json"], i["requirement_json"], i["trace_json"], now=i["now"])
        assert decision.action == d["decision"] and bool(decision) is (st == 0)


def test_evidence_verify_status_and_verdict_json():
    v = vector("risk_evidence", "verify v1 wrong origin")
    i = v["input"]
    exp = json.dumps({"paymentHeader": i["payment_header"], "requirement": json.loads(i["requirement_json"]),
                      "origin": i["origin"], "resource": i["resource"], "riskSessionId": i["sid"],
                      "riskTraceId": i["tid"], "agentTraceDigest": i["agent_trace_digest"]}).encode()
    opts = json.dumps({"now": i["now"]}).encode()
    st, out, err = _raw_call("x402s_risk_evidence_verify", i["header"].encode(), len(i["header"]), exp, len(exp),
                             opts, len(opts))
    assert st == S["X402S_ERR_RISK_EVIDENCE_MISMATCH"]
    assert json.loads(out) == v["expect"]
    assert b"evidence_origin_mismatch" in err.message


def test_evidence_sign_and_assemble_refuse_other_keys():
    i = EVIDENCE["input"]
    ev = x.PaymentEvidence.build(i["payment_header"], i["requirement_json"], origin=i["origin"],
                                 resource=i["resource"], session_id=i["sid"], trace_id=i["tid"],
                                 agent_trace=i["agent_trace_json"], valid_for=300, now=i["now"])
    with x.EvmAccount.from_key(bytes([1]) * 32) as other:
        assert code_of(ev.sign, other) == "X402S_ERR_RISK_EVIDENCE_MISMATCH"
        assert code_of(ev.assemble, other.sign_digest(ev.digest)) == "X402S_ERR_RISK_EVIDENCE_MISMATCH"
    with x.SolanaKeypair.from_seed(bytes([1]) * 32) as sol:
        assert code_of(ev.sign, sol) == "X402S_ERR_RISK_EVIDENCE_MISMATCH"
        assert code_of(ev.assemble, sol.sign(ev.digest), "ed25519") == "X402S_ERR_RISK_EVIDENCE_MISMATCH"
    payer = x.EvmAccount.from_key(bytes.fromhex(i["key"][2:]))
    header = ev.sign(payer)
    assert ev.assemble(payer.sign_digest(ev.digest)) == header
    assert ev.assemble(payer.sign_typed_data(ev.typed_data)) == header  # a wallet's eth_signTypedData_v4
    assert code_of(ev.assemble, payer.sign_digest(ev.digest)[:64]) == "X402S_ERR_INVALID_LENGTH"
    assert code_of(ev.assemble, b"\0" * 65) == "X402S_ERR_RISK_EVIDENCE_MISMATCH"
    payer.close()
    assert code_of(ev.sign, payer) == "X402S_ERR_INVALID_KEY"


def test_evidence_build_defaults_to_the_clock_and_a_300_second_window():
    i = EVIDENCE["input"]
    before = int(time.time())
    ev = x.PaymentEvidence.build(i["payment_header"], i["requirement_json"], origin=i["origin"],
                                 resource=i["resource"], session_id=i["sid"])
    after = int(time.time())
    assert before <= ev.message["validAfter"] <= after
    assert ev.message["validBefore"] - ev.message["validAfter"] == 300
    assert ev.message["riskTraceId"] == "" and ev.message["agentTraceDigest"] == "0x" + "00" * 32


def test_options_and_requests_refuse_unknown_members():
    assert code_of(risk._call, "x402s_risk_traceparent", None, 0, b'{"flag":"01"}', 13) == "X402S_ERR_INVALID_ARGUMENT"
    assert code_of(x.new_traceparent, None, "0x1") == "X402S_ERR_INVALID_ARGUMENT"
    assert code_of(x.new_traceparent, None, 256) == "X402S_ERR_INVALID_ARGUMENT"
    assert code_of(x.new_traceparent, random=b"\1" * 10) == "X402S_ERR_RANDOMNESS_FAILED"
    assert code_of(x.new_traceparent, random=b"\0" * 24 * 8) == "X402S_ERR_RANDOMNESS_FAILED"
    req = b'{"wallet_address":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","agentDid":"x"}'
    assert code_of(risk._call, "x402s_risk_session_request", req, len(req)) == "X402S_ERR_INVALID_ARGUMENT"
    assert code_of(risk._event, {"type": "user_input"}) == "X402S_ERR_RISK_INVALID_TRACE"
    assert code_of(risk._event, {"type": "user_input", "content": "a", "extra": 1}) == "X402S_ERR_RISK_INVALID_TRACE"
    assert code_of(risk._event, {"type": "tool_call", "name": "a", "args": {}}) == "X402S_ERR_RISK_INVALID_TRACE"
    assert code_of(risk._event, {"type": "m", "ts": "1"}) == "X402S_ERR_RISK_INVALID_TRACE"
    assert code_of(risk._event, {"type": "m", "ts": 1e400}) == "X402S_ERR_INVALID_JSON"  # inf is not JSON
    assert code_of(risk._call, "x402s_risk_trace_event", b'{"type":"m","ts":1e999}', 23) == "X402S_ERR_RISK_INVALID_TRACE"
    assert code_of(risk._call, "x402s_risk_parse_gateway_answer", 9, b"{}", 2) == "X402S_ERR_INVALID_ARGUMENT"
    assert code_of(risk._call, "x402s_risk_build_verifiable_intent", b"r", 1, b"x", 1, None, 0, 7) == "X402S_ERR_INVALID_ARGUMENT"


def test_agent_trace_builder_orders_and_freezes():
    t = x.AgentTrace("task", {"a": 1}, event_order="collector")
    t.agent_output("out", ts=3)
    t.user_input("first", ts=1)
    t.system_prompt("sys", ts=2)
    assert [e["type"] for e in t.to_dict()["events"]] == ["system_prompt", "user_input", "agent_output"]
    t.event_order = "recorded"
    assert [e["type"] for e in t.to_dict()["events"]] == ["agent_output", "user_input", "system_prompt"]
    completed = t.to_dict()["completed_at"]
    assert completed.endswith("+00:00") and t.completed_at == completed
    d1 = t.digest()
    time.sleep(0.002)
    assert t.digest() == d1  # completed_at is frozen after the first serialisation
    parsed = x.parse_agent_trace(t.to_json())
    assert parsed.digest == d1 and parsed.trace == t.to_dict()
    assert x.canonical_sha256(t.to_dict()) == d1
    assert code_of(x.AgentTrace, "t", event_order="random") == "X402S_ERR_INVALID_ARGUMENT"
    t2 = x.AgentTrace("t")
    ev = t2.user_input("x")
    assert abs(ev["ts"] - time.time()) < 60  # the default ts is the clock


def test_gateway_content_type_and_answers():
    assert x.is_json_content_type("application/json") and not x.is_json_content_type(None)
    assert code_of(x.parse_risk_session_answer, '{"sid":"%s"}' % SID, content_type="text/html") == "X402S_ERR_INVALID_JSON"
    assert x.parse_risk_session_answer('{"sid":"%s","expires_at":"z","more":1}' % SID.upper()) == \
        {"sid": SID, "expires_at": "z"}
    assert x.parse_risk_error_answer("not json") is None
