"""ctypes declarations of the "HTTP routes" section of include/x402_secure.h.

Kept apart from :mod:`._native` and :mod:`._native_x402`; the prototypes are added to
``_native.PROTOTYPES`` so the one table still lists every function of the header.
"""

from __future__ import annotations

from ctypes import POINTER, c_int32, c_size_t, c_uint32, c_void_p
from typing import Any, Dict

from . import _native as N
from ._native import Error, lib

_P = c_void_p
_N = c_size_t
_NP = POINTER(c_size_t)
_E = POINTER(Error)
_ST = c_int32

#: name -> (restype, argtypes) for the HTTP route functions.
HTTP_PROTOTYPES: Dict[str, Any] = {
    "x402s_http_route_canonical": (_ST, [_P, _N, _NP, _P, _N, _P, _N, c_uint32, _E]),
    "x402s_http_route_key": (_ST, [_P, _N, _NP, _P, _N, c_uint32, _E]),
}

for _name, (_restype, _argtypes) in HTTP_PROTOTYPES.items():
    try:
        _fn = getattr(lib, _name)
    except AttributeError as _exc:
        raise ImportError(f"x402secure: {_name} is missing from {lib._name}; rebuild the library (make lib)") from _exc
    _fn.restype = _restype
    _fn.argtypes = _argtypes
N.PROTOTYPES.update(HTTP_PROTOTYPES)

#: X402S_HTTP_ROUTE_CASE_SENSITIVE / X402S_HTTP_ROUTE_STRICT_SLASH
ROUTE_CASE_SENSITIVE = 1
ROUTE_STRICT_SLASH = 2
#: X402S_HTTP_MAX_TARGET_BYTES
MAX_TARGET_BYTES = 16384
