"""x402secure.trace.TraceCollector: event shapes and order as x402-secure 0.1.4's
OpenAITraceCollector writes them (the PyPI package is the oracle), dict stream events,
tool decorator, JSON safety and the core AgentTrace it produces."""

from __future__ import annotations

import asyncio
import hashlib
import json
from types import SimpleNamespace

import pytest

pytest.importorskip("x402secure.risk")

from x402secure import risk  # noqa: E402
from x402secure.trace import OpenAITraceCollector, TraceCollector, jsonable  # noqa: E402

try:  # the PyPI package x402-secure 0.1.4 (pinned in requirements-test.txt)
    from x402_secure_client import OpenAITraceCollector as Ref  # type: ignore
except Exception:  # pragma: no cover - only without the pinned test peers
    Ref = None


class Clock:
    def __init__(self, start: float = 1760000000.25) -> None:
        self.t = start

    def __call__(self) -> float:
        self.t += 0.5
        return self.t


def _without_ts(events):
    return [{k: v for k, v in e.items() if k != "ts"} for e in events]


def _script(c) -> None:
    c.set_model_config(model="gpt-5-mini", tools_enabled=["quote"], reasoning_enabled=True)
    c.record_user_input("first question")
    c.record_system_prompt("You are careful. café ✓")
    c.record_user_input("second question")

    @c.tool
    def quote(symbol, venue="x"):
        return {"symbol": symbol, "venue": venue, "price": 1.5}

    quote("BTC/USD", venue="cb")
    c.record_agent_output("done: 1.5")


@pytest.mark.skipif(Ref is None, reason="x402-secure 0.1.4 not installed")
def test_events_equal_0_1_4_collector_except_ts():
    ours, ref = TraceCollector(clock=Clock()), Ref()
    _script(ours)
    _script(ref)
    # 0.1.4 stores tool args as a tuple; on the wire (JSON) it is a list.
    ref_events = json.loads(json.dumps(ref.events))
    assert _without_ts(ours.events) == _without_ts(ref_events)
    assert ours.model_config == ref.model_config
    types = [e["type"] for e in ours.events]
    # 0.1.4's order quirk: user inputs and system prompts are inserted at the front.
    assert types == ["user_input", "system_prompt", "user_input", "tool_call", "tool_result", "agent_output"]
    first = ours.events[0]
    assert first["content"] == "second question"
    assert first["content_hash"] == hashlib.sha256(b"second question").hexdigest()
    assert first["length"] == len("second question")


@pytest.mark.skipif(Ref is None, reason="x402-secure 0.1.4 not installed")
def test_stream_events_as_dicts_match_0_1_4_objects():
    stream = [
        {"type": "response.created"},
        {"type": "response.output_item.added", "item": {"type": "function_call", "call_id": "c1", "name": "quote"}},
        {"type": "response.function_call_arguments.delta", "call_id": "c1", "delta": '{"symbol":'},
        {"type": "response.function_call_arguments.delta", "call_id": "c1", "delta": '"BTC"}'},
        {"type": "response.output_item.done", "item": {"type": "function_call", "call_id": "c1", "name": "quote"}},
        {"type": "response.reasoning_summary_text.delta", "delta": "think "},
        {"type": "response.reasoning_summary_text.delta", "delta": "more"},
        {"type": "response.reasoning_summary_text.done"},
        {"type": "response.output_item.done",
         "item": {"type": "function_call", "call_id": "c2", "name": "raw", "arguments": "not json"}},
        {"type": "response.completed"},
    ]

    def obj(d):
        return SimpleNamespace(**{k: obj(v) if isinstance(v, dict) else v for k, v in d.items()})

    ours, ref = TraceCollector(clock=Clock()), Ref()
    for e in stream:
        ours.ingest_event(e)
        ref.ingest_event(obj(e))
    assert _without_ts(ours.events) == _without_ts(ref.events)
    assert [e["type"] for e in ours.events] == [
        "response.created", "function_call", "reasoning_summary", "function_call", "response.completed"]
    assert ours.events[1]["arguments"] == {"symbol": "BTC"}
    assert ours.events[2]["text"] == "think more"
    assert ours.events[3]["arguments"] == {"_raw": "not json"}


def test_uncoalesced_records_every_event_type():
    c = TraceCollector(coalesce=False, clock=Clock())
    c.ingest_event({"type": "response.created"})
    c.ingest_event({"type": "response.output_text.delta", "delta": "x"})
    c.ingest_event({"no": "type"})
    assert _without_ts(c.events) == [{"type": "response.created"}, {"type": "response.output_text.delta"}]


def test_ts_comes_from_the_injected_clock():
    c = TraceCollector(clock=Clock(100.0))
    c.record_user_input("a")
    c.record_agent_output("b")
    assert [e["ts"] for e in c.events] == [100.5, 101.0]
    assert c.started_at == 100.5 and c.completed_at == 101.0


def test_process_stream_runs_tools_and_records_calls():
    c = TraceCollector(clock=Clock())

    @c.tool
    def quote(symbol: str):
        return {"symbol": symbol, "url": "https://seller.example/api"}

    class Stream(list):
        final_called = False

        def get_final_response(self):
            Stream.final_called = True

    stream = Stream([
        {"type": "response.output_item.added", "item": {"type": "function_call", "call_id": "c", "name": "quote"}},
        {"type": "response.function_call_arguments.delta", "call_id": "c", "delta": '{"symbol":"ETH"}'},
        {"type": "response.output_item.done", "item": {"type": "function_call", "call_id": "c", "name": "quote"}},
    ])
    out = c.process_stream(stream, tools={"quote": quote})
    assert out == {"tool_results": {"quote": {"symbol": "ETH", "url": "https://seller.example/api"}}}
    assert Stream.final_called
    assert [e["type"] for e in c.events] == ["function_call", "tool_call", "tool_result"]
    assert c.events[1]["args"] == {"a": [], "k": {"symbol": "ETH"}}
    with pytest.raises(KeyError):  # an unknown tool, as 0.1.4
        c.process_stream([{"type": "response.output_item.done",
                           "item": {"type": "function_call", "call_id": "z", "name": "nope", "arguments": "{}"}}],
                         tools={})


def test_async_tool_and_async_stream():
    c = TraceCollector(clock=Clock())

    @c.tool(name="aquote")
    async def quote(symbol):
        await asyncio.sleep(0)
        return [symbol, (1, 2)]

    async def stream():
        yield {"type": "response.output_item.done",
               "item": {"type": "function_call", "call_id": "a", "name": "aquote", "arguments": '{"symbol":"SOL"}'}}

    out = asyncio.run(c.aprocess_stream(stream(), tools={"aquote": quote}))
    assert out == {"tool_results": {"aquote": ["SOL", (1, 2)]}}
    assert c.events[-1] == {**c.events[-1], "type": "tool_result", "name": "aquote", "result": ["SOL", [1, 2]]}


def test_tool_exception_is_recorded_and_reraised():
    c = TraceCollector(clock=Clock())

    @c.tool
    def boom():
        raise ValueError("bad input")

    with pytest.raises(ValueError):
        boom()
    assert c.events[-1]["result"] == {"error": "ValueError: bad input"}


def test_jsonable_makes_any_value_sendable():
    class Thing:
        def __str__(self):
            return "thing"

    deep = cur = {}
    for _ in range(40):
        cur["d"] = {}
        cur = cur["d"]
    value = jsonable({1: (1, 2.5), "nan": float("nan"), "b": b"\x01", "o": Thing(), "s": {3}, "deep": deep})
    assert value["1"] == [1, 2.5] and value["nan"] == "nan" and value["b"] == "0x01"
    assert value["o"] == "thing" and value["s"] == [3]
    json.dumps(value, allow_nan=False)  # never raises


def test_agent_trace_digest_is_sha256_of_canonical_json():
    c = TraceCollector(clock=Clock())
    _script(c)
    c.record_event("navigation", url="https://seller.example/api/market-data")
    trace = c.to_agent_trace(task="buy", params={"symbol": "BTC/USD"}, environment={"network": "base-sepolia"})
    doc = trace.to_dict()
    assert list(doc) == ["task", "parameters", "environment", "events", "model_config", "completed_at"]
    assert doc["events"] == c.events  # sent in the collector's order, not reordered again
    canonical = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert trace.digest() == hashlib.sha256(canonical).digest()
    # The gateway's parser agrees on the digest.
    assert risk.parse_agent_trace(doc).digest == trace.digest()


def test_record_event_rejects_reserved_names():
    c = TraceCollector()
    with pytest.raises(ValueError):
        c.record_event("")
    with pytest.raises(ValueError):
        c.record_event("x", ts=1)


def test_alias():
    assert OpenAITraceCollector is TraceCollector
