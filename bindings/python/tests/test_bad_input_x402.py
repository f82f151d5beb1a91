"""Bad input through every x402 / Solana function of the binding: None, wrong types,
malformed JSON, non-standard base64, oversize documents, closed handles. Each gives a
specific exception class and ``.code``; nothing crashes the interpreter."""

from __future__ import annotations

import base64
import ctypes
import gc
import json
import pickle
import threading

import pytest

import x402secure as x
from x402secure import _native, solana

KEY = bytes([1]) * 32
SEED = bytes([1]) * 32
NOW = 1_740_672_000
PAY_TO = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"
REQ = {"scheme": "exact", "network": "eip155:84532", "asset": "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
       "amount": "10000", "payTo": PAY_TO, "maxTimeoutSeconds": 60, "extra": {"name": "USDC", "version": "2"}}
PR = {"x402Version": 2, "accepts": [REQ]}
OFFER = {"network": "base-sepolia", "payTo": PAY_TO, "price": "$0.01"}
SETTLE = {"success": True, "transaction": "0x12", "network": "eip155:84532"}
MIB = 1 << 20


@pytest.fixture(scope="module")
def acct():
    with x.EvmAccount.from_key(KEY) as a:
        yield a


@pytest.fixture(scope="module")
def kp():
    with x.SolanaKeypair.from_seed(SEED) as k:
        yield k


@pytest.fixture(scope="module")
def header(acct):
    return x.create_payment_header(REQ, acct, now=NOW, nonce=b"\x01" * 32)[1]


def code(exc_info) -> str:
    return exc_info.value.code


def _calls(acct, kp, header):
    """(name, callable taking the argument under test)."""
    return [
        ("network", lambda v: x.network(v)),
        ("price_to_atomic.price", lambda v: x.price_to_atomic(v, "base")),
        ("price_to_atomic.network", lambda v: x.price_to_atomic("$1", v)),
        ("price_to_atomic_units.price", lambda v: x.price_to_atomic_units(v, 6)),
        ("price_to_atomic_units.decimals", lambda v: x.price_to_atomic_units("1", v)),
        ("payment_required_response.offers", lambda v: x.payment_required_response(v)),
        ("select_requirement", lambda v: x.select_requirement(v)),
        ("select_requirement_index", lambda v: x.select_requirement_index(v)),
        ("create_payment_header.request", lambda v: x.create_payment_header(v, acct)),
        ("create_payment_header.signer", lambda v: x.create_payment_header(REQ, v)),
        ("create_payment.request", lambda v: x.create_payment(v, kp)),
        ("decode_payment_header", lambda v: x.decode_payment_header(v)),
        ("verify_payment.value", lambda v: x.verify_payment(v, REQ, NOW)),
        ("verify_payment.requirements", lambda v: x.verify_payment(header, v, NOW)),
        ("encode_settle_response", lambda v: x.encode_settle_response(v)),
        ("decode_settle_response", lambda v: x.decode_settle_response(v)),
        ("solana.is_on_curve", lambda v: solana.is_on_curve(v)),
        ("solana.public_key_bytes", lambda v: solana.public_key_bytes(v)),
        ("solana.create_program_address.seeds", lambda v: solana.create_program_address(v, solana.TOKEN_PROGRAM)),
        ("solana.find_program_address.program", lambda v: solana.find_program_address([b"a"], v)),
        ("solana.associated_token_address.owner", lambda v: solana.associated_token_address(v, solana.TOKEN_PROGRAM)),
        ("solana.compile_message_v0.instructions", lambda v: solana.compile_message_v0(kp.address, v, kp.address)),
        ("solana.decode_transaction", lambda v: solana.decode_transaction(v)),
        ("solana.sanitize_transaction", lambda v: solana.sanitize_transaction(v)),
        ("solana.sign_transaction.tx", lambda v: solana.sign_transaction(v, kp)),
        ("solana.sign_transaction.keypair", lambda v: solana.sign_transaction(b"\x00", v)),
        ("solana.exact_build.signer", lambda v: solana.exact_build(
            v, fee_payer=kp.address, pay_to=kp.address, mint=kp.address, decimals=6, amount=1,
            recent_blockhash=b"\x07" * 32)),
        ("solana.exact_build.fee_payer", lambda v: solana.exact_build(
            kp, fee_payer=v, pay_to=kp.address, mint=kp.address, decimals=6, amount=1, recent_blockhash=b"\x07" * 32)),
        ("solana.exact_verify.tx", lambda v: solana.exact_verify(
            v, network="solana-devnet", asset=kp.address, pay_to=kp.address, amount=1)),
    ]


_NAMES = [n for n, _ in _calls(None, None, None)]


@pytest.mark.parametrize("name", _NAMES)
def test_none_is_null_argument(name, acct, kp, header):
    fn = dict(_calls(acct, kp, header))[name]
    with pytest.raises(x.ArgumentTypeError) as info:
        fn(None)
    assert code(info) == "X402S_ERR_NULL_ARGUMENT"


@pytest.mark.parametrize("bad", [123, 1.5, object(), {1, 2}], ids=["int", "float", "object", "set"])
@pytest.mark.parametrize("name", [n for n in _NAMES if n != "price_to_atomic_units.decimals"])
def test_wrong_type_is_invalid_argument(name, bad, acct, kp, header):
    fn = dict(_calls(acct, kp, header))[name]
    with pytest.raises(x.ArgumentTypeError) as info:
        fn(bad)
    assert code(info) == "X402S_ERR_INVALID_ARGUMENT"


def test_decimals_type_and_range():
    for bad in ("6", 1.0, True):
        with pytest.raises(x.ArgumentTypeError):
            x.price_to_atomic_units("1", bad)
    for bad in (-1, 1 << 40):
        with pytest.raises(x.InvalidArgumentError) as info:
            x.price_to_atomic_units("1", bad)
        assert code(info) == "X402S_ERR_INVALID_ARGUMENT"
    with pytest.raises(x.InvalidArgumentError) as info:
        x.price_to_atomic_units("1", 78)
    assert code(info) == "X402S_ERR_INVALID_ARGUMENT"


# ----------------------------------------------------------------------------- malformed JSON


@pytest.mark.parametrize("text", ["", "{", "{'a':1}", "[1,]", '{"a":1}x', "nul", '{"a":"\\x"}'])
def test_malformed_json_text(text, acct):
    # (create_payment_header reads a str that does not start with "{" or "[" as a
    # PAYMENT-REQUIRED header value, so JSON text goes in as bytes there.)
    for fn in (lambda t: x.select_requirement(t), lambda t: x.create_payment_header(t.encode(), acct),
               lambda t: x.verify_payment("e30=", t, NOW), lambda t: x.encode_settle_response(t)):
        with pytest.raises(x.X402SError) as info:
            fn(text)
        assert code(info) in ("X402S_ERR_INVALID_JSON", "X402S_ERR_X402_INVALID_REQUIREMENTS"), (text, code(info))
    with pytest.raises(x.InvalidArgumentError) as info:
        x.create_payment_header("not a header", acct)
    assert code(info) == "X402S_ERR_INVALID_BASE64"


def test_json_nesting_and_values(acct):
    deep = "[" * 100 + "]" * 100
    with pytest.raises(x.InvalidArgumentError) as info:
        x.select_requirement(deep)
    assert code(info) == "X402S_ERR_JSON_TOO_DEEP"
    # dicts the stdlib encoder refuses, and lone surrogates, are INVALID_JSON before the call
    for bad in ({"x": object()}, {"x": float("nan")} if False else {"x": {1j: 1}}, {"x": "\udc00"}):
        with pytest.raises(x.InvalidArgumentError) as info:
            x.select_requirement(bad)
        assert code(info) == "X402S_ERR_INVALID_JSON"
    very_deep: dict = {}
    cur = very_deep
    for _ in range(5000):
        cur["a"] = {}
        cur = cur["a"]
    with pytest.raises(x.InvalidArgumentError) as info:
        x.select_requirement(very_deep)
    assert code(info) == "X402S_ERR_JSON_TOO_DEEP"


def test_invalid_utf8_bytes():
    with pytest.raises(x.InvalidArgumentError) as info:
        x.select_requirement(b'{"x402Version":2,"accepts":["\xff"]}')
    assert code(info) == "X402S_ERR_INVALID_UTF8"
    with pytest.raises(x.InvalidArgumentError) as info:
        x.decode_payment_header(b"\xff\xfe")
    assert code(info) == "X402S_ERR_INVALID_UTF8"
    with pytest.raises(x.InvalidArgumentError) as info:
        x.network("base\ud800")
    assert code(info) == "X402S_ERR_INVALID_UTF8"


def test_wrong_shapes_are_protocol_errors(acct):
    cases = [
        (lambda: x.select_requirement([]), "X402S_ERR_X402_UNSUPPORTED_VERSION"),
        (lambda: x.select_requirement({"x402Version": 2}), "X402S_ERR_X402_INVALID_REQUIREMENTS"),
        (lambda: x.select_requirement({"x402Version": 3, "accepts": []}), "X402S_ERR_X402_UNSUPPORTED_VERSION"),
        (lambda: x.select_requirement(PR, {"networks": "base"}), "X402S_ERR_INVALID_ARGUMENT"),
        (lambda: x.create_payment_header({**REQ, "amount": 5}, acct), "X402S_ERR_X402_INVALID_REQUIREMENTS"),
        (lambda: x.create_payment_header(REQ, acct, now=-1), "X402S_ERR_INVALID_ARGUMENT"),
        (lambda: x.create_payment_header(REQ, acct, nonce=b"\x00" * 31), "X402S_ERR_INVALID_LENGTH"),
        (lambda: x.create_payment_header(REQ, acct, nonce="0xzz"), "X402S_ERR_INVALID_ARGUMENT"),
        (lambda: x.payment_required_response([{"network": "base"}]), "X402S_ERR_X402_INVALID_REQUIREMENTS"),
        (lambda: x.payment_required_response([OFFER], version=3), "X402S_ERR_X402_UNSUPPORTED_VERSION"),
        (lambda: x.payment_required_response([OFFER], version=1), "X402S_ERR_X402_INVALID_REQUIREMENTS"),
        (lambda: x.encode_settle_response({"success": "yes"}), "X402S_ERR_X402_INVALID_PAYLOAD"),
        (lambda: x.verify_payment("e30=", REQ, NOW), "X402S_ERR_X402_UNSUPPORTED_VERSION"),
        (lambda: x.verify_payment("eyJ4NDAyVmVyc2lvbiI6Mn0=", REQ, NOW), "X402S_ERR_X402_INVALID_PAYLOAD"),
        (lambda: x.parse_payment_required(), "X402S_ERR_NULL_ARGUMENT"),
        (lambda: x.parse_payment_required(body=b'{"x402Version":2,"accepts":[]}'), "X402S_ERR_X402_UNSUPPORTED_VERSION"),
        (lambda: x.price_to_atomic("$1", "eip155:424242"), "X402S_ERR_X402_UNKNOWN_NETWORK"),
        (lambda: x.price_to_atomic("$1", "base", "0x" + "11" * 20), "X402S_ERR_X402_UNKNOWN_ASSET"),
        (lambda: x.price_to_atomic("1e3", "base"), "X402S_ERR_X402_INVALID_AMOUNT"),
    ]
    for fn, want in cases:
        with pytest.raises(x.X402SError) as info:
            fn()
        assert code(info) == want, (want, info.value)


# ----------------------------------------------------------------------------- base64


@pytest.mark.parametrize("mutate", [
    lambda h: h.replace("+", "-").replace("/", "_") if ("+" in h or "/" in h) else h[:-4] + "-___",
    lambda h: h.rstrip("=") if h.endswith("=") else h[:-1],
    lambda h: h[:10] + "\n" + h[10:],
    lambda h: " " + h,
    lambda h: h + "=",
    lambda h: h[:-1] + "!",
], ids=["urlsafe", "unpadded", "newline", "leading-space", "extra-pad", "bad-char"])
def test_non_standard_base64_is_rejected(mutate, header):
    bad = mutate(header if header.endswith("=") else header + "")
    if bad == header:
        pytest.skip("mutation does not apply")
    # (parse_payment_required strips the header value as HTTP libraries do)
    fns = [x.decode_payment_header, lambda h: x.verify_payment(h, REQ, NOW), x.decode_settle_response]
    if bad.strip() != header:
        fns.append(lambda h: x.parse_payment_required({"PAYMENT-REQUIRED": h}))
    for fn in fns:
        with pytest.raises(x.InvalidArgumentError) as info:
            fn(bad)
        assert code(info) == "X402S_ERR_INVALID_BASE64", (fn, bad[:20])


def test_urlsafe_message_is_clear():
    with pytest.raises(x.InvalidArgumentError) as info:
        x.decode_payment_header("eyJhIjoxfQ_-")
    assert "URL-safe" in info.value.message


# ----------------------------------------------------------------------------- oversize


def test_oversize_inputs(acct):
    big = "A" * (MIB + 4)
    for fn in (x.decode_payment_header, lambda h: x.verify_payment(h, REQ, NOW), x.decode_settle_response):
        with pytest.raises(x.InvalidArgumentError) as info:
            fn(big)
        assert code(info) == "X402S_ERR_INPUT_TOO_LARGE"
    big_req = {**REQ, "extra": {"pad": "x" * MIB}}
    for fn in (lambda: x.create_payment_header(big_req, acct), lambda: x.select_requirement({"x402Version": 2,
                                                                                            "accepts": [big_req]}),
               lambda: x.verify_payment("e30=", big_req, NOW)):
        with pytest.raises(x.InvalidArgumentError) as info:
            fn()
        assert code(info) == "X402S_ERR_INPUT_TOO_LARGE"
    with pytest.raises(x.InvalidArgumentError) as info:
        x.network("b" * 300)
    assert code(info) == "X402S_ERR_INPUT_TOO_LARGE"
    with pytest.raises(x.InvalidArgumentError) as info:
        solana.decode_transaction(b"\x00" * (MIB + 1))
    assert code(info) == "X402S_ERR_INPUT_TOO_LARGE"


def test_big_but_legal_output_is_sized(acct):
    """Outputs bigger than the first buffer guess are retried with the size reported."""
    req = {**REQ, "extra": {"name": "USDC", "version": "2", "pad": "p" * 40_000}}
    name, value = x.create_payment_header(req, acct, now=NOW, nonce=b"\x02" * 32)
    assert len(value) > 50_000
    assert x.decode_payment_header(value)["accepted"]["extra"]["pad"] == "p" * 40_000
    assert x.verify_payment(value, req, NOW).is_valid


# ----------------------------------------------------------------------------- signers and handles


def test_signer_kind_must_match_network(acct, kp):
    with pytest.raises(x.InvalidArgumentError) as info:
        x.create_payment_header(REQ, kp)
    assert code(info) == "X402S_ERR_INVALID_ARGUMENT"
    sol = {"scheme": "exact", "network": "solana-devnet", "maxAmountRequired": "1", "resource": "r",
           "payTo": kp.address, "maxTimeoutSeconds": 1, "asset": "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU",
           "extra": {"feePayer": "9hSR6S7WPtxmTojgo6GG3k4yDPecgJY292j7xrsUGWBu"}}
    with pytest.raises(x.InvalidArgumentError) as info:
        x.create_payment_header(sol, acct, recent_blockhash=b"\x07" * 32)
    assert code(info) == "X402S_ERR_INVALID_ARGUMENT"


def test_closed_signer():
    a = x.EvmAccount.from_key(KEY)
    a.close()
    with pytest.raises(x.InvalidKeyError) as info:
        x.create_payment_header(REQ, a)
    assert code(info) == "X402S_ERR_INVALID_KEY"
    k = x.SolanaKeypair.from_seed(SEED)
    k.close()
    with pytest.raises(x.InvalidKeyError):
        solana.sign_transaction(b"\x00", k)


def test_replay_guard_lifecycle(header):
    g = x.ReplayGuard(capacity=4)
    assert x.verify_payment(header, REQ, NOW, replay_guard=g).is_valid
    again = x.verify_payment(header, REQ, NOW, replay_guard=g)
    assert not again.is_valid and again.invalid_reason == "duplicate_payment"
    g.close()
    g.close()  # idempotent
    assert g.closed
    with pytest.raises(x.InvalidArgumentError):
        x.verify_payment(header, REQ, NOW, replay_guard=g)
    with x.ReplayGuard() as g2:
        assert not g2.closed
    assert g2.closed
    with pytest.raises(x.ArgumentTypeError):
        x.verify_payment(header, REQ, NOW, replay_guard="guard")
    with pytest.raises(TypeError):
        pickle.dumps(x.ReplayGuard())
    for bad in (-1, "10", 1.5):
        with pytest.raises(x.InvalidArgumentError):
            x.ReplayGuard(bad)
    with pytest.raises(x.InvalidArgumentError) as info:
        x.ReplayGuard(10**9)
    assert code(info) == "X402S_ERR_INVALID_ARGUMENT"
    # garbage collection frees the handle
    for _ in range(1000):
        x.ReplayGuard(8)
    gc.collect()


def test_replay_guard_is_thread_safe(acct):
    """Many threads race one authorization through one guard: exactly one wins."""
    h = x.create_payment_header(REQ, acct, now=NOW, nonce=b"\x09" * 32)[1]
    with x.ReplayGuard() as g:
        results = []
        lock = threading.Lock()

        def run():
            r = x.verify_payment(h, REQ, NOW, replay_guard=g)
            with lock:
                results.append(r.is_valid)

        threads = [threading.Thread(target=run) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert results.count(True) == 1 and len(results) == 16


def test_replay_guard_new_null_out_pointer():
    err = _native.Error()
    st = _native.lib.x402s_replay_guard_new(None, 0, ctypes.byref(err))
    assert st == _native.STATUS["X402S_ERR_NULL_ARGUMENT"]
    _native.lib.x402s_replay_guard_free(None)  # no-op


def test_verify_options_types(header):
    with pytest.raises(x.ArgumentTypeError):
        x.verify_payment(header, REQ, NOW, facilitator_addresses="0xabc")
    with pytest.raises(x.ArgumentTypeError):
        x.verify_payment(header, REQ, NOW, solana_fee_payers="abc")
    with pytest.raises(x.InvalidArgumentError) as info:
        x.verify_payment(header, REQ, NOW, facilitator_addresses=[1])
    assert code(info) == "X402S_ERR_INVALID_ARGUMENT"
    for bad in (-1, True, "1"):
        with pytest.raises(x.InvalidArgumentError):
            x.verify_payment(header, REQ, bad)


def test_headers_mapping_lookup(header):
    pr = x.payment_required_response([OFFER], resource="https://example.com/x")
    value = pr.headers["PAYMENT-REQUIRED"]
    for headers in ({"payment-required": value}, {"Payment-Required": value.encode()}, [("x", "y")]):
        if isinstance(headers, list):
            with pytest.raises(x.ArgumentTypeError):
                x.parse_payment_required(headers)
        else:
            assert x.parse_payment_required(headers)["accepts"] == pr.accepts
    with pytest.raises(x.ArgumentTypeError):
        x.parse_payment_required({"PAYMENT-REQUIRED": 5})


def test_results_are_fresh_objects():
    a = x.networks()
    a["networks"].clear()
    assert x.networks()["networks"]


def test_solana_bad_values(kp):
    with pytest.raises(x.SolanaError) as info:
        solana.decode_transaction(b"\x01\x02")
    assert code(info) == "X402S_ERR_SOLANA_INVALID_TRANSACTION"
    with pytest.raises(x.SolanaError) as info:
        solana.public_key_bytes("0OIl")
    assert code(info) == "X402S_ERR_SOLANA_INVALID_PUBLIC_KEY"
    assert solana.is_on_curve(b"") is False
    with pytest.raises(x.InvalidArgumentError) as info:
        solana.create_program_address(["zz"], solana.TOKEN_PROGRAM)
    assert code(info) == "X402S_ERR_INVALID_HEX"
    with pytest.raises(x.InvalidArgumentError) as info:
        solana.find_program_address([b"x" * 33], solana.TOKEN_PROGRAM)
    assert code(info) == "X402S_ERR_INVALID_ARGUMENT"
    with pytest.raises(x.X402Error) as info:
        solana.exact_build(kp, fee_payer=solana.TOKEN_PROGRAM, pay_to=kp.address, mint=solana.TOKEN_PROGRAM,
                           decimals=6, amount="-1", recent_blockhash=b"\x07" * 32)
    assert code(info) == "X402S_ERR_X402_INVALID_AMOUNT"
    r = solana.exact_verify(base64.b64encode(b"junk").decode(), network="solana-devnet", asset=kp.address,
                            pay_to=kp.address, amount=1, fee_payer=solana.TOKEN_PROGRAM)
    assert not r.is_valid and r.reason == "invalid_exact_svm_payload_transaction_could_not_be_decoded"
    with pytest.raises(x.InvalidArgumentError):
        solana.compile_message_v0(kp.address, [{"programId": 5}], "US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx")


def test_random_garbage_never_crashes(acct):
    """A quick random-input run through every decoder and verify (the Swift fuzz harness is
    the long one): only X402SError subclasses come out."""
    import random

    rng = random.Random(7)
    good = x.create_payment_header(REQ, acct, now=NOW, nonce=b"\x03" * 32)[1]
    raw = base64.b64decode(good)
    for i in range(1500):
        kind = i % 4
        if kind == 0:
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(64)))
            text = base64.b64encode(data).decode()
        elif kind == 1:
            b = bytearray(raw)
            for _ in range(rng.randrange(1, 4)):
                b[rng.randrange(len(b))] = rng.randrange(256)
            text = base64.b64encode(bytes(b)).decode()
        elif kind == 2:
            text = good[: rng.randrange(len(good))]
        else:
            doc = json.loads(raw)
            doc["payload"]["authorization"]["value"] = rng.choice([None, -1, "1e9", [], {}, "9" * 90, 1.5])
            text = base64.b64encode(json.dumps(doc).encode()).decode()
        for fn in (x.decode_payment_header, lambda h: x.verify_payment(h, REQ, NOW), x.decode_settle_response,
                   lambda h: x.parse_payment_required({"PAYMENT-REQUIRED": h})):
            try:
                fn(text)
            except x.X402SError:
                pass


def _signer_live(handle: int) -> bool:
    """Whether the core still has the signer handle (a freed one is HANDLE_CLOSED, never a crash)."""
    out = ctypes.create_string_buffer(64)
    n = ctypes.c_size_t(0)
    st = _native.lib.x402s_signer_address(out, 64, ctypes.byref(n), handle, None)
    assert st in (0, _native.S_HANDLE_CLOSED)
    return st == 0


def test_prepared_signer_is_released_on_close_and_gc():
    a = x.EvmAccount.from_key(KEY)
    h1 = x.create_payment_header(REQ, a, now=NOW, nonce=b"\x05" * 32)
    handle = a._signer
    assert handle is not None and _signer_live(handle)
    a.sign_typed_data({"types": {"EIP712Domain": [{"name": "name", "type": "string"}],
                                 "M": [{"name": "a", "type": "uint256"}]},
                       "primaryType": "M", "domain": {"name": "x"}, "message": {"a": "1"}})
    assert a._signer == handle  # one prepared signer for payments and typed data
    # the prepared signer gives the same bytes as a fresh one
    with x.EvmAccount.from_key(KEY) as b:
        assert x.create_payment_header(REQ, b, now=NOW, nonce=b"\x05" * 32) == h1
    a.close()
    assert a._signer is None and not _signer_live(handle)
    with pytest.raises(x.InvalidKeyError):
        x.create_payment_header(REQ, a, now=NOW)
    # accounts dropped without close(): the garbage collector frees their handles
    handles = []
    for _ in range(50):
        acct = x.EvmAccount.from_key(KEY)
        x.create_payment_header(REQ, acct, now=NOW)
        handles.append(acct._signer)
        del acct
    gc.collect()
    assert not any(_signer_live(h) for h in handles)


def test_signer_threads_share_one_prepared_signer(acct):
    out = []

    def run(i):
        out.append(x.create_payment_header(REQ, acct, now=NOW, nonce=bytes([i]) * 32))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(out) == 8 and len({v for _, v in out}) == 8
    for _, v in out:
        assert x.verify_payment(v, REQ, NOW).payer == acct.address
