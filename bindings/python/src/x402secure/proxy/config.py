"""Configuration of the risk proxy: one table of options, read from a TOML file and from
environment variables (``X402S_PROXY_<NAME>``, upper case), checked once at start-up.

Precedence: built-in default < TOML file (``--config FILE`` or ``X402S_PROXY_CONFIG``) <
environment < command line. Every option, its type, default and meaning is in
:data:`OPTIONS`; ``docs/PROXY.md`` is generated from the same table
(``x402secure-proxy --print-config-table``). Unknown keys are an error, never ignored.

Standard library only (``tomllib``, Python >= 3.11; ``tomli`` on older Pythons).
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple

__all__ = ["ProxyConfig", "ConfigError", "OPTIONS", "load_config", "is_loopback", "options_markdown"]


class ConfigError(ValueError):
    """A configuration value is missing, unknown or out of range (the message says which)."""


#: (name, type, default, description). Types: str, int, float, bool, list (of str), choice:a|b.
OPTIONS: List[Tuple[str, str, Any, str]] = [
    ("host", "str", "127.0.0.1", "Bind address. Anything but a loopback address requires API keys."),
    ("port", "int", 8000, "TCP port (0: a free port, printed in the ready line)."),
    ("workers", "int", 1, "Server processes (uvicorn --workers). Use PostgreSQL or SQLite; memory is per process."),
    ("store", "choice:sqlite|postgres|memory", "sqlite", "State backend: one SQLite file (WAL), PostgreSQL, or memory (tests; lost on exit)."),
    ("sqlite_path", "str", "x402secure-proxy.db", "SQLite database file."),
    ("sqlite_synchronous", "choice:FULL|NORMAL", "FULL", "SQLite durability: FULL survives power loss (fsync per group commit); NORMAL survives process crashes only."),
    ("postgres_dsn", "str", "", "PostgreSQL connection string (libpq form), required when store = postgres. Prefer X402S_PROXY_POSTGRES_DSN over the file for passwords."),
    ("postgres_pool_size", "int", 8, "PostgreSQL connections per worker."),
    ("store_timeout", "float", 5.0, "Seconds a store operation may take before the request answers 503."),
    ("upstream", "str", "local", "Facilitator: 'local' (offline verification + settlement stub, tests and demo), 'onchain', or a facilitator base URL (POST {url}/verify, /settle, GET /supported)."),
    ("onchain_config", "str", "", "upstream = onchain: the on-chain facilitator's configuration file (JSON; docs/SETTLEMENT.md)."),
    ("upstream_verify_url", "str", "", "Explicit upstream /verify URL (overrides upstream)."),
    ("upstream_settle_url", "str", "", "Explicit upstream /settle URL (overrides upstream)."),
    ("upstream_supported_url", "str", "", "Explicit upstream /supported URL (overrides upstream)."),
    ("upstream_authorization_env", "str", "", "Name of an environment variable whose value is sent as the Authorization header to an HTTP upstream."),
    ("upstream_connect_timeout", "float", 3.0, "Seconds to connect to an HTTP upstream."),
    ("upstream_read_timeout", "float", 10.0, "Seconds between two reads from an HTTP upstream."),
    ("upstream_verify_deadline", "float", 10.0, "Seconds for the whole upstream verify exchange (connect, send, every byte of the answer)."),
    ("upstream_settle_deadline", "float", 60.0, "Seconds for the whole upstream settle exchange; past it the payment is 'pending', never failed or retried."),
    ("upstream_max_bytes", "int", 1048576, "Largest upstream answer read (bytes); larger is a 502."),
    ("upstream_pool_size", "int", 32, "Pooled keep-alive connections to an HTTP upstream per worker."),
    ("settle_lease", "float", 120.0, "Seconds after which an in-flight settlement whose process vanished is reported 'pending' (must exceed upstream_settle_deadline)."),
    ("unassessed", "choice:allow|deny", "allow", "Plain /verify and /settle without risk headers: forward (X-Risk-Decision: unassessed) or refuse with 403."),
    ("settle_risk", "bool", False, "Run the risk gate on settle too (0.1.4 PROXY_SETTLE_RISK_ENABLED)."),
    ("allow_review", "bool", False, "Forward payments the risk gate marks 'review' (0.1.4 behaviour); default refuse with 403 RISK_REVIEW."),
    ("require_payment_evidence", "bool", False, "Refuse /x402/verify without X-PAYMENT-EVIDENCE."),
    ("mandate_file", "str", "", "JSON file: the operator's default intent mandate for every session."),
    ("mandates_file", "str", "", "JSON file: {wallet address: mandate}."),
    ("solana_fee_payer_seed_envs", "list", [], "Local upstream: names of environment variables holding 32-byte Solana fee-payer seeds (hex) to co-sign with (development keys)."),
    ("solana_fee_payers", "list", [], "Local upstream: Solana fee payer addresses it manages (default: those of the seeds)."),
    ("session_ttl", "float", 900.0, "Seconds a risk session lives (0.1.4 PROXY_LOCAL_RISK_TTL)."),
    ("trace_ttl", "float", 86400.0, "Seconds an agent trace is kept."),
    ("idempotency_ttl", "float", 86400.0, "Seconds a payment-identifier answer is kept."),
    ("purge_interval", "float", 60.0, "Seconds between deletions of expired sessions, traces and identifiers."),
    ("api_keys", "choice:auto|required|off", "auto", "Seller API keys on /verify, /settle, /x402/*, evidence export: auto = required when keys exist or the host is not loopback; off is refused beyond loopback."),
    ("max_body_bytes", "int", 262144, "Largest request body on the facilitator and /x402 endpoints (413 above)."),
    ("agent_max_body_bytes", "int", 262144, "Largest body on /risk/session and /risk/trace."),
    ("max_header_bytes", "int", 16384, "Largest total size of the request headers (431 above)."),
    ("max_trace_events", "int", 1000, "Most events in one agent trace (422 above)."),
    ("max_device_bytes", "int", 4096, "Largest /risk/session 'device' object (JSON bytes)."),
    ("max_telemetry_bytes", "int", 16384, "Largest /risk/trace 'telemetry' and 'fingerprint' (JSON bytes each)."),
    ("max_json_depth", "int", 64, "Deepest JSON nesting accepted in a body (422 above)."),
    ("agent_rate_per_ip", "float", 20.0, "Agent endpoints: sustained requests per second per client address (429 above)."),
    ("agent_burst_per_ip", "int", 40, "Agent endpoints: burst per client address."),
    ("agent_rate_per_wallet", "float", 5.0, "Agent endpoints: sustained new sessions and traces per second per wallet."),
    ("agent_burst_per_wallet", "int", 20, "Agent endpoints: burst per wallet."),
    ("trusted_proxies", "list", [], "Addresses of reverse proxies whose X-Forwarded-For gives the client address for rate limits."),
    ("request_timeout", "float", 10.0, "Seconds a client has to send a complete request (headers and body); 408 and close after."),
    ("keep_alive_timeout", "float", 5.0, "Seconds an idle keep-alive connection is kept."),
    ("limit_concurrency", "int", 2048, "Open connections plus requests per worker before new ones get 503."),
    ("backlog", "int", 2048, "Listen backlog."),
    ("graceful_timeout", "float", 30.0, "Seconds in-flight requests get to finish on SIGTERM."),
    ("log_level", "choice:debug|info|warning|error", "info", "Log level (JSON lines on stderr)."),
    ("access_log", "bool", True, "One JSON line per request (request id, method, path, status, time; never bodies or keys)."),
    ("metrics", "bool", True, "Serve Prometheus /metrics."),
    ("metrics_require_key", "bool", False, "Require an admin key for /metrics."),
    ("otel_endpoint", "str", "", "OTLP/HTTP endpoint for OpenTelemetry spans (needs the 'otel' extra); empty: no tracing."),
    ("otel_service_name", "str", "x402secure-proxy", "OpenTelemetry service.name."),
    ("evidence_key_env", "str", "", "Name of an environment variable holding the proxy's Ed25519 receipt seed (hex)."),
    ("evidence_key_file", "str", "", "File holding the proxy's Ed25519 receipt seed (hex, mode 0600; `x402secure evidence keygen`). Empty: on SQLite a key file beside the database, made once; on PostgreSQL this or evidence_key_env is required."),
]

_DEFAULTS = {name: default for name, _, default, _ in OPTIONS}
_TYPES = {name: typ for name, typ, _, _ in OPTIONS}
ENV_PREFIX = "X402S_PROXY_"


@dataclass
class ProxyConfig:
    """The checked configuration (attribute per option of :data:`OPTIONS`)."""

    values: Dict[str, Any] = field(default_factory=lambda: dict(_DEFAULTS))
    source: Dict[str, str] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("values")
        if values is not None and name in values:
            return values[name]
        raise AttributeError(name)

    def replace(self, **changes: Any) -> "ProxyConfig":
        """A checked copy with ``changes`` applied."""
        vals = dict(self.values)
        for k, v in changes.items():
            if k not in _TYPES:
                raise ConfigError(f"unknown option {k!r}")
            vals[k] = _coerce(k, v, "argument")
        cfg = ProxyConfig(vals, dict(self.source, **{k: "argument" for k in changes}))
        cfg.check()
        return cfg

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    def check(self) -> None:
        """Cross-field rules. Raises :class:`ConfigError`."""
        v = self.values
        if not 0 <= v["port"] <= 65535:
            raise ConfigError("port must be 0..65535")
        if v["workers"] < 1:
            raise ConfigError("workers must be >= 1")
        if v["store"] == "postgres" and not v["postgres_dsn"]:
            raise ConfigError("store = postgres needs postgres_dsn (X402S_PROXY_POSTGRES_DSN)")
        if v["store"] == "memory" and v["workers"] > 1:
            raise ConfigError("store = memory cannot be shared by several workers; use sqlite or postgres")
        if v["api_keys"] == "off" and not self.loopback:
            raise ConfigError(f"api_keys = off is refused when listening on {v['host']} (not loopback)")
        if v["settle_lease"] <= v["upstream_settle_deadline"]:
            raise ConfigError("settle_lease must be longer than upstream_settle_deadline")
        for name in ("upstream_connect_timeout", "upstream_read_timeout", "upstream_verify_deadline",
                     "upstream_settle_deadline", "request_timeout", "keep_alive_timeout", "store_timeout",
                     "session_ttl", "trace_ttl", "idempotency_ttl", "purge_interval", "graceful_timeout"):
            if not v[name] > 0:
                raise ConfigError(f"{name} must be > 0")
        for name in ("max_body_bytes", "agent_max_body_bytes", "max_header_bytes", "max_trace_events",
                     "max_device_bytes", "max_telemetry_bytes", "max_json_depth", "upstream_max_bytes",
                     "upstream_pool_size", "postgres_pool_size", "limit_concurrency", "backlog",
                     "agent_burst_per_ip", "agent_burst_per_wallet"):
            if v[name] < 1:
                raise ConfigError(f"{name} must be >= 1")
        for name in ("agent_rate_per_ip", "agent_rate_per_wallet"):
            if not v[name] > 0:
                raise ConfigError(f"{name} must be > 0")
        up = v["upstream"]
        if up not in ("local", "onchain") and not up.startswith(("http://", "https://")):
            raise ConfigError("upstream must be 'local', 'onchain' or an http(s) URL")
        if up == "onchain" and not (v["onchain_config"] and os.path.isfile(v["onchain_config"])):
            raise ConfigError("upstream = onchain needs onchain_config, the on-chain facilitator's configuration file")
        for name in ("upstream_verify_url", "upstream_settle_url", "upstream_supported_url", "otel_endpoint"):
            if v[name] and not v[name].startswith(("http://", "https://")):
                raise ConfigError(f"{name} must be an http(s) URL")
        if v["upstream_authorization_env"] and v["upstream_authorization_env"] not in os.environ:
            raise ConfigError(f"upstream_authorization_env names ${v['upstream_authorization_env']}, which is not set")
        for name in v["solana_fee_payer_seed_envs"]:
            if _seed_from_env(name) is None:
                raise ConfigError(f"${name} must hold a 32-byte seed as hex")
        if v["evidence_key_env"] and _seed_from_env(v["evidence_key_env"]) is None:
            raise ConfigError(f"${v['evidence_key_env']} must hold a 32-byte Ed25519 seed as hex")
        if v["store"] == "postgres" and not (v["evidence_key_env"] or v["evidence_key_file"]):
            raise ConfigError("store = postgres needs evidence_key_file or evidence_key_env: every instance signs "
                              "receipts with the same key")
        for name in ("mandate_file", "mandates_file", "evidence_key_file"):
            if v[name] and not os.path.isfile(v[name]):
                raise ConfigError(f"{name}: no such file {v[name]!r}")
        for addr in v["trusted_proxies"]:
            try:
                ipaddress.ip_address(addr)
            except ValueError:
                raise ConfigError(f"trusted_proxies: {addr!r} is not an IP address") from None

    def fee_payer_seeds(self) -> List[bytes]:
        return [s for s in (_seed_from_env(n) for n in self.values["solana_fee_payer_seed_envs"]) if s]

    def redacted(self) -> Dict[str, Any]:
        """The values with secrets (the DSN's password) masked, for --check-config and logs."""
        out = dict(self.values)
        if out.get("postgres_dsn"):
            out["postgres_dsn"] = _redact_dsn(out["postgres_dsn"])
        return out


def _redact_dsn(dsn: str) -> str:
    import re

    dsn = re.sub(r"(password\s*=\s*)(\S+)", r"\1***", dsn)
    return re.sub(r"(://[^:/@]+:)([^@]*)(@)", r"\1***\3", dsn)


def _seed_from_env(name: str) -> Optional[bytes]:
    text = os.environ.get(name, "").strip()
    text = text[2:] if text[:2] in ("0x", "0X") else text
    try:
        seed = bytes.fromhex(text)
    except ValueError:
        return None
    return seed if len(seed) == 32 else None


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost'."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _coerce(name: str, value: Any, where: str) -> Any:
    typ = _TYPES[name]
    bad = ConfigError(f"{name} ({where}): expected {typ.replace('choice:', 'one of ')}, got {value!r}")
    if typ == "str":
        if not isinstance(value, str):
            raise bad
        return value
    if typ.startswith("choice:"):
        choices = typ[7:].split("|")
        if not isinstance(value, str):
            raise bad
        for c in choices:
            if value.lower() == c.lower():
                return c
        raise bad
    if typ == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("1", "true", "yes", "on"):
            return True
        if isinstance(value, str) and value.strip().lower() in ("0", "false", "no", "off"):
            return False
        raise bad
    if typ == "int":
        if isinstance(value, bool):
            raise bad
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value.strip())
        raise bad
    if typ == "float":
        if isinstance(value, bool):
            raise bad
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str):
            try:
                f = float(value)
            except ValueError:
                raise bad from None
            if f != f or f in (float("inf"), float("-inf")):
                raise bad
            return f
        raise bad
    if typ == "list":
        if isinstance(value, str):
            return [p.strip() for p in value.split(",") if p.strip()]
        if isinstance(value, list) and all(isinstance(x, str) for x in value):
            return list(value)
        raise bad
    raise AssertionError(typ)  # pragma: no cover


def _read_toml(path: str) -> Dict[str, Any]:
    try:
        import tomllib  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - Python < 3.11
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        with open(path, "rb") as f:
            doc = tomllib.load(f)
    except OSError as exc:
        raise ConfigError(f"config file {path!r}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path!r}: {exc}") from None
    # Options may sit at the top level or under [proxy].
    table = doc.pop("proxy", {}) if isinstance(doc.get("proxy"), dict) else {}
    for k in list(doc):
        table.setdefault(k, doc.pop(k))
    return table


def load_config(path: Optional[str] = None, env: Optional[Mapping[str, str]] = None,
                overrides: Optional[Mapping[str, Any]] = None) -> ProxyConfig:
    """Defaults, then the TOML file, then ``X402S_PROXY_*`` variables, then ``overrides``.

    Raises :class:`ConfigError` for an unknown key, a bad value or a failed cross-field rule.
    """
    env = os.environ if env is None else env
    values = dict(_DEFAULTS)
    values = {k: (list(v) if isinstance(v, list) else v) for k, v in values.items()}
    source = {k: "default" for k in values}
    path = path or env.get(ENV_PREFIX + "CONFIG") or None
    if path:
        for k, v in _read_toml(path).items():
            if k not in _TYPES:
                raise ConfigError(f"config file {path!r}: unknown option {k!r}")
            values[k] = _coerce(k, v, path)
            source[k] = path
    for key, raw in env.items():
        if not key.startswith(ENV_PREFIX) or key == ENV_PREFIX + "CONFIG":
            continue
        name = key[len(ENV_PREFIX):].lower()
        if name not in _TYPES:
            raise ConfigError(f"environment: unknown option {key}")
        values[name] = _coerce(name, raw, key)
        source[name] = key
    for k, v in (overrides or {}).items():
        if v is None:
            continue
        if k not in _TYPES:
            raise ConfigError(f"unknown option {k!r}")
        values[k] = _coerce(k, v, "command line")
        source[k] = "command line"
    cfg = ProxyConfig(values, source)
    cfg.check()
    return cfg


def options_markdown() -> str:
    """The configuration table of docs/PROXY.md."""
    lines = ["| option (TOML) | environment | type | default | meaning |", "|---|---|---|---|---|"]
    for name, typ, default, desc in OPTIONS:
        if isinstance(default, bool):
            d = "true" if default else "false"
        elif isinstance(default, list):
            d = "[]"
        elif isinstance(default, str):
            d = f'"{default}"'
        else:
            d = str(default)
        t = typ.replace("choice:", "").replace("|", " \\| ")
        lines.append(f"| `{name}` | `{ENV_PREFIX}{name.upper()}` | {t} | `{d}` | {desc} |")
    return "\n".join(lines) + "\n"
