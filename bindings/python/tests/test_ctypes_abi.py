"""The raw C functions through ctypes: NULL pointers, short output buffers, the error
struct and the exact statuses the header documents."""

from __future__ import annotations

import ctypes
from ctypes import c_char, c_size_t

import pytest

import x402secure as x
from x402secure import _native

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


def _out_size(fn, args_after_out) -> int:
    n = c_size_t(0)
    out = buf(1 << 16)
    st = fn(out, 1 << 16, n, *args_after_out, None)
    assert st in (OK, S["X402S_ERR_X402_PAYMENT_INVALID"]), (fn.__name__, st)
    return n.value


def x402_cases():
    """Valid calls of the x402 functions (fixed time and nonce, so output sizes are stable)."""
    pay_to = b"0x209693Bc6afc0C5328bA36FaF03C514EF312287C"
    request = (b'{"offers":[{"network":"eip155:84532","payTo":"' + pay_to + b'","price":"$0.01"}],'
               b'"resource":{"url":"https://api.example.com/x"}}')
    answer = x.payment_required_response(request)
    header402 = answer["header"].encode()
    import json as _json

    required = _json.dumps(answer["paymentRequired"]).encode()
    requirement = _json.dumps(answer["paymentRequired"]["accepts"][0]).encode()
    now = 1740672000
    options = _json.dumps({"now": now, "nonce": "0x" + "11" * 32}).encode()
    created = x.create_payment(requirement, x.EvmAccount.from_key(KEY), None, options)
    pay_header = created["headerValue"].encode()
    settle = (b'{"success":true,"transaction":"0x' + b"12" * 32 + b'","network":"eip155:84532","payer":"'
              + pay_to + b'"}')
    settle_header = x.encode_settle_response(settle).encode()
    L = lib
    specs = {
        "x402s_x402_networks": (lambda: [], ()),
        "x402s_x402_network_lookup": (lambda: [b"base", 4], ()),
        "x402s_x402_price_to_atomic": (lambda: [b"$0.01", 5, b"base", 4, None, 0], (7,)),
        "x402s_x402_payment_required": (lambda: [request, len(request)], ()),
        "x402s_x402_parse_payment_required": (lambda: [header402, len(header402), None, 0], (5,)),
        "x402s_x402_select_requirement": (lambda: [required, len(required), None, 0], (5,)),
        "x402s_x402_create_payment": (
            lambda: [requirement, len(requirement), KEY, 32, 1, None, 0, options, len(options)], (8,)),
        "x402s_x402_decode_payment": (lambda: [pay_header, len(pay_header)], ()),
        "x402s_x402_verify": (
            lambda: [pay_header, len(pay_header), requirement, len(requirement), now, None, 0, None], (8, 10)),
        "x402s_x402_encode_settle_response": (lambda: [settle, len(settle), 0], ()),
        "x402s_x402_decode_settle_response": (lambda: [settle_header, len(settle_header)], ()),
    }
    out = {}
    for name, (tail, optional) in specs.items():
        size = _out_size(getattr(L, name), tail())

        def build(tail=tail, size=size):
            return [buf(size), size, c_size_t()] + tail()

        out[name] = (build, optional, [(0, 1, size)])
    return out


def solana_cases():
    """Valid calls of the Solana helpers, with inputs taken from the shared vector files."""
    import base64
    import json as _json

    from conftest import VECTOR_DIR

    def first(area, pred):
        for v in _json.loads((VECTOR_DIR / f"{area}.json").read_text())["vectors"]:
            if pred(v):
                return v["input"]
        raise AssertionError(f"no vector in {area}")

    compile_req = first("solana_message", lambda v: v["input"]["op"] == "compileV0" and "error" not in v["expect"])
    compile_json = _json.dumps({k: compile_req[k] for k in ("payer", "recentBlockhash", "instructions")}).encode()
    tx = bytes.fromhex(first("solana_message", lambda v: v["input"]["op"] == "parseTransaction"
                             and "error" not in v["expect"])["bytes"][2:])
    sign_in = first("solana_exact", lambda v: v["input"]["op"] == "feePayerSign" and "error" not in v["expect"])
    unsigned = base64.b64decode(sign_in["transactionBase64"])
    fee_seed = bytes.fromhex(sign_in["feePayerSeed"][2:])
    build_in = first("solana_exact", lambda v: v["input"]["op"] == "build" and "error" not in v["expect"])
    build_json = _json.dumps({k: val for k, val in build_in.items() if k not in ("op", "signerSeed")}).encode()
    build_seed = bytes.fromhex(build_in["signerSeed"][2:])
    verify_in = first("solana_exact", lambda v: v["input"]["op"] == "verify" and v["expect"].get("isValid") is True)
    verify_json = _json.dumps({k: val for k, val in verify_in.items() if k != "op"}).encode()
    program = b"ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL"
    seeds = b'["0x78343032732d637265617465","0x00","0xf6"]'
    owner = b"AKnL4NNf3DGWZJS6cPknBuEGnVsV4A4m5tgebLHaRSZ9"
    mint = b"4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"
    specs = {
        "x402s_x402_price_to_atomic_units": (lambda: [b"$0.01", 5, 6], ()),
        "x402s_solana_create_program_address": (lambda: [seeds, len(seeds), program, len(program)], ()),
        "x402s_solana_find_program_address": (lambda: [b"[]", 2, program, len(program)], ()),
        "x402s_solana_associated_token_address": (lambda: [owner, len(owner), mint, len(mint), None, 0], (7,)),
        "x402s_solana_compile_message_v0": (lambda: [compile_json, len(compile_json)], ()),
        "x402s_solana_decode_transaction": (lambda: [tx, len(tx)], ()),
        "x402s_solana_sign_transaction": (lambda: [unsigned, len(unsigned), fee_seed, 32], ()),
        "x402s_solana_exact_build": (lambda: [build_json, len(build_json), build_seed, 32], ()),
        "x402s_solana_exact_verify": (lambda: [verify_json, len(verify_json)], ()),
    }
    out = {}
    for name, (tail, optional) in specs.items():
        size = _out_size(getattr(lib, name), tail())

        def build(tail=tail, size=size):
            return [buf(size), size, c_size_t()] + tail()

        out[name] = (build, optional, [(0, 1, size)])
    out["x402s_solana_is_on_curve"] = (lambda: [bytes(32), 32], (), [])
    out["x402s_solana_sanitize_transaction"] = (lambda: [tx, len(tx)], (), [])
    out["x402s_solana_public_key_decode"] = (lambda: [buf(32), 32, owner, len(owner)], (), [(0, 1, 32)])
    return out


CASES = cases()
CASES.update(x402_cases())
CASES.update(solana_cases())


def test_every_fallible_function_is_covered():
    fallible = {
        name for name, (restype, argtypes) in _native.PROTOTYPES.items()
        if argtypes and argtypes[-1] is _native._E and name not in ("x402s_init", "x402s_replay_guard_new")
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


def test_null_with_zero_length_for_fixed_size_inputs_is_an_empty_input():
    """Header rule: NULL with length 0 is the empty input, so a fixed-size input given as
    (NULL, 0) has the wrong length (not a NULL argument)."""
    INVALID_LENGTH = S["X402S_ERR_INVALID_LENGTH"]
    s65 = sig65()
    checks = [
        ("x402s_secp256k1_sign", lambda: lib.x402s_secp256k1_sign(buf(65), 65, None, 0, KEY, 32, None), INVALID_LENGTH),
        ("x402s_secp256k1_seckey_verify", lambda: lib.x402s_secp256k1_seckey_verify(None, 0, None), INVALID_LENGTH),
        ("x402s_secp256k1_recover", lambda: lib.x402s_secp256k1_recover(buf(65), 65, None, 0, s65, 65, None), INVALID_LENGTH),
        ("x402s_ed25519_pubkey", lambda: lib.x402s_ed25519_pubkey(buf(32), 32, None, 0, None), INVALID_LENGTH),
        ("x402s_ed25519_sign", lambda: lib.x402s_ed25519_sign(buf(64), 64, None, 0, SEED, 32, None), OK),
    ]
    got = {name: fn() for name, fn, _ in checks}
    assert got == {name: want for name, _, want in checks}


def test_variable_output_reports_needed_size_and_retry_works():
    n = c_size_t(0)
    data = bytes(range(100))
    assert lib.x402s_hex_encode(buf(10), 10, n, data, len(data), None) == SMALL
    assert n.value == 202
    out = buf(n.value)
    assert lib.x402s_hex_encode(out, n.value, n, data, len(data), None) == OK
    assert ctypes.string_at(out, n.value) == b"0x" + data.hex().encode()


def test_replay_guard_handle():
    guard = ctypes.c_void_p()
    err = _native.Error()
    assert lib.x402s_replay_guard_new(None, 0, err) == NULL_ARG
    assert lib.x402s_replay_guard_new(ctypes.byref(guard), 2**62, err) == S["X402S_ERR_INVALID_ARGUMENT"]
    assert lib.x402s_replay_guard_new(ctypes.byref(guard), 10, err) == OK
    assert guard.value
    lib.x402s_replay_guard_free(guard)
    lib.x402s_replay_guard_free(None)  # a no-op


def test_verify_invalid_payment_still_writes_the_verdict():
    build, _, _ = CASES["x402s_x402_verify"]
    args = build()
    args[0], args[1] = buf(4096), 4096
    args[7] = 1740672000 + 10**6  # long after validBefore
    err = _native.Error()
    st = lib.x402s_x402_verify(*args, err)
    assert st == S["X402S_ERR_X402_PAYMENT_INVALID"]
    text = ctypes.string_at(args[0], args[2].value)
    assert b'"isValid":false' in text


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
