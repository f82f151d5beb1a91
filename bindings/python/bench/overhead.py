"""Per-call overhead of the x402secure ctypes binding, and the sign_typed_data budget.

Run:  X402SECURE_LIB=build/lib/libx402secure.so .venv/bin/python bindings/python/bench/overhead.py

Prints medians (and minimums) of interleaved rounds, in microseconds per call:
- the raw ctypes call of x402s_keccak256 on 32 bytes vs the binding's keccak256
  (the difference is the binding's own overhead: argument checks, output buffer, bytes);
- EvmAccount.sign_typed_data on the EIP-3009 document (dict, JSON text, bytes) vs
  coincurve signing the same digest (the brief's budget: within ~1.5x);
- sign_digest vs coincurve, eip712_hash vs eth_account's encode_typed_data.
"""

from __future__ import annotations

import ctypes
import json
import statistics
import sys
import timeit

import x402secure as x
from x402secure import _native

DOC = {
    "types": {
        "EIP712Domain": [
            {"name": "name", "type": "string"},
            {"name": "version", "type": "string"},
            {"name": "chainId", "type": "uint256"},
            {"name": "verifyingContract", "type": "address"},
        ],
        "TransferWithAuthorization": [
            {"name": "from", "type": "address"},
            {"name": "to", "type": "address"},
            {"name": "value", "type": "uint256"},
            {"name": "validAfter", "type": "uint256"},
            {"name": "validBefore", "type": "uint256"},
            {"name": "nonce", "type": "bytes32"},
        ],
    },
    "primaryType": "TransferWithAuthorization",
    "domain": {
        "name": "USD Coin",
        "version": "2",
        "chainId": 8453,
        "verifyingContract": "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
    },
    "message": {
        "from": "0x857b06519E91e3A54538791bDbb0E22373e36b66",
        "to": "0x209693Bc6afc0C5328bA36FaF03C514EF312287C",
        "value": "10000",
        "validAfter": "1740672089",
        "validBefore": "1740672154",
        "nonce": "0xf3746613c2d920b5fdabc0856f2aeb2d4f88ee6037b8cc5d04a71a4462f13480",
    },
}
KEY = bytes.fromhex("0101010101010101010101010101010101010101010101010101010101010101")


def measure(cases: dict, number: int, rounds: int) -> dict:
    """Interleaved rounds: every case runs once per round, so load hits all alike."""
    samples = {name: [] for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            samples[name].append(timeit.timeit(fn, number=number) / number * 1e6)
    return {name: (statistics.median(s), min(s)) for name, s in samples.items()}


def report(title: str, results: dict, base: str | None = None) -> None:
    print(f"\n{title}")
    for name, (med, mn) in results.items():
        ratio = f"  x{med / results[base][0]:.2f} (min x{mn / results[base][1]:.2f})" if base and name != base else ""
        print(f"  {name:<44} median {med:9.3f} us   min {mn:9.3f} us{ratio}")


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    print(f"library {_native.lib._name} {x.VERSION_STRING} ABI {x.ABI_VERSION}")

    data32 = bytes(range(32))
    out = (ctypes.c_char * 32)()
    raw = _native.lib.x402s_keccak256
    res = measure(
        {
            "raw ctypes x402s_keccak256(32 B)": lambda: raw(out, 32, data32, 32, None),
            "x402secure.keccak256(32 B)": lambda: x.keccak256(data32),
            "x402secure.sha256(32 B)": lambda: x.sha256(data32),
        },
        number=20000,
        rounds=rounds,
    )
    report("keccak-256 of 32 bytes", res, "raw ctypes x402s_keccak256(32 B)")
    print(f"  binding overhead over the raw ctypes call: {res['x402secure.keccak256(32 B)'][0] - res['raw ctypes x402s_keccak256(32 B)'][0]:.3f} us")

    try:
        import coincurve
    except ImportError:
        print("coincurve not installed: skipping the signing comparison")
        return 0
    acct = x.EvmAccount.from_key(KEY)
    ck = coincurve.PrivateKey(KEY)
    digest = x.eip712_hash(DOC)
    text = json.dumps(DOC, separators=(",", ":"))
    blob = text.encode()
    res = measure(
        {
            "coincurve sign_recoverable(digest)": lambda: ck.sign_recoverable(digest, hasher=None),
            "EvmAccount.sign_typed_data(dict)": lambda: acct.sign_typed_data(DOC),
            "EvmAccount.sign_typed_data(str)": lambda: acct.sign_typed_data(text),
            "EvmAccount.sign_typed_data(bytes)": lambda: acct.sign_typed_data(blob),
            "EvmAccount.sign_digest(digest)": lambda: acct.sign_digest(digest),
            "x402secure.eip712_hash(dict)": lambda: x.eip712_hash(DOC),
            "x402secure.recover_address": lambda: x.recover_address(digest, acct.sign_digest(digest)),
        },
        number=500,
        rounds=rounds,
    )
    report("EIP-3009 signing (budget: sign_typed_data within ~1.5x of coincurve)", res,
           "coincurve sign_recoverable(digest)")
    try:
        from eth_account.messages import encode_typed_data

        res = measure({"eth_account encode_typed_data": lambda: encode_typed_data(full_message=DOC)},
                      number=200, rounds=max(3, rounds // 3))
        report("for scale", res)
    except ImportError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
