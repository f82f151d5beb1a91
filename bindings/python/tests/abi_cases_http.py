"""Raw-ctypes cases for the "HTTP routes" section of the C ABI, merged into
test_ctypes_abi.CASES (valid call, NULL pointers, short output buffers for each).

Format (as test_ctypes_abi): name -> (builder of a valid argument list without err,
indexes of pointer arguments that may be NULL, [(out index, cap index, exact size)]).
"""

from __future__ import annotations

from ctypes import c_char, c_size_t

CANONICAL_OUT = b'{"method":"GET","path":"/api/market-data"}'
KEY_OUT = b'{"method":"GET","path":"/api","prefix":true,"key":"GET /api/*"}'


def buf(n: int):
    return (c_char * max(n, 1))()


def http_abi_cases():
    target = b"HTTP://h/x/../API/./market-data/?q#f"
    key = b"get /API/*"
    nc, nk = len(CANONICAL_OUT), len(KEY_OUT)
    return {
        "x402s_http_route_canonical": (
            lambda: [buf(nc), nc, c_size_t(), b"HEAD", 4, target, len(target), 0], (), [(0, 1, nc)]),
        "x402s_http_route_key": (lambda: [buf(nk), nk, c_size_t(), key, len(key), 0], (), [(0, 1, nk)]),
    }
