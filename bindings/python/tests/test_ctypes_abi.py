"""The raw C functions through ctypes: NULL pointers, short output buffers, the error
struct and the exact statuses the header documents."""

from __future__ import annotations

import ctypes
from ctypes import c_char, c_size_t

import pytest

import x402secure as x
from x402secure import _native

from evidence_abi_cases import evidence_cases
from risk_abi_cases import risk_cases
from abi_cases_x402 import x402_abi_cases
from abi_cases_settle import settle_abi_cases
from abi_cases_http import http_abi_cases

lib = _native.lib
S = _native.STATUS
OK = S["X402S_OK"]
NULL_ARG = S["X402S_ERR_NULL_ARGUMENT"]
SMALL = S["X402S_ERR_BUFFER_TOO_SMALL"]

KEY = bytes.fromhex("0101010101010101010101010101010101010101010101010101010101010101")
DIGEST = bytes(range(32))
SEED = bytes(range(32, 64))
DOC = (
    b'{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"M":[{"name":"a","type":"uint256"}]},'
    b'"primaryType":"M","domain":{"name":"x"},"message":{"a":"1"}}'
)


def buf(n: int):
    return (c_char * max(n, 1))()


def sig65() -> bytes:
    return x.EvmAccount.from_key(KEY).sign_digest(DIGEST)


def pub65() -> bytes:
    return x.EvmAccount.from_key(KEY).public_key


def ed_sig() -> bytes:
    return x.SolanaKeypair.from_seed(SEED).sign(b"m")


def ed_pub() -> bytes:
    return x.SolanaKeypair.from_seed(SEED).public_key


# name -> (builder of a valid argument list without err, indexes of pointer args that
# may be NULL (optional outputs), indexes of (out, cap) pairs for fixed outputs)
def cases():
    s65, p65, es, ep = sig65(), pub65(), ed_sig(), ed_pub()
    sol = len(x.SolanaKeypair.from_seed(SEED).address)
    return {
        "x402s_keccak256": (lambda: [buf(32), 32, b"abc", 3], (), [(0, 1, 32)]),
        "x402s_sha256": (lambda: [buf(32), 32, b"abc", 3], (), [(0, 1, 32)]),
        "x402s_eip191_hash": (lambda: [buf(32), 32, b"abc", 3], (), [(0, 1, 32)]),
        "x402s_hex_encode": (lambda: [buf(8), 8, c_size_t(), b"abc", 3], (), [(0, 1, 8)]),
        "x402s_hex_decode": (lambda: [buf(3), 3, c_size_t(), b"0x616263", 8], (), [(0, 1, 3)]),
        "x402s_base64_encode": (lambda: [buf(4), 4, c_size_t(), b"abc", 3, 0], (), [(0, 1, 4)]),
        "x402s_base64_decode": (lambda: [buf(3), 3, c_size_t(), b"YWJj", 4, 0], (), [(0, 1, 3)]),
        "x402s_base58_encode": (lambda: [buf(4), 4, c_size_t(), b"abc", 3], (), [(0, 1, 4)]),
        "x402s_base58_decode": (lambda: [buf(3), 3, c_size_t(), b"ZiCa", 4], (), [(0, 1, 3)]),
        "x402s_eip712_hash": (
            lambda: [buf(32), 32, buf(32), 32, buf(32), 32, DOC, len(DOC)],
            (2, 4),
            [(0, 1, 32), (2, 3, 32), (4, 5, 32)],
        ),
        "x402s_secp256k1_seckey_verify": (lambda: [KEY, 32], (), []),
        "x402s_secp256k1_pubkey": (lambda: [buf(65), 65, KEY, 32], (), [(0, 1, 65)]),
        "x402s_secp256k1_sign": (lambda: [buf(65), 65, DIGEST, 32, KEY, 32], (), [(0, 1, 65)]),
        "x402s_secp256k1_recover": (lambda: [buf(65), 65, DIGEST, 32, s65, 65], (), [(0, 1, 65)]),
        "x402s_secp256k1_verify": (lambda: [s65, 65, DIGEST, 32, p65, 65], (), []),
        "x402s_evm_address": (lambda: [buf(42), 42, KEY, 32], (), [(0, 1, 42)]),
        "x402s_evm_checksum_address": (
            lambda: [buf(42), 42, b"0x" + b"ab" * 20, 42], (), [(0, 1, 42)]
        ),
        "x402s_evm_recover_address": (lambda: [buf(42), 42, DIGEST, 32, s65, 65], (), [(0, 1, 42)]),
        "x402s_eip712_sign": (
            lambda: [buf(65), 65, buf(32), 32, DOC, len(DOC), KEY, 32], (2,), [(0, 1, 65), (2, 3, 32)]
        ),
        "x402s_ed25519_pubkey": (lambda: [buf(32), 32, SEED, 32], (), [(0, 1, 32)]),
        "x402s_ed25519_sign": (lambda: [buf(64), 64, b"m", 1, SEED, 32], (), [(0, 1, 64)]),
        "x402s_ed25519_verify": (lambda: [es, 64, b"m", 1, ep, 32], (), []),
        "x402s_solana_address": (lambda: [buf(sol), sol, c_size_t(), SEED, 32], (), [(0, 1, sol)]),
    }


CASES = cases()
CASES.update(risk_cases())  # x402s_risk_* (tests/risk_abi_cases.py)
CASES.update(x402_abi_cases())  # the x402 and Solana sections (tests/abi_cases_x402.py)
CASES.update(settle_abi_cases())  # the Settlement section (tests/abi_cases_settle.py)
CASES.update(http_abi_cases())  # the HTTP routes section (tests/abi_cases_http.py)
CASES.update(evidence_cases())  # x402s_evidence_* (tests/evidence_abi_cases.py)

_EVM_SIGNER = ctypes.c_void_p()  # lives as long as the tests
assert lib.x402s_signer_new(ctypes.byref(_EVM_SIGNER), KEY, 32, 1, None) == OK
CASES["x402s_signer_eip712_sign"] = (
    lambda: [buf(65), 65, buf(32), 32, _EVM_SIGNER, DOC, len(DOC)], (2,), [(0, 1, 65), (2, 3, 32)]
)


def test_signer_eip712_sign_matches_eip712_sign():
    want_sig, want_digest = buf(65), buf(32)
    assert lib.x402s_eip712_sign(want_sig, 65, want_digest, 32, DOC, len(DOC), KEY, 32, None) == OK
    sig, digest = buf(65), buf(32)
    assert lib.x402s_signer_eip712_sign(sig, 65, digest, 32, _EVM_SIGNER, DOC, len(DOC), None) == OK
    assert sig.raw == want_sig.raw and digest.raw == want_digest.raw
    # the digest output is optional
    sig2 = buf(65)
    assert lib.x402s_signer_eip712_sign(sig2, 65, None, 0, _EVM_SIGNER, DOC, len(DOC), None) == OK
    assert sig2.raw == want_sig.raw


def test_signer_eip712_sign_errors():
    solana = ctypes.c_void_p()
    assert lib.x402s_signer_new(ctypes.byref(solana), SEED, 32, 2, None) == OK
    try:
        err = _native.Error()
        st = lib.x402s_signer_eip712_sign(buf(65), 65, None, 0, solana, DOC, len(DOC), err)
        assert st == S["X402S_ERR_INVALID_KEY"] and err.code == st and err.message
    finally:
        lib.x402s_signer_free(solana)
    bad = b'{"types":{}}'
    st = lib.x402s_signer_eip712_sign(buf(65), 65, None, 0, _EVM_SIGNER, bad, len(bad), None)
    assert st == S["X402S_ERR_EIP712_INVALID_DOCUMENT"]
    st = lib.x402s_signer_eip712_sign(buf(65), 65, None, 0, _EVM_SIGNER, b"{", 1, None)
    assert st == S["X402S_ERR_INVALID_JSON"]


def test_every_fallible_function_is_covered():
    fallible = {
        name for name, (restype, argtypes) in _native.PROTOTYPES.items()
        if argtypes and argtypes[-1] is _native._E and name != "x402s_init"
    }
    assert fallible == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_valid_call_is_ok_and_leaves_err_unchanged(name):
    build, _, _ = CASES[name]
    err = _native.Error()
    err.code = 777
    err.message = b"sentinel"
    assert getattr(lib, name)(*build(), err) == OK
    assert err.code == 777 and err.message == b"sentinel"
    assert getattr(lib, name)(*build(), None) == OK  # err is optional


def _pointer_positions(name):
    argtypes = _native.PROTOTYPES[name][1][:-1]
    return [i for i, t in enumerate(argtypes) if t in (_native._P, _native._NP)]


@pytest.mark.parametrize("name", sorted(CASES))
def test_null_pointers(name):
    build, optional, _ = CASES[name]
    fn = getattr(lib, name)
    for i in _pointer_positions(name):
        args = build()
        args[i] = None
        err = _native.Error()
        st = fn(*args, err)
        if i in optional:
            assert st == OK, (name, i)
            continue
        # a NULL input whose length is 0 is the empty input; every position here has a length > 0
        assert st == NULL_ARG, (name, i, st, err.message)
        assert err.code == NULL_ARG and err.message


@pytest.mark.parametrize("name", sorted(CASES))
def test_short_output_buffers(name):
    build, _, outs = CASES[name]
    fn = getattr(lib, name)
    for out_i, cap_i, size in outs:
        args = build()
        args[cap_i] = size - 1
        err = _native.Error()
        st = fn(*args, err)
        assert st == SMALL, (name, out_i, st)
        assert err.code == SMALL
        for a in args:
            if isinstance(a, c_size_t):
                assert a.value == size  # the size needed is reported
        args = build()
        args[cap_i] = 0
        assert fn(*args, None) == SMALL


def test_null_with_zero_length_is_empty_input():
    out = buf(32)
    assert lib.x402s_keccak256(out, 32, None, 0, None) == OK
    assert out.raw.hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    assert lib.x402s_sha256(out, 32, None, 0, None) == OK
    assert out.raw.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    n = c_size_t(99)
    assert lib.x402s_hex_encode(buf(2), 2, n, None, 0, None) == OK
    assert n.value == 2


def test_variable_output_reports_needed_size_and_retry_works():
    n = c_size_t(0)
    data = bytes(range(100))
    assert lib.x402s_hex_encode(buf(10), 10, n, data, len(data), None) == SMALL
    assert n.value == 202
    out = buf(n.value)
    assert lib.x402s_hex_encode(out, n.value, n, data, len(data), None) == OK
    assert ctypes.string_at(out, n.value) == b"0x" + data.hex().encode()


def test_unknown_base64_flags():
    n = c_size_t()
    err = _native.Error()
    assert lib.x402s_base64_encode(buf(8), 8, n, b"abc", 3, 7, err) == S["X402S_ERR_INVALID_ARGUMENT"]
    assert lib.x402s_base64_decode(buf(8), 8, n, b"YWJj", 4, 7, err) == S["X402S_ERR_INVALID_ARGUMENT"]


def test_status_names():
    names = _native.STATUS_NAMES
    assert names[0] == "X402S_OK"
    assert all(v.startswith("X402S_ERR_") for k, v in names.items() if k)
    for bad in (-1, 3000, 2**31 - 1, -(2**31)):
        assert lib.x402s_status_name(bad) is None
    assert len(names) == len(set(names.values()))


def test_version_and_sizes():
    abi = lib.x402s_abi_version()
    assert abi >> 16 == 1
    assert lib.x402s_version_string()
    assert lib.x402s_init(None) == OK
    assert lib.x402s_init(None) == OK  # idempotent
    assert lib.x402s_max_document_bytes() == x.MAX_DOCUMENT_BYTES


def test_error_message_is_nul_terminated_and_bounded():
    err = _native.Error()
    ctypes.memset(ctypes.byref(err), 0x41, ctypes.sizeof(err))
    assert ctypes.sizeof(err) == 256
    st = lib.x402s_hex_decode(buf(4), 4, c_size_t(), b"zz", 2, err)
    assert st == S["X402S_ERR_INVALID_HEX"]
    raw = bytes(err)[4:]
    assert b"\x00" in raw
    assert raw.index(b"\x00") > 0
