"""Metrics (Prometheus), JSON logs and OpenTelemetry spans of the proxy.

Metrics are prometheus-client objects; with several workers the CLI sets
``PROMETHEUS_MULTIPROC_DIR`` before starting them and ``/metrics`` aggregates every
worker's file. Logs are JSON lines on stderr; they carry the request id and never a
body, a header value or a key. Spans are made only when an OTLP endpoint is configured
(``otel_endpoint``); a request's span continues the W3C trace in ``X-PAYMENT-SECURE``.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from typing import Any, Dict, Optional

__all__ = ["Metrics", "JsonFormatter", "setup_logging", "Tracing"]


class Metrics:
    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Histogram

        self.multiprocess = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
        self.registry = CollectorRegistry() if not self.multiprocess else None
        reg = self.registry if self.registry is not None else None
        kw: Dict[str, Any] = {"registry": reg} if reg is not None else {}
        lat = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
        self.requests = Counter("x402s_proxy_requests_total", "HTTP requests", ["route", "method", "status"], **kw)
        self.request_seconds = Histogram("x402s_proxy_request_seconds", "Request latency", ["route"], buckets=lat, **kw)
        self.verify = Counter("x402s_proxy_verify_total", "Verify outcomes", ["valid", "reason"], **kw)
        self.settle = Counter("x402s_proxy_settle_total", "Settle outcomes", ["outcome", "reason"], **kw)
        self.decisions = Counter("x402s_proxy_decisions_total", "Risk decisions", ["verdict"], **kw)
        self.upstream_seconds = Histogram("x402s_proxy_upstream_seconds", "Upstream exchange latency", ["op"],
                                          buckets=lat, **kw)
        self.upstream_errors = Counter("x402s_proxy_upstream_errors_total", "Upstream failures", ["op", "kind"], **kw)
        self.store_seconds = Histogram("x402s_proxy_store_seconds", "Store operation latency", ["op"], buckets=lat, **kw)
        self.store_errors = Counter("x402s_proxy_store_errors_total", "Store unavailable", ["op"], **kw)
        self._children: Dict[Any, Any] = {}
        self.rate_limited = Counter("x402s_proxy_rate_limited_total", "Requests refused by rate limits", ["scope"], **kw)

    def child(self, metric: str, *labels: str) -> Any:
        """``getattr(self, metric).labels(*labels)``, cached (labels() costs more than the update)."""
        key = (metric, labels)
        c = self._children.get(key)
        if c is None:
            if len(self._children) > 10000:
                self._children.clear()
            c = self._children[key] = getattr(self, metric).labels(*labels)
        return c

    def render(self) -> bytes:
        from prometheus_client import CollectorRegistry, generate_latest

        if self.multiprocess:
            from prometheus_client import multiprocess

            reg = CollectorRegistry()
            multiprocess.MultiProcessCollector(reg)
            return generate_latest(reg)
        return generate_latest(self.registry)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        doc: Dict[str, Any] = {"ts": round(record.created, 3), "level": record.levelname.lower(),
                               "logger": record.name, "msg": record.getMessage()}
        extra = getattr(record, "fields", None)
        if isinstance(extra, dict):
            doc.update(extra)
        if record.exc_info and record.exc_info[0] is not None:
            doc["error"] = record.exc_info[0].__name__
        return json.dumps(doc, separators=(",", ":"), ensure_ascii=False, default=str)


def setup_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    for name in ("x402secure.proxy", "uvicorn", "uvicorn.error"):
        lg = logging.getLogger(name)
        lg.handlers[:] = [handler]
        lg.setLevel(level.upper())
        lg.propagate = False
    logging.getLogger("uvicorn.access").disabled = True  # the proxy writes its own access lines


def log_config(level: str) -> Dict[str, Any]:
    """uvicorn ``log_config``: JSON lines for its own loggers too."""
    return {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"json": {"()": "x402secure.proxy.observability.JsonFormatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "loggers": {"uvicorn": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
                    "uvicorn.error": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
                    "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False}},
    }


class Tracing:
    """OpenTelemetry spans, when an OTLP endpoint is configured and the SDK is installed."""

    def __init__(self, endpoint: str, service_name: str) -> None:
        self.enabled = bool(endpoint)
        self.tracer: Any = None
        if not self.enabled:
            return
        from opentelemetry import trace
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
        from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

        self.provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
        self.provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
        self.tracer = self.provider.get_tracer("x402secure.proxy")
        self._prop = TraceContextTextMapPropagator()
        self._trace = trace

    def span(self, name: str, traceparent: Optional[str]):
        ctx = self._prop.extract({"traceparent": traceparent}) if traceparent else None
        return self.tracer.start_as_current_span(name, context=ctx, kind=self._trace.SpanKind.SERVER)

    def shutdown(self) -> None:
        if self.enabled:
            self.provider.shutdown()


def elapsed_ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 3)
