"""ctypes declarations of the risk-layer functions of include/x402_secure.h.

Kept apart from :mod:`._native` (which loads the library and declares the primitives);
the prototypes are added to ``_native.PROTOTYPES`` so the binding-wide checks see them.
"""

from __future__ import annotations

from ctypes import c_uint32, c_uint64
from typing import Any, Dict

from . import _native as N

_P, _N, _NP, _E, _ST = N._P, N._N, N._NP, N._E, N._ST
_OUT = [_P, _N, _NP]

#: name -> (restype, argtypes) for every x402s_risk_* function.
RISK_PROTOTYPES: Dict[str, Any] = {
    "x402s_risk_traceparent": (_ST, _OUT + [_P, _N, _P, _N, _E]),
    "x402s_risk_build_secure_header": (_ST, _OUT + [_P, _N, _P, _N, _P, _N, _E]),
    "x402s_risk_parse_secure_header": (_ST, _OUT + [_P, _N, _E]),
    "x402s_risk_secure_header_context": (_ST, _OUT + [_P, _N, _E]),
    "x402s_risk_normalize_uuid": (_ST, _OUT + [_P, _N, _E]),
    "x402s_risk_ids": (_ST, _OUT + [_P, _N, _P, _N, _E]),
    "x402s_risk_build_ap2_evidence": (_ST, _OUT + [_P, _N, _P, _N, _E]),
    "x402s_risk_build_ap2_evidence_digest": (_ST, _OUT + [_P, _N, _P, _N, c_uint64, _E]),
    "x402s_risk_parse_ap2_evidence": (_ST, _OUT + [_P, _N, _E]),
    "x402s_risk_ap2_evidence_matches": (_ST, [_P, _N, _P, _N, _E]),
    "x402s_risk_build_verifiable_intent": (_ST, _OUT + [_P, _N, _P, _N, _P, _N, c_uint32, _E]),
    "x402s_risk_parse_verifiable_intent": (_ST, _OUT + [_P, _N, _E]),
    "x402s_risk_verifiable_intent_matches": (_ST, [_P, _N, _P, _N, _E]),
    "x402s_risk_canonical_json": (_ST, _OUT + [_P, _N, _E]),
    "x402s_risk_trace_event": (_ST, _OUT + [_P, _N, _E]),
    "x402s_risk_agent_trace_build": (_ST, _OUT + [_P, _N, _P, _N, _E]),
    "x402s_risk_agent_trace_parse": (_ST, _OUT + [_P, _N, _E]),
    "x402s_risk_session_request": (_ST, _OUT + [_P, _N, _E]),
    "x402s_risk_trace_request": (_ST, _OUT + [_P, _N, _E]),
    "x402s_risk_parse_gateway_answer": (_ST, _OUT + [c_uint32, _P, _N, _E]),
    "x402s_risk_check_content_type": (_ST, [_P, _N, _E]),
    "x402s_risk_evidence_build": (_ST, _OUT + [_P, _N, _P, _N, _E]),
    "x402s_risk_evidence_sign": (_ST, _OUT + [_P, _N, _P, _N, c_uint32, _E]),
    "x402s_risk_evidence_assemble": (_ST, _OUT + [_P, _N, _P, _N, c_uint32, _E]),
    "x402s_risk_evidence_parse": (_ST, _OUT + [_P, _N, _E]),
    "x402s_risk_evidence_verify": (_ST, _OUT + [_P, _N, _P, _N, _P, _N, _E]),
    "x402s_risk_mandate_evaluate": (_ST, _OUT + [_P, _N, _P, _N, _P, _N, _P, _N, _E]),
}

N.declare(RISK_PROTOTYPES)

# Constants of the header (checked against the library's behaviour by the tests).
KEY_SECP256K1 = 1
KEY_ED25519_SEED = 2
EVIDENCE_RAW = 0
EVIDENCE_JSON = 1
ANSWER_SESSION = 1
ANSWER_TRACE = 2
ANSWER_ERROR = 3
MAX_TRACE_BYTES = 8388608

S_RISK_EVIDENCE_MISMATCH = N._status("X402S_ERR_RISK_EVIDENCE_MISMATCH")
S_RISK_STEP_UP = N._status("X402S_ERR_RISK_STEP_UP")
S_RISK_DENIED = N._status("X402S_ERR_RISK_DENIED")
