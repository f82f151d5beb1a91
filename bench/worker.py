"""Benchmark worker: reads `case iterations` lines, answers with nanoseconds per operation."""
import sys
import time

sys.path.insert(0, __import__("os").path.dirname(__file__))
from cases import CASES  # noqa: E402

fns = {}
for line in sys.stdin:
    name, iterations = line.split()
    iterations = int(iterations)
    try:
        fn = fns.get(name) or CASES[name]()
        fns[name] = fn
        fn()  # warm up
        t0 = time.perf_counter_ns()
        for _ in range(iterations):
            fn()
        dt = time.perf_counter_ns() - t0
        print(dt / iterations, flush=True)
    except Exception as exc:  # reported, not hidden
        print(f"error {type(exc).__name__}: {exc}".replace("\n", " "), flush=True)
