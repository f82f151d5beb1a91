#!/usr/bin/env python3
"""make bench: x402-secure core against its peers, side by side in one run.

Every peer runs in its own long-lived worker process, in the configuration its users get
(eth_account/x402 default install = pure-Python ECC; or with coincurve). Rounds are
interleaved across workers; each sample is the mean of a batch sized to ~20 ms; the table
reports medians of the samples, and the ratios are computed from those medians.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from cases import CASES  # noqa: E402

NATIVE = {"ECC_BACKEND_CLASS": "eth_keys.backends.NativeECCBackend"}
COINCURVE = {"ECC_BACKEND_CLASS": "eth_keys.backends.CoinCurveECCBackend"}

# (row label, case name, worker)
ROWS = [
    ("keccak-256 32 B: x402secure (Python)", "keccak256_32B/x402secure", "ours"),
    ("keccak-256 32 B: pycryptodome (eth-hash backend)", "keccak256_32B/pycryptodome", "ours"),
    ("EIP-3009 sign_typed_data: x402secure", "sign_typed_data/x402secure", "ours"),
    ("EIP-3009 sign_typed_data: eth_account, default install", "sign_typed_data/eth_account", "native"),
    ("EIP-3009 sign_typed_data: eth_account + coincurve", "sign_typed_data/eth_account", "coincurve"),
    ("sign 32-byte digest: x402secure", "sign_digest/x402secure", "ours"),
    ("sign 32-byte digest: coincurve", "sign_digest/coincurve", "ours"),
    ("recover signer: x402secure", "recover/x402secure", "ours"),
    ("recover signer: eth_account, default install", "recover/eth_account", "native"),
    ("recover signer: eth_account + coincurve", "recover/eth_account", "coincurve"),
]
ROWS += [r for r in getattr(__import__("cases"), "EXTRA_ROWS", [])]

# (label, numerator row, denominator row, target, kind) ; kind "faster": ratio = slow/fast >= target
COMPARISONS = [
    ("sign_typed_data vs eth_account default (>= 50x)", "EIP-3009 sign_typed_data: eth_account, default install",
     "EIP-3009 sign_typed_data: x402secure", 50.0, "min"),
    ("sign_typed_data vs coincurve sign of the digest (<= 1.5x)", "EIP-3009 sign_typed_data: x402secure",
     "sign 32-byte digest: coincurve", 1.5, "max"),
]
COMPARISONS += getattr(__import__("cases"), "EXTRA_COMPARISONS", [])


class Worker:
    def __init__(self, name, env_extra):
        env = dict(os.environ)
        env.update(env_extra)
        self.name = name
        self.proc = subprocess.Popen([sys.executable, str(HERE / "worker.py")], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, env=env)

    def run(self, case, iterations):
        self.proc.stdin.write(f"{case} {iterations}\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline().strip()
        if line.startswith("error") or not line:
            raise RuntimeError(f"{self.name}/{case}: {line or 'worker died'}")
        return float(line)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def fmt_ns(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:,.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:,.1f} us"
    return f"{ns:,.0f} ns"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--target-ms", type=float, default=20.0)
    ap.add_argument("--swift-bench", help="path to the x402secure-bench executable (Swift-level rows)")
    ap.add_argument("--only", help="substring filter on row labels")
    ap.add_argument("--json", help="write raw results here")
    args = ap.parse_args()

    rows = [r for r in ROWS if not args.only or args.only in r[0]]
    workers = {"ours": Worker("ours", {}), "native": Worker("native", NATIVE),
               "coincurve": Worker("coincurve", COINCURVE)}
    iterations = {}
    samples = {label: [] for label, _, _ in rows}
    failed = {}
    try:
        for label, case, w in rows:  # calibrate batch sizes
            try:
                per = workers[w].run(case, 3)
                iterations[label] = max(1, int(args.target_ms * 1e6 / max(per, 1.0)))
            except RuntimeError as exc:
                failed[label] = str(exc)
        # Within a round, follow each row with the rows it is compared with (the partner of a
        # tight <= bound first), so slow drifts of a shared machine hit both sides alike; the
        # tables keep the ROWS order.
        order = []
        for r in rows:
            if r in order:
                continue
            order.append(r)
            for _, a, b, _, _ in sorted(COMPARISONS, key=lambda c: c[4] != "max"):  # tight bounds first
                other = b if r[0] == a else a if r[0] == b else None
                partner = next((x for x in rows if x[0] == other), None)
                if partner is not None and partner not in order:
                    order.append(partner)
        for _ in range(args.rounds):
            for label, case, w in order:
                if label in failed:
                    continue
                samples[label].append(workers[w].run(case, iterations[label]))
    finally:
        for w in workers.values():
            w.close()

    medians = {label: statistics.median(s) for label, s in samples.items() if s}
    print(f"\nPython {sys.version.split()[0]}, {args.rounds} interleaved rounds, medians\n")
    print("| operation | median per op |")
    print("|---|---|")
    for label, _, _ in rows:
        if label in medians:
            print(f"| {label} | {fmt_ns(medians[label])} |")
        else:
            print(f"| {label} | failed: {failed.get(label, '?')} |")

    swift_rows = {}
    if args.swift_bench and Path(args.swift_bench).exists():
        out = subprocess.run([args.swift_bench, "--json"], capture_output=True, text=True, check=True).stdout
        swift_rows = json.loads(out)
        print("\nSwift-level (x402secure-bench, release build):\n")
        print("```")
        print(subprocess.run([args.swift_bench], capture_output=True, text=True).stdout.rstrip())
        print("```")

    print("\n| comparison | ratio | target | met |")
    print("|---|---|---|---|")
    results = []
    for label, a, b, target, kind in COMPARISONS:
        if a in medians and b in medians:
            ratio = medians[a] / medians[b]
            met = ratio >= target if kind == "min" else ratio <= target
            print(f"| {label} | {ratio:,.2f}x | {'>=' if kind == 'min' else '<='} {target}x | {'yes' if met else 'NO'} |")
            results.append({"comparison": label, "ratio": ratio, "target": target, "kind": kind, "met": met})
    if args.json:
        Path(args.json).write_text(json.dumps({"medians_ns": medians, "comparisons": results,
                                               "swift": swift_rows}, indent=2))


if __name__ == "__main__":
    main()
