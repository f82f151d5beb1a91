"""Bad input through every public function: a specific exception class and ``.code``."""

from __future__ import annotations

import copy
import gc
import json
import pickle

import pytest

import x402secure as x
from x402secure import _native

from conftest import SECP256K1_N

KEY = bytes.fromhex("0101010101010101010101010101010101010101010101010101010101010101")
DIGEST = bytes(range(32))
SEED = bytes(range(32, 64))

MAIL = {
    "types": {
        "EIP712Domain": [
            {"name": "name", "type": "string"},
            {"name": "version", "type": "string"},
            {"name": "chainId", "type": "uint256"},
            {"name": "verifyingContract", "type": "address"},
        ],
        "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
        "Mail": [
            {"name": "from", "type": "Person"},
            {"name": "to", "type": "Person"},
            {"name": "contents", "type": "string"},
        ],
    },
    "primaryType": "Mail",
    "domain": {
        "name": "Ether Mail",
        "version": "1",
        "chainId": 1,
        "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC",
    },
    "message": {
        "from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
        "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
        "contents": "Hello, Bob!",
    },
}


def code_of(exc_info) -> str:
    return exc_info.value.code


@pytest.fixture(scope="module")
def acct():
    a = x.EvmAccount.from_key(KEY)
    yield a
    a.close()


@pytest.fixture(scope="module")
def kp():
    k = x.SolanaKeypair.from_seed(SEED)
    yield k
    k.close()


def _calls(acct, kp):
    """(name, callable taking one argument in the position under test)."""
    return [
        ("keccak256", lambda v: x.keccak256(v)),
        ("sha256", lambda v: x.sha256(v)),
        ("hex_encode", lambda v: x.hex_encode(v)),
        ("hex_decode", lambda v: x.hex_decode(v)),
        ("b64encode", lambda v: x.b64encode(v)),
        ("b64decode", lambda v: x.b64decode(v)),
        ("b58encode", lambda v: x.b58encode(v)),
        ("b58decode", lambda v: x.b58decode(v)),
        ("eip712_hash", lambda v: x.eip712_hash(v)),
        ("eip712_hashes", lambda v: x.eip712_hashes(v)),
        ("eip191_hash", lambda v: x.eip191_hash(v)),
        ("EvmAccount.from_key", lambda v: x.EvmAccount.from_key(v)),
        ("sign_digest", lambda v: acct.sign_digest(v)),
        ("sign_typed_data", lambda v: acct.sign_typed_data(v)),
        ("recover_address.digest", lambda v: x.recover_address(v, bytes(65))),
        ("recover_address.signature", lambda v: x.recover_address(DIGEST, v)),
        ("recover_public_key.digest", lambda v: x.recover_public_key(v, bytes(65))),
        ("recover_public_key.signature", lambda v: x.recover_public_key(DIGEST, v)),
        ("secp256k1_verify.signature", lambda v: x.secp256k1_verify(v, DIGEST, acct.public_key)),
        ("secp256k1_verify.digest", lambda v: x.secp256k1_verify(bytes(64), v, acct.public_key)),
        ("secp256k1_verify.public_key", lambda v: x.secp256k1_verify(bytes(64), DIGEST, v)),
        ("checksum_address", lambda v: x.checksum_address(v)),
        ("SolanaKeypair.from_seed", lambda v: x.SolanaKeypair.from_seed(v)),
        ("sign", lambda v: kp.sign(v)),
        ("ed25519_verify.signature", lambda v: x.ed25519_verify(v, b"m", kp.public_key)),
        ("ed25519_verify.message", lambda v: x.ed25519_verify(bytes(64), v, kp.public_key)),
        ("ed25519_verify.public_key", lambda v: x.ed25519_verify(bytes(64), b"m", v)),
    ]


_CALL_NAMES = [name for name, _ in _calls(None, None)]

#: functions that take text also accept str; the others only bytes-like.
_TEXT_OK = {"hex_decode", "b64decode", "b58decode", "eip712_hash", "eip712_hashes", "eip191_hash",
            "EvmAccount.from_key", "sign_typed_data", "checksum_address"}


@pytest.mark.parametrize("name", _CALL_NAMES)
def test_none_is_null_argument(name, acct, kp):
    fn = dict(_calls(acct, kp))[name]
    with pytest.raises(x.ArgumentTypeError) as info:
        fn(None)
    assert info.value.code == "X402S_ERR_NULL_ARGUMENT"
    assert isinstance(info.value, TypeError) and isinstance(info.value, x.InvalidArgumentError)


@pytest.mark.parametrize("bad", [123, 1.5, [1, 2], object(), {1, 2}], ids=["int", "float", "list", "object", "set"])
@pytest.mark.parametrize("name", _CALL_NAMES)
def test_wrong_type_is_invalid_argument(name, bad, acct, kp):
    fn = dict(_calls(acct, kp))[name]
    with pytest.raises(x.ArgumentTypeError) as info:
        fn(bad)
    assert info.value.code == "X402S_ERR_INVALID_ARGUMENT"


@pytest.mark.parametrize("name", sorted(set(_CALL_NAMES) - _TEXT_OK))
def test_str_where_bytes_are_required(name, acct, kp):
    fn = dict(_calls(acct, kp))[name]
    with pytest.raises(x.ArgumentTypeError) as info:
        fn("00" * 32)
    assert info.value.code == "X402S_ERR_INVALID_ARGUMENT"


def test_lone_surrogate_is_invalid_utf8(acct):
    bad = "0x\ud800"
    for fn in (x.hex_decode, x.b64decode, x.b58decode, x.eip712_hash, x.eip191_hash, x.checksum_address,
               acct.sign_typed_data):
        with pytest.raises(x.InvalidArgumentError) as info:
            fn(bad)
        assert info.value.code == "X402S_ERR_INVALID_UTF8", fn
    # inside a dict the lone surrogate cannot be serialised as JSON (same code as Node)
    with pytest.raises(x.InvalidArgumentError) as info:
        acct.sign_typed_data({"types": {}, "message": {"a": "\udc00"}})
    assert info.value.code == "X402S_ERR_INVALID_JSON"


def test_invalid_utf8_bytes(acct):
    for fn in (x.eip712_hash, acct.sign_typed_data):
        with pytest.raises(x.InvalidArgumentError) as info:
            fn(b'{"a":"\xff\xfe"}')
        assert info.value.code == "X402S_ERR_INVALID_UTF8"
    with pytest.raises(x.InvalidArgumentError) as info:
        x.checksum_address(b"0x" + b"\xff" * 40)
    assert info.value.code in ("X402S_ERR_INVALID_UTF8", "X402S_ERR_INVALID_ADDRESS")


# ----------------------------------------------------------------------------- lengths


@pytest.mark.parametrize("n", [0, 31, 33, 64])
def test_key_lengths(n):
    with pytest.raises(x.InvalidArgumentError) as info:
        x.EvmAccount.from_key(b"\x01" * n)
    assert info.value.code == "X402S_ERR_INVALID_LENGTH"
    with pytest.raises(x.InvalidArgumentError) as info:
        x.EvmAccount.from_key("0x" + "01" * n)
    assert info.value.code == "X402S_ERR_INVALID_LENGTH"
    with pytest.raises(x.InvalidArgumentError) as info:
        x.SolanaKeypair.from_seed(b"\x01" * n)
    assert info.value.code == "X402S_ERR_INVALID_LENGTH"


def test_key_bad_hex():
    for bad in ("0x" + "zz" * 32, "0x" + "0" * 63, " " + "01" * 32):
        with pytest.raises(x.InvalidArgumentError) as info:
            x.EvmAccount.from_key(bad)
        assert info.value.code in ("X402S_ERR_INVALID_HEX", "X402S_ERR_INVALID_LENGTH")


@pytest.mark.parametrize("n", [0, 31, 33])
def test_digest_lengths(n, acct):
    with pytest.raises(x.InvalidArgumentError) as info:
        acct.sign_digest(b"\x01" * n)
    assert info.value.code == "X402S_ERR_INVALID_LENGTH"
    sig = acct.sign_digest(DIGEST)
    with pytest.raises(x.InvalidArgumentError) as info:
        x.recover_address(b"\x01" * n, sig)
    assert info.value.code == "X402S_ERR_INVALID_LENGTH"
    with pytest.raises(x.InvalidArgumentError) as info:
        x.secp256k1_verify(sig, b"\x01" * n, acct.public_key)
    assert info.value.code == "X402S_ERR_INVALID_LENGTH"


def test_signature_lengths(acct, kp):
    for n in (0, 63, 64, 66):
        with pytest.raises(x.InvalidSignatureError) as info:
            x.recover_address(DIGEST, b"\x01" * n)
        assert info.value.code == "X402S_ERR_INVALID_SIGNATURE"
    for n in (0, 63, 65):
        with pytest.raises(x.InvalidSignatureError) as info:
            x.ed25519_verify(b"\x01" * n, b"m", kp.public_key)
        assert info.value.code == "X402S_ERR_INVALID_SIGNATURE"
    for n in (0, 31, 33):
        with pytest.raises(x.InvalidArgumentError) as info:
            x.ed25519_verify(bytes(64), b"m", b"\x01" * n)
        assert info.value.code == "X402S_ERR_INVALID_LENGTH"


# ----------------------------------------------------------------------------- keys and signatures


@pytest.mark.parametrize(
    "k", [0, SECP256K1_N, SECP256K1_N + 1, 2**256 - 1], ids=["zero", "n", "n+1", "max"]
)
def test_invalid_keys(k):
    key = k.to_bytes(32, "big")
    for form in (key, bytearray(key), memoryview(key), "0x" + key.hex(), key.hex()):
        with pytest.raises(x.InvalidKeyError) as info:
            x.EvmAccount.from_key(form)
        assert info.value.code == "X402S_ERR_INVALID_KEY"
        assert isinstance(info.value, ValueError)
        assert key.hex() not in str(info.value) and key.hex() not in repr(info.value)


def test_key_n_minus_1_is_valid():
    x.EvmAccount.from_key((SECP256K1_N - 1).to_bytes(32, "big")).close()


def test_bad_signatures(acct):
    sig = acct.sign_digest(DIGEST)
    r, s = sig[:32], int.from_bytes(sig[32:64], "big")
    high = r + (SECP256K1_N - s).to_bytes(32, "big") + bytes([55 - sig[64]])  # 27 <-> 28
    with pytest.raises(x.InvalidSignatureError) as info:
        x.recover_address(DIGEST, high)
    assert info.value.code == "X402S_ERR_NON_CANONICAL_SIGNATURE"
    with pytest.raises(x.InvalidSignatureError) as info:
        x.secp256k1_verify(high[:64], DIGEST, acct.public_key)
    assert info.value.code == "X402S_ERR_NON_CANONICAL_SIGNATURE"
    for v in (2, 26, 29, 255):
        with pytest.raises(x.InvalidSignatureError) as info:
            x.recover_public_key(DIGEST, sig[:64] + bytes([v]))
        assert info.value.code == "X402S_ERR_INVALID_SIGNATURE"
    with pytest.raises(x.InvalidSignatureError) as info:
        x.recover_address(DIGEST, bytes(32) + sig[32:])
    assert info.value.code == "X402S_ERR_INVALID_SIGNATURE"


def test_bad_public_keys(acct):
    sig = acct.sign_digest(DIGEST)
    for pub in (b"\x04" + bytes(64), b"\x05" + acct.public_key[1:], acct.public_key[:64], b"\x02" + bytes(32)):
        with pytest.raises(x.InvalidKeyError) as info:
            x.secp256k1_verify(sig, DIGEST, pub)
        assert info.value.code == "X402S_ERR_INVALID_PUBLIC_KEY"


def test_verify_false_not_raise(acct, kp):
    sig = acct.sign_digest(DIGEST)
    assert x.secp256k1_verify(sig, bytes(32), acct.public_key) is False
    esig = kp.sign(b"m")
    assert x.ed25519_verify(esig, b"n", kp.public_key) is False


def test_bad_checksum_addresses():
    for bad in ("", "0x", "0x123", "0X" + "ab" * 20, "0x" + "zz" * 20, "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"):
        with pytest.raises(x.InvalidArgumentError) as info:
            x.checksum_address(bad)
        assert info.value.code == "X402S_ERR_INVALID_ADDRESS", bad


# ----------------------------------------------------------------------------- documents


@pytest.mark.parametrize(
    "doc",
    ['{"types":', "", "[", '{"a":1,}', "{'a':1}", "nul", '{"a":1} x', "NaN"],
    ids=["truncated", "empty", "open-array", "trailing-comma", "single-quotes", "bad-literal", "trailing-garbage", "nan"],
)
def test_malformed_json(doc, acct):
    for fn in (x.eip712_hash, x.eip712_hashes, acct.sign_typed_data):
        for form in (doc, doc.encode()):
            with pytest.raises(x.InvalidArgumentError) as info:
                fn(form)
            assert info.value.code == "X402S_ERR_INVALID_JSON", (fn, form)


def test_not_serialisable_dict(acct):
    for bad in ({"a": b"bytes"}, {"a": object()}, {"a": {1, 2}}):
        with pytest.raises(x.InvalidArgumentError) as info:
            acct.sign_typed_data(bad)
        assert info.value.code == "X402S_ERR_INVALID_JSON"
    with pytest.raises(x.InvalidArgumentError) as info:
        x.eip712_hash({"a": float("nan")})
    assert info.value.code == "X402S_ERR_INVALID_JSON"


def test_deep_nesting(acct):
    depth = 10_000
    text = "[" * depth + "]" * depth
    obj_text = '{"a":' * depth + "1" + "}" * depth
    nested: dict = {}
    cur = nested
    for _ in range(depth):
        cur["a"] = {}
        cur = cur["a"]
    for fn in (x.eip712_hash, acct.sign_typed_data):
        for form in (text, obj_text, obj_text.encode(), nested):
            with pytest.raises(x.InvalidArgumentError) as info:
                fn(form)
            assert info.value.code == "X402S_ERR_JSON_TOO_DEEP", (fn, type(form))


def test_ten_megabyte_document(acct):
    big = "x" * (10 * 1024 * 1024)
    text = '{"types":{},"message":{"a":"' + big + '"}}'
    for fn in (x.eip712_hash, x.eip712_hashes, acct.sign_typed_data):
        for form in (text, text.encode(), {"types": {}, "message": {"a": big}}):
            with pytest.raises(x.InvalidArgumentError) as info:
                fn(form)
            assert info.value.code == "X402S_ERR_INPUT_TOO_LARGE"


def test_ten_megabyte_inputs_to_hashes():
    big = b"\xab" * (10 * 1024 * 1024)
    assert len(x.keccak256(big)) == 32
    assert len(x.sha256(big)) == 32
    with pytest.raises(x.InvalidArgumentError) as info:
        x.b58encode(big)
    assert info.value.code == "X402S_ERR_INPUT_TOO_LARGE"
    with pytest.raises(x.InvalidArgumentError) as info:
        x.b58decode("z" * (10 * 1024 * 1024))
    assert info.value.code == "X402S_ERR_INPUT_TOO_LARGE"


@pytest.mark.parametrize(
    "doc,code",
    [
        ({}, "X402S_ERR_EIP712_INVALID_DOCUMENT"),
        ({**MAIL, "primaryType": "Nope"}, "X402S_ERR_EIP712_UNKNOWN_TYPE"),
        ({**MAIL, "message": {"from": MAIL["message"]["from"], "to": MAIL["message"]["to"]}}, "X402S_ERR_EIP712_MISSING_FIELD"),
        ({**MAIL, "domain": {**MAIL["domain"], "chainId": -1}}, "X402S_ERR_EIP712_VALUE_OUT_OF_RANGE"),
        ({**MAIL, "message": {**MAIL["message"], "contents": {"x": 1}}}, "X402S_ERR_EIP712_INVALID_VALUE"),
    ],
    ids=["empty", "unknown-primary", "missing-field", "negative-uint", "object-for-string"],
)
def test_typed_data_errors(doc, code, acct):
    assert x.eip712_hash(MAIL)  # the base document is valid
    for fn in (x.eip712_hash, acct.sign_typed_data):
        with pytest.raises(x.InvalidTypedDataError) as info:
            fn(doc)
        assert info.value.code == code


# ----------------------------------------------------------------------------- secrets


def test_closed_account_and_keypair():
    a = x.EvmAccount.from_key(KEY)
    a.close()
    a.close()  # idempotent
    assert a.closed
    for call in (lambda: a.sign_digest(DIGEST), lambda: a.sign_typed_data(MAIL)):
        with pytest.raises(x.InvalidKeyError) as info:
            call()
        assert info.value.code == "X402S_ERR_INVALID_KEY"
    assert bytes(a._secret) == bytes(32)
    k = x.SolanaKeypair.from_seed(SEED)
    with k:
        k.sign(b"m")
    assert k.closed and bytes(k._secret) == bytes(32)
    with pytest.raises(x.InvalidKeyError):
        k.sign(b"m")


def test_secret_not_in_repr_and_not_picklable():
    a = x.EvmAccount.from_key(KEY)
    k = x.SolanaKeypair.from_seed(SEED)
    for obj, secret in ((a, KEY), (k, SEED)):
        for text in (repr(obj), str(obj)):
            assert secret.hex() not in text.lower()
        with pytest.raises(TypeError):
            pickle.dumps(obj)
        with pytest.raises(TypeError):
            copy.copy(obj)
        with pytest.raises(TypeError):
            copy.deepcopy(obj)
    with pytest.raises(TypeError):
        x.EvmAccount()
    with pytest.raises(TypeError):
        x.SolanaKeypair()


def test_secret_wiped_on_garbage_collection():
    a = x.EvmAccount.from_key(bytearray(KEY))
    secret = a._secret
    del a
    gc.collect()
    assert bytes(secret) == bytes(32)


def test_caller_bytearray_is_not_modified():
    key = bytearray(KEY)
    with x.EvmAccount.from_key(key):
        pass
    assert bytes(key) == KEY


def test_error_messages_do_not_echo_input():
    secretish = "ab" * 32
    with pytest.raises(x.InvalidArgumentError) as info:
        x.hex_decode("0x" + secretish + "zz")
    assert secretish not in str(info.value)


# ----------------------------------------------------------------------------- error classes


def test_error_classes_by_decade():
    from x402secure.errors import error_class_for

    for status, name in _native.STATUS_NAMES.items():
        if status == 0:
            continue
        cls = error_class_for(status, name)
        d = status // 10
        if d in (0, 1):
            assert cls is x.InvalidArgumentError
        elif d == 2:
            assert cls is (x.InvalidKeyError if name.endswith("_KEY") else x.InvalidSignatureError)
        elif d == 3:
            assert cls is x.InvalidTypedDataError
        elif d == 4:
            assert cls is x.X402Error
        elif d == 5:
            assert cls is x.RiskError
        elif d == 6:
            assert cls is x.SolanaError
        elif d == 9:
            assert cls is x.InternalError and issubclass(cls, RuntimeError)
    assert _native.STATUS["X402S_ERR_INVALID_KEY"] == 20
    assert x.status_name(20) == "X402S_ERR_INVALID_KEY"
    assert x.status_name(12345) is None


def test_errors_pickle_round_trip():
    try:
        x.hex_decode("zz")
    except x.X402SError as e:
        e2 = pickle.loads(pickle.dumps(e))
        assert type(e2) is type(e) and e2.code == e.code and e2.message == e.message


# ----------------------------------------------------------------------------- x402 protocol
# (the public API of x402secure.x402 and x402secure.solana)

from x402secure import solana as sol  # noqa: E402
from x402secure import x402 as xp  # noqa: E402

PAY_TO = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"
OFFERS = [{"network": "eip155:84532", "payTo": PAY_TO, "price": "$0.01"}]
NOW = 1740672000


@pytest.fixture(scope="module")
def paid(acct):
    answer = xp.payment_required_response(OFFERS, resource="https://api.example.com/x")
    required = xp.parse_payment_required(answer.headers)
    requirement = required["accepts"][0]
    name, value = xp.create_payment_header(requirement, acct, now=NOW, nonce="0x" + "22" * 32)
    return required, requirement, value


def test_x402_none_and_wrong_types(acct, paid):
    required, requirement, header = paid
    calls = {
        "network": lambda v: xp.network(v),
        "price_to_atomic.price": lambda v: xp.price_to_atomic(v, "base"),
        "price_to_atomic.network": lambda v: xp.price_to_atomic("$1", v),
        "select_requirement": lambda v: xp.select_requirement(v),
        "create_payment.request": lambda v: xp.create_payment(v, acct),
        "create_payment.signer": lambda v: xp.create_payment(requirement, v),
        "decode_payment_header": lambda v: xp.decode_payment_header(v),
        "verify_payment.header": lambda v: xp.verify_payment(v, requirement, NOW),
        "verify_payment.requirements": lambda v: xp.verify_payment(header, v, NOW),
        "encode_settle_response": lambda v: xp.encode_settle_response(v),
        "decode_settle_response": lambda v: xp.decode_settle_response(v),
    }
    for name, fn in calls.items():
        with pytest.raises(x.ArgumentTypeError) as info:
            fn(None)
        assert info.value.code == "X402S_ERR_NULL_ARGUMENT", name
        for bad in (123, 1.5, object()):
            with pytest.raises(x.ArgumentTypeError) as info:
                fn(bad)
            assert info.value.code == "X402S_ERR_INVALID_ARGUMENT", (name, bad)
    for bad_now in ("1", 1.5):
        with pytest.raises(x.ArgumentTypeError):
            xp.verify_payment(header, requirement, bad_now)
    for bad_now in (-1, 2**64):
        with pytest.raises(x.InvalidArgumentError) as info:
            xp.verify_payment(header, requirement, bad_now)
        assert info.value.code == "X402S_ERR_INVALID_ARGUMENT"


def test_x402_malformed_documents(acct, paid):
    required, requirement, header = paid
    for fn in (xp.select_requirement, lambda v: xp.create_payment(v, acct),
               lambda v: xp.verify_payment(header, v, NOW)):
        for doc in ("{", b"[1,]", '{"a":1,"a":2}'):
            with pytest.raises(x.InvalidArgumentError) as info:
                fn(doc)
            assert info.value.code == "X402S_ERR_INVALID_JSON", (fn, doc)
        with pytest.raises(x.InvalidArgumentError) as info:
            fn("[" * 10000 + "]" * 10000)
        assert info.value.code == "X402S_ERR_JSON_TOO_DEEP"
        with pytest.raises(x.InvalidArgumentError) as info:
            fn('{"a":"' + "x" * (10 * 1024 * 1024) + '"}')
        assert info.value.code == "X402S_ERR_INPUT_TOO_LARGE"
        with pytest.raises(x.InvalidArgumentError) as info:
            fn(b'{"a":"\xff"}')
        assert info.value.code == "X402S_ERR_INVALID_UTF8"
    with pytest.raises(x.X402Error) as info:
        xp.payment_required_response([{"network": "eip155:84532", "payTo": PAY_TO}], resource="https://x")
    assert info.value.code == "X402S_ERR_X402_INVALID_REQUIREMENTS"


def test_x402_bad_headers(paid):
    required, requirement, header = paid
    for bad in (header.replace("+", "-").replace("/", "_").rstrip("="), " " + header, header + "\n", "", "{}"):
        if bad == header:
            continue
        with pytest.raises(x.X402SError) as info:
            xp.decode_payment_header(bad)
        assert info.value.code in ("X402S_ERR_INVALID_BASE64", "X402S_ERR_INVALID_JSON"), bad[:20]
        with pytest.raises(x.X402SError) as info:
            xp.verify_payment(bad, requirement, NOW)
        assert info.value.code in ("X402S_ERR_INVALID_BASE64", "X402S_ERR_INVALID_JSON")


def test_x402_signers_and_guards(paid, kp):
    required, requirement, header = paid
    closed = x.EvmAccount.from_key(KEY)
    closed.close()
    with pytest.raises(x.InvalidKeyError) as info:
        xp.create_payment(requirement, closed)
    assert info.value.code == "X402S_ERR_INVALID_KEY"
    with pytest.raises(x.InvalidArgumentError) as info:
        xp.create_payment(requirement, kp)  # an Ed25519 key for an EVM network
    assert info.value.code == "X402S_ERR_INVALID_ARGUMENT"
    with pytest.raises(x.ArgumentTypeError):
        xp.create_payment(requirement, KEY)  # raw keys are not signers
    assert xp.verify_payment(header, requirement, NOW).is_valid is True
    late = xp.verify_payment(header, requirement, NOW + 10**6)
    assert late.is_valid is False and late.invalid_reason
    with xp.ReplayGuard(16) as guard:
        assert xp.verify_payment(header, requirement, NOW, replay_guard=guard).is_valid is True
        again = xp.verify_payment(header, requirement, NOW, replay_guard=guard)
        assert again.is_valid is False and again.invalid_reason == "duplicate_payment"
    assert guard.closed
    with pytest.raises(x.X402SError):
        xp.verify_payment(header, requirement, NOW, replay_guard=guard)
    with pytest.raises(x.ArgumentTypeError):
        xp.verify_payment(header, requirement, NOW, replay_guard=object())
    with pytest.raises(x.ArgumentTypeError):
        xp.ReplayGuard("10")
    with pytest.raises(x.InvalidArgumentError):
        xp.ReplayGuard(-1)
    with pytest.raises(TypeError):
        pickle.dumps(xp.ReplayGuard())


def test_x402_select_no_match():
    required = {"x402Version": 2, "accepts": [{"scheme": "exact", "network": "eip155:8453",
                "asset": "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", "amount": "5000000", "payTo": PAY_TO,
                "maxTimeoutSeconds": 60, "extra": {}}]}
    with pytest.raises(x.X402Error) as info:
        xp.select_requirement(required)  # over the default $1 limit
    assert info.value.code == "X402S_ERR_X402_NO_MATCHING_REQUIREMENT"
    assert xp.select_requirement_index(required, {"maxPrice": "$10"}) == 0


# ----------------------------------------------------------------------------- Solana helpers


def test_solana_helpers_bad_input(kp):
    for fn in (sol.is_on_curve, sol.decode_transaction, sol.sanitize_transaction,
               lambda v: sol.sign_transaction(v, kp)):
        with pytest.raises(x.ArgumentTypeError) as info:
            fn(None)
        assert info.value.code == "X402S_ERR_NULL_ARGUMENT"
        with pytest.raises(x.ArgumentTypeError) as info:
            fn(12345)
        assert info.value.code == "X402S_ERR_INVALID_ARGUMENT"
    for n in (0, 31, 33):  # a wrong length is not a point of the curve
        assert sol.is_on_curve(b"\x01" * n) is False
    with pytest.raises(x.SolanaError) as info:
        sol.public_key_bytes("0OIl")
    assert info.value.code == "X402S_ERR_SOLANA_INVALID_PUBLIC_KEY"
    for bad_tx in (b"", b"\x01", b"\x00" * 10, b"\xff" * 2000):
        with pytest.raises(x.X402SError) as info:
            sol.decode_transaction(bad_tx)
        assert info.value.code in ("X402S_ERR_SOLANA_INVALID_TRANSACTION", "X402S_ERR_INPUT_TOO_LARGE")
        with pytest.raises(x.X402SError):
            sol.sanitize_transaction(bad_tx)
    with pytest.raises(x.InvalidArgumentError) as info:
        sol.find_program_address([b"\x00" * 33], "11111111111111111111111111111111")
    assert info.value.code == "X402S_ERR_INVALID_ARGUMENT"
    closed = x.SolanaKeypair.from_seed(SEED)
    closed.close()
    with pytest.raises(x.InvalidKeyError):
        sol.sign_transaction(b"\x00", closed)
    with pytest.raises(x.ArgumentTypeError):
        xp.price_to_atomic_units("$1", "6")
    with pytest.raises(x.X402Error) as info:
        xp.price_to_atomic_units("$0.0000001", 6)
    assert info.value.code == "X402S_ERR_X402_INVALID_AMOUNT"
    with pytest.raises(x.InvalidArgumentError) as info:
        xp.price_to_atomic_units("$1", 78)
    assert info.value.code == "X402S_ERR_INVALID_ARGUMENT"
