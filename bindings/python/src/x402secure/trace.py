"""Recording what an agent did, for the x402-secure risk layer.

:class:`TraceCollector` records the agent's steps (user input, system prompt,
tool calls and results, model output, OpenAI Responses-style stream events)
as the events of the core's ``AgentTrace``, with the shapes and order quirks of
x402-secure 0.1.4's ``OpenAITraceCollector`` (also exported under that name)::

    collector = TraceCollector()
    collector.set_model_config(model="gpt-5-mini", tools_enabled=["get_quote"])
    collector.record_system_prompt("You buy market data.")
    collector.record_user_input("Get me BTC/USD")

    @collector.tool
    def get_quote(symbol: str) -> dict:
        return {"symbol": symbol, "url": "https://seller.example/api/market-data"}

    for event in stream:                       # OpenAI Responses stream events, as dicts
        collector.ingest_event(event)
    collector.record_agent_output("Bought it.")

    tid = buyer.store_agent_trace(sid=sid, task="buy data", params={...},
                                  events=collector.events, model_config=collector.model_config)
    # or: trace = collector.to_agent_trace(task=..., params=...); trace.digest()

Differences from 0.1.4 (all about making the trace sendable): tool
arguments and results are converted to JSON values when recorded (tuples
become lists, non-finite floats and unknown objects become strings, depth is
bounded), so a trace never fails later at ``POST /risk/trace``; stream events
may be dicts (as the issue asks) or SDK objects; the clock is injectable.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import math
import time
from typing import Any, Callable, Dict, Iterable, List, Optional

from . import risk as _risk

__all__ = ["TraceCollector", "OpenAITraceCollector", "jsonable"]

#: Nesting depth kept in recorded tool values (the core parses to depth 64).
_MAX_DEPTH = 32


def jsonable(value: Any, _depth: int = 0) -> Any:
    """``value`` as a JSON value the core accepts.

    dict keys become strings; tuples, lists and sets become lists; finite
    floats, ints, bools, None and str stay; pydantic models and dataclasses are
    dumped; anything else (and NaN/Infinity) becomes its ``str()``; nesting
    deeper than 32 is replaced by ``"..."``.
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if _depth >= _MAX_DEPTH:
        return "..."
    if isinstance(value, dict):
        return {str(k): jsonable(v, _depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v, _depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        return [jsonable(v, _depth + 1) for v in sorted(value, key=repr)]
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        try:
            return jsonable(dump(), _depth + 1)
        except Exception:
            pass
    if hasattr(value, "__dataclass_fields__"):
        import dataclasses

        try:
            return jsonable(dataclasses.asdict(value), _depth + 1)
        except Exception:
            pass
    return str(value)


def _get(obj: Any, key: str, default: Any = None) -> Any:
    """``obj[key]`` for dicts, ``obj.key`` for SDK objects."""
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


class TraceCollector:
    """Collects agent events for the risk gateway.

    Args:
        coalesce: as 0.1.4: ``True`` folds stream events into
            ``function_call`` / ``reasoning_summary`` / marker events; ``False``
            records every stream event as ``{"ts", "type"}``.
        clock: Unix time in seconds (float) for the ``ts`` of each event.

    Attributes:
        events: the recorded events (user inputs and system prompts are
            inserted at the front, everything else appended, as 0.1.4 does).
        model_config: set by :meth:`set_model_config`.
    """

    def __init__(self, coalesce: bool = True, *, clock: Callable[[], float] = time.time) -> None:
        self.events: List[Dict[str, Any]] = []
        self.coalesce = coalesce
        self.model_config: Dict[str, Any] = {}
        self.started_at: Optional[float] = None
        self.completed_at: Optional[float] = None
        self._clock = clock
        # Events are made by the core (hashes, lengths, ts formatting); ordering is ours.
        self._builder = _risk.AgentTrace("", event_order="recorded")
        self._args_buf: Dict[str, str] = {}
        self._call_meta: Dict[str, Dict[str, Any]] = {}
        self._reasoning_buf: List[str] = []

    # -- configuration ---------------------------------------------------------------------
    def set_model_config(self, *, provider: str = "openai", model: str,
                         tools_enabled: Optional[List[str]] = None, **kwargs: Any) -> None:
        """Record the model configuration: ``{"provider", "model", "tools_enabled", **kwargs}``."""
        self.model_config = {"provider": provider, "model": model, "tools_enabled": list(tools_enabled or []),
                             **{k: jsonable(v) for k, v in kwargs.items()}}

    # -- conversation ----------------------------------------------------------------------
    def _made(self, event: Dict[str, Any]) -> Dict[str, Any]:
        self._builder.events = None  # the builder only makes events; the list is ours
        return event

    def record_user_input(self, content: str, role: str = "user") -> None:
        """A ``user_input`` event with ``content_hash`` and ``length`` (inserted at the
        front, as 0.1.4)."""
        now = self._clock()
        self.events.insert(0, self._made(self._builder.user_input(str(content), role, ts=now)))
        if self.started_at is None:
            self.started_at = now

    def record_system_prompt(self, content: str, version: str = "v1.0") -> None:
        """A ``system_prompt`` event (inserted at the front, as 0.1.4)."""
        self.events.insert(0, self._made(self._builder.system_prompt(str(content), version, ts=self._clock())))

    def record_agent_output(self, content: str, role: str = "assistant") -> None:
        """An ``agent_output`` event (the model's answer) with ``output_hash``."""
        now = self._clock()
        self.events.append(self._made(self._builder.agent_output(str(content), role, ts=now)))
        if self.completed_at is None:
            self.completed_at = now

    def record_tool_call(self, name: str, args: Iterable[Any] = (), kwargs: Optional[Dict[str, Any]] = None) -> None:
        """A ``tool_call`` event: ``{"name", "args": {"a": [...], "k": {...}}}``."""
        self.events.append(self._made(self._builder.tool_call(
            str(name), jsonable(list(args)), jsonable(dict(kwargs or {})), ts=self._clock())))

    def record_tool_result(self, name: str, result: Any) -> None:
        """A ``tool_result`` event with the tool's return value."""
        self.events.append(self._made(self._builder.tool_result(str(name), jsonable(result), ts=self._clock())))

    def record_function_call(self, name: str, arguments: Any = "", call_id: Optional[str] = None) -> None:
        """A model ``function_call`` (``arguments``: the model's raw JSON text, or a dict)."""
        if not isinstance(arguments, str):
            arguments = json.dumps(jsonable(arguments), separators=(",", ":"), ensure_ascii=False)
        self.events.append(self._made(self._builder.function_call(
            str(name), arguments, None if call_id is None else str(call_id), ts=self._clock())))

    def record_reasoning_summary(self, text: str) -> None:
        """A ``reasoning_summary`` event."""
        self.events.append(self._made(self._builder.reasoning_summary(str(text), ts=self._clock())))

    def record_event(self, type: str, **fields: Any) -> None:
        """A custom event (``navigation`` with a ``url``, ``selection`` with
        ``sources``, markers...), which the mandate gate also reads."""
        if not isinstance(type, str) or not type:
            raise ValueError("event type must be a non-empty string")
        if "ts" in fields or "type" in fields:
            raise ValueError("'ts' and 'type' are set by the collector")
        self.events.append(self._made(self._builder.custom(
            type, ts=self._clock(), **{k: jsonable(v) for k, v in fields.items()})))

    # -- tools -----------------------------------------------------------------------------
    def tool(self, fn: Optional[Callable[..., Any]] = None, *, name: Optional[str] = None) -> Any:
        """Decorator recording a ``tool_call`` before and a ``tool_result`` after
        each call of a sync or async tool. Use as ``@collector.tool`` or
        ``@collector.tool(name="quote")``. An exception is recorded as a
        ``tool_result`` with ``{"error": "<Type>: <message>"}`` and re-raised."""
        if fn is None:
            return lambda f: self.tool(f, name=name)
        tool_name = name or getattr(fn, "__name__", "tool")

        if inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def _async_tool(*a: Any, **k: Any) -> Any:
                self.record_tool_call(tool_name, a, k)
                try:
                    out = await fn(*a, **k)
                except Exception as exc:
                    self.record_tool_result(tool_name, {"error": f"{type(exc).__name__}: {exc}"})
                    raise
                self.record_tool_result(tool_name, out)
                return out

            return _async_tool

        @functools.wraps(fn)
        def _tool(*a: Any, **k: Any) -> Any:
            self.record_tool_call(tool_name, a, k)
            try:
                out = fn(*a, **k)
            except Exception as exc:
                self.record_tool_result(tool_name, {"error": f"{type(exc).__name__}: {exc}"})
                raise
            self.record_tool_result(tool_name, out)
            return out

        return _tool

    # -- OpenAI Responses stream events ---------------------------------------------------
    def ingest_event(self, event: Any) -> None:
        """Record one OpenAI Responses-style stream event (a dict such as
        ``{"type": "response.output_item.done", "item": {...}}``, or an SDK
        object), coalesced as 0.1.4 does:

        - ``response.output_item.added`` / ``response.function_call_arguments.delta``
          buffer a function call's name and arguments;
        - ``response.output_item.done`` / ``response.function_call_arguments.done``
          with a ``function_call`` item record ``function_call`` (arguments parsed
          as JSON, ``{"_raw": text}`` when they are not JSON);
        - ``response.reasoning_summary_text.delta`` / ``.done`` record ``reasoning_summary``;
        - ``response.created`` / ``response.completed`` record markers;
        - ``response.output_text.done`` (beyond 0.1.4) records ``agent_output``.
        """
        t = _get(event, "type")
        if not isinstance(t, str) or not t:
            return
        if not self.coalesce:
            self.record_event(t)
            return
        if t == "response.output_item.added":
            item = _get(event, "item")
            if item is not None and _get(item, "type") == "function_call":
                cid, name = _get(item, "call_id"), _get(item, "name")
                if cid and name:
                    self._call_meta[str(cid)] = {"name": str(name)}
                    self._args_buf[str(cid)] = ""
            return
        if t == "response.function_call_arguments.delta":
            cid = _get(event, "call_id") or _get(event, "item_id")
            if cid:
                self._args_buf[str(cid)] = self._args_buf.get(str(cid), "") + str(_get(event, "delta", "") or "")
            return
        if t in ("response.function_call_arguments.done", "response.output_item.done"):
            item = _get(event, "item")
            if item is not None and _get(item, "type") == "function_call":
                cid = _get(item, "call_id")
                name = _get(item, "name") or (self._call_meta.get(str(cid), {}).get("name") if cid else None)
                args_text = _get(item, "arguments") or (self._args_buf.get(str(cid), "") if cid else "")
                if name:
                    self.record_function_call(str(name), args_text if isinstance(args_text, (str, dict)) else "",
                                              cid)
                if cid:
                    self._args_buf.pop(str(cid), None)
                    self._call_meta.pop(str(cid), None)
            return
        if t == "response.reasoning_summary_text.delta":
            self._reasoning_buf.append(str(_get(event, "delta", "") or ""))
            return
        if t == "response.reasoning_summary_text.done":
            text = _get(event, "text") or "".join(self._reasoning_buf)
            self.record_reasoning_summary(str(text))
            self._reasoning_buf.clear()
            return
        if t == "response.output_text.done":
            text = _get(event, "text")
            if isinstance(text, str):
                self.record_agent_output(text)
            return
        if t in ("response.created", "response.completed"):
            self.record_event(t)

    def process_stream(self, stream: Iterable[Any], *, tools: Dict[str, Callable[..., Any]]) -> Dict[str, Any]:
        """Run a (synchronous) Responses stream: ingest every event and call
        ``tools[name](**arguments)`` for each completed function call (tools
        wrapped with :meth:`tool` record their call and result). Returns
        ``{"tool_results": {name: result}}``. An unknown tool raises ``KeyError``
        (as 0.1.4); ``stream.get_final_response()`` is called when present.

        (0.1.4's version is a coroutine; use :meth:`aprocess_stream` for async
        tools or async streams.)
        """
        results: Dict[str, Any] = {}
        for event in stream:
            call = self._step(event)
            if call is not None:
                name, args = call
                fn = tools[name]
                out = fn(**args)
                if inspect.isawaitable(out):
                    raise TypeError(f"tool {name!r} is async: use aprocess_stream")
                results[name] = out
        final = getattr(stream, "get_final_response", None)
        if callable(final):
            final()
        return {"tool_results": results}

    async def aprocess_stream(self, stream: Any, *, tools: Dict[str, Callable[..., Any]]) -> Dict[str, Any]:
        """:meth:`process_stream` for async or sync streams and tools."""
        results: Dict[str, Any] = {}

        async def handle(event: Any) -> None:
            call = self._step(event)
            if call is not None:
                name, args = call
                out = tools[name](**args)
                if inspect.isawaitable(out):
                    out = await out
                results[name] = out

        if hasattr(stream, "__aiter__"):
            async for event in stream:
                await handle(event)
        else:
            for event in stream:
                await handle(event)
        final = getattr(stream, "get_final_response", None)
        if callable(final):
            out = final()
            if inspect.isawaitable(out):
                await out
        return {"tool_results": results}

    def _step(self, event: Any):
        """Ingest an event; return ``(tool name, arguments)`` when it completes a function call."""
        t = _get(event, "type")
        pending = None
        if t in ("response.function_call_arguments.done", "response.output_item.done"):
            item = _get(event, "item")
            if item is not None and _get(item, "type") == "function_call":
                cid = _get(item, "call_id")
                name = _get(item, "name") or (self._call_meta.get(str(cid), {}).get("name") if cid else None)
                args_text = _get(item, "arguments") or (self._args_buf.get(str(cid), "") if cid else "")
                if name:
                    args = _parse_arguments(args_text)
                    is_raw = isinstance(args, dict) and len(args) == 1 and "_raw" in args
                    pending = (str(name), args if isinstance(args, dict) and not is_raw else {})
        self.ingest_event(event)
        return pending

    # -- output ------------------------------------------------------------------------------
    def to_agent_trace(self, *, task: str, params: Dict[str, Any], environment: Optional[Dict[str, Any]] = None,
                       session_context: Optional[Dict[str, Any]] = None) -> "_risk.AgentTrace":
        """The core's ``AgentTrace`` of these events (``.to_dict()``, ``.digest()``)."""
        return _risk.AgentTrace(task, params, environment=environment, events=list(self.events),
                                model_config=self.model_config, session_context=session_context,
                                event_order="recorded")


def _parse_arguments(text: Any) -> Any:
    """A function call's arguments as 0.1.4 records them: the parsed JSON,
    ``{}`` when empty, ``{"_raw": text}`` when not JSON."""
    if isinstance(text, dict):
        return jsonable(text)
    if not text:
        return {}
    try:
        return jsonable(json.loads(text))
    except (TypeError, ValueError, RecursionError):
        return {"_raw": str(text)}


#: 0.1.4's name.
OpenAITraceCollector = TraceCollector
