"""ctypes declarations of the dispute-evidence functions of include/x402_secure.h
(section "Evidence for disputes"), added to ``_native.PROTOTYPES`` like the other sections."""

from __future__ import annotations

from typing import Any, Dict

from . import _native as N

_P, _N, _NP, _E, _ST = N._P, N._N, N._NP, N._E, N._ST
_OUT = [_P, _N, _NP]

#: name -> (restype, argtypes) for every x402s_evidence_* function.
EVIDENCE_PROTOTYPES: Dict[str, Any] = {
    "x402s_evidence_record_make": (_ST, _OUT + [_P, _N, _E]),
    "x402s_evidence_record_parse": (_ST, _OUT + [_P, _N, _E]),
    "x402s_evidence_public_key": (_ST, _OUT + [_P, _E]),
    "x402s_evidence_receipt_sign": (_ST, _OUT + [_P, _P, _N, _E]),
    "x402s_evidence_receipt_verify": (_ST, _OUT + [_P, _N, _P, _N, _P, _N, _E]),
    "x402s_evidence_bundle_build": (_ST, _OUT + [_P, _N, _P, _E]),
    "x402s_evidence_bundle_verify": (_ST, _OUT + [_P, _N, _P, _N, _E]),
}

for _name, (_restype, _argtypes) in EVIDENCE_PROTOTYPES.items():
    try:
        _fn = getattr(N.lib, _name)
    except AttributeError as _exc:
        raise ImportError(f"x402secure: {_name} is missing from {N.lib._name}") from _exc
    _fn.restype = _restype
    _fn.argtypes = _argtypes
N.PROTOTYPES.update(EVIDENCE_PROTOTYPES)

# Constants of the header (checked against the library's behaviour by the tests).
MAX_RECORD_BYTES = 1048576
MAX_BUNDLE_BYTES = 33554432
RECEIPT_MAX_BYTES = 4096
KEY_ED25519_SEED = 2

S_EVIDENCE_VERIFY_FAILED = N._status("X402S_ERR_EVIDENCE_VERIFY_FAILED")
