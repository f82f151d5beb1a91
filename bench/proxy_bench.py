#!/usr/bin/env python3
"""Risk-proxy benchmark (make bench-proxy; part of make bench).

Load: Debian's wrk on loopback, fixed concurrency (64 keep-alive connections, 2 threads),
POST /verify with one valid x402 v2 EVM payment (local upstream: the core's offline
verification). Servers, measured in interleaved rounds (median of the rounds):

- the proxy, 1 and 2 workers, on SQLite (a temp file, synchronous=FULL) and on PostgreSQL
  (a throwaway cluster from Debian's initdb/pg_ctl): production defaults (access log,
  metrics, evidence record per decision, settle-state check);
- the peer: a FastAPI server on the official x402 2.25.0 facilitator verify with chain reads
  stubbed (bench/proxy_peer.py), with coincurve and with the default install (pure-Python ECC).

Also the proxy's added latency: one connection, sequential requests (wrk -c1), p50/p99,
minus the core's verify called directly in this process.

    .venv/bin/python bench/proxy_bench.py [--duration 8] [--rounds 3] [--json build/bench-proxy.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bindings" / "python" / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from proxy_harness import Cluster, Postgres  # noqa: E402

REQ = {"scheme": "exact", "network": "eip155:84532", "asset": "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
       "amount": "10000", "payTo": "0x209693Bc6afc0C5328bA36FaF03C514EF312287C", "maxTimeoutSeconds": 3600,
       "extra": {"name": "USDC", "version": "2"}}
COINCURVE = {"ECC_BACKEND_CLASS": "eth_keys.backends.CoinCurveECCBackend"}
NATIVE = {"ECC_BACKEND_CLASS": "eth_keys.backends.NativeECCBackend"}


def payment():
    from x402secure import EvmAccount, x402

    with EvmAccount.from_key(bytes([1]) * 32) as a:
        _, value = x402.create_payment_header(REQ, a)
    return value, {"x402Version": 2, "paymentPayload": x402.decode_payment_header(value), "paymentRequirements": REQ}


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v


def wrk(url: str, script: str, duration: float, connections: int, threads: int) -> dict:
    run = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, int(duration))}s", "--latency", "-s", script, url],
                         capture_output=True, text=True, timeout=duration + 60)
    out = run.stdout
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not found:
        raise RuntimeError(f"wrk {url}: {out}{run.stderr}")
    rps = float(found.group(1))
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "p50_ms": _ms(lat["50"]), "p99_ms": _ms(lat["99"]),
            "non2xx": int(errors.group(1)) if errors else 0, "socket_errors": sock.group(1) if sock else ""}


def core_latency(value: str, n: int = 3000) -> dict:
    from x402secure import x402

    for _ in range(200):
        x402.verify_payment(value, REQ)
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        x402.verify_payment(value, REQ)
        ts.append((time.perf_counter() - t) * 1000)
    ts.sort()
    return {"p50_ms": ts[len(ts) // 2], "p99_ms": ts[int(len(ts) * 0.99)]}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=float, default=8.0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--json")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        print("proxy_bench: wrk is not installed (apt-get install wrk; make installs it)", file=sys.stderr)
        return 1
    value, body = payment()
    tmp = tempfile.mkdtemp(prefix="x402s-bench-proxy-")
    script = os.path.join(tmp, "post.lua")
    with open(script, "w") as f:
        f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                f"wrk.body = [[{json.dumps(body, separators=(',', ':'))}]]\n")
    pg = None if args.no_postgres else Postgres()
    rows = {}
    try:
        with Cluster() as c:
            def proxy(name, *a):
                return c.proxy("--log-level", "warning", *a, name=name)

            servers = {
                "proxy, 1 worker, SQLite": proxy("p1s", "--sqlite-path", os.path.join(tmp, "1.db")),
                "proxy, 2 workers, SQLite": proxy("p2s", "--sqlite-path", os.path.join(tmp, "2.db"), "--workers", "2"),
            }
            if pg is not None:
                dsn = pg.dsn
                servers["proxy, 1 worker, PostgreSQL"] = proxy("p1p", "--store", "postgres", "--postgres-dsn", dsn)
                servers["proxy, 2 workers, PostgreSQL"] = proxy("p2p", "--store", "postgres", "--postgres-dsn", dsn,
                                                                "--workers", "2")
            for label, env in (("official facilitator + coincurve (FastAPI)", COINCURVE),
                               ("official facilitator, default install (FastAPI)", NATIVE)):
                servers[label] = c._start(label, [sys.executable, str(ROOT / "bench" / "proxy_peer.py")],
                                          dict(c.env, **env))
            import httpx

            for label, p in servers.items():  # warm up and check answers
                for _ in range(20 if "default install" not in label else 3):
                    r = httpx.post(p.url + "/verify", json=body, timeout=30)
                    assert r.status_code == 200 and r.json()["isValid"] is True, (label, r.text)
            samples = {label: [] for label in servers}
            for rnd in range(args.rounds):
                for label, p in servers.items():
                    s = wrk(p.url + "/verify", script, args.duration, args.connections, 2)
                    samples[label].append(s)
                    print(f"round {rnd + 1} {label}: {s['rps']:.0f} req/s p50 {s['p50_ms']:.2f} ms "
                          f"p99 {s['p99_ms']:.2f} ms", flush=True)
            seq = [wrk(servers["proxy, 1 worker, SQLite"].url + "/verify", script, args.duration / 2, 1, 1)
                   for _ in range(args.rounds)]
            core = core_latency(value)
            for label, ss in samples.items():
                rows[label] = {k: statistics.median(s[k] for s in ss) for k in ("rps", "p50_ms", "p99_ms")}
                rows[label]["non2xx"] = sum(s["non2xx"] for s in ss)
            seq_row = {k: statistics.median(s[k] for s in seq) for k in ("rps", "p50_ms", "p99_ms")}
    finally:
        if pg is not None:
            pg.destroy()
        shutil.rmtree(tmp, ignore_errors=True)
    peer = rows["official facilitator + coincurve (FastAPI)"]["rps"]
    default = rows["official facilitator, default install (FastAPI)"]["rps"]
    p1 = rows["proxy, 1 worker, SQLite"]
    result = {
        "connections": args.connections, "duration_s": args.duration, "rounds": args.rounds, "rows": rows,
        "sequential_proxy_1w_sqlite": seq_row, "core_verify_direct": core,
        "added_latency_ms": {"p50": seq_row["p50_ms"] - core["p50_ms"], "p99": seq_row["p99_ms"] - core["p99_ms"]},
        "ratios": {label: r["rps"] / peer for label, r in rows.items()},
        "ratios_vs_default_install": {label: r["rps"] / default for label, r in rows.items()},
        "goals": {"throughput_5x_vs_coincurve_peer": p1["rps"] / peer >= 5.0, "p99_le_20ms_at_64": p1["p99_ms"] <= 20.0},
        "load_average": os.getloadavg(),
    }
    print()
    print(f"| server ({args.connections} keep-alive connections, wrk) | req/s | p50 | p99 | vs official + coincurve | vs default install |")
    print("|---|---|---|---|---|---|")
    for label, r in rows.items():
        print(f"| {label} | {r['rps']:.0f} | {r['p50_ms']:.2f} ms | {r['p99_ms']:.2f} ms | "
              f"{r['rps'] / peer:.2f}x | {r['rps'] / default:.1f}x |")
    print()
    print("| one connection, sequential | p50 | p99 |\n|---|---|---|")
    print(f"| proxy /verify (1 worker, SQLite) | {seq_row['p50_ms']:.3f} ms | {seq_row['p99_ms']:.3f} ms |")
    print(f"| core verify_payment called directly | {core['p50_ms']:.3f} ms | {core['p99_ms']:.3f} ms |")
    print(f"| added by the proxy (HTTP, risk policy, store read, evidence record) | "
          f"{result['added_latency_ms']['p50']:.3f} ms | {result['added_latency_ms']['p99']:.3f} ms |")
    print()
    print(f"goals: >= 5x the official+coincurve peer: {p1['rps'] / peer:.2f}x "
          f"({'met' if result['goals']['throughput_5x_vs_coincurve_peer'] else 'NOT met'}); "
          f"p99 <= 20 ms at {args.connections}: {p1['p99_ms']:.1f} ms "
          f"({'met' if result['goals']['p99_le_20ms_at_64'] else 'NOT met'}); load average {os.getloadavg()[0]:.1f}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
