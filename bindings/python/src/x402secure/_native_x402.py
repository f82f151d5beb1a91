"""ctypes declarations of the x402 protocol, HTTP routes and Solana sections of include/x402_secure.h.

Kept apart from :mod:`._native` (which declares the primitives); the prototypes are added
to ``_native.PROTOTYPES`` so the one table still lists every function of the header.

Also the JSON-out glue every x402 call uses: :func:`call_out` sizes the output buffer,
retries once with the size the library reports, and turns a failing status into the
exception of :mod:`.errors` (with the library's message).
"""

from __future__ import annotations

import ctypes
from ctypes import POINTER, c_char, c_int32, c_size_t, c_uint32, c_uint64, c_void_p
from typing import Any, Dict

from . import _native as N
from ._native import Error, lib

_P = c_void_p
_N = c_size_t
_NP = POINTER(c_size_t)
_E = POINTER(Error)
_ST = c_int32

#: name -> (restype, argtypes) for the x402 and Solana functions.
X402_PROTOTYPES: Dict[str, Any] = {
    "x402s_x402_networks": (_ST, [_P, _N, _NP, _E]),
    "x402s_x402_network_lookup": (_ST, [_P, _N, _NP, _P, _N, _E]),
    "x402s_x402_price_to_atomic": (_ST, [_P, _N, _NP, _P, _N, _P, _N, _P, _N, _E]),
    "x402s_x402_payment_required": (_ST, [_P, _N, _NP, _P, _N, _E]),
    "x402s_x402_parse_payment_required": (_ST, [_P, _N, _NP, _P, _N, _P, _N, _E]),
    "x402s_x402_select_requirement": (_ST, [_P, _N, _NP, _P, _N, _P, _N, _E]),
    "x402s_x402_create_payment": (_ST, [_P, _N, _NP, _P, _N, _P, _N, c_uint32, _P, _N, _P, _N, _E]),
    "x402s_x402_decode_payment": (_ST, [_P, _N, _NP, _P, _N, _E]),
    "x402s_replay_guard_new": (_ST, [POINTER(c_void_p), _N, _E]),
    "x402s_replay_guard_free": (None, [_P]),
    "x402s_handle_count": (_N, []),
    "x402s_x402_verify": (_ST, [_P, _N, _NP, _P, _N, _P, _N, c_uint64, _P, _N, _P, _E]),
    "x402s_x402_encode_settle_response": (_ST, [_P, _N, _NP, _P, _N, c_uint32, _E]),
    "x402s_x402_decode_settle_response": (_ST, [_P, _N, _NP, _P, _N, _E]),
    "x402s_x402_price_to_atomic_units": (_ST, [_P, _N, _NP, _P, _N, c_uint32, _E]),
    "x402s_signer_new": (_ST, [POINTER(c_void_p), _P, _N, c_uint32, _E]),
    "x402s_signer_free": (None, [_P]),
    "x402s_signer_address": (_ST, [_P, _N, _NP, _P, _E]),
    "x402s_signer_eip712_sign": (_ST, [_P, _N, _P, _N, _P, _P, _N, _E]),
    "x402s_x402_create_payment_with_signer": (_ST, [_P, _N, _NP, _P, _N, _P, _P, _N, _P, _N, c_uint32, _E]),
    "x402s_solana_is_on_curve": (_ST, [_P, _N, _E]),
    "x402s_solana_public_key_decode": (_ST, [_P, _N, _P, _N, _E]),
    "x402s_solana_create_program_address": (_ST, [_P, _N, _NP, _P, _N, _P, _N, _E]),
    "x402s_solana_find_program_address": (_ST, [_P, _N, _NP, _P, _N, _P, _N, _E]),
    "x402s_solana_associated_token_address": (_ST, [_P, _N, _NP, _P, _N, _P, _N, _P, _N, _E]),
    "x402s_solana_compile_message_v0": (_ST, [_P, _N, _NP, _P, _N, _E]),
    "x402s_solana_decode_transaction": (_ST, [_P, _N, _NP, _P, _N, _E]),
    "x402s_solana_sanitize_transaction": (_ST, [_P, _N, _E]),
    "x402s_solana_sign_transaction": (_ST, [_P, _N, _NP, _P, _N, _P, _N, _E]),
    "x402s_solana_exact_build": (_ST, [_P, _N, _NP, _P, _N, _P, _N, _E]),
    "x402s_solana_exact_verify": (_ST, [_P, _N, _NP, _P, _N, _E]),
    # HTTP routes (x402secure.http)
    "x402s_http_route_canonical": (_ST, [_P, _N, _NP, _P, _N, _P, _N, c_uint32, _E]),
    "x402s_http_route_key": (_ST, [_P, _N, _NP, _P, _N, c_uint32, _E]),
}

N.declare(X402_PROTOTYPES)

KEY_SECP256K1 = 1
KEY_ED25519_SEED = 2
CREATE_HEADER_ONLY = 1
JSON_COMPACT = 0
JSON_PYTHON_SPACED = 1
VALID_BEFORE_GRACE_SECONDS = 6
#: x402s_x402_verify needs this much output room before it verifies (X402S_X402_VERIFY_OUT_BYTES),
#: so a verified payment is never recorded in a replay guard by a call that then fails.
VERIFY_OUT_BYTES = 4096

S_OK = N.S_OK
S_BUFFER_TOO_SMALL = N.S_BUFFER_TOO_SMALL
S_VERIFY_FAILED = N.S_VERIFY_FAILED
S_PAYMENT_INVALID = N._status("X402S_ERR_X402_PAYMENT_INVALID")
S_INPUT_TOO_LARGE = N._status("X402S_ERR_INPUT_TOO_LARGE")
S_INVALID_JSON = N.S_INVALID_JSON
S_INVALID_ARGUMENT = N.S_INVALID_ARGUMENT
S_NULL_ARGUMENT = N.S_NULL_ARGUMENT

_string_at = ctypes.string_at


def call_out(fn, cap: int, *args, ok=(S_OK,)):
    """Call ``fn(out, cap, &out_len, *args, NULL)`` and return ``(status, bytes)``.

    Retries once with the size the library reports. A status outside ``ok`` raises the
    exception of its decade (the message is fetched with a second call carrying an error
    struct; every x402 function is deterministic for a given input except payment
    creation with random nonces, whose failure status does not depend on them).
    """
    n = c_size_t(0)
    out = (c_char * cap)()
    st = fn(out, cap, n, *args, None)
    if st == S_BUFFER_TOO_SMALL and n.value > cap:
        cap = n.value
        out = (c_char * cap)()
        st = fn(out, cap, n, *args, None)
    if st in ok:
        return st, _string_at(out, n.value)
    raise N.fail(st, fn, (out, cap, n) + args)
