"""``python -m x402secure.gateway``: run the development gateway.

Prints one JSON line ``{"event": "ready", "url": ..., "port": ...}`` on stdout
once it listens (use ``--port 0`` for a free port), then serves until
SIGINT/SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from typing import List, Optional


def _load_json(path: str):
    with open(path, "r", encoding="utf-8") as f:
        return json.load(f)


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python -m x402secure.gateway", description=__doc__.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1", help="bind address (default: loopback)")
    p.add_argument("--port", type=int, default=8000, help="port (0: a free one)")
    p.add_argument("--upstream", default="local",
                   help="'local' (offline verify + settlement stub), 'onchain' (settle on chain: "
                        "--onchain-config) or a facilitator base URL")
    p.add_argument("--onchain-config", help="JSON file: the on-chain facilitator's networks (docs/SETTLEMENT.md)")
    p.add_argument("--upstream-verify-url", help="explicit upstream /verify URL")
    p.add_argument("--upstream-settle-url", help="explicit upstream /settle URL")
    p.add_argument("--upstream-timeout", type=float, default=15.0, help="seconds (default 15)")
    p.add_argument("--session-ttl", type=float, default=900.0, help="risk session lifetime in seconds")
    p.add_argument("--settle-risk", action="store_true", help="run the risk gate on /x402/settle too")
    p.add_argument("--allow-review", action="store_true", help="forward payments the gate marks 'review'")
    p.add_argument("--require-payment-evidence", action="store_true", help="refuse verify without X-PAYMENT-EVIDENCE")
    p.add_argument("--mandate", help="JSON file: the operator's default mandate")
    p.add_argument("--mandates", help="JSON file: {wallet address: mandate}")
    p.add_argument("--solana-fee-payer", action="append", default=None,
                   help="Solana fee payer managed by the local facilitator (repeatable)")
    p.add_argument("--solana-fee-payer-seed-env", action="append", default=[],
                   help="name of an environment variable holding a fee payer's 32-byte seed (hex) the local "
                        "facilitator co-signs with (development keys only; repeatable)")
    p.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = p.parse_args(argv)

    from .app import Gateway, GatewayConfig
    from .server import make_server

    seeds = []
    for name in args.solana_fee_payer_seed_env:
        text = os.environ.get(name, "")
        text = text[2:] if text[:2] in ("0x", "0X") else text
        try:
            seed = bytes.fromhex(text)
        except ValueError:
            seed = b""
        if len(seed) != 32:
            p.error(f"${name} must hold a 32-byte seed as hex")
        seeds.append(seed)
    if args.upstream == "onchain" and not args.onchain_config:
        p.error("--upstream onchain needs --onchain-config FILE")
    cfg = GatewayConfig(
        upstream=args.upstream,
        onchain_config=args.onchain_config,
        upstream_verify_url=args.upstream_verify_url,
        upstream_settle_url=args.upstream_settle_url,
        upstream_timeout=args.upstream_timeout,
        session_ttl=args.session_ttl,
        settle_risk=args.settle_risk,
        allow_review=args.allow_review,
        require_payment_evidence=args.require_payment_evidence,
        default_mandate=_load_json(args.mandate) if args.mandate else None,
        mandates=_load_json(args.mandates) if args.mandates else {},
        solana_fee_payers=args.solana_fee_payer,
        solana_fee_payer_seeds=seeds,
    )
    try:
        gateway = Gateway(cfg)
    except ValueError as exc:  # a configuration error (ConfigError is a ValueError): say it, exit 2
        p.error(str(exc))
    server = make_server(gateway, args.host, args.port, quiet=not args.verbose)
    port = server.server_address[1]

    def stop(*_):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(json.dumps({"event": "ready", "url": f"http://{args.host}:{port}", "port": port,
                      "upstream": args.upstream}), flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        gateway.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
