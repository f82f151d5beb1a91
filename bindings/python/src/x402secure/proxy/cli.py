"""``x402secure-proxy``: run the risk proxy, check its configuration, manage keys and
pending payments. ``python -m x402secure.gateway`` is the same program (with the
development gateway's older flag names).

    x402secure-proxy [--config FILE] [--host H] [--port P] [--workers N] [--store sqlite|postgres|memory]
                     [--sqlite-path F] [--postgres-dsn DSN] [--upstream local|onchain|URL] [--check-config]
    x402secure-proxy keys add --name NAME [--role seller|admin]     (prints the key once)
    x402secure-proxy keys list | keys revoke KEY_ID
    x402secure-proxy payments list [--state pending|in_flight|settled|failed]
    x402secure-proxy payments resolve PAYMENT_KEY (--query | --settled TX | --failed) [--note TEXT]
    x402secure-proxy migrate
    x402secure-proxy --print-config-table
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import secrets
import sys
import time
from typing import Any, Dict, List, Optional

from .config import OPTIONS, ConfigError, load_config, options_markdown

__all__ = ["main", "new_api_key"]


def new_api_key() -> Dict[str, str]:
    """A new key: ``{"key_id", "key", "secret_hash"}`` (the key is shown once, only its hash is stored)."""
    from .app import KEY_PREFIX

    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    return {"key_id": key_id, "key": f"{KEY_PREFIX}{key_id}_{secret}",
            "secret_hash": hashlib.sha256(secret.encode()).hexdigest()}


def _add_server_flags(p: argparse.ArgumentParser, legacy: bool) -> None:
    p.add_argument("--config", help="TOML file (also $X402S_PROXY_CONFIG)")
    p.add_argument("--host", help="bind address (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default 8000; 0: a free one)")
    p.add_argument("--workers", type=int, help="server processes (default 1)")
    p.add_argument("--store", choices=["sqlite", "postgres", "memory"])
    p.add_argument("--sqlite-path", dest="sqlite_path")
    p.add_argument("--postgres-dsn", dest="postgres_dsn")
    p.add_argument("--upstream", help="'local', 'onchain' or a facilitator base URL")
    p.add_argument("--onchain-config", dest="onchain_config", help="upstream onchain: the on-chain facilitator's JSON file")
    p.add_argument("--upstream-verify-url", dest="upstream_verify_url")
    p.add_argument("--upstream-settle-url", dest="upstream_settle_url")
    p.add_argument("--unassessed", choices=["allow", "deny"])
    p.add_argument("--log-level", dest="log_level", choices=["debug", "info", "warning", "error"])
    p.add_argument("--check-config", action="store_true", help="validate the configuration, print it, exit")
    p.add_argument("--print-config-table", action="store_true", help=argparse.SUPPRESS)
    # the development gateway's flags (python -m x402secure.gateway)
    p.add_argument("--upstream-timeout", type=float, dest="upstream_timeout", help=argparse.SUPPRESS if not legacy else
                   "seconds for an upstream exchange (sets the verify and settle deadlines)")
    p.add_argument("--session-ttl", type=float, dest="session_ttl", help="risk session lifetime in seconds")
    p.add_argument("--settle-risk", action="store_true", default=None, dest="settle_risk",
                   help="run the risk gate on /x402/settle too")
    p.add_argument("--allow-review", action="store_true", default=None, dest="allow_review",
                   help="forward payments the gate marks 'review'")
    p.add_argument("--require-payment-evidence", action="store_true", default=None, dest="require_payment_evidence")
    p.add_argument("--mandate", dest="mandate_file", help="JSON file: the operator's default mandate")
    p.add_argument("--mandates", dest="mandates_file", help="JSON file: {wallet address: mandate}")
    p.add_argument("--solana-fee-payer", action="append", dest="solana_fee_payers",
                   help="Solana fee payer managed by the local upstream (repeatable)")
    p.add_argument("--solana-fee-payer-seed-env", action="append", dest="solana_fee_payer_seed_envs",
                   help="environment variable holding a fee payer seed (hex) the local upstream co-signs with")
    p.add_argument("--verbose", action="store_true", help=argparse.SUPPRESS)


def _overrides(args: argparse.Namespace) -> Dict[str, Any]:
    names = {o[0] for o in OPTIONS}
    out = {k: v for k, v in vars(args).items() if k in names and v is not None}
    if getattr(args, "upstream_timeout", None):
        out["upstream_verify_deadline"] = args.upstream_timeout
        out["upstream_read_timeout"] = args.upstream_timeout
        out["upstream_settle_deadline"] = args.upstream_timeout
    return out


def _store_ops(cfg, fn):
    from .store import make_store

    async def go():
        store = make_store(cfg)
        await store.open()
        try:
            return await fn(store)
        finally:
            await store.close()

    return asyncio.run(go())


def _keys(cfg, args: argparse.Namespace) -> int:
    if args.keys_cmd == "add":
        k = new_api_key()
        _store_ops(cfg, lambda s: s.add_key(k["key_id"], args.name, args.role, k["secret_hash"], time.time()))
        print(json.dumps({"key_id": k["key_id"], "role": args.role, "name": args.name, "key": k["key"],
                          "note": "shown once; only its SHA-256 is stored"}))
        return 0
    if args.keys_cmd == "list":
        print(json.dumps({"keys": _store_ops(cfg, lambda s: s.list_keys())}, indent=2))
        return 0
    if args.keys_cmd == "revoke":
        ok = _store_ops(cfg, lambda s: s.revoke_key(args.key_id, time.time()))
        print(json.dumps({"revoked": ok, "key_id": args.key_id}))
        return 0 if ok else 1
    return 2


def _payments(cfg, args: argparse.Namespace) -> int:
    if args.pay_cmd == "list":
        rows = _store_ops(cfg, lambda s: s.list_payments(args.state, args.limit))
        print(json.dumps({"payments": rows}, indent=2))
        return 0
    from .app import ApiError, Proxy

    if args.query:
        action: Dict[str, Any] = {"query": True}
    elif args.settled:
        action = {"state": "settled", "transaction": args.settled}
    else:
        action = {"state": "failed"}
    if args.note:
        action["note"] = args.note

    async def go():
        p = Proxy(cfg)
        await p.store.open()
        try:
            return await p.resolve(args.payment_key, action)
        finally:
            await p.store.close()
            aclose = getattr(p.upstream, "aclose", None)
            if aclose is not None:
                await aclose()

    try:
        out = asyncio.run(go())
    except ApiError as e:
        print(json.dumps({"error": {"code": e.code, "message": e.message}}), file=sys.stderr)
        return 1
    print(json.dumps(out, indent=2))
    return 0 if out.get("resolved") else 3


def main(argv: Optional[List[str]] = None, prog: str = "x402secure-proxy", legacy: bool = False) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    p = argparse.ArgumentParser(prog=prog, description="x402-secure risk proxy: a drop-in x402 facilitator with "
                                "risk assessment, settle-once across processes and durable evidence.")
    _add_server_flags(p, legacy)
    sub = p.add_subparsers(dest="cmd")
    k = sub.add_parser("keys", help="seller and admin API keys")
    ks = k.add_subparsers(dest="keys_cmd", required=True)
    ka = ks.add_parser("add")
    ka.add_argument("--name", required=True)
    ka.add_argument("--role", choices=["seller", "admin"], default="seller")
    ks.add_parser("list")
    kr = ks.add_parser("revoke")
    kr.add_argument("key_id")
    pay = sub.add_parser("payments", help="settlement records; resolve pending ones")
    ps = pay.add_subparsers(dest="pay_cmd", required=True)
    pl = ps.add_parser("list")
    pl.add_argument("--state", choices=["in_flight", "settled", "failed", "pending"])
    pl.add_argument("--limit", type=int, default=100)
    pr = ps.add_parser("resolve")
    pr.add_argument("payment_key")
    g = pr.add_mutually_exclusive_group(required=True)
    g.add_argument("--query", action="store_true", help="ask the upstream for the settlement's status")
    g.add_argument("--settled", metavar="TX", help="record it settled with this transaction")
    g.add_argument("--failed", action="store_true", help="record it failed (the payment may then be settled again)")
    pr.add_argument("--note")
    sub.add_parser("migrate", help="apply the schema and exit")
    # global flags may also follow the subcommand
    args, rest = p.parse_known_args(argv)
    if rest:
        p.error("unrecognized arguments: " + " ".join(rest))
    if args.print_config_table:
        print(options_markdown(), end="")
        return 0
    try:
        cfg = load_config(args.config, overrides=_overrides(args))
        if cfg.otel_endpoint:
            try:
                import opentelemetry.exporter.otlp.proto.http.trace_exporter  # noqa: F401
                import opentelemetry.sdk.trace  # noqa: F401
            except ImportError:
                raise ConfigError("otel_endpoint needs the 'otel' extra (opentelemetry-sdk, "
                                  "opentelemetry-exporter-otlp-proto-http)") from None
        if cfg.upstream == "onchain":
            try:
                from ..facilitator import load_config as load_facilitator_config  # type: ignore[attr-defined]
            except ImportError:
                raise ConfigError("upstream = 'onchain' needs x402secure.facilitator, which this build lacks") from None
            try:
                load_facilitator_config(cfg.onchain_config)
            except ValueError as exc:  # the facilitator's ConfigError
                raise ConfigError(f"onchain_config {cfg.onchain_config!r}: {exc}") from None
    except ConfigError as exc:
        print(f"{prog}: configuration error: {exc}", file=sys.stderr)
        return 2
    if args.check_config:
        print(json.dumps({"ok": True, "config": cfg.redacted(),
                          "api_keys_required": "always" if (cfg.api_keys == "required" or not cfg.loopback)
                          else ("never" if cfg.api_keys == "off" else "when keys exist")}, indent=2))
        return 0
    if args.cmd == "keys":
        return _keys(cfg, args)
    if args.cmd == "payments":
        return _payments(cfg, args)
    if args.cmd == "migrate":
        from .store import SCHEMA_VERSION

        _store_ops(cfg, lambda s: asyncio.sleep(0))
        print(json.dumps({"migrated": True, "schema_version": SCHEMA_VERSION}))
        return 0
    from .server import run

    try:
        return run(cfg)
    except OSError as exc:
        print(f"{prog}: cannot listen on {cfg.host}:{cfg.port}: {exc.strerror}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - store unreachable at start-up and the like
        from .store import StoreUnavailable

        if isinstance(exc, StoreUnavailable):
            print(f"{prog}: store unavailable: {exc}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
