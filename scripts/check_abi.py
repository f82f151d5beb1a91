#!/usr/bin/env python3
"""Checks the shared library against the hand-written header.

1. The exported dynamic symbols are exactly the functions declared with X402S_API.
2. Every X402S_OK / X402S_ERR_* macro matches x402s_status_name() of the library, and the
   library names no status the header lacks (the one list lives in the Swift core).
3. Every size macro with a size function agrees with it.
"""
import ctypes
import re
import subprocess
import sys
from pathlib import Path

root = Path(__file__).resolve().parents[1]
header = (root / "include" / "x402_secure.h").read_text()
lib_path = sys.argv[1] if len(sys.argv) > 1 else str(root / "build/lib/libx402secure.so")

declared = set(re.findall(r"X402S_API\b[^;]*?\b(x402s_[a-z0-9_]+)\s*\(", header, re.S))
nm = subprocess.run(["nm", "-D", "--defined-only", lib_path], capture_output=True, text=True, check=True)
# Global (upper-case type letter) dynamic symbols only; local ones are not exported.
exported = {parts[-1] for parts in (line.split() for line in nm.stdout.splitlines())
            if len(parts) >= 2 and parts[-2].isupper()}
exported_c = {s for s in exported if s.startswith("x402s_")}
others = sorted(exported - exported_c)

failures = 0
passes = 0

def check(ok, what):
    global failures, passes
    if ok:
        passes += 1
    else:
        failures += 1
        print("FAIL:", what)

check(declared == exported_c, f"header/export mismatch: only in header {sorted(declared - exported_c)}, "
      f"only exported {sorted(exported_c - declared)}")
check(not others, f"symbols exported besides x402s_*: {others[:10]}")

lib = ctypes.CDLL(lib_path)
lib.x402s_status_name.restype = ctypes.c_char_p
lib.x402s_status_name.argtypes = [ctypes.c_int32]
macros = {name: int(val) for name, val in re.findall(r"#define (X402S_(?:OK|ERR_[A-Z0-9_]+)) (\d+)", header)}
for name, val in macros.items():
    got = lib.x402s_status_name(val)
    check(got is not None and got.decode() == name, f"status {val}: header {name}, library {got}")
named = {v: lib.x402s_status_name(v).decode() for v in range(0, 256) if lib.x402s_status_name(v)}
check(set(named) == set(macros.values()), f"library statuses missing from header: "
      f"{sorted(set(named) - set(macros.values()))}")

for macro, val in re.findall(r"#define (X402S_[A-Z0-9_]+_BYTES) (\d+)", header):
    fn = "x402s_" + macro[len("X402S_"):].lower()
    if fn in declared:
        f = getattr(lib, fn)
        f.restype = ctypes.c_size_t
        f.argtypes = []
        check(f() == int(val), f"{fn}() == {val}")

print(f"{passes} passed, {failures} failed")
sys.exit(1 if failures else 0)
