"""The x402-secure risk layer: risk headers, agent traces, payment evidence and the
pre-payment mandate gate (docs/RISK.md), all computed by the Swift core behind the
``x402s_risk_*`` functions of the C ABI. This module only shapes arguments and results.

Wire compatibility: header values and gateway request bodies are byte-identical to those
of the PyPI package x402-secure 0.1.4; the parsers apply its gateway's rules.

JSON documents (mandates, requirements, agent traces, contexts) may be given as Python
values (``dict``, ``list``, ...; serialised with ``json.dumps(separators=(",", ":"),
ensure_ascii=False)``) or as JSON text (``str`` or bytes, passed through unchanged, so
key order and number text survive). Results are plain ``dict``/``str``/``bytes`` values
or the small frozen classes below. Errors raise :class:`~x402secure.X402SError`
subclasses with the library's status ``code`` (for example
``X402S_ERR_RISK_INVALID_HEADER``); the mandate gate and evidence verification *return*
their verdicts instead of raising for ``step_up``/``deny``/mismatch.

Time and randomness are injectable: ``now=`` (Unix seconds), ``now_micros=``, ``ts=``
(event times) and ``random=`` (bytes consumed in order instead of the CSPRNG).
"""

from __future__ import annotations

import ctypes
import json
from ctypes import c_char, c_size_t
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from . import _native as N
from . import _native_risk as R
from ._accounts import EvmAccount, SolanaKeypair

__all__ = [
    "new_traceparent",
    "build_payment_secure_header",
    "parse_payment_secure_header",
    "payment_secure_context",
    "normalize_risk_id",
    "parse_risk_ids",
    "build_ap2_evidence_header",
    "parse_ap2_evidence_header",
    "ap2_evidence_matches",
    "build_verifiable_intent_header",
    "parse_verifiable_intent_header",
    "verifiable_intent_matches",
    "canonical_json",
    "canonical_sha256",
    "AgentTrace",
    "ParsedAgentTrace",
    "parse_agent_trace",
    "risk_session_request",
    "risk_trace_request",
    "parse_risk_session_answer",
    "parse_risk_trace_answer",
    "parse_risk_error_answer",
    "is_json_content_type",
    "PaymentEvidence",
    "parse_payment_evidence_header",
    "EvidenceVerification",
    "verify_payment_evidence",
    "MandateReason",
    "MandateDecision",
    "evaluate_mandate",
    "PAYMENT_SECURE_HEADER",
    "RISK_SESSION_HEADER",
    "RISK_TRACE_HEADER",
    "AP2_EVIDENCE_HEADER",
    "VERIFIABLE_INTENT_HEADER",
    "PAYMENT_EVIDENCE_HEADER",
]

#: HTTP header names.
PAYMENT_SECURE_HEADER = "X-PAYMENT-SECURE"
RISK_SESSION_HEADER = "X-RISK-SESSION"
RISK_TRACE_HEADER = "X-RISK-TRACE"
AP2_EVIDENCE_HEADER = "X-AP2-EVIDENCE"
VERIFIABLE_INTENT_HEADER = "X-VERIFIABLE-INTENT"
PAYMENT_EVIDENCE_HEADER = "X-PAYMENT-EVIDENCE"

_lib = N.lib
_string_at = ctypes.string_at
_OK = N.S_OK
_SMALL = N.S_BUFFER_TOO_SMALL
_json_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode
_BYTES = (bytes, bytearray, memoryview)

# ------------------------------------------------------------------ call glue


def _call(name: str, *args, cap: int = 512, verdicts: Tuple[int, ...] = ()) -> Tuple[int, bytes]:
    """Call ``x402s_risk_<name>(out, cap, &len, *args, &err)``, retrying once with the
    size the library reports. Returns (status, output); raises for any status that is
    neither OK nor one of ``verdicts`` (statuses that still write their JSON verdict)."""
    fn = getattr(_lib, name)
    n = c_size_t(0)
    err = N.Error()
    out = (c_char * cap)()
    st = fn(out, cap, n, *args, err)
    if st == _SMALL and n.value > cap:
        cap = n.value
        out = (c_char * cap)()
        err = N.Error()
        st = fn(out, cap, n, *args, err)
    if st == _OK or st in verdicts:
        if n.value > cap:  # pragma: no cover - would be a library bug
            raise N.make_error(N.S_INTERNAL, name, "the library reported a length beyond the buffer")
        return st, _string_at(out, n.value)
    raise N.make_error(st, name, err.message.decode("utf-8", "replace"))


def _check(name: str, *args) -> int:
    """Call a function without output; returns its status (never raises)."""
    return getattr(_lib, name)(*args, None)


def _raise_for(name: str, *args) -> None:
    err = N.Error()
    st = getattr(_lib, name)(*args, err)
    if st != _OK:
        raise N.make_error(st, name, err.message.decode("utf-8", "replace"))


def _text(value: object, op: str, what: str) -> bytes:
    return N.as_text(value, op, what)


def _opt_text(value: object, op: str, what: str) -> Optional[bytes]:
    return None if value is None else N.as_text(value, op, what)


def _ptr(b: Optional[bytes]) -> Tuple[Optional[bytes], int]:
    return (None, 0) if b is None else (b, len(b))


def _json_bytes(value: object, op: str, what: str) -> bytes:
    """A JSON document: str/bytes are JSON text as given; anything else is serialised."""
    if isinstance(value, (str,) + _BYTES):
        return N.as_text(value, op, what)
    return _json_value_bytes(value, op, what)


def _json_value_bytes(value: object, op: str, what: str) -> bytes:
    """A Python value serialised as compact JSON (json.dumps, ensure_ascii=False)."""
    try:
        text = _json_encode(value)
    except RecursionError:
        raise N.arg_error(N.S_JSON_TOO_DEEP, op, f"{what} nests too deeply") from None
    except (TypeError, ValueError):
        raise N.arg_error(N.S_INVALID_JSON, op, f"{what} is not JSON-serialisable") from None
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise N.arg_error(N.S_INVALID_JSON, op, f"{what} has a string with a lone surrogate") from None


def _opt_json(value: object, op: str, what: str) -> Optional[bytes]:
    return None if value is None else _json_bytes(value, op, what)


def _options(**items: Any) -> Optional[bytes]:
    present = {k: v for k, v in items.items() if v is not None}
    return _json_encode(present).encode("utf-8") if present else None


def _loads(raw: bytes) -> Any:
    return json.loads(raw.decode("utf-8"))


def _hex(b: Optional[bytes]) -> Optional[str]:
    return None if b is None else "0x" + bytes(b).hex()


# ------------------------------------------------------------------ X-PAYMENT-SECURE


def new_traceparent(parent: Optional[str] = None, flags: Union[int, str, None] = None, *,
                    random: Optional[bytes] = None) -> str:
    """A W3C traceparent: a new trace, or (``parent`` given) a child span of the same trace.

    Args:
        parent: a traceparent to continue (same trace id and flags, new span id).
        flags: trace flags as an int 0-255 or two lowercase hex digits (default ``01``,
            or the parent's).
        random: bytes used instead of the CSPRNG (16 for the trace id then 8 for the
            span id), for tests.

    Returns:
        ``00-<32 hex>-<16 hex>-<2 hex>``.
    """
    op = "x402s_risk_traceparent"
    p = _opt_text(parent, op, "parent")
    if flags is not None and not isinstance(flags, (int, str)):
        raise N.type_error(op, "flags", flags)
    opts = _options(flags=flags, random=_hex(N.as_bytes(random, op, "random") if random is not None else None))
    _, out = _call(op, *_ptr(p), *_ptr(opts))
    return _loads(out)["traceparent"]


def build_payment_secure_header(agent_trace_context: Any = None, *, traceparent: Optional[str] = None,
                                tid: Optional[str] = None, tracestate: Optional[str] = None) -> str:
    """The ``X-PAYMENT-SECURE`` value, byte-identical to x402-secure 0.1.4's
    ``build_payment_secure_header(agent_trace_context)["X-PAYMENT-SECURE"]``.

    Args:
        agent_trace_context: the context sent in ``ts`` (0.1.4 sends ``{"tid": tid}``):
            any JSON-serialisable value, as 0.1.4 takes it (a ``str`` is a JSON string),
            or bytes holding JSON text (sent in its own key order and number text).
        traceparent: the payment span's traceparent (default: a new one from the CSPRNG).
        tid: shorthand for ``agent_trace_context={"tid": tid}``.
        tracestate: a raw W3C tracestate, sent only when there is no context.
    """
    op = "x402s_risk_build_secure_header"
    if tid is not None:
        if agent_trace_context is not None:
            raise N.arg_error(N.S_INVALID_ARGUMENT, op, "give either tid or agent_trace_context")
        agent_trace_context = {"tid": tid}
    tp = new_traceparent() if traceparent is None else traceparent
    if agent_trace_context is None:
        ctx = None
    elif isinstance(agent_trace_context, _BYTES):
        ctx = N.as_bytes(agent_trace_context, op, "agent_trace_context")
    else:  # any JSON value, a str included, as 0.1.4 takes it
        ctx = _json_value_bytes(agent_trace_context, op, "agent_trace_context")
    state = _opt_text(tracestate, op, "tracestate")
    _, out = _call(op, *_ptr(_text(tp, op, "traceparent")), *_ptr(ctx), *_ptr(state))
    return out.decode("utf-8")


def parse_payment_secure_header(value: Union[str, bytes]) -> Dict[str, str]:
    """Parse an ``X-PAYMENT-SECURE`` value with the 0.1.4 gateway's rules.

    Returns:
        ``{"tp", "traceId", "spanId", "flags", "ts"?, "tid"?}`` (``tid`` extracted from
        ``ts`` as the gateway does; absent when it cannot be).
    """
    op = "x402s_risk_parse_secure_header"
    _, out = _call(op, *_ptr(_text(value, op, "value")))
    return _loads(out)


def payment_secure_context(value: Union[str, bytes]) -> Any:
    """The agent trace context carried in ``ts``, decoded strictly (None without ``ts``)."""
    op = "x402s_risk_secure_header_context"
    _, out = _call(op, *_ptr(_text(value, op, "value")))
    return _loads(out)


def normalize_risk_id(value: Union[str, bytes]) -> str:
    """Validate an ``X-RISK-SESSION``/``X-RISK-TRACE`` id (UUID v1 or v4, as the gateway
    accepts it) and return its lowercase hyphenated form."""
    op = "x402s_risk_normalize_uuid"
    _, out = _call(op, *_ptr(_text(value, op, "value")), cap=64)
    return out.decode("ascii")


def parse_risk_ids(session: Optional[str], trace: Optional[str] = None) -> Tuple[str, Optional[str]]:
    """Validate the risk ids of a paid request: ``(sid, tid)`` normalised; the session is
    required, an empty or missing trace id is None."""
    op = "x402s_risk_ids"
    s = b"" if session is None else _text(session, op, "session")
    t = b"" if trace is None else _text(trace, op, "trace")
    _, out = _call(op, s, len(s), t, len(t), cap=128)
    d = _loads(out)
    return d["sid"], d["tid"]


# ------------------------------------------------------------------ X-AP2-EVIDENCE / X-VERIFIABLE-INTENT


def build_ap2_evidence_header(mandate_ref: str, mandate_bytes: Optional[bytes] = None, *,
                              mandate_sha256: Optional[str] = None, size: Optional[int] = None) -> str:
    """``evd.v1;mr=<ref>;ms=<base64url SHA-256>;mt=application/json;sz=<bytes>`` for the
    exact mandate bytes (or a precomputed ``mandate_sha256`` and ``size``)."""
    if mandate_bytes is not None:
        op = "x402s_risk_build_ap2_evidence"
        if mandate_sha256 is not None or size is not None:
            raise N.arg_error(N.S_INVALID_ARGUMENT, op, "give either mandate_bytes or mandate_sha256 and size")
        ref = _text(mandate_ref, op, "mandate_ref")
        data = N.as_bytes(mandate_bytes, op, "mandate_bytes")
        _, out = _call(op, ref, len(ref), data, len(data))
        return out.decode("utf-8")
    op = "x402s_risk_build_ap2_evidence_digest"
    if mandate_sha256 is None or size is None:
        raise N.arg_error(N.S_NULL_ARGUMENT, op, "give mandate_bytes, or mandate_sha256 and size")
    if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size < 2**64:
        raise N.arg_error(N.S_INVALID_ARGUMENT, op, "size must be an int in 0..2**64-1")
    ref = _text(mandate_ref, op, "mandate_ref")
    ms = _text(mandate_sha256, op, "mandate_sha256")
    _, out = _call(op, ref, len(ref), ms, len(ms), size)
    return out.decode("utf-8")


def parse_ap2_evidence_header(value: Union[str, bytes]) -> Dict[str, Any]:
    """Parse ``X-AP2-EVIDENCE``: ``{"mr", "ms", "mt", "sz"}`` (``sz`` an int)."""
    op = "x402s_risk_parse_ap2_evidence"
    _, out = _call(op, *_ptr(_text(value, op, "value")))
    return _loads(out)


def ap2_evidence_matches(value: Union[str, bytes], mandate_bytes: bytes) -> bool:
    """Sellers: True when the mandate bytes have the SHA-256 and size ``value`` announces
    (a malformed header raises)."""
    op = "x402s_risk_ap2_evidence_matches"
    v = _text(value, op, "value")
    m = N.as_bytes(mandate_bytes, op, "mandate_bytes")
    st = _check(op, v, len(v), m, len(m))
    if st == R.S_RISK_EVIDENCE_MISMATCH:
        return False
    if st != _OK:
        _raise_for(op, v, len(v), m, len(m))
    return True


def _vi_evidence(evidence: Any, op: str) -> Tuple[bytes, int]:
    if isinstance(evidence, _BYTES):
        return N.as_bytes(evidence, op, "evidence"), R.EVIDENCE_RAW
    if isinstance(evidence, str):
        return N.as_text(evidence, op, "evidence"), R.EVIDENCE_RAW
    return _json_bytes(evidence, op, "evidence"), R.EVIDENCE_JSON


def build_verifiable_intent_header(reference: str, evidence: Any, *, media_type: Optional[str] = None) -> str:
    """``vi.v1;ref=<ref>;sha256=sha256:<hex>;mt=<media type>;sz=<bytes>``.

    ``evidence`` given as bytes or str is hashed as its (UTF-8) bytes; any other value
    (a dict, ...) is hashed as canonical JSON, as x402-secure's helper does.
    """
    op = "x402s_risk_build_verifiable_intent"
    ref = _text(reference, op, "reference")
    data, flags = _vi_evidence(evidence, op)
    mt = _opt_text(media_type, op, "media_type")
    _, out = _call(op, ref, len(ref), data, len(data), *_ptr(mt), flags)
    return out.decode("utf-8")


def parse_verifiable_intent_header(value: Union[str, bytes]) -> Dict[str, Any]:
    """Parse ``X-VERIFIABLE-INTENT``: ``{"ref", "sha256", "mt", "sz"}``."""
    op = "x402s_risk_parse_verifiable_intent"
    _, out = _call(op, *_ptr(_text(value, op, "value")))
    return _loads(out)


def verifiable_intent_matches(value: Union[str, bytes], evidence: Any) -> bool:
    """Sellers: True when ``evidence`` (bytes/str as is, other values as canonical JSON)
    has the SHA-256 and size ``value`` announces."""
    op = "x402s_risk_verifiable_intent_matches"
    v = _text(value, op, "value")
    data, flags = _vi_evidence(evidence, op)
    if flags == R.EVIDENCE_JSON:
        data = canonical_json(evidence)
    st = _check(op, v, len(v), data, len(data))
    if st == R.S_RISK_EVIDENCE_MISMATCH:
        return False
    if st != _OK:
        _raise_for(op, v, len(v), data, len(data))
    return True


def canonical_json(value: Any) -> bytes:
    """Canonical JSON bytes (sorted keys, no whitespace, raw UTF-8, numbers as written):
    the serialisation every digest of the risk layer uses. ``str``/bytes are JSON text."""
    op = "x402s_risk_canonical_json"
    doc = _json_bytes(value, op, "value")
    _, out = _call(op, doc, len(doc), cap=max(64, len(doc) + 16))
    return out


def canonical_sha256(value: Any) -> bytes:
    """SHA-256 (32 bytes) of :func:`canonical_json`."""
    from ._core import sha256

    return sha256(canonical_json(value))


# ------------------------------------------------------------------ agent traces


def _event(spec: Dict[str, Any]) -> Dict[str, Any]:
    op = "x402s_risk_trace_event"
    doc = _json_bytes(spec, op, "event")
    _, out = _call(op, doc, len(doc), cap=len(doc) + 256)
    return _loads(out)


class AgentTrace:
    """Builder of the x402-secure agent trace (the ``agent_trace`` of ``POST /risk/trace``).

    Events are built by the core as x402-secure 0.1.4's ``OpenAITraceCollector`` writes
    them (content hashes, lengths, ``ts`` as ``time.time()``; pass ``ts=`` to pin it).
    With ``event_order="collector"`` (the default) the trace lists them as that collector
    does: user inputs and system prompts inserted at the front, everything else appended;
    ``"recorded"`` keeps the recording order.

    ``completed_at`` is fixed the first time the trace is serialised (``to_dict``,
    ``to_json``, ``digest``) unless given: the clock then, or ``now_micros`` (Unix
    microseconds) when set.
    """

    def __init__(self, task: str, parameters: Optional[Dict[str, Any]] = None, *,
                 environment: Optional[Dict[str, Any]] = None, model_config: Optional[Dict[str, Any]] = None,
                 session_context: Optional[Dict[str, Any]] = None, completed_at: Optional[str] = None,
                 event_order: str = "collector", events: Optional[Sequence[Dict[str, Any]]] = None,
                 now_micros: Optional[int] = None) -> None:
        if event_order not in ("collector", "recorded"):
            raise N.arg_error(N.S_INVALID_ARGUMENT, "x402s_risk_agent_trace_build",
                              'event_order must be "collector" or "recorded"')
        self.task = task
        self.parameters: Dict[str, Any] = {} if parameters is None else parameters
        self.environment = environment
        self.model_config = model_config
        self.session_context = session_context
        self.completed_at = completed_at
        self.event_order = event_order
        self.now_micros = now_micros
        #: Recorded events, in recording order (``None`` = send no events key).
        self.events: Optional[List[Dict[str, Any]]] = None if events is None else list(events)

    # -- recording

    def _add(self, spec: Dict[str, Any], ts: Optional[float]) -> Dict[str, Any]:
        if ts is not None:
            spec["ts"] = ts
        event = _event(spec)
        if self.events is None:
            self.events = []
        self.events.append(event)
        return event

    def user_input(self, content: str, role: str = "user", *, ts: Optional[float] = None) -> Dict[str, Any]:
        """Record a ``user_input`` event (``content_hash`` = SHA-256 hex of the content)."""
        return self._add({"type": "user_input", "content": content, "role": role}, ts)

    def system_prompt(self, content: str, version: str = "v1.0", *, ts: Optional[float] = None) -> Dict[str, Any]:
        """Record a ``system_prompt`` event."""
        return self._add({"type": "system_prompt", "content": content, "version": version}, ts)

    def agent_output(self, content: str, role: str = "assistant", *, ts: Optional[float] = None) -> Dict[str, Any]:
        """Record an ``agent_output`` event (``output_hash`` = SHA-256 hex)."""
        return self._add({"type": "agent_output", "content": content, "role": role}, ts)

    def tool_call(self, name: str, args: Sequence[Any] = (), kwargs: Optional[Dict[str, Any]] = None, *,
                  ts: Optional[float] = None) -> Dict[str, Any]:
        """Record a ``tool_call`` event (``args: {"a": [...], "k": {...}}``)."""
        return self._add({"type": "tool_call", "name": name, "args": list(args), "kwargs": kwargs or {}}, ts)

    def tool_result(self, name: str, result: Any, *, ts: Optional[float] = None) -> Dict[str, Any]:
        """Record a ``tool_result`` event (the mandate gate searches ``result``)."""
        return self._add({"type": "tool_result", "name": name, "result": result}, ts)

    def function_call(self, name: str, arguments: str = "", call_id: Optional[str] = None, *,
                      ts: Optional[float] = None) -> Dict[str, Any]:
        """Record a model ``function_call`` (``arguments`` is the model's raw text: JSON is
        parsed, empty gives ``{}``, anything else ``{"_raw": text}``)."""
        return self._add({"type": "function_call", "name": name, "call_id": call_id, "arguments": arguments}, ts)

    def reasoning_summary(self, text: str, *, ts: Optional[float] = None) -> Dict[str, Any]:
        """Record a ``reasoning_summary`` event."""
        return self._add({"type": "reasoning_summary", "text": text}, ts)

    def custom(self, type: str, *, ts: Optional[float] = None, **fields: Any) -> Dict[str, Any]:
        """Record any other event type with its fields (for example ``navigation`` with a
        ``url``, ``selection`` with ``sources``, or a ``response.created`` marker)."""
        return self._add({"type": type, **fields}, ts)

    # -- output

    def _build(self) -> Tuple[Dict[str, Any], str]:
        op = "x402s_risk_agent_trace_build"
        doc: Dict[str, Any] = {"task": self.task, "parameters": self.parameters}
        for key, value in (("environment", self.environment), ("events", self.events),
                           ("model_config", self.model_config), ("session_context", self.session_context),
                           ("completed_at", self.completed_at)):
            if value is not None:
                doc[key] = value
        raw = _json_bytes(doc, op, "agent trace")
        opts = _options(eventOrder=self.event_order, nowMicros=self.now_micros)
        _, out = _call(op, raw, len(raw), *_ptr(opts), cap=len(raw) + 512)
        result = _loads(out)
        trace = result["trace"]
        if self.completed_at is None:
            self.completed_at = trace.get("completed_at")
        return trace, result["digest"]

    def to_dict(self) -> Dict[str, Any]:
        """The trace object as sent (0.1.4 key order)."""
        return self._build()[0]

    def to_json(self) -> str:
        """The trace as compact JSON."""
        return _json_encode(self.to_dict())

    def digest(self) -> bytes:
        """SHA-256 of the canonical JSON of the trace (what payment evidence binds)."""
        return bytes.fromhex(self._build()[1][2:])

    def __repr__(self) -> str:
        return f"AgentTrace(task={self.task!r}, events={0 if self.events is None else len(self.events)})"


@dataclass(frozen=True)
class ParsedAgentTrace:
    """A received agent trace (every member kept as sent) and its digest."""

    trace: Dict[str, Any]
    digest: bytes


def parse_agent_trace(value: Any) -> ParsedAgentTrace:
    """Sellers/gateways: check a received agent trace (JSON text or value, at most 8 MiB)
    and digest it (SHA-256 of its canonical JSON)."""
    op = "x402s_risk_agent_trace_parse"
    raw = _trace_bytes(value, op)
    _, out = _call(op, raw, len(raw), cap=len(raw) + 128)
    d = _loads(out)
    return ParsedAgentTrace(d["trace"], bytes.fromhex(d["digest"][2:]))


def _trace_bytes(value: Any, op: str) -> bytes:
    if isinstance(value, AgentTrace):
        value = value.to_dict()
    return _json_bytes(value, op, "agent_trace")


# ------------------------------------------------------------------ gateway bodies and answers


def risk_session_request(wallet_address: str, *, agent_did: Optional[str] = None,
                         agent_endpoint: Optional[str] = None, app_id: Optional[str] = None,
                         device: Optional[Dict[str, Any]] = None) -> bytes:
    """The exact body of ``POST {gateway}/risk/session`` (send with
    ``Content-Type: application/json``)."""
    op = "x402s_risk_session_request"
    if not isinstance(wallet_address, str):
        raise N.type_error(op, "wallet_address", wallet_address)
    req: Dict[str, Any] = {"wallet_address": wallet_address}
    for k, v in (("agent_did", agent_did), ("agent_endpoint", agent_endpoint), ("app_id", app_id), ("device", device)):
        if v is not None:
            req[k] = v
    raw = _json_bytes(req, op, "request")
    _, out = _call(op, raw, len(raw), cap=len(raw) + 128)
    return out


def risk_trace_request(sid: str, agent_trace: Any = None, *, fingerprint: Any = None, telemetry: Any = None) -> bytes:
    """The exact body of ``POST {gateway}/risk/trace``; ``agent_trace`` is an
    :class:`AgentTrace`, a trace dict or its JSON text."""
    op = "x402s_risk_trace_request"
    if not isinstance(sid, str):
        raise N.type_error(op, "sid", sid)
    trace_text = None if agent_trace is None else _trace_bytes(agent_trace, op).decode("utf-8")
    head: Dict[str, Any] = {"sid": sid}
    if fingerprint is not None:
        head["fingerprint"] = fingerprint
    if telemetry is not None:
        head["telemetry"] = telemetry
    raw_head = _json_bytes(head, op, "request").decode("utf-8")
    # The trace text is spliced in unchanged so its key order and numbers survive.
    raw = (raw_head[:-1] + ("" if trace_text is None else ',"agent_trace":' + trace_text) + "}").encode("utf-8")
    _, out = _call(op, raw, len(raw), cap=len(raw) + 128)
    return out


def _answer(kind: int, body: Union[str, bytes], op: str) -> Any:
    b = N.as_text(body, op, "body")
    _, out = _call(op, kind, b, len(b))
    return _loads(out)


def is_json_content_type(value: Optional[str]) -> bool:
    """The 0.1.4 client check of a gateway answer's ``Content-Type``."""
    if value is None:
        return False
    op = "x402s_risk_check_content_type"
    v = _text(value, op, "value")
    return _check(op, v, len(v)) == _OK


def _content_type(content_type: Optional[str], op: str) -> None:
    if content_type is not None:
        v = _text(content_type, "x402s_risk_check_content_type", "content_type")
        _raise_for("x402s_risk_check_content_type", v, len(v))


def parse_risk_session_answer(body: Union[str, bytes], *, content_type: Optional[str] = None) -> Dict[str, Any]:
    """Parse the answer of ``POST /risk/session``: ``{"sid", "expires_at"}`` (sid
    normalised). Given ``content_type``, it must be ``application/json`` first."""
    _content_type(content_type, "x402s_risk_parse_gateway_answer")
    return _answer(R.ANSWER_SESSION, body, "x402s_risk_parse_gateway_answer")


def parse_risk_trace_answer(body: Union[str, bytes], *, content_type: Optional[str] = None) -> str:
    """Parse the answer of ``POST /risk/trace``: the normalised ``tid``."""
    _content_type(content_type, "x402s_risk_parse_gateway_answer")
    return _answer(R.ANSWER_TRACE, body, "x402s_risk_parse_gateway_answer")["tid"]


def parse_risk_error_answer(body: Union[str, bytes]) -> Optional[Dict[str, Any]]:
    """A gateway error body as ``{"code", "message", "request_id"}``, or None."""
    return _answer(R.ANSWER_ERROR, body, "x402s_risk_parse_gateway_answer")


# ------------------------------------------------------------------ payment evidence


def _key_kind(signer: object, op: str) -> int:
    if isinstance(signer, EvmAccount):
        return R.KEY_SECP256K1
    if isinstance(signer, SolanaKeypair):
        return R.KEY_ED25519_SEED
    raise N.type_error(op, "signer", signer)


@dataclass(frozen=True)
class PaymentEvidence:
    """Payment evidence (docs/RISK.md): an EIP-712 ``PaymentEvidence`` message binding the
    payment header bytes, seller origin and resource, network, asset, payTo, amount, risk
    session and trace ids and the agent-trace digest to a validity window.

    Attributes:
        message: the message (as signed and carried in the header).
        digest: the 32-byte EIP-712 digest the payer signs.
        typed_data: the full ``eth_signTypedData_v4`` document, for external wallets.
    """

    message: Dict[str, Any]
    digest: bytes
    typed_data: Dict[str, Any] = field(repr=False)

    @classmethod
    def build(cls, payment_header: str, requirement: Any, *, origin: str, resource: str, session_id: str,
              trace_id: Optional[str] = None, agent_trace: Any = None, payer: Optional[str] = None,
              valid_for: Optional[int] = None, now: Optional[int] = None) -> "PaymentEvidence":
        """Evidence for a payment about to be sent.

        Args:
            payment_header: the ``X-PAYMENT`` / ``PAYMENT-SIGNATURE`` value being sent.
            requirement: the requirement it answers (dict or JSON text, v1 or v2).
            origin: the seller origin ``scheme://host[:port]``; resource: the URL paid for.
            session_id: the ``X-RISK-SESSION`` id; trace_id: the ``tid`` sent, if any.
            agent_trace: the trace stored with ``POST /risk/trace`` (its digest is bound).
            payer: the payer address (required for Solana payments).
            valid_for: window length in seconds (default 300); now: Unix time (default clock).
        """
        op = "x402s_risk_evidence_build"
        head: Dict[str, Any] = {"paymentHeader": payment_header, "origin": origin, "resource": resource,
                                "riskSessionId": session_id}
        if trace_id is not None:
            head["riskTraceId"] = trace_id
        if payer is not None:
            head["payer"] = payer
        if valid_for is not None:
            head["validFor"] = valid_for
        parts = [_json_bytes(head, op, "request").decode("utf-8")[:-1],
                 ',"requirement":' + _json_bytes(requirement, op, "requirement").decode("utf-8")]
        if agent_trace is not None:
            parts.append(',"agentTrace":' + _trace_bytes(agent_trace, op).decode("utf-8"))
        raw = ("".join(parts) + "}").encode("utf-8")
        opts = _options(now=now)
        _, out = _call(op, raw, len(raw), *_ptr(opts), cap=4096)
        d = _loads(out)
        return cls(d["message"], bytes.fromhex(d["digest"][2:]), d["typedData"])

    def _message_bytes(self, op: str) -> bytes:
        return _json_bytes(self.message, op, "message")

    def sign(self, signer: Union[EvmAccount, SolanaKeypair]) -> str:
        """Sign with the payer's account and return the ``X-PAYMENT-EVIDENCE`` value
        (``EvmAccount``: secp256k1; ``SolanaKeypair``: Ed25519 over the same digest).
        A key that is not the payer's raises ``X402S_ERR_RISK_EVIDENCE_MISMATCH``."""
        op = "x402s_risk_evidence_sign"
        kind = _key_kind(signer, op)
        msg = self._message_bytes(op)
        with signer._key(op) as view:  # close() on another thread waits to wipe it
            _, out = _call(op, msg, len(msg), view, 32, kind, cap=2048)
        return out.decode("ascii")

    def assemble(self, signature: bytes, alg: str = "secp256k1") -> str:
        """The header from a signature made by a wallet (65 bytes r||s||v over
        :attr:`digest` for ``"secp256k1"``, 64 bytes for ``"ed25519"``); the signature
        must be the payer's."""
        op = "x402s_risk_evidence_assemble"
        kinds = {"secp256k1": R.KEY_SECP256K1, "ed25519": R.KEY_ED25519_SEED}
        if alg not in kinds:
            raise N.arg_error(N.S_INVALID_ARGUMENT, op, 'alg must be "secp256k1" or "ed25519"')
        msg = self._message_bytes(op)
        sig = N.as_bytes(signature, op, "signature")
        _, out = _call(op, msg, len(msg), sig, len(sig), kinds[alg], cap=2048)
        return out.decode("ascii")


def parse_payment_evidence_header(value: Union[str, bytes]) -> Dict[str, Any]:
    """Parse ``X-PAYMENT-EVIDENCE`` without checking it:
    ``{"alg", "message", "signature": "0x..", "digest": "0x.."}``."""
    op = "x402s_risk_evidence_parse"
    _, out = _call(op, *_ptr(_text(value, op, "value")), cap=2048)
    return _loads(out)


@dataclass(frozen=True)
class EvidenceVerification:
    """The seller-side verdict on payment evidence. ``bool(v)`` is ``v.is_valid``."""

    is_valid: bool
    reasons: Tuple[str, ...]
    signer: Optional[str]

    def __bool__(self) -> bool:
        return self.is_valid


def verify_payment_evidence(header: Union[str, bytes], payment_header: str, requirement: Any, *, origin: str,
                            resource: str, session_id: str, trace_id: Optional[str] = None,
                            agent_trace_digest: Optional[bytes] = None, payer: Optional[str] = None,
                            now: Optional[int] = None) -> EvidenceVerification:
    """Check an ``X-PAYMENT-EVIDENCE`` value against the request actually received: signer
    equals payer, payment bytes, network, asset, payTo, amount, origin, resource, session
    and trace ids (and the agent-trace digest when given) match, the window holds.

    Returns the verdict with every failed reason (docs/RISK.md); a malformed header or
    payment raises instead.
    """
    op = "x402s_risk_evidence_verify"
    h = _text(header, op, "header")
    exp: Dict[str, Any] = {"paymentHeader": payment_header, "origin": origin, "resource": resource,
                           "riskSessionId": session_id}
    if trace_id is not None:
        exp["riskTraceId"] = trace_id
    if agent_trace_digest is not None:
        exp["agentTraceDigest"] = _hex(N.as_bytes(agent_trace_digest, op, "agent_trace_digest"))
    if payer is not None:
        exp["payer"] = payer
    raw = (_json_bytes(exp, op, "expectation").decode("utf-8")[:-1] + ',"requirement":'
           + _json_bytes(requirement, op, "requirement").decode("utf-8") + "}").encode("utf-8")
    opts = _options(now=now)
    _, out = _call(op, *_ptr(h), raw, len(raw), *_ptr(opts), verdicts=(R.S_RISK_EVIDENCE_MISMATCH,))
    d = _loads(out)
    return EvidenceVerification(bool(d["isValid"]), tuple(d["reasons"]), d["signer"])


# ------------------------------------------------------------------ mandate gate


@dataclass(frozen=True)
class MandateReason:
    """One finding of the mandate gate."""

    code: str
    action: str
    detail: str


@dataclass(frozen=True)
class MandateDecision:
    """The gate's answer: ``action`` is ``"allow"``, ``"step_up"`` or ``"deny"``;
    ``reasons`` lists every finding in check order. ``bool(d)`` is True only for allow."""

    action: str
    reasons: Tuple[MandateReason, ...]

    @property
    def allowed(self) -> bool:
        return self.action == "allow"

    @property
    def codes(self) -> Tuple[str, ...]:
        return tuple(r.code for r in self.reasons)

    def __bool__(self) -> bool:
        return self.allowed


def evaluate_mandate(mandate: Any, requirement: Any, agent_trace: Any = None, *, resource: Optional[str] = None,
                     now: Optional[int] = None) -> MandateDecision:
    """Evaluate an AP2-style mandate (schema in docs/RISK.md) against the requirement the
    agent is about to pay and its agent trace, before paying.

    Args:
        mandate: the mandate (dict, or its exact JSON text/bytes).
        requirement: the chosen requirement (v1 or v2; dict or JSON text).
        agent_trace: an :class:`AgentTrace`, trace dict or JSON text (optional).
        resource: the URL being paid (default: the v1 requirement's ``resource``).
        now: Unix seconds (default: the clock).

    Returns:
        A :class:`MandateDecision`; a malformed mandate, requirement or trace raises.
    """
    op = "x402s_risk_mandate_evaluate"
    m = _json_bytes(mandate, op, "mandate")
    r = _json_bytes(requirement, op, "requirement")
    t = None if agent_trace is None else _trace_bytes(agent_trace, op)
    opts = _options(now=now, resource=resource)
    _, out = _call(op, m, len(m), r, len(r), *_ptr(t), *_ptr(opts), cap=2048,
                   verdicts=(R.S_RISK_STEP_UP, R.S_RISK_DENIED))
    d = _loads(out)
    return MandateDecision(d["decision"], tuple(MandateReason(x["code"], x["action"], x["detail"]) for x in d["reasons"]))
