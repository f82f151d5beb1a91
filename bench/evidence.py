#!/usr/bin/env python3
"""Per-call cost of the dispute-evidence operations the risk proxy runs per decision
(x402secure.evidence), on the shared vectors' EVM decision. No peer exists to compare with;
this reports medians to watch the proxy's per-decision budget.

    X402SECURE_LIB=build/lib/libx402secure.so .venv/bin/python bench/evidence.py [--rounds 7]
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from x402secure import evidence as ev

ROOT = Path(__file__).resolve().parents[1]


def median_us(fn, n: int, rounds: int) -> float:
    fn()
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        times.append((time.perf_counter() - t) / n)
    return statistics.median(times) * 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    vectors = {v["name"]: v for v in json.loads((ROOT / "test-vectors/evidence.json").read_text())["vectors"]}
    made = vectors["record_make seq 1 (dec-1 verify)"]
    decision_text = made["input"]["decision_json"]
    prev = made["input"]["prev"]
    built = vectors["bundle_build dec-1 (verify + settle, a link between, trace attached)"]
    bundle = built["expect"]["bundle"]
    with ev.ReceiptKey.from_seed(bytearray.fromhex("42" * 32)) as key:
        rec = ev.make_record(decision_text, seq=1, prev=prev)
        receipt = key.sign_receipt(rec)
        keys = key.key_set()
        rows = [
            (f"make_record (decision as JSON text, record {len(rec.text)} B)",
             lambda: ev.make_record(decision_text, seq=1, prev=prev), 500),
            ("make_record (decision as a dict)", lambda: ev.make_record(json.loads(decision_text), seq=1, prev=prev), 500),
            ("sign_receipt", lambda: key.sign_receipt(rec), 500),
            ("verify_receipt (with its record)", lambda: ev.verify_receipt(receipt, keys, record=rec), 500),
            ("build_bundle (2 records + 1 link, trace attached)",
             lambda: ev.build_bundle("dec-1", built["input"]["records"], key=key,
                                     attachments=built["input"]["attachments"], exported_at=1), 200),
            (f"verify_bundle ({len(bundle)} B, pinned, 2 EVM payment checks)", lambda: ev.verify_bundle(bundle, keys), 200),
        ]
        print(f"| operation | median per call ({args.rounds} rounds) |\n|---|---|")
        for name, fn, n in rows:
            print(f"| {name} | {median_us(fn, n, args.rounds):.1f} µs |")


if __name__ == "__main__":
    main()
