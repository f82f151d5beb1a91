#!/usr/bin/env python3
"""Generate test-vectors/risk_*.json for the x402-secure risk layer.

Run with the probe venv (x402-secure 0.1.4, opentelemetry-api 1.45.2):
    /tmp/probe-venv/bin/python scripts/vectors/gen_risk_vectors.py

Where the expected values come from:
- X-PAYMENT-SECURE values: the PyPI x402-secure 0.1.4 builder
  (x402_secure_client.headers.build_payment_secure_header), run inside a fixed
  OpenTelemetry span context (a NonRecordingSpan with pinned trace id, span id, flags
  and tracestate attached to the current context; the default W3C propagator injects it).
- Parser verdicts ("gateway" in intermediate): an independent Python implementation of
  the 0.1.4 gateway rules as documented in ../shared/specs/x402-secure.md sections
  2.3, 2.4, 2.6 and 12 (split/strip/`=` rules, Python `re`, `uuid.UUID`, `str.isdigit`,
  `urllib.parse.unquote`, `base64.b64decode`, `json.loads`). The expected result is the
  Swift core's; where the core is deliberately stricter than the gateway the vector
  says so ("gateway": "accepts").
- Digests: hashlib / base64 / json.dumps(sort_keys=True, separators=(",", ":"),
  ensure_ascii=False).
- AgentTrace bodies: the 0.1.4 RiskClient / BuyerClient / OpenAITraceCollector code,
  driven through an httpx MockTransport with a pinned clock.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import pathlib
import re
import sys
import uuid
from urllib.parse import unquote

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags, TraceState

from x402_secure_client.headers import build_payment_secure_header

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "test-vectors"

ERR_TOO_LONG = "X402S_ERR_RISK_HEADER_TOO_LONG"
ERR_HEADER = "X402S_ERR_RISK_INVALID_HEADER"
ERR_TP = "X402S_ERR_RISK_INVALID_TRACEPARENT"
ERR_UUID = "X402S_ERR_RISK_INVALID_UUID"
ERR_ARG = "X402S_ERR_INVALID_ARGUMENT"
ERR_B64 = "X402S_ERR_INVALID_BASE64"
ERR_JSON = "X402S_ERR_INVALID_JSON"
ERR_RANDOM = "X402S_ERR_RANDOMNESS_FAILED"


def write(area: str, source: str, vectors: list) -> None:
    names = [v["name"] for v in vectors]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        sys.exit(f"duplicate vector names in {area}: {sorted(dup)}")
    doc = {"schema": f"x402s.vectors.{area}@1", "source": source, "vectors": vectors}
    path = OUT / f"{area}.json"
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}: {len(vectors)} vectors")


# ---------------------------------------------------------------------------------------
# The 0.1.4 builder inside a pinned OpenTelemetry span context
# ---------------------------------------------------------------------------------------

def ref_build(trace_id: str, span_id: str, flags: int, context_json: str | None, tracestate: str | None):
    """Runs x402_secure_client.headers.build_payment_secure_header (0.1.4)."""
    ts_obj = TraceState.from_header([tracestate]) if tracestate else TraceState()
    sc = SpanContext(trace_id=int(trace_id, 16), span_id=int(span_id, 16), is_remote=False,
                     trace_flags=TraceFlags(flags), trace_state=ts_obj)
    token = otel_context.attach(trace.set_span_in_context(NonRecordingSpan(sc)))
    try:
        ctx = None if context_json is None else json.loads(context_json)
        return build_payment_secure_header(ctx)["X-PAYMENT-SECURE"]
    finally:
        otel_context.detach(token)


# ---------------------------------------------------------------------------------------
# Independent implementation of the gateway rules (spec sections 2.3, 2.4, 2.6, 12)
# ---------------------------------------------------------------------------------------

class Reject(Exception):
    pass


def gw_members(value: str, tag: str, limit: int) -> dict:
    # The gateway sees the header latin-1-decoded, so its len() is the UTF-8 byte count.
    if len(value.encode("utf-8")) > limit:
        raise Reject("too large")
    parts = [p.strip() for p in value.split(";") if p.strip()]
    if not parts or parts[0] != tag:
        raise Reject("version")
    kv = {}
    for p in parts[1:]:
        if "=" not in p:
            raise Reject("segment")
        k, v = p.split("=", 1)
        kv[k] = v
    return kv


def gw_traceparent(tp: str) -> None:
    parts = tp.split("-")
    if len(parts) != 4:
        raise Reject("tp format")
    v, t, s, f = parts
    if v != "00" or not re.match(r"^[0-9a-f]{32}$", t) or not re.match(r"^[0-9a-f]{16}$", s) \
            or not re.match(r"^[0-9a-f]{2}$", f) or t == "0" * 32 or s == "0" * 16:
        raise Reject("tp")


def gw_secure(value: str):
    kv = gw_members(value, "w3c.v1", 4096)
    tp = kv.get("tp")
    if tp is None:
        raise Reject("tp required")
    gw_traceparent(tp)
    ts = kv.get("ts")
    return {"tp": tp, "ts": ts} if ts else {"tp": tp}


def gw_tid(ts):
    """The gateway's tid extraction (route code: unquote, b64decode, json.loads, get)."""
    try:
        got = json.loads(base64.b64decode(unquote(ts))).get("tid")
        return got if got else None
    except Exception:
        return None


def gw_verdict(fn, *a):
    try:
        return "accepts", fn(*a)
    except Reject:
        return "rejects", None


def gw_uuid(value):
    if not value:
        raise Reject("required")
    try:
        u = uuid.UUID(value)
    except Exception:
        raise Reject("malformed")
    if u.version not in (1, 4):
        raise Reject("version")
    return str(u)


def gw_ap2(value: str):
    kv = gw_members(value, "evd.v1", 2048)
    if any(kv.get(k) is None for k in ("mr", "ms", "mt", "sz")):
        raise Reject("missing")
    if kv["mt"] != "application/json" or not kv["sz"].isdigit():
        raise Reject("mt/sz")
    return kv


def gw_vi(value: str):
    kv = gw_members(value, "vi.v1", 4096)
    if any(kv.get(k) is None for k in ("ref", "sha256", "mt", "sz")):
        raise Reject("missing")
    if not re.match(r"^sha256:[0-9a-f]{64}$", kv["sha256"]) or not kv["sz"].isdigit():
        raise Reject("sha/sz")
    return kv


def canonical(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def b64url(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


# ---------------------------------------------------------------------------------------
# risk_headers.json
# ---------------------------------------------------------------------------------------

TID = "af88271b-e93d-4998-bc15-2f130d437262"
T1, S1 = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
T2, S2 = "0000000000000000000000000000000a", "0000000000000001"
T3, S3 = "ffffffffffffffffffffffffffffffff", "ffffffffffffffff"


def headers_vectors() -> list:
    vs = []
    built = []  # (name, value) of every reference-built value, parsed again below

    def build(name, t, s, flags, context_json=None, tracestate=None):
        inp = {"op": "secure_build", "traceparent": f"00-{t}-{s}-{flags:02x}"}
        if context_json is not None:
            inp["context_json"] = context_json
        if tracestate is not None:
            inp["tracestate"] = tracestate
        try:
            value = ref_build(t, s, flags, context_json, tracestate)
        except RuntimeError as e:
            assert "exceeds 4096" in str(e), e
            vs.append({"name": name, "input": inp, "intermediate": {"reference": str(e)},
                       "expect": {"error": ERR_TOO_LONG}})
            return
        exp = {"value": value, "length": len(value)}
        vs.append({"name": name, "input": inp, "expect": exp})
        built.append((name, value))

    build("build tid context (spec 2.1 example)", T1, S1, 1, json.dumps({"tid": TID}))
    build("build tid context flags 03 (otel sdk 1.45 default)", T1, S1, 3, json.dumps({"tid": TID}))
    build("build tid context flags 00 (unsampled parent)", T2, S2, 0, json.dumps({"tid": TID}))
    build("build tid context max ids", T3, S3, 0xff, json.dumps({"tid": TID}))
    build("build no context no tracestate", T1, S1, 1)
    build("build no context raw tracestate", T1, S1, 1, None, "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")
    build("build context replaces tracestate", T1, S1, 1, json.dumps({"tid": TID}), "rojo=00f067aa0ba902b7")
    build("build empty object context", T1, S1, 1, "{}")
    build("build non-ascii context stays raw utf-8", T1, S1, 1, '{"tid":"x","note":"café"}')
    build("build context key order kept", T1, S1, 1,
          '{"z":1,"a":{"y":[1,2,{"b":null}],"x":true},"tid":"' + TID + '","m":false}')
    build("build context json escapes", T1, S1, 1,
          json.dumps({"q": "a\"b\\c/d\n\t\r\b\f\u0001\u001f\u007f\u2028\u2029😀é"}))
    build("build context base64 with plus and slash", T1, S1, 1, json.dumps({"k": "\u00fb\u00ff\u00fe>?"}))
    build("build context negative and large integers", T1, S1, 1,
          '{"n":-12,"big":123456789012345678901234567890,"z":0}')
    build("build context array", T1, S1, 1, '["a",1,null]')
    build("build context string", T1, S1, 1, '"just a string"')
    # The limit. With a context the length is 69 + an even number, so 4096 itself is only
    # reachable with a raw tracestate (W3C members: keys and values of up to 256 chars).
    def length(n):
        try:
            return len(ref_build(T1, S1, 1, json.dumps({"tid": "a" * n}), None))
        except RuntimeError:
            return 4097
    above = next(n for n in range(2900, 3100) if length(n) > 4096)
    build("build context value just below the limit", T1, S1, 1, json.dumps({"tid": "a" * (above - 1)}))
    build("build context value over the limit", T1, S1, 1, json.dumps({"tid": "a" * above}))

    def tracestate_of(total):
        members, left, i = [], total, 0
        while left > 0:
            room = min(left - (1 if members else 0), 3 + 256)
            key = f"k{i:02d}"
            members.append(f"{key}={'v' * (room - len(key) - 1)}")
            left -= room + (1 if len(members) > 1 else 0)
            i += 1
        st = ",".join(members)
        assert len(st) == total, (len(st), total)
        return st
    build("build tracestate value at exactly 4096 bytes", T1, S1, 1, None, tracestate_of(4096 - 69))
    build("build tracestate value at 4097 bytes", T1, S1, 1, None, tracestate_of(4097 - 69))
    # builder argument errors (our own rule: the raw tracestate must survive parsing)
    for name, st in (("build tracestate with semicolon", "a=b;c"),
                     ("build tracestate with control char", "a=b\u0001"),
                     ("build tracestate with leading space", " a=b")):
        vs.append({"name": name, "input": {"op": "secure_build", "traceparent": f"00-{T1}-{S1}-01",
                                           "tracestate": st}, "expect": {"error": ERR_ARG}})

    # ---- traceparent generation from injected randomness (bytes consumed in order:
    # 16 trace-id bytes, redrawn while all zero, then 8 span-id bytes, likewise) ----
    def gen(name, random_hex, flags=None, parent=None, expect=None):
        inp = {"op": "traceparent_child" if parent else "traceparent_generate", "random": random_hex}
        if flags is not None:
            inp["flags"] = flags
        if parent:
            inp["parent"] = parent
        vs.append({"name": name, "input": inp, "expect": expect})

    r = bytes(range(1, 25))
    gen("generate from 24 random bytes", "0x" + r.hex(),
        expect={"traceparent": f"00-{r[:16].hex()}-{r[16:].hex()}-01"})
    gen("generate flags 00", "0x" + r.hex(), flags="00",
        expect={"traceparent": f"00-{r[:16].hex()}-{r[16:].hex()}-00"})
    z = bytes(16) + r[:16] + bytes(8) + r[16:]
    gen("generate redraws all-zero ids", "0x" + z.hex(),
        expect={"traceparent": f"00-{r[:16].hex()}-{r[16:].hex()}-01"})
    gen("generate gives up after 8 all-zero draws", "0x" + bytes(16 * 8).hex(), expect={"error": ERR_RANDOM})
    gen("generate short random source", "0x" + bytes(range(1, 11)).hex(), expect={"error": ERR_RANDOM})
    parent = f"00-{T1}-{S1}-03"
    gen("child keeps trace id and flags", "0x" + r[16:].hex(), parent=parent,
        expect={"traceparent": f"00-{T1}-{r[16:].hex()}-03"})
    gen("child with explicit flags", "0x" + r[16:].hex(), parent=parent, flags="01",
        expect={"traceparent": f"00-{T1}-{r[16:].hex()}-01"})
    gen("child of invalid parent", "0x" + r[16:].hex(), parent=f"00-{T1.upper()}-{S1}-01",
        expect={"error": ERR_TP})

    # ---- parsing ----
    def parse(name, value, expect_error=None, note=None):
        verdict, got = gw_verdict(gw_secure, value)
        inter = {"gateway": verdict}
        if note:
            inter["note"] = note
        if expect_error:
            if verdict == "accepts":
                assert note, f"{name}: gateway accepts but we reject without a note"
            vs.append({"name": name, "input": {"op": "secure_parse", "value": value},
                       "intermediate": inter, "expect": {"error": expect_error}})
            return
        assert verdict == "accepts", f"{name}: gateway rejects {value!r}"
        t, s, f = got["tp"].split("-")[1:]
        exp = {"tp": got["tp"], "traceId": t, "spanId": s, "flags": f}
        if "ts" in got:
            exp["ts"] = got["ts"]
            tid = gw_tid(got["ts"])
            if tid is not None and not isinstance(tid, str):
                inter["gateway_tid"] = tid
                inter["note"] = "the gateway takes a non-string tid; the core only returns strings"
                tid = None
            if tid is not None:
                exp["tid"] = tid
        vs.append({"name": name, "input": {"op": "secure_parse", "value": value},
                   "intermediate": inter, "expect": exp})

    for name, value in built:
        parse("parse " + name[len("build "):], value)
    tp = f"00-{T1}-{S1}-01"
    good_ts = base64.b64encode(json.dumps({"tid": TID}, separators=(",", ":")).encode()).decode()
    parse("parse whitespace around parts", f"  w3c.v1 ;\ttp={tp} ; ts=abc  ")
    parse("parse empty parts dropped", f";;w3c.v1;;tp={tp};;")
    parse("parse unknown keys ignored", f"w3c.v1;foo=bar;tp={tp};x=")
    parse("parse repeated tp last wins", f"w3c.v1;tp=00-{T2}-{S2}-01;tp={tp}")
    parse("parse empty ts is absent", f"w3c.v1;tp={tp};ts=")
    parse("parse ts with equals kept", f"w3c.v1;tp={tp};ts=a=b=c")
    parse("parse ts not percent-encoded still gives tid", f"w3c.v1;tp={tp};ts={good_ts}")
    parse("parse ts lowercase percent escapes", f"w3c.v1;tp={tp};ts={good_ts.replace('=', '%3d')}")
    parse("parse ts junk characters skipped by lenient base64",
          f"w3c.v1;tp={tp};ts=!{good_ts[:10]}*{good_ts[10:].replace('=', '%3D')}")
    parse("parse ts unpadded base64 gives no tid", f"w3c.v1;tp={tp};ts={good_ts.rstrip('=')}")
    parse("parse ts bad percent escape gives no tid", f"w3c.v1;tp={tp};ts=%zz{good_ts}")
    parse("parse ts json array gives no tid",
          f"w3c.v1;tp={tp};ts={base64.b64encode(b'[1]').decode()}")
    parse("parse ts non-json gives no tid", f"w3c.v1;tp={tp};ts={base64.b64encode(b'not json').decode()}")
    parse("parse ts numeric tid gives no tid",
          f"w3c.v1;tp={tp};ts=" + base64.b64encode(b'{"tid":5}').decode())
    parse("parse ts empty tid gives no tid",
          f"w3c.v1;tp={tp};ts=" + base64.b64encode(b'{"tid":""}').decode())
    parse("parse flags any hex", f"w3c.v1;tp=00-{T1}-{S1}-ff")
    filler = "w3c.v1;tp=" + tp + ";x="
    parse("parse exactly 4096 bytes", filler + "a" * (4096 - len(filler)))
    parse("parse over 4096 bytes", filler + "a" * (4097 - len(filler)), ERR_TOO_LONG)
    parse("parse empty value", "", ERR_HEADER)
    parse("parse only separators", " ; ; ", ERR_HEADER)
    parse("parse wrong version tag", f"w3c.v2;tp={tp}", ERR_HEADER)
    parse("parse version tag case", f"W3C.v1;tp={tp}", ERR_HEADER)
    parse("parse tp first without tag", f"tp={tp};w3c.v1", ERR_HEADER)
    parse("parse missing tp", "w3c.v1;ts=abc", ERR_HEADER)
    parse("parse segment without equals", f"w3c.v1;tp={tp};flag", ERR_HEADER)
    parse("parse key with space is not tp", f"w3c.v1;tp ={tp}", ERR_HEADER)
    parse("parse traceparent uppercase hex", f"w3c.v1;tp=00-{T1.upper()}-{S1}-01", ERR_TP)
    parse("parse traceparent uppercase flags", f"w3c.v1;tp=00-{T1}-{S1}-0A", ERR_TP)
    parse("parse traceparent version 01", f"w3c.v1;tp=01-{T1}-{S1}-01", ERR_TP)
    parse("parse traceparent version ff", f"w3c.v1;tp=ff-{T1}-{S1}-01", ERR_TP)
    parse("parse traceparent zero trace id", f"w3c.v1;tp=00-{'0' * 32}-{S1}-01", ERR_TP)
    parse("parse traceparent zero span id", f"w3c.v1;tp=00-{T1}-{'0' * 16}-01", ERR_TP)
    parse("parse traceparent short trace id", f"w3c.v1;tp=00-{T1[:-1]}-{S1}-01", ERR_TP)
    parse("parse traceparent long span id", f"w3c.v1;tp=00-{T1}-{S1}0-01", ERR_TP)
    parse("parse traceparent five fields", f"w3c.v1;tp=00-{T1}-{S1}-01-00", ERR_TP)
    parse("parse traceparent three fields", f"w3c.v1;tp=00-{T1}-{S1}", ERR_TP)
    parse("parse traceparent non-hex", f"w3c.v1;tp=00-{T1[:-1]}g-{S1}-01", ERR_TP)
    parse("parse traceparent flags three digits", f"w3c.v1;tp=00-{T1}-{S1}-001", ERR_TP)
    parse("parse traceparent empty", "w3c.v1;tp=", ERR_TP)
    parse("parse traceparent newline before dash", f"w3c.v1;tp=00-{T1}\n-{S1}-01", ERR_TP,
          note="Python re '$' matches before a final newline, so the gateway accepts this id; "
               "the core rejects it (a header value cannot carry a newline anyway)")

    # ---- strict decoding of ts as an agent trace context ----
    def ctx(name, ts, expect):
        vs.append({"name": name, "input": {"op": "secure_context", "value": f"w3c.v1;tp={tp};ts={ts}"},
                   "expect": expect})

    ctx("context tid", good_ts.replace("=", "%3D"), {"context_json": json.dumps({"tid": TID}, separators=(",", ":"))})
    ctx("context non-ascii", ref_build(T1, S1, 1, '{"note":"café"}', None).split(";ts=")[1],
        {"context_json": '{"note":"café"}'})
    ctx("context bad percent escape", "%4", {"error": ERR_HEADER})
    ctx("context bad percent hex", "%G1" + good_ts, {"error": ERR_HEADER})
    ctx("context raw tracestate is not base64", "rojo=00f067aa0ba902b7", {"error": ERR_B64})
    ctx("context unpadded base64", good_ts.rstrip("="), {"error": ERR_B64})
    ctx("context url-safe base64", base64.urlsafe_b64encode(b'{"k":"\xfb\xff"}').decode().replace("=", "%3D"),
        {"error": ERR_B64})
    ctx("context not json", base64.b64encode(b"{tid:1}").decode().replace("=", "%3D"), {"error": ERR_JSON})
    ctx("context duplicate keys", base64.b64encode(b'{"tid":"a","tid":"b"}').decode().replace("=", "%3D"),
        {"error": ERR_JSON})
    vs.append({"name": "context absent", "input": {"op": "secure_context", "value": f"w3c.v1;tp={tp}"},
               "expect": {"context_json": None}})

    # ---- X-RISK-SESSION / X-RISK-TRACE ----
    def uid(name, value, expect_error=None, note=None):
        verdict, got = gw_verdict(gw_uuid, value)
        inter = {"gateway": verdict}
        if note:
            inter["note"] = note
        if expect_error:
            assert verdict == "rejects" or note, name
            vs.append({"name": name, "input": {"op": "uuid", "value": value}, "intermediate": inter,
                       "expect": {"error": expect_error}})
        else:
            assert verdict == "accepts", name
            vs.append({"name": name, "input": {"op": "uuid", "value": value}, "intermediate": inter,
                       "expect": {"normalized": got, "version": uuid.UUID(got).version}})

    sid = "925ca6ee-aa4b-4508-955b-10b1c02c69bb"
    v1 = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
    uid("uuid v4 canonical", sid)
    uid("uuid v4 uppercase", sid.upper())
    uid("uuid v4 braces", "{" + sid + "}")
    uid("uuid v4 urn", "urn:uuid:" + sid)
    uid("uuid v4 no hyphens", sid.replace("-", ""))
    uid("uuid v4 odd hyphens", "-" + sid.replace("-", "")[:5] + "--" + sid.replace("-", "")[5:] + "-")
    uid("uuid v4 nested braces", "{{" + sid + "}}")
    uid("uuid v1", v1)
    uid("uuid v1 uppercase urn", "URN:UUID:" + v1.upper(), ERR_UUID)  # 'urn:' removal is case-sensitive
    uid("uuid empty", "", ERR_UUID)
    uid("uuid v3", str(uuid.uuid3(uuid.NAMESPACE_DNS, "example.org")), ERR_UUID)
    uid("uuid v5", str(uuid.uuid5(uuid.NAMESPACE_DNS, "example.org")), ERR_UUID)
    uid("uuid v7 shape", "018f3c6e-7b2a-7cde-8f00-0123456789ab", ERR_UUID)
    uid("uuid nil", "00000000-0000-0000-0000-000000000000", ERR_UUID)
    uid("uuid ncs variant", "925ca6ee-aa4b-4508-155b-10b1c02c69bb", ERR_UUID)
    uid("uuid microsoft variant", "925ca6ee-aa4b-4508-c55b-10b1c02c69bb", ERR_UUID)
    uid("uuid too short", sid[:-1], ERR_UUID)
    uid("uuid too long", sid + "0", ERR_UUID)
    uid("uuid non-hex", sid[:-1] + "g", ERR_UUID)
    uid("uuid abc", "abc", ERR_UUID)
    uid("uuid brace in middle", sid[:8] + "{" + sid[9:], ERR_UUID)
    uid("uuid leading space", " " + sid.replace("-", "")[1:], ERR_UUID,
        note="Python int(s, 16) skips surrounding whitespace, so the gateway accepts it")
    uid("uuid underscore", sid.replace("-", "")[:4] + "_" + sid.replace("-", "")[5:], ERR_UUID,
        note="Python int(s, 16) accepts '_' between digits, so the gateway accepts it")
    uid("uuid 0x prefix", "0x" + sid.replace("-", "")[2:], ERR_UUID,
        note="Python int(s, 16) accepts a 0x prefix, so the gateway accepts it")

    def ids(name, session, trace_, expect):
        inp = {"op": "risk_ids", "session": session}
        if trace_ is not None:
            inp["trace"] = trace_
        vs.append({"name": name, "input": inp, "expect": expect})

    ids("risk ids session only", sid.upper(), None, {"sid": sid, "tid": None})
    ids("risk ids session and trace", sid, "{" + TID.upper() + "}", {"sid": sid, "tid": TID})
    ids("risk ids empty trace is absent", sid, "", {"sid": sid, "tid": None})
    ids("risk ids missing session", None, TID, {"error": ERR_UUID})
    ids("risk ids empty session", "", None, {"error": ERR_UUID})
    ids("risk ids bad trace", sid, "not-a-uuid", {"error": ERR_UUID})

    # ---- X-AP2-EVIDENCE ----
    def ap2_build(name, mr, mandate: bytes | None, expect_error=None, ms=None, sz=None):
        inp = {"op": "ap2_build", "mr": mr}
        if mandate is not None:
            inp["mandate"] = "0x" + mandate.hex()
        else:
            inp["ms"], inp["sz"] = ms, sz
        if expect_error:
            vs.append({"name": name, "input": inp, "expect": {"error": expect_error}})
            return
        ms_ = b64url(hashlib.sha256(mandate).digest()) if mandate is not None else ms
        sz_ = len(mandate) if mandate is not None else sz
        value = f"evd.v1;mr={mr};ms={ms_};mt=application/json;sz={sz_}"
        if len(value) > 2048:
            vs.append({"name": name, "input": inp, "expect": {"error": ERR_TOO_LONG}})
            return
        assert gw_verdict(gw_ap2, value)[0] == "accepts"
        vs.append({"name": name, "input": inp, "intermediate": {"ms": ms_, "sz": sz_},
                   "expect": {"value": value}})
        parse_ap2("parse " + name, value)

    def parse_ap2(name, value, expect_error=None, note=None):
        verdict, got = gw_verdict(gw_ap2, value)
        inter = {"gateway": verdict}
        if note:
            inter["note"] = note
        if expect_error:
            assert verdict == "rejects" or note, name
            vs.append({"name": name, "input": {"op": "ap2_parse", "value": value}, "intermediate": inter,
                       "expect": {"error": expect_error}})
        else:
            assert verdict == "accepts", name
            vs.append({"name": name, "input": {"op": "ap2_parse", "value": value}, "intermediate": inter,
                       "expect": {"mr": got["mr"], "ms": got["ms"], "mt": got["mt"], "sz": int(got["sz"])}})

    spec_value = ("evd.v1;mr=mandates/merch_123/mand_abc.json;ms=M3UbiUEkgkLQR6YWruLssdceUcHGup_nl8Vp6u1AvAc;"
                  "mt=application/json;sz=25")
    ap2_build("ap2 build spec 2.6 example", "mandates/merch_123/mand_abc.json", b'{"type":"PaymentMandate"}')
    assert vs[-2]["expect"]["value"] == spec_value, vs[-2]
    ap2_build("ap2 build https reference", "https://merchant.example/m/1.json?v=2",
              canonical({"type": "PaymentMandate", "amount": {"value": "1.00", "currency": "USD"}}))
    ap2_build("ap2 build empty mandate", "m/empty", b"")
    ap2_build("ap2 build from digest", "m/x", None, ms=b64url(hashlib.sha256(b"x").digest()), sz=1)
    ap2_build("ap2 build reference with semicolon", "a;b", b"{}", ERR_ARG)
    ap2_build("ap2 build reference with space", "a b", b"{}", ERR_ARG)
    ap2_build("ap2 build empty reference", "", b"{}", ERR_ARG)
    ap2_build("ap2 build padded digest", "m/x", None, ERR_ARG, ms=b64url(hashlib.sha256(b"x").digest()) + "=", sz=1)
    ap2_build("ap2 build short digest", "m/x", None, ERR_ARG, ms="abc", sz=1)
    ap2_build("ap2 build too long", "m/" + "r" * 2000, b"{}")
    ms0 = b64url(hashlib.sha256(b"{}").digest())
    parse_ap2("ap2 parse extra keys ignored", f"evd.v1;x=1;mr=r;ms={ms0};mt=application/json;sz=2;y=")
    parse_ap2("ap2 parse leading zeros in size", f"evd.v1;mr=r;ms={ms0};mt=application/json;sz=0002")
    parse_ap2("ap2 parse whitespace", f" evd.v1 ; mr=r ;ms={ms0}; mt=application/json ;sz=2 ")
    parse_ap2("ap2 parse missing ms", "evd.v1;mr=r;mt=application/json;sz=2", ERR_HEADER)
    parse_ap2("ap2 parse only mr (spec 4.4 example)", "evd.v1;mr=x", ERR_HEADER)
    parse_ap2("ap2 parse other media type", f"evd.v1;mr=r;ms={ms0};mt=text/plain;sz=2", ERR_HEADER)
    parse_ap2("ap2 parse negative size", f"evd.v1;mr=r;ms={ms0};mt=application/json;sz=-2", ERR_HEADER)
    parse_ap2("ap2 parse empty size", f"evd.v1;mr=r;ms={ms0};mt=application/json;sz=", ERR_HEADER)
    parse_ap2("ap2 parse size over 64 bits", f"evd.v1;mr=r;ms={ms0};mt=application/json;sz=18446744073709551616",
              ERR_HEADER, note="Python int() has no limit, so the gateway accepts it; the core caps sizes at 2^64-1")
    parse_ap2("ap2 parse unicode digit size", f"evd.v1;mr=r;ms={ms0};mt=application/json;sz=\u0662", ERR_HEADER,
              note="str.isdigit() accepts non-ASCII digits, so the gateway's parser accepts it")
    parse_ap2("ap2 parse wrong tag", f"evd.v2;mr=r;ms={ms0};mt=application/json;sz=2", ERR_HEADER)
    parse_ap2("ap2 parse segment without equals", f"evd.v1;mr=r;ms={ms0};mt=application/json;sz=2;x", ERR_HEADER)
    long_ok = f"evd.v1;mr=r;ms={ms0};mt=application/json;sz=2;p="
    parse_ap2("ap2 parse exactly 2048 bytes", long_ok + "p" * (2048 - len(long_ok)))
    parse_ap2("ap2 parse over 2048 bytes", long_ok + "p" * (2049 - len(long_ok)), ERR_TOO_LONG)

    # ---- X-VERIFIABLE-INTENT ----
    def vi_build(name, ref, evidence_json=None, evidence_bytes=None, mt=None, expect_error=None):
        inp = {"op": "vi_build", "ref": ref}
        if evidence_json is not None:
            inp["evidence_json"] = evidence_json
            data = canonical(json.loads(evidence_json))
        else:
            inp["evidence"] = "0x" + evidence_bytes.hex()
            data = evidence_bytes
        if mt is not None:
            inp["mt"] = mt
        if expect_error:
            vs.append({"name": name, "input": inp, "expect": {"error": expect_error}})
            return
        value = f"vi.v1;ref={ref};sha256=sha256:{hashlib.sha256(data).hexdigest()};mt={mt or 'application/json'};sz={len(data)}"
        assert gw_verdict(gw_vi, value)[0] == "accepts"
        vs.append({"name": name, "input": inp, "intermediate": {"canonical": data.decode("utf-8", "replace")},
                   "expect": {"value": value}})

    vi_build("vi build spec 12 example", "tl://evidence/vi_1", evidence_json='{"claims":{"purpose":"market-data"}}')
    assert vs[-1]["expect"]["value"] == ("vi.v1;ref=tl://evidence/vi_1;sha256=sha256:fa2fd157f2ecebcf14c76ed28904416"
                                         "e45fcab1780634dbb4f1ea70a462d82e0;mt=application/json;sz=36")
    vi_build("vi build canonical sorts keys", "r1", evidence_json='{"b":1,"a":{"d":"é","c":[2,1]}}')
    vi_build("vi build raw bytes", "r2", evidence_bytes=b"eyJhbGciOiJFUzI1NiJ9.e30.sig", mt="application/sd-jwt")
    vi_build("vi build bad media type", "r3", evidence_bytes=b"x", mt="a;b", expect_error=ERR_ARG)
    vi_build("vi build empty reference", "", evidence_bytes=b"x", expect_error=ERR_ARG)

    def parse_vi(name, value, expect_error=None):
        verdict, got = gw_verdict(gw_vi, value)
        if expect_error:
            assert verdict == "rejects", name
            vs.append({"name": name, "input": {"op": "vi_parse", "value": value}, "intermediate": {"gateway": verdict},
                       "expect": {"error": expect_error}})
        else:
            assert verdict == "accepts", name
            vs.append({"name": name, "input": {"op": "vi_parse", "value": value}, "intermediate": {"gateway": verdict},
                       "expect": {"ref": got["ref"], "sha256": got["sha256"], "mt": got["mt"], "sz": int(got["sz"])}})

    h = hashlib.sha256(b"x").hexdigest()
    parse_vi("vi parse ok", f"vi.v1;ref=r;sha256=sha256:{h};mt=text/plain;sz=1")
    parse_vi("vi parse uppercase digest", f"vi.v1;ref=r;sha256=sha256:{h.upper()};mt=a;sz=1", ERR_HEADER)
    parse_vi("vi parse digest without prefix", f"vi.v1;ref=r;sha256={h};mt=a;sz=1", ERR_HEADER)
    parse_vi("vi parse short digest", f"vi.v1;ref=r;sha256=sha256:{h[:-2]};mt=a;sz=1", ERR_HEADER)
    parse_vi("vi parse missing mt", f"vi.v1;ref=r;sha256=sha256:{h};sz=1", ERR_HEADER)
    parse_vi("vi parse bad size", f"vi.v1;ref=r;sha256=sha256:{h};mt=a;sz=1.0", ERR_HEADER)
    parse_vi("vi parse wrong tag", f"evd.v1;ref=r;sha256=sha256:{h};mt=a;sz=1", ERR_HEADER)
    parse_vi("vi parse over 4096 bytes", f"vi.v1;ref={'r' * 4096};sha256=sha256:{h};mt=a;sz=1", ERR_TOO_LONG)

    # ---- canonical JSON digests ----
    def canon(name, text):
        obj = json.loads(text)
        c = canonical(obj)
        vs.append({"name": name, "input": {"op": "canonical", "json": text},
                   "expect": {"canonical": c.decode("utf-8"), "sha256": hashlib.sha256(c).hexdigest(),
                              "tagged": "sha256:" + hashlib.sha256(c).hexdigest()}})

    canon("canonical sorts keys recursively", '{"b": 1, "a": {"z": [3, {"y": 1, "x": 2}], "c": null}}')
    canon("canonical code point order", '{"z": 1, "Z": 2, "é": 3, "\uff01": 4, "😀": 5, "a": 6, "": 7}')
    canon("canonical escapes", '{"s": "q\\"b\\\\n\\n\\t\\u0001\\u007f\\u2028/é😀"}')
    canon("canonical payment requirements", json.dumps({
        "scheme": "exact", "network": "base-sepolia", "maxAmountRequired": "100000",
        "resource": "https://seller.example:8443/api/market-data", "description": "BTC/USD",
        "mimeType": "application/json", "payTo": "0x0987654321098765432109876543210987654321",
        "maxTimeoutSeconds": 30, "asset": "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
        "extra": {"name": "USDC", "version": "2"}}))
    canon("canonical scalars", '[true, false, null, 0, -1, "x"]')
    return vs


# ---------------------------------------------------------------------------------------
# risk_trace.json: bodies of POST /risk/session and /risk/trace, events, answers
# ---------------------------------------------------------------------------------------

HARDHAT0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
ERR_TRACE = "X402S_ERR_RISK_INVALID_TRACE"
ERR_ADDR = "X402S_ERR_INVALID_ADDRESS"


def capture_post(coro_factory, client_attr_owner):
    """Runs a 0.1.4 client call against an httpx MockTransport; returns the body bytes."""
    import httpx
    seen = {}

    def handler(request):
        seen["body"] = request.content
        seen["ctype"] = request.headers.get("content-type")
        path = request.url.path
        if path.endswith("/risk/session"):
            return httpx.Response(200, json={"sid": "925ca6ee-aa4b-4508-955b-10b1c02c69bb",
                                             "expires_at": "2026-11-25T06:28:58.503666Z"})
        return httpx.Response(200, json={"tid": TID})

    client_attr_owner.http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    asyncio.run(coro_factory())
    assert seen["ctype"] == "application/json", seen
    return seen["body"]


class PinnedClock:
    """Pins time.time() (used by OpenAITraceCollector) and datetime.now (completed_at)."""

    def __init__(self):
        import datetime as dt_mod
        import time as time_mod
        self.now = 0.0
        self.completed = None
        self._time_mod, self._dt_mod = time_mod, dt_mod
        self._orig_time, self._orig_dt = time_mod.time, dt_mod.datetime
        clock = self

        class FixedDateTime(dt_mod.datetime):
            @classmethod
            def now(cls, tz=None):
                return clock.completed

        time_mod.time = lambda: clock.now
        dt_mod.datetime = FixedDateTime

    def completed_at(self, micros):
        import datetime as dt_mod
        self.completed = self._orig_dt(1970, 1, 1, tzinfo=dt_mod.timezone.utc) + dt_mod.timedelta(microseconds=micros)

    def restore(self):
        self._time_mod.time = self._orig_time
        self._dt_mod.datetime = self._orig_dt


def run_events(clock, specs):
    """Feeds event specs through 0.1.4's OpenAITraceCollector; returns its events."""
    from types import SimpleNamespace as NS
    from x402_secure_client.tracing import OpenAITraceCollector
    tr = OpenAITraceCollector()
    for e in specs:
        clock.now = e["ts"]
        kind = e["record"]
        if kind == "user_input":
            tr.record_user_input(e["content"], **({"role": e["role"]} if "role" in e else {}))
        elif kind == "system_prompt":
            tr.record_system_prompt(e["content"], **({"version": e["version"]} if "version" in e else {}))
        elif kind == "agent_output":
            tr.record_agent_output(e["content"], **({"role": e["role"]} if "role" in e else {}))
        elif kind == "tool":
            result = json.loads(e["result_json"])

            def fn(*a, **k):
                clock.now = e["result_ts"]
                return result
            fn.__name__ = e["name"]
            tr.tool(fn)(*json.loads(e["args_json"]), **json.loads(e["kwargs_json"]))
        elif kind == "function_call":
            item = NS(type="function_call", call_id=e.get("call_id"), name=e["name"], arguments=e["arguments"])
            tr.ingest_event(NS(type="response.output_item.done", item=item))
        elif kind == "reasoning_summary":
            tr.ingest_event(NS(type="response.reasoning_summary_text.done", text=e["text"]))
        elif kind == "marker":
            tr.ingest_event(NS(type=e["type"]))
        else:
            raise ValueError(kind)
    return tr.events


def trace_vectors() -> list:
    from eth_account import Account
    from x402_secure_client.buyer import BuyerClient, BuyerConfig
    from x402_secure_client.risk import RiskClient
    vs = []
    addr = Account.from_key(HARDHAT0).address
    sid = "925ca6ee-aa4b-4508-955b-10b1c02c69bb"

    # ---- POST /risk/session ----
    def session(name, wallet, agent_did=None, agent_endpoint=None, app_id=None, device_json=None, via="buyer"):
        inp = {"op": "session_request", "wallet": wallet}
        for k, val in (("agent_did", agent_did), ("agent_endpoint", agent_endpoint), ("app_id", app_id),
                       ("device_json", device_json)):
            if val is not None:
                inp[k] = val
        device = json.loads(device_json) if device_json is not None else None
        if via == "buyer":
            buyer = BuyerClient(BuyerConfig(seller_base_url="https://seller.example:8443",
                                            agent_gateway_url="https://gw.example", buyer_private_key=HARDHAT0))
            assert wallet == buyer.address
            body = capture_post(lambda: buyer.create_risk_session(agent_did=agent_did, agent_endpoint=agent_endpoint,
                                                                  app_id=app_id, device=device), buyer.risk)
        else:
            rc = RiskClient("https://gw.example/")
            body = capture_post(lambda: rc.create_session(agent_did=agent_did or wallet, wallet_address=wallet,
                                                          agent_endpoint=agent_endpoint, app_id=app_id,
                                                          device=device), rc)
        vs.append({"name": name, "input": inp, "intermediate": {"via": f"x402-secure 0.1.4 {via} client"},
                   "expect": {"body": body.decode("utf-8")}})

    session("session spec 3.1 example", addr, device_json='{"ua":"oss-buyer"}', via="risk")
    session("session defaults from buyer address", addr)
    session("session all fields", addr, agent_did="did:eip8004:84532:0x1111111111111111111111111111111111111111:7",
            agent_endpoint="https://agent.example/cb", app_id="app-ü", device_json='{"ua":"x402-agent","os":"linux"}')
    session("session lowercase wallet", addr.lower(), via="risk")
    for name, w, extra, err in (("session short wallet", "0x1234", {}, ERR_ADDR),
                                ("session wallet without 0x", addr[2:] + "00", {}, ERR_ADDR),
                                ("session non-hex wallet", "0x" + "g" * 40, {}, ERR_ADDR),
                                ("session blank agent did", addr, {"agent_did": "  "}, ERR_ARG),
                                ("session device not an object", addr, {"device_json": "[1]"}, ERR_ARG)):
        vs.append({"name": name, "input": {"op": "session_request", "wallet": w, **extra}, "expect": {"error": err}})

    # ---- POST /risk/trace ----
    def trace_body(name, specs, task, params_json, environment_json=None, model_config_json=None,
                   session_context_json=None, micros=1_764_051_214_081_857, events_none=False):
        clock = PinnedClock()
        try:
            events = None if events_none else run_events(clock, specs)
            clock.completed_at(micros)
            buyer = BuyerClient(BuyerConfig(seller_base_url="https://seller.example", agent_gateway_url="https://gw.example",
                                            buyer_private_key=HARDHAT0))
            kwargs = {"sid": sid, "task": task, "params": json.loads(params_json)}
            if environment_json is not None:
                kwargs["environment"] = json.loads(environment_json)
            if events is not None:
                kwargs["events"] = events
            if model_config_json is not None:
                kwargs["model_config"] = json.loads(model_config_json)
            if session_context_json is not None:
                kwargs["session_context"] = json.loads(session_context_json)
            body = capture_post(lambda: buyer.store_agent_trace(**kwargs), buyer.risk)
        finally:
            clock.restore()
        agent_trace = json.loads(body)["agent_trace"]
        inp = {"op": "trace_request", "sid": sid, "task": task, "params_json": params_json,
               "completed_at_micros": micros}
        if not events_none:
            inp["events"] = specs
        for k, val in (("environment_json", environment_json), ("model_config_json", model_config_json),
                       ("session_context_json", session_context_json)):
            if val is not None:
                inp[k] = val
        c = canonical(agent_trace)
        vs.append({"name": name, "input": inp,
                   "intermediate": {"agent_trace_canonical": c.decode("utf-8")},
                   "expect": {"body": body.decode("utf-8"), "agent_trace_sha256": hashlib.sha256(c).hexdigest()}})

    t0 = 1764051200.0
    full = [
        {"record": "system_prompt", "content": "You are a careful buying agent.", "ts": t0 + 0.5},
        {"record": "user_input", "content": "Buy the BTC/USD market data.", "ts": t0 + 1.25},
        {"record": "marker", "type": "response.created", "ts": t0 + 2.0},
        {"record": "reasoning_summary", "text": "The user wants market data; the seller is allow-listed.", "ts": t0 + 2.123456},
        {"record": "function_call", "name": "prepare_payment", "call_id": "call_1",
         "arguments": '{"endpoint":"/api/market-data","params":{"symbol":"BTC/USD"}}', "ts": t0 + 3.1},
        {"record": "tool", "name": "prepare_payment", "args_json": "[]",
         "kwargs_json": '{"endpoint":"/api/market-data","params":{"symbol":"BTC/USD"}}',
         "result_json": '{"endpoint":"/api/market-data","params":{"symbol":"BTC/USD"},"payTo":"0x0987654321098765432109876543210987654321"}',
         "ts": t0 + 3.2, "result_ts": t0 + 3.3},
        {"record": "marker", "type": "response.completed", "ts": t0 + 4.0},
        {"record": "agent_output", "content": "Paying 0.10 USDC for BTC/USD data.", "ts": t0 + 4.5},
        {"record": "user_input", "content": "Also check the café 😀 prices.", "ts": t0 + 5.0},
    ]
    mc = json.dumps({"provider": "openai", "model": "gpt-5-mini",
                     "tools_enabled": ["list_available_merchants", "prepare_payment"], "reasoning_enabled": True},
                    separators=(",", ":"))
    sc = json.dumps({"session_id": sid, "request_id": "3f1e5c9a-2b7d-4c8e-9f10-1a2b3c4d5e6f", "agent_did": addr,
                     "sdk_version": "x402-agent/1.0.0", "origin": "cli",
                     "client_ip_hash": hashlib.sha256(b"127.0.0.1").hexdigest()}, separators=(",", ":"))
    trace_body("trace full agent run", full, "Buy BTC/USD market data", '{"symbol":"BTC/USD"}',
               environment_json='{"network":"base-sepolia","seller_base_url":"https://seller.example:8443"}',
               model_config_json=mc, session_context_json=sc)
    trace_body("trace minimal (no optional keys)", [], "t", "{}", events_none=True)
    trace_body("trace empty events and empty model config are sent", [], "t", '{"a":1}', model_config_json="{}",
               micros=1_764_051_214_000_000)
    trace_body("trace tool with positional args and unicode", [
        {"record": "tool", "name": "lookup", "args_json": '["naïve", 3, null]', "kwargs_json": '{"flag":true}',
         "result_json": '["ok", {"n": -1}]', "ts": 1.5, "result_ts": 2.0},
        {"record": "function_call", "name": "broken", "call_id": None, "arguments": "{not json", "ts": 3.0},
        {"record": "function_call", "name": "empty", "call_id": "c2", "arguments": "", "ts": 4.0},
        {"record": "agent_output", "content": "", "role": "tool", "ts": 5.0},
        {"record": "system_prompt", "content": "p", "version": "v2", "ts": 6.0},
    ], "unicode ☃ task", '{"q":"ü"}', micros=0)

    # ---- timestamps ----
    import datetime as dtm
    for micros in (0, 1, 1_764_051_214_081_857, 1_764_051_214_000_000, -1, 253_402_300_799_999_999,
                   -62_135_596_800_000_000, 951_782_400_000_000):
        d = dtm.datetime(1970, 1, 1, tzinfo=dtm.timezone.utc) + dtm.timedelta(microseconds=micros)
        vs.append({"name": f"isoformat {micros}", "input": {"op": "isoformat", "micros": micros},
                   "expect": {"text": d.isoformat()}})
    for micros in (253_402_300_800_000_000, -62_135_596_800_000_001):
        vs.append({"name": f"isoformat out of range {micros}", "input": {"op": "isoformat", "micros": micros},
                   "expect": {"error": ERR_ARG}})
    for ts in (1764051200.0, 1764051200.5, 1764051214.081857, 1764051214.0818572, 0.1, 1e-07, 9.5e15,
               9007199254740994.0, 1e16, -2.5, 0.0, 123456789012345.6):
        vs.append({"name": f"event ts {ts!r}", "input": {"op": "event_ts", "ts": ts},
                   "expect": {"text": json.dumps(ts)}})

    # ---- answers ----
    def answer(name, op, body, expect):
        vs.append({"name": name, "input": {"op": op, "body": body}, "expect": expect})

    answer("session answer local mode", "session_answer",
           '{"sid":"925CA6EE-AA4B-4508-955B-10B1C02C69BB","expires_at":"2026-11-25T06:28:58.503666Z"}',
           {"sid": sid, "expires_at": "2026-11-25T06:28:58.503666Z"})
    answer("session answer without expiry", "session_answer", '{"sid":"%s","extra":1}' % sid,
           {"sid": sid, "expires_at": None})
    answer("session answer missing sid", "session_answer", '{"expires_at":"x"}', {"error": ERR_UUID})
    answer("session answer bad sid", "session_answer", '{"sid":"abc"}', {"error": ERR_UUID})
    answer("session answer not an object", "session_answer", '["%s"]' % sid, {"error": ERR_UUID})
    answer("session answer not json", "session_answer", "<html>", {"error": ERR_JSON})
    answer("trace answer", "trace_answer", '{"tid":"%s"}' % TID, {"tid": TID})
    answer("trace answer numeric tid", "trace_answer", '{"tid":5}', {"error": ERR_UUID})
    answer("trace answer trace_id only", "trace_answer", '{"trace_id":"%s"}' % TID, {"error": ERR_UUID})
    answer("trace answer empty body", "trace_answer", "", {"error": ERR_JSON})
    answer("error answer x402 route", "error_answer",
           '{"error":{"code":"RISK_DENIED","message":"Risk denied: velocity"},"request_id":"0f1e2d3c"}',
           {"code": "RISK_DENIED", "message": "Risk denied: velocity", "request_id": "0f1e2d3c"})
    answer("error answer fastapi detail", "error_answer", '{"detail":"unknown sid"}',
           {"code": None, "message": "unknown sid", "request_id": None})
    answer("error answer fastapi validation", "error_answer", '{"detail":[{"loc":["body"],"msg":"x"}]}',
           {"code": None, "message": '[{"loc":["body"],"msg":"x"}]', "request_id": None})
    answer("error answer other", "error_answer", '{"ok":true}', {"none": True})
    for ct in ("application/json", "application/json; charset=utf-8", " Application/JSON ;x", "text/html",
               "application/json+x", "", None, "application/jsonp"):
        ok = (ct or "").split(";", 1)[0].strip().lower() == "application/json"
        vs.append({"name": f"content type {ct!r}", "input": {"op": "content_type", "value": ct},
                   "expect": {"json": ok}})

    # ---- agent trace documents ----
    def tparse(name, text, err=None):
        if err:
            vs.append({"name": name, "input": {"op": "trace_parse", "json": text}, "expect": {"error": err}})
        else:
            c = canonical(json.loads(text))
            vs.append({"name": name, "input": {"op": "trace_parse", "json": text},
                       "expect": {"canonical": c.decode("utf-8"), "sha256": hashlib.sha256(c).hexdigest()}})

    tparse("trace parse minimal", '{"task":"t","parameters":{}}')
    tparse("trace parse keeps unknown keys and nulls",
           '{"task":"t","parameters":{"b":2,"a":1},"environment":null,"events":[{"type":"x","ts":1.5,"k":[1]}],"zz":true}')
    tparse("trace parse not an object", "[]", ERR_TRACE)
    tparse("trace parse missing task", '{"parameters":{}}', ERR_TRACE)
    tparse("trace parse task not a string", '{"task":1,"parameters":{}}', ERR_TRACE)
    tparse("trace parse parameters not an object", '{"task":"t","parameters":[]}', ERR_TRACE)
    tparse("trace parse events not an array", '{"task":"t","parameters":{},"events":{}}', ERR_TRACE)
    tparse("trace parse event without type", '{"task":"t","parameters":{},"events":[{"ts":1}]}', ERR_TRACE)
    tparse("trace parse event ts not a number", '{"task":"t","parameters":{},"events":[{"type":"a","ts":"1"}]}', ERR_TRACE)
    tparse("trace parse environment not an object", '{"task":"t","parameters":{},"environment":"x"}', ERR_TRACE)
    tparse("trace parse completed_at not a string", '{"task":"t","parameters":{},"completed_at":1}', ERR_TRACE)
    tparse("trace parse invalid json", '{"task":"t",}', ERR_JSON)
    return vs


# ---------------------------------------------------------------------------------------
# risk_evidence.json: X-PAYMENT-EVIDENCE (EIP-712 payment evidence)
# ---------------------------------------------------------------------------------------

ERR_MISMATCH = "X402S_ERR_RISK_EVIDENCE_MISMATCH"
ERR_NUMBER = "X402S_ERR_INVALID_NUMBER"
ERR_LENGTH = "X402S_ERR_INVALID_LENGTH"
EVD_DOMAIN = {"name": "x402-secure PaymentEvidence", "version": "1"}
EVD_FIELDS = [("paymentHash", "bytes32"), ("origin", "string"), ("resource", "string"), ("network", "string"),
              ("asset", "string"), ("payTo", "string"), ("payer", "string"), ("amount", "uint256"),
              ("riskSessionId", "string"), ("riskTraceId", "string"), ("agentTraceDigest", "bytes32"),
              ("validAfter", "uint64"), ("validBefore", "uint64")]
SPEC_XPAYMENT = (
    "eyJ4NDAyVmVyc2lvbiI6IDEsICJzY2hlbWUiOiAiZXhhY3QiLCAibmV0d29yayI6ICJiYXNlLXNlcG9saWEiLCAicGF5bG9hZCI6IHsic2lnbmF0dXJl"
    "IjogIjB4NDRhYzg5NDE5MzgwMTBjOWE1ODM3YWM3YzM2NWM5ZTJiYzEzM2VmYzc1YWYwOTY1YjBlNGJiMTY4MmM1ZTM1ZjBmODE0MTU0MDQxOGIwOWIz"
    "OTg2MDBmNzA1M2U4ZGNlMGFlZTgwMGZlNzZhN2E1NGQ2NWEyOGQyZWFmZWYxZWUxYyIsICJhdXRob3JpemF0aW9uIjogeyJmcm9tIjogIjB4ZjM5RmQ2"
    "ZTUxYWFkODhGNkY0Y2U2YUI4ODI3Mjc5Y2ZmRmI5MjI2NiIsICJ0byI6ICIweDA5ODc2NTQzMjEwOTg3NjU0MzIxMDk4NzY1NDMyMTA5ODc2NTQzMjEi"
    "LCAidmFsdWUiOiAiMTAwMDAwIiwgInZhbGlkQWZ0ZXIiOiAiMTc1OTk5OTk0MCIsICJ2YWxpZEJlZm9yZSI6ICIxNzYwMDAwMDMwIiwgIm5vbmNlIjog"
    "IjB4MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMSJ9fX0=")
SPEC_PAYMENT_HASH = "0x58b372cf029da09aa123a291e34eaf3ece4a798320f35d18d1b6b727a17f4147"  # spec section 2.7
SPEC_PR = {"scheme": "exact", "network": "base-sepolia", "maxAmountRequired": "100000",
           "resource": "https://seller.example:8443/api/market-data", "description": "BTC/USD market data",
           "mimeType": "application/json", "payTo": "0x0987654321098765432109876543210987654321",
           "maxTimeoutSeconds": 30, "asset": "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
           "extra": {"name": "USDC", "version": "2"}}


def keccak(b: bytes) -> bytes:
    from eth_utils import keccak as k
    return k(b)


def evd_sign(msg: dict, alg: str, key: bytes):
    """EIP-712 digest via eth-account's encode_typed_data; secp256k1 via eth-account,
    Ed25519 via PyNaCl."""
    from eth_account import Account
    from eth_account.messages import encode_typed_data
    typed = {"types": {"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"}],
                       "PaymentEvidence": [{"name": n, "type": t} for n, t in EVD_FIELDS]},
             "primaryType": "PaymentEvidence", "domain": EVD_DOMAIN,
             "message": {**msg, "amount": int(msg["amount"])}}
    sm = encode_typed_data(full_message=typed)
    digest = keccak(b"\x19" + sm.version + sm.header + sm.body)
    if alg == "secp256k1":
        sig = Account.sign_message(sm, key).signature
        assert len(sig) == 65
    else:
        import nacl.signing
        sig = nacl.signing.SigningKey(key).sign(digest).signature
    inter = {"domainSeparator": "0x" + sm.header.hex(), "structHash": "0x" + sm.body.hex(), "digest": "0x" + digest.hex()}
    return bytes(sig), inter


def evd_header(msg: dict, alg: str, sig: bytes) -> str:
    return f"pev.v1;alg={alg};m={b64url(canonical(msg))};sig={b64url(sig)}"


def evd_facts(payment_header: str, requirement: dict, payer=None):
    pp = json.loads(base64.b64decode(payment_header, validate=True))
    payload = pp["payload"]
    network = pp.get("network") or pp["accepted"]["network"]
    named, value = None, None
    if "authorization" in payload:
        named, value = payload["authorization"]["from"], payload["authorization"]["value"]
    elif "permit2Authorization" in payload:
        named, value = payload["permit2Authorization"]["from"], payload["permit2Authorization"]["permitted"]["amount"]
    return {"paymentHash": "0x" + keccak(base64.b64decode(payment_header)).hex(), "network": network,
            "asset": requirement["asset"], "payTo": requirement["payTo"], "payer": payer or named,
            "amount": value or requirement.get("maxAmountRequired") or requirement.get("amount")}


CAIP2 = {"base-sepolia": "eip155:84532", "base": "eip155:8453", "solana-devnet": "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"}


def evd_reasons(header: str, x: dict, now: int):
    """Independent reference of the verification rules (docs/RISK.md)."""
    from eth_account import Account
    from eth_account.messages import encode_typed_data
    kv = gw_members(header, "pev.v1", 4096)
    alg, msg = kv["alg"], json.loads(base64.urlsafe_b64decode(kv["m"] + "=" * (-len(kv["m"]) % 4)))
    sig = base64.urlsafe_b64decode(kv["sig"] + "=" * (-len(kv["sig"]) % 4))
    reasons, signer = [], None
    fam = "evm" if CAIP2.get(msg["network"], msg["network"]).startswith("eip155:") else "solana"
    if (alg, fam) not in (("secp256k1", "evm"), ("ed25519", "solana")):
        reasons.append("evidence_algorithm_mismatch")
    typed = {"types": {"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"}],
                       "PaymentEvidence": [{"name": n, "type": t} for n, t in EVD_FIELDS]},
             "primaryType": "PaymentEvidence", "domain": EVD_DOMAIN, "message": {**msg, "amount": int(msg["amount"])}}
    sm = encode_typed_data(full_message=typed)
    digest = keccak(b"\x19" + sm.version + sm.header + sm.body)
    if alg == "secp256k1":
        try:
            rec = Account._recover_hash(digest, signature=sig)
            signer = rec
            if rec.lower() != msg["payer"].lower():
                reasons.append("evidence_signer_mismatch")
        except Exception:
            reasons.append("evidence_signature_invalid")
    else:
        import nacl.signing
        from solders.pubkey import Pubkey
        try:
            nacl.signing.VerifyKey(bytes(Pubkey.from_string(msg["payer"]))).verify(digest, sig)
            signer = msg["payer"]
        except Exception:
            reasons.append("evidence_signature_invalid")
    f = x["facts"]
    evm = CAIP2.get(f["network"], f["network"]).startswith("eip155:")
    same = (lambda a, b: a.lower() == b.lower()) if evm else (lambda a, b: a == b)
    if not same(msg["payer"], f["payer"]):
        reasons.append("evidence_payer_mismatch")
    if msg["paymentHash"] != f["paymentHash"]:
        reasons.append("evidence_payment_hash_mismatch")
    if CAIP2.get(msg["network"], msg["network"]) != CAIP2.get(f["network"], f["network"]):
        reasons.append("evidence_network_mismatch")
    if not same(msg["asset"], f["asset"]):
        reasons.append("evidence_asset_mismatch")
    if not same(msg["payTo"], f["payTo"]):
        reasons.append("evidence_pay_to_mismatch")
    if int(msg["amount"]) != int(f["amount"]):
        reasons.append("evidence_amount_mismatch")
    if msg["origin"].lower() != x["origin"].lower():
        reasons.append("evidence_origin_mismatch")
    if msg["resource"] != x["resource"]:
        reasons.append("evidence_resource_mismatch")
    if str(uuid.UUID(x["sid"])) != msg["riskSessionId"]:
        reasons.append("evidence_session_mismatch")
    if (str(uuid.UUID(x["tid"])) if x.get("tid") else "") != msg["riskTraceId"]:
        reasons.append("evidence_trace_mismatch")
    if x.get("agent_trace_digest") and x["agent_trace_digest"] != msg["agentTraceDigest"]:
        reasons.append("evidence_trace_digest_mismatch")
    if now < msg["validAfter"]:
        reasons.append("evidence_not_yet_valid")
    if now >= msg["validBefore"]:
        reasons.append("evidence_expired")
    if "evidence_signature_invalid" in reasons:
        signer = None
    return reasons, signer


def evidence_vectors() -> list:
    from eth_account import Account
    # ../shared from the project root (or from the worktree's parent for /work/wt/<name>).
    candidates = [ROOT.parent / "shared", ROOT.parent.parent / "shared"]
    shared = next((c for c in candidates if (c / "vectors" / "x402-reference-vectors.json").exists()), None)
    if shared is None:
        sys.exit("../shared/vectors/x402-reference-vectors.json not found")
    ref = json.loads((shared / "vectors" / "x402-reference-vectors.json").read_text(encoding="utf-8"))
    vs = []
    sid = "925ca6ee-aa4b-4508-955b-10b1c02c69bb"
    trace_json = json.dumps({"task": "Buy BTC/USD market data", "parameters": {"symbol": "BTC/USD"},
                             "events": [{"ts": 1760000000.5, "type": "user_input", "role": "user",
                                         "content": "Buy BTC/USD", "content_hash": hashlib.sha256(b"Buy BTC/USD").hexdigest(),
                                         "length": 11}], "completed_at": "2025-10-09T08:53:20+00:00"},
                            separators=(",", ":"))
    trace_digest = "0x" + hashlib.sha256(canonical(json.loads(trace_json))).hexdigest()
    k01 = bytes.fromhex("01" * 32)
    e2 = ref["evm_exact_v2_eip3009"][0]
    e3 = ref["evm_exact_v2_permit2"][0]
    sv = ref["svm_exact"]
    s0 = sv["cases"][0]
    svm_seed = bytes.fromhex(sv["keys"]["client_seed"])
    svm_payer = sv["keys"]["client_pubkey"]
    v2_req = json.loads(e2["paymentPayloadJson"])["accepted"]
    p2_req = json.loads(e3["paymentPayloadJson"])["accepted"]
    svm_req = json.loads(s0["paymentPayloadJson"])["accepted"]

    cases = {
        "v1 spec example (base-sepolia, Hardhat #0)": dict(
            payment_header=SPEC_XPAYMENT, requirement=SPEC_PR, origin="https://seller.example:8443",
            resource="https://seller.example:8443/api/market-data", tid=TID, agent_trace_json=trace_json,
            now=1760000000, valid_for=300, alg="secp256k1", key=bytes.fromhex(HARDHAT0[2:])),
        "v2 eip3009 (base, key01)": dict(
            payment_header=e2["paymentSignatureHeader"], requirement=v2_req, origin="https://api.example.com",
            resource="https://api.example.com/premium-data", tid=None, agent_trace_json=None,
            now=1740672000, valid_for=60, alg="secp256k1", key=k01),
        "v2 permit2 (key01)": dict(
            payment_header=e3["paymentSignatureHeader"], requirement=p2_req, origin="https://api.example.com",
            resource="https://api.example.com/premium-data", tid=TID, agent_trace_json=trace_json,
            now=1740672000, valid_for=600, alg="secp256k1", key=k01),
        "solana devnet (ed25519, explicit payer)": dict(
            payment_header=s0["paymentSignatureHeader"], requirement=svm_req, origin="https://api.example.com",
            resource="https://api.example.com/premium-data", tid=TID, agent_trace_json=trace_json,
            now=1740672000, valid_for=300, alg="ed25519", key=svm_seed, payer=svm_payer),
    }
    built = {}
    for name, c in cases.items():
        facts = evd_facts(c["payment_header"], c["requirement"], c.get("payer"))
        msg = {"paymentHash": facts["paymentHash"], "origin": c["origin"], "resource": c["resource"],
               "network": facts["network"], "asset": facts["asset"], "payTo": facts["payTo"], "payer": facts["payer"],
               "amount": facts["amount"], "riskSessionId": sid, "riskTraceId": c["tid"] or "",
               "agentTraceDigest": trace_digest if c["agent_trace_json"] else "0x" + "00" * 32,
               "validAfter": c["now"], "validBefore": c["now"] + c["valid_for"]}
        sig, inter = evd_sign(msg, c["alg"], c["key"])
        header = evd_header(msg, c["alg"], sig)
        if name.startswith("v1 spec"):
            assert facts["paymentHash"] == SPEC_PAYMENT_HASH
            assert Account.from_key(HARDHAT0).address == facts["payer"]
        inp = {"op": "evidence_build", "payment_header": c["payment_header"],
               "requirement_json": json.dumps(c["requirement"], separators=(",", ":")), "origin": c["origin"],
               "resource": c["resource"], "sid": sid, "now": c["now"], "valid_for": c["valid_for"], "alg": c["alg"],
               "key": "0x" + c["key"].hex()}
        if c["tid"]:
            inp["tid"] = c["tid"]
        if c["agent_trace_json"]:
            inp["agent_trace_json"] = c["agent_trace_json"]
        if c.get("payer"):
            inp["payer"] = c["payer"]
        inter["paymentHash"] = facts["paymentHash"]
        vs.append({"name": "build " + name, "input": inp, "intermediate": inter,
                   "expect": {"message_json": canonical(msg).decode(), "signature": "0x" + sig.hex(), "header": header}})
        built[name] = (c, facts, msg, header, inp)

    # ---- build errors ----
    c, facts, msg, header, inp = built["v1 spec example (base-sepolia, Hardhat #0)"]
    for name, patch, err in (
        ("build payer differs from the payload", {"payer": "0x0000000000000000000000000000000000000001"}, ERR_MISMATCH),
        ("build bad session id", {"sid": "nope"}, ERR_UUID),
        ("build bad trace id", {"tid": "nope"}, ERR_UUID),
        ("build zero window", {"valid_for": 0}, ERR_ARG),
        ("build window past 2^64", {"now": 2 ** 64 - 10, "valid_for": 10}, ERR_ARG),
        ("build signing key is not the payer", {"key": "0x" + k01.hex()}, ERR_MISMATCH),
        ("build payment header not base64", {"payment_header": "not base64!"}, ERR_B64),
        ("build empty origin", {"origin": ""}, ERR_ARG),
    ):
        vs.append({"name": name, "input": {**inp, **patch}, "expect": {"error": err}})
    cs = built["solana devnet (ed25519, explicit payer)"][4]
    vs.append({"name": "build solana payment without payer", "input": {k: v for k, v in cs.items() if k != "payer"},
               "expect": {"error": ERR_ARG}})

    # ---- verification ----
    def verify(name, header, base_inp, now, **over):
        x = {"payment_header": base_inp["payment_header"], "requirement_json": base_inp["requirement_json"],
             "origin": base_inp["origin"], "resource": base_inp["resource"], "sid": base_inp["sid"],
             "tid": base_inp.get("tid"), "payer": base_inp.get("payer")}
        if "agent_trace_json" in base_inp:
            x["agent_trace_digest"] = "0x" + hashlib.sha256(canonical(json.loads(base_inp["agent_trace_json"]))).hexdigest()
        x.update(over)
        x = {k: v for k, v in x.items() if v is not None}
        x["facts"] = evd_facts(x["payment_header"], json.loads(x["requirement_json"]), x.get("payer"))
        reasons, signer = evd_reasons(header, x, now)
        inp = {"op": "evidence_verify", "header": header, "now": now, **{k: v for k, v in x.items() if k != "facts"}}
        vs.append({"name": "verify " + name, "input": inp,
                   "expect": {"isValid": not reasons, "reasons": reasons, "signer": signer}})

    c, facts, msg, h1, inp1 = built["v1 spec example (base-sepolia, Hardhat #0)"]
    verify("v1 valid", h1, inp1, 1760000100)
    verify("v1 valid at validAfter", h1, inp1, 1760000000)
    verify("v1 not yet valid", h1, inp1, 1759999999)
    verify("v1 expired at validBefore", h1, inp1, 1760000300)
    verify("v1 wrong origin", h1, inp1, 1760000100, origin="https://evil.example")
    verify("v1 origin case-insensitive", h1, inp1, 1760000100, origin="HTTPS://Seller.Example:8443")
    verify("v1 wrong resource", h1, inp1, 1760000100, resource="https://seller.example:8443/api/other")
    verify("v1 other session", h1, inp1, 1760000100, sid="6ba7b810-9dad-11d1-80b4-00c04fd430c8")
    verify("v1 session in another form", h1, inp1, 1760000100, sid="{925CA6EE-AA4B-4508-955B-10B1C02C69BB}")
    verify("v1 request without tid", h1, inp1, 1760000100, tid=None)
    verify("v1 other tid", h1, inp1, 1760000100, tid="11111111-1111-4111-8111-111111111111")
    verify("v1 trace digest differs", h1, inp1, 1760000100, agent_trace_digest="0x" + "ab" * 32)
    verify("v1 seller without the trace", h1, inp1, 1760000100, agent_trace_digest=None)
    reenc = base64.b64encode(json.dumps(json.loads(base64.b64decode(SPEC_XPAYMENT)), separators=(",", ":")).encode()).decode()
    verify("v1 other payment header bytes", h1, inp1, 1760000100, payment_header=reenc)
    other_pr = dict(SPEC_PR, payTo="0x1111111111111111111111111111111111111111")
    verify("v1 other payTo", h1, inp1, 1760000100, requirement_json=json.dumps(other_pr))
    other_asset = dict(SPEC_PR, asset="0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913")
    verify("v1 other asset", h1, inp1, 1760000100, requirement_json=json.dumps(other_asset))
    lower_pr = dict(SPEC_PR, payTo=SPEC_PR["payTo"].lower(), asset=SPEC_PR["asset"].lower())
    verify("v1 addresses compared case-insensitively", h1, inp1, 1760000100, requirement_json=json.dumps(lower_pr))
    tampered = dict(msg, amount="1")
    kv = gw_members(h1, "pev.v1", 4096)
    h_t = f"pev.v1;alg=secp256k1;m={b64url(canonical(tampered))};sig={kv['sig']}"
    verify("v1 tampered amount", h_t, inp1, 1760000100)
    sig_k01, _ = evd_sign(msg, "secp256k1", k01)
    verify("v1 signed by another key", evd_header(msg, "secp256k1", sig_k01), inp1, 1760000100)
    verify("v1 unrecoverable signature", evd_header(msg, "secp256k1", bytes(64) + b"\x1b"), inp1, 1760000100)
    verify("v1 ed25519 on an evm network", evd_header(msg, "ed25519", bytes(64)), inp1, 1760000100)
    everything = dict(origin="https://evil.example", resource="r", sid="6ba7b810-9dad-11d1-80b4-00c04fd430c8",
                      tid=None, agent_trace_digest="0x" + "cd" * 32, payment_header=reenc,
                      requirement_json=json.dumps(dict(SPEC_PR, payTo="0x1111111111111111111111111111111111111111",
                                                       asset="0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913")))
    verify("v1 everything wrong", h_t, inp1, 1, **everything)
    c, facts, msg2, h2, inp2 = built["v2 eip3009 (base, key01)"]
    verify("v2 eip3009 valid", h2, inp2, 1740672030)
    verify("v2 eip3009 request with unexpected tid", h2, inp2, 1740672030, tid=TID)
    c, facts, msg3, h3, inp3 = built["v2 permit2 (key01)"]
    verify("v2 permit2 valid", h3, inp3, 1740672030)
    c, facts, msg4, h4, inp4 = built["solana devnet (ed25519, explicit payer)"]
    verify("solana valid", h4, inp4, 1740672030)
    verify("solana expired", h4, inp4, 1740672300)
    kv4 = gw_members(h4, "pev.v1", 4096)
    bad = bytearray(base64.urlsafe_b64decode(kv4["sig"] + "=="))
    bad[0] ^= 1
    verify("solana bad signature", evd_header(msg4, "ed25519", bytes(bad)), inp4, 1740672030)
    verify("solana other payer given", h4, inp4, 1740672030, payer=sv["keys"]["payTo_pubkey"])
    verify("solana secp256k1 on a solana network", evd_header(msg4, "secp256k1", sig_k01), inp4, 1740672030)

    # ---- parse errors ----
    m_ok = b64url(canonical(msg))
    s_ok = kv["sig"]

    def perr(name, value, err):
        vs.append({"name": "parse " + name, "input": {"op": "evidence_parse", "value": value}, "expect": {"error": err}})

    perr("wrong tag", f"pev.v2;alg=secp256k1;m={m_ok};sig={s_ok}", ERR_HEADER)
    perr("missing sig", f"pev.v1;alg=secp256k1;m={m_ok}", ERR_HEADER)
    perr("unknown alg", f"pev.v1;alg=rsa;m={m_ok};sig={s_ok}", ERR_HEADER)
    perr("message not base64url", f"pev.v1;alg=secp256k1;m=***;sig={s_ok}", ERR_B64)
    perr("message padded", f"pev.v1;alg=secp256k1;m={m_ok}%3D;sig={s_ok}", ERR_B64)
    perr("message not json", f"pev.v1;alg=secp256k1;m={b64url(b'{nope')};sig={s_ok}", ERR_JSON)
    perr("message not an object", f"pev.v1;alg=secp256k1;m={b64url(b'[]')};sig={s_ok}", ERR_HEADER)
    no_payer = {k: v for k, v in msg.items() if k != "payer"}
    perr("message missing payer", f"pev.v1;alg=secp256k1;m={b64url(canonical(no_payer))};sig={s_ok}", ERR_HEADER)
    perr("message amount not canonical", f"pev.v1;alg=secp256k1;m={b64url(canonical(dict(msg, amount='0100')))};sig={s_ok}", ERR_NUMBER)
    perr("message amount a number", f"pev.v1;alg=secp256k1;m={b64url(canonical(dict(msg, amount=100000)))};sig={s_ok}", ERR_HEADER)
    perr("message short hash", f"pev.v1;alg=secp256k1;m={b64url(canonical(dict(msg, paymentHash='0x12')))};sig={s_ok}", ERR_HEADER)
    perr("message window reversed", f"pev.v1;alg=secp256k1;m={b64url(canonical(dict(msg, validBefore=1)))};sig={s_ok}", ERR_ARG)
    perr("message window negative", f"pev.v1;alg=secp256k1;m={b64url(canonical(dict(msg, validAfter=-1)))};sig={s_ok}", ERR_HEADER)
    perr("message bad session", f"pev.v1;alg=secp256k1;m={b64url(canonical(dict(msg, riskSessionId='x')))};sig={s_ok}", ERR_UUID)
    perr("signature too short", f"pev.v1;alg=secp256k1;m={m_ok};sig={b64url(bytes(64))}", ERR_HEADER)
    perr("ed25519 signature too long", f"pev.v1;alg=ed25519;m={m_ok};sig={s_ok}", ERR_HEADER)
    perr("too long", f"pev.v1;alg=secp256k1;m={m_ok};sig={s_ok};pad={'p' * 4096}", ERR_TOO_LONG)
    return vs


# ---------------------------------------------------------------------------------------
# risk_mandate.json: the pre-payment mandate gate (independent reference of docs/RISK.md)
# ---------------------------------------------------------------------------------------

ERR_MANDATE = "X402S_ERR_RISK_INVALID_MANDATE"
HEX40 = re.compile(r"^0x[0-9a-fA-F]{40}$")


def ref_iso(text):
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", text)
    if not m:
        return None
    import datetime as dtm
    try:
        d = dtm.datetime.fromisoformat(text.replace("z", "Z").replace("t", "T").replace("Z", "+00:00"))
    except ValueError:
        return None
    return int(d.timestamp() // 1)


def ref_url(u, base):
    from urllib.parse import urlsplit
    if u.startswith("/") and not u.startswith("//") and base:
        u = base + u
    sp = urlsplit(u)
    if not sp.scheme or not sp.netloc:
        return None
    scheme, auth = sp.scheme.lower(), sp.netloc.lower()
    if scheme == "https" and auth.endswith(":443"):
        auth = auth[:-4]
    if scheme == "http" and auth.endswith(":80"):
        auth = auth[:-3]
    return f"{scheme}://{auth}{sp.path or '/'}" + (f"?{sp.query}" if sp.query else "")


def ref_gate(m, req, trace, resource, now):
    from x402.mechanisms.evm.default_assets import get_default_asset
    caip = {"base-sepolia": "eip155:84532", "base": "eip155:8453"}
    R = []
    exp = m["intent_expiry"] if isinstance(m["intent_expiry"], int) else ref_iso(m["intent_expiry"])
    if "not_before" in m:
        nb = m["not_before"] if isinstance(m["not_before"], int) else ref_iso(m["not_before"])
        if now < nb:
            R.append(("mandate_not_yet_valid", "deny", ""))
    if now >= exp:
        R.append(("mandate_expired", "deny", ""))
    amount = int(req.get("maxAmountRequired") or req.get("amount"))
    network = req["network"]
    if amount > int(m["max_amount"]):
        R.append(("amount_over_cap", "deny", str(amount)))
    elif "step_up_amount" in m and amount > int(m["step_up_amount"]):
        R.append(("amount_step_up", "step_up", str(amount)))
    evm = caip.get(network, network).startswith("eip155:")
    if "currency" in m:
        try:
            a = get_default_asset(caip.get(network, network))
            symbol = a["symbol"] if a["asset"].lower() == req["asset"].lower() else None
        except Exception:
            symbol = None
        if symbol is None or symbol.lower() != m["currency"].lower():
            R.append(("currency_mismatch", "deny", symbol or "unknown asset"))
    if "networks" in m and caip.get(network, network) not in [caip.get(n, n) for n in m["networks"]]:
        R.append(("network_not_allowed", "deny", network))
    same = (lambda a, b: HEX40.match(a) and HEX40.match(b) and a.lower() == b.lower()) if evm else (lambda a, b: a == b)
    if "assets" in m and not any(same(a, req["asset"]) for a in m["assets"]):
        R.append(("asset_not_allowed", "deny", req["asset"]))
    if "merchants" in m and not any(same(a, req["payTo"]) for a in m["merchants"]):
        R.append(("merchant_not_allowed", m.get("unknown_merchant_action", "deny"), req["payTo"]))
    paid = resource or req.get("resource")
    base = None
    if paid:
        b = ref_url(paid, None)
        base = b[: b.index("/", b.index("//") + 2)] if b else None
    events = (trace or {}).get("events") or []
    outputs = [e["result"] for e in events if e.get("type") == "tool_result" and "result" in e]
    if "plan" in m:
        allowed = {ref_url(u, base) for u in m["plan"]} - {None}
        urls = ([paid] if paid else [])
        for e in events:
            t = e.get("type")
            cand = None
            if t in ("navigation", "http_request"):
                cand = e.get("url")
            elif t == "tool_call":
                cand = ((e.get("args") or {}).get("k") or {}).get("url")
            elif t == "function_call":
                cand = (e.get("arguments") or {}).get("url") if isinstance(e.get("arguments"), dict) else None
            elif t == "tool_result":
                cand = e["result"].get("url") if isinstance(e.get("result"), dict) else None
            if isinstance(cand, str):
                urls.append(cand)
        seen = set()
        for u in urls:
            n = ref_url(u, base) or u
            if n not in allowed and n not in seen:
                seen.add(n)
                R.append(("route_not_in_plan", "deny", n))
    flags = {"recurring", "auto_renew", "autoRenew", "auto_renews", "autoRenews", "subscription"}
    intervals = {"billing_interval", "billingInterval", "renewal_interval", "renewalInterval", "interval"}
    phrases = ["auto-renew", "auto renew", "autorenew", "automatically renew", "renews automatically", "recurring",
               "subscription"]

    def hit(v, depth=0):
        if depth > 128:
            return None
        if isinstance(v, dict):
            for k, x in v.items():
                if k in flags and x is True:
                    return k
                if k in intervals and isinstance(x, str) and x.lower() not in ("", "once", "one_time", "one-time", "none"):
                    return f"{k}={x}"
                if k in ("terms", "description") and isinstance(x, str):
                    for p in phrases:
                        if p in x.lower():
                            return p
                h = hit(x, depth + 1)
                if h:
                    return h
        elif isinstance(v, list):
            for x in v:
                h = hit(x, depth + 1)
                if h:
                    return h
        return None

    if m.get("recurrence", "one_time") == "one_time":
        srcs = [req.get("extra") or {}]
        if req.get("description") and "maxAmountRequired" in req:
            srcs.append({"terms": req["description"]})
        srcs += outputs
        for sv in srcs:
            h = hit(sv)
            if h:
                R.append(("recurring_terms", "step_up", h))
                break

    def collect(key, v, depth=0, out=None):
        out = [] if out is None else out
        if depth > 128:
            return out
        if isinstance(v, dict):
            for k, x in v.items():
                if k == key:
                    out.append(x)
                collect(key, x, depth + 1, out)
        elif isinstance(v, list):
            for x in v:
                collect(key, x, depth + 1, out)
        return out

    def disp(v):
        return v if isinstance(v, str) else json.dumps(v, separators=(",", ":"), ensure_ascii=False)

    for key, bound in (m.get("bindings") or {}).items():
        vals = [x for o in outputs for x in collect(key, o)]
        for x in vals:
            eq = (isinstance(x, str) and isinstance(bound, str) and HEX40.match(x) and HEX40.match(bound)
                  and x.lower() == bound.lower()) or x == bound
            if not eq:
                R.append(("tool_output_binding_mismatch", "deny", f"{key}={disp(x)}"))
                break

    def attr(v):
        s = v if isinstance(v, str) else json.dumps(v, separators=(",", ":"), ensure_ascii=False)
        return "".join(c for c in s if c not in " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f").lower()

    for key, want in (m.get("required_attributes") or {}).items():
        vals = collect(key, req.get("extra") or {}) + [x for o in outputs for x in collect(key, o)]
        if not vals:
            R.append(("attribute_unverified", "step_up", key))
        else:
            for x in vals:
                if attr(x) != attr(want):
                    R.append(("attribute_mismatch", "deny", f"{key}={disp(x)}"))
                    break

    def trust(v):
        if isinstance(v, str):
            return {"low": 1, "medium": 2, "high": 3}.get(v.lower())
        if isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1:
            return 1 if v < 0.5 else (2 if v < 0.8 else 3)
        return None

    pol = m.get("source_policy") or {}
    min_sources = pol.get("min_sources", 1)
    min_trust = trust(pol.get("min_trust", "medium"))
    cited = []
    for e in events:
        if e.get("type") == "selection" and isinstance(e.get("sources"), list):
            cited += e["sources"]
    for o in outputs:
        for lst in collect("sources", o):
            if isinstance(lst, list):
                cited += lst
    if cited:
        strong = set()
        for sc in cited:
            if isinstance(sc, dict) and (trust(sc.get("trust")) or 0) >= min_trust:
                strong.add(sc.get("url") or sc.get("id") or sc.get("name") or disp(sc))
        if len(strong) < min_sources:
            R.append(("low_trust_justification", "step_up", f"{len(strong)} of {min_sources} trusted sources"))
    decision = "deny" if any(a == "deny" for _, a, _ in R) else ("step_up" if R else "allow")
    return {"decision": decision, "reasons": [{"code": c, "action": a, "detail": d} for c, a, d in R]}


def mandate_vectors() -> list:
    vs = []
    pay_to, asset = SPEC_PR["payTo"], SPEC_PR["asset"]
    res = SPEC_PR["resource"]
    base_mandate = {
        "mandate_version": 1, "mandate_id": "mand_abc", "natural_language_description": "Buy BTC/USD market data",
        "intent_expiry": 1760003600, "max_amount": "500000", "currency": "USDC", "networks": ["eip155:84532"],
        "assets": [asset], "merchants": [pay_to],
        "plan": ["https://seller.example:8443/catalog", res, "https://seller.example:8443/api/market-data?symbol=BTC%2FUSD"],
        "bindings": {"beneficiary": pay_to, "memo": "order-42", "tenant": "acme"},
        "required_attributes": {"symbol": "BTC/USD"},
    }
    good_events = [
        {"ts": 1760000000.0, "type": "user_input", "role": "user", "content": "Buy BTC/USD data",
         "content_hash": hashlib.sha256(b"Buy BTC/USD data").hexdigest(), "length": 16},
        {"ts": 1760000001.0, "type": "navigation", "url": "https://seller.example:8443/catalog"},
        {"ts": 1760000002.0, "type": "selection", "sources": [
            {"url": "https://exchange-a.example/report", "trust": "high"},
            {"url": "https://exchange-b.example/report", "trust": "medium"}]},
        {"ts": 1760000003.0, "type": "tool_call", "name": "prepare_payment",
         "args": {"a": [], "k": {"url": "https://seller.example:8443/api/market-data?symbol=BTC%2FUSD"}}},
        {"ts": 1760000004.0, "type": "tool_result", "name": "prepare_payment", "result": {
            "url": "https://SELLER.example:8443/api/market-data?symbol=BTC%2FUSD", "beneficiary": pay_to.lower(),
            "memo": "order-42", "tenant": "acme", "attributes": {"symbol": "BTC/USD"}, "price": "100000"}},
    ]

    def trace_of(events):
        return {"task": "Buy BTC/USD market data", "parameters": {"symbol": "BTC/USD"}, "events": events,
                "completed_at": "2025-10-09T08:53:25+00:00"}

    def case(name, mandate=None, req=None, events=None, now=1760000100, resource=None, no_trace=False, expect=None):
        mandate = base_mandate if mandate is None else mandate
        req = SPEC_PR if req is None else req
        events = good_events if events is None else events
        trace = None if no_trace else trace_of(events)
        got = ref_gate(mandate, req, trace, resource, now)
        if expect is not None:
            assert got["decision"] == expect, (name, got)
        inp = {"op": "mandate_evaluate", "mandate_json": json.dumps(mandate, separators=(",", ":")),
               "requirement_json": json.dumps(req, separators=(",", ":")), "now": now}
        if trace is not None:
            inp["trace_json"] = json.dumps(trace, separators=(",", ":"), ensure_ascii=False)
        if resource is not None:
            inp["resource"] = resource
        vs.append({"name": name, "input": inp, "expect": got})

    def with_events(*patches):
        ev = [dict(e) for e in good_events]
        for p in patches:
            p(ev)
        return ev

    def result_patch(**kv):
        def f(ev):
            ev[4] = dict(ev[4], result=dict(ev[4]["result"], **kv))
        return f

    case("allow: everything within the mandate", expect="allow")
    case("allow: no trace, plain checks only", mandate=dict(base_mandate, required_attributes={}), no_trace=True,
         expect="allow")
    case("step_up: no trace leaves a required attribute unverified", no_trace=True, expect="step_up")
    # 1. prompt-injected routing
    case("deny 1: navigation adds an ?aff= parameter", events=with_events(
        lambda ev: ev.insert(2, {"ts": 1760000001.5, "type": "navigation",
                                 "url": "https://seller.example:8443/api/market-data?symbol=BTC%2FUSD&aff=attacker"})),
         expect="deny")
    case("deny 1: tool result rewrites the host", events=with_events(
        result_patch(url="https://seller-example.co/api/market-data?symbol=BTC%2FUSD")), expect="deny")
    case("deny 1: paying a resource outside the plan", req=dict(SPEC_PR, resource="https://seller.example:8443/api/premium"),
         expect="deny")
    case("allow 1: relative url resolved against the resource origin", events=with_events(
        lambda ev: ev.insert(2, {"ts": 1760000001.5, "type": "http_request", "url": "/catalog"})), expect="allow")
    case("allow 1: default port and fragment ignored", mandate=dict(base_mandate, plan=["https://shop.example/a?x=1"], required_attributes={}),
         req=dict(SPEC_PR, resource="https://SHOP.example:443/a?x=1#top"), no_trace=True, expect="allow")
    # 2. counterfeit route
    fake = "0x000000000000000000000000000000000000dEaD"
    case("deny 2: payTo not in the merchant allow-list", req=dict(SPEC_PR, payTo=fake),
         events=with_events(result_patch(beneficiary=pay_to)), expect="deny")
    case("step_up 2: unknown merchant with unknown_merchant_action step_up",
         mandate=dict(base_mandate, unknown_merchant_action="step_up"), req=dict(SPEC_PR, payTo=fake), expect="step_up")
    case("allow 2: merchant compared case-insensitively", mandate=dict(base_mandate, merchants=[pay_to.upper().replace("0X", "0x")]),
         expect="allow")
    # 3. free trial that flips to auto-renew
    case("step_up 3: tool output offers a free trial that auto-renews", events=with_events(
        result_patch(offer={"price": "0", "terms": "Free 7-day trial, then Auto-Renews at 9.99 USDC/month"})),
         expect="step_up")
    case("step_up 3: requirement extra says recurring", req=dict(SPEC_PR, extra={"name": "USDC", "version": "2", "recurring": True}),
         expect="step_up")
    case("step_up 3: requirement description mentions a subscription",
         req=dict(SPEC_PR, description="Monthly subscription to BTC/USD data"), expect="step_up")
    case("step_up 3: billing interval in tool output", events=with_events(result_patch(billing={"billingInterval": "month"})),
         expect="step_up")
    case("allow 3: recurring mandate accepts recurring terms", mandate=dict(base_mandate, recurrence="recurring"),
         req=dict(SPEC_PR, extra={"name": "USDC", "version": "2", "recurring": True}), expect="allow")
    case("allow 3: one-time interval is not recurring", events=with_events(result_patch(billing={"interval": "once"})),
         expect="allow")
    # 4. tool-chain tampering
    case("deny 4: beneficiary changed in tool output", events=with_events(result_patch(beneficiary=fake)), expect="deny")
    case("deny 4: memo changed in a nested tool output", events=with_events(
        result_patch(invoice={"lines": [{"memo": "order-43"}]})), expect="deny")
    case("deny 4: tenant changed", events=with_events(result_patch(tenant="evil-corp")), expect="deny")
    # 5. spec creep
    gpu = dict(base_mandate, required_attributes={"vram": "24GB"}, bindings={})
    case("deny 5: vram differs in tool output", mandate=gpu, events=with_events(
        result_patch(attributes={"symbol": "BTC/USD"}, product={"sku": "gpu-x", "vram": "16GB"})), expect="deny")
    case("allow 5: vram equal up to case and spaces", mandate=gpu, events=with_events(
        result_patch(product={"sku": "gpu-y", "vram": "24 gb"})), expect="allow")
    case("step_up 5: required attribute appears nowhere", mandate=gpu, expect="step_up")
    case("deny 5: requirement extra states another value", mandate=gpu,
         req=dict(SPEC_PR, extra={"name": "USDC", "version": "2", "attributes": {"vram": "12GB"}}), expect="deny")
    # 6. opinion laundering
    case("step_up 6: selection justified by a single low-trust source", events=with_events(
        lambda ev: ev.__setitem__(2, {"ts": 1760000002.0, "type": "selection",
                                      "sources": [{"url": "https://random-blog.example/best", "trust": "low"}]})),
         expect="step_up")
    case("step_up 6: two citations of the same source do not make two", mandate=dict(base_mandate, source_policy={"min_sources": 2}),
         events=with_events(lambda ev: ev.__setitem__(2, {"ts": 1760000002.0, "type": "selection", "sources": [
             {"url": "https://a.example", "trust": "high"}, {"url": "https://a.example", "trust": "high"}]})),
         expect="step_up")
    case("allow 6: numeric trust counts", mandate=dict(base_mandate, source_policy={"min_sources": 2, "min_trust": "high"}),
         events=with_events(lambda ev: ev.__setitem__(2, {"ts": 1760000002.0, "type": "selection", "sources": [
             {"url": "https://a.example", "trust": 0.9}, {"name": "analyst-b", "trust": "HIGH"}]})), expect="allow")
    case("allow 6: a low-trust source in tool output next to trusted ones", events=with_events(
        result_patch(review={"sources": [{"url": "https://x.example", "trust": "low"}]})), expect="allow")
    case("step_up 6: only low-trust sources cited inside a tool output", events=with_events(
        lambda ev: ev.__setitem__(2, {"ts": 1760000002.0, "type": "navigation", "url": "https://seller.example:8443/catalog"}),
        result_patch(review={"sources": [{"url": "https://x.example", "trust": "low"}, {"url": "https://y.example"}]})),
         expect="step_up")
    # plain checks
    case("deny: amount over the cap", mandate=dict(base_mandate, max_amount="99999"), expect="deny")
    case("step_up: amount above step_up_amount", mandate=dict(base_mandate, step_up_amount="50000"), expect="step_up")
    case("allow: amount equal to the cap", mandate=dict(base_mandate, max_amount="100000", step_up_amount="100000"),
         expect="allow")
    case("deny: currency mismatch", mandate=dict(base_mandate, currency="EURC"), expect="deny")
    case("deny: currency of an unknown asset", mandate=dict(base_mandate, assets=["0x1111111111111111111111111111111111111111"]),
         req=dict(SPEC_PR, asset="0x1111111111111111111111111111111111111111"), expect="deny")
    case("deny: network not allowed", mandate=dict(base_mandate, networks=["base"]), expect="deny")
    case("allow: network given as v1 name", mandate=dict(base_mandate, networks=["base-sepolia"]), expect="allow")
    case("deny: asset not allowed", mandate=dict(base_mandate, assets=["0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"]),
         expect="deny")
    case("deny: mandate expired", now=1760003600, expect="deny")
    case("deny: mandate not yet valid", mandate=dict(base_mandate, not_before="2025-10-09T09:00:00Z"), now=1760000100,
         expect="deny")
    case("allow: ISO expiry with offset", mandate=dict(base_mandate, intent_expiry="2025-10-09T11:53:20+02:00"),
         now=1760003599, expect="allow")
    case("deny: everything wrong at once", mandate=dict(base_mandate, max_amount="1", currency="EURC"),
         req=dict(SPEC_PR, payTo=fake, network="base", asset="0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
                  resource="https://evil.example/pay"),
         events=with_events(result_patch(beneficiary=fake, terms="auto-renew")), now=1770000000, expect="deny")
    v2req = {"scheme": "exact", "network": "eip155:84532", "asset": asset, "amount": "100000", "payTo": pay_to,
             "maxTimeoutSeconds": 60, "extra": {"name": "USDC", "version": "2"}}
    case("allow: v2 requirement with the resource given", req=v2req, resource=res, expect="allow")
    case("deny: v2 requirement with a resource outside the plan", req=v2req, resource="https://evil.example/x",
         expect="deny")

    # mandate documents that are rejected
    def bad(name, text):
        vs.append({"name": name, "input": {"op": "mandate_parse", "mandate_json": text}, "expect": {"error": ERR_MANDATE}})

    mj = lambda **kv: json.dumps({k: v for k, v in dict(base_mandate, **kv).items() if v is not None})
    bad("mandate not an object", "[]")
    bad("mandate version missing", mj(mandate_version=None))
    bad("mandate version 2", mj(mandate_version=2))
    bad("mandate expiry missing", mj(intent_expiry=None))
    bad("mandate expiry without zone", mj(intent_expiry="2025-10-09T09:00:00"))
    bad("mandate expiry bad date", mj(intent_expiry="2025-02-30T09:00:00Z"))
    bad("mandate max_amount a number", mj(max_amount=500000))
    bad("mandate max_amount leading zero", mj(max_amount="0500"))
    bad("mandate max_amount missing", mj(max_amount=None))
    bad("mandate step_up_amount negative", mj(step_up_amount="-1"))
    bad("mandate networks not an array", mj(networks="base"))
    bad("mandate merchants with a number", mj(merchants=[1]))
    bad("mandate unknown_merchant_action", mj(unknown_merchant_action="maybe"))
    bad("mandate recurrence", mj(recurrence="weekly"))
    bad("mandate bindings an array", mj(bindings=[]))
    bad("mandate required attribute not a string", mj(required_attributes={"vram": 24}))
    bad("mandate min_trust unknown", mj(source_policy={"min_trust": "ultra"}))
    bad("mandate min_sources negative", mj(source_policy={"min_sources": -1}))
    bad("mandate currency not a string", mj(currency=1))
    vs.append({"name": "mandate invalid json", "input": {"op": "mandate_parse", "mandate_json": "{"},
               "expect": {"error": ERR_JSON}})

    for text in ("2025-10-09T09:00:00Z", "2025-10-09T09:00:00.999999Z", "2025-10-09t09:00:00z",
                 "2025-10-09T11:00:00+02:00", "2025-10-09T02:30:00-06:30", "2000-02-29T00:00:00Z", "0001-01-01T00:00:00Z",
                 "9999-12-31T23:59:59+00:00", "1969-12-31T23:59:59.5Z"):
        vs.append({"name": f"iso8601 {text}", "input": {"op": "iso8601", "text": text}, "expect": {"unix": ref_iso(text)}})
    for text in ("2025-10-09T09:00:00", "2025-10-09", "2025-10-09 09:00:00Z", "2025-13-01T00:00:00Z", "2025-02-29T00:00:00Z",
                 "2025-10-09T24:00:00Z", "2025-10-09T09:00:00+2:00", "2025-10-09T09:00:00.Z", ""):
        assert ref_iso(text) is None, text
        vs.append({"name": f"iso8601 rejects {text!r}", "input": {"op": "iso8601", "text": text}, "expect": {"unix": None}})
    return vs


def main() -> None:
    OUT.mkdir(exist_ok=True)
    write("risk_headers",
          "x402-secure risk headers. input.op: secure_build (traceparent, context_json?, tracestate? -> "
          "value; context_json is JSON text so key order survives every language's loader), "
          "traceparent_generate / traceparent_child (random = the injected random stream, consumed in order; "
          "flags hex; parent), secure_parse (value -> tp/traceId/spanId/flags/ts?/tid?), secure_context "
          "(strict decoding of ts -> context_json or null), uuid (value -> normalized/version), risk_ids "
          "(session?, trace? -> sid/tid), ap2_build (mr + mandate bytes, or mr + ms + sz -> value), ap2_parse, "
          "vi_build (ref + evidence_json (hashed canonically) or evidence bytes, mt?), vi_parse, canonical "
          "(json text -> canonical text, sha256 hex, tagged). Expected X-PAYMENT-SECURE values come from the "
          "PyPI x402-secure 0.1.4 builder run in a pinned OpenTelemetry span context; intermediate.gateway is "
          "the verdict of an independent Python implementation of the 0.1.4 gateway rules "
          "(../shared/specs/x402-secure.md sections 2.3-2.6, 12), and a note marks every input the core "
          "rejects although the gateway accepts it. Digests: hashlib/base64/json.dumps. Generated by "
          "scripts/vectors/gen_risk_vectors.py.",
          headers_vectors())
    write("risk_trace",
          "x402-secure agent traces and the buyer-side gateway bodies. input.op: session_request (wallet, "
          "agent_did?, agent_endpoint?, app_id?, device_json? -> body, the exact bytes of POST /risk/session), "
          "trace_request (sid, task, params_json, events = event specs fed in order to 0.1.4's "
          "OpenAITraceCollector with time.time() pinned to each spec's ts (tool: ts for tool_call, result_ts for "
          "tool_result), environment_json?, model_config_json?, session_context_json?, completed_at_micros "
          "(datetime.now pinned) -> body = the exact bytes of POST /risk/trace sent by BuyerClient."
          "store_agent_trace, agent_trace_sha256 = SHA-256 of its canonical JSON), isoformat (micros -> Python "
          "datetime.isoformat()), event_ts (float -> json.dumps text), session_answer / trace_answer / "
          "error_answer (body text), content_type (value or null -> the 0.1.4 check), trace_parse (json text -> "
          "canonical + sha256 or error). Bodies captured from x402-secure 0.1.4 through an httpx MockTransport. "
          "Generated by scripts/vectors/gen_risk_vectors.py.",
          trace_vectors())
    write("risk_evidence",
          "X-PAYMENT-EVIDENCE: EIP-712 payment evidence (docs/RISK.md). input.op: evidence_build (payment_header, "
          "requirement_json, origin, resource, sid, tid?, agent_trace_json?, payer?, now, valid_for, alg, key = "
          "secp256k1 private key or Ed25519 seed -> message_json (canonical), signature, header; intermediate: "
          "paymentHash = keccak256 of the decoded header, domainSeparator, structHash, digest), evidence_verify "
          "(header, payment_header, requirement_json, origin, resource, sid, tid?, agent_trace_digest?, payer?, now "
          "-> isValid, reasons, signer), evidence_parse (value -> error). Digests from eth-account 0.14 "
          "encode_typed_data; secp256k1 signatures from eth-account, Ed25519 from PyNaCl; the v1 payment is the "
          "x402-secure.md section 2.1 example (its paymentHash is the section 2.7 value), the v2 and Solana payments "
          "come from ../shared/vectors/x402-reference-vectors.json; expected reasons from an independent Python "
          "implementation of the verification rules. Generated by scripts/vectors/gen_risk_vectors.py.",
          evidence_vectors())
    write("risk_mandate",
          "The pre-payment mandate gate (docs/RISK.md). input.op: mandate_evaluate (mandate_json, requirement_json, "
          "trace_json?, resource?, now -> decision allow|step_up|deny and every reason {code, action, detail} in "
          "check order), mandate_parse (mandate_json -> error), iso8601 (text -> Unix seconds or null). Expected "
          "decisions come from an independent Python implementation of the documented rules (ref_gate in the "
          "generator; currency symbols from x402 2.25.0's default asset table). Generated by "
          "scripts/vectors/gen_risk_vectors.py.",
          mandate_vectors())


if __name__ == "__main__":
    main()
