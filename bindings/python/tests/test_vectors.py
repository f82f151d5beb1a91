"""Runner over every shared vector file in <repo>/test-vectors/*.json.

Each file ``<area>.json`` is consumed by ``RUNNERS[<area>]``. A file whose
functions are not in the binding yet is listed in ``EXPECTED_MISSING`` (the
one list of what is not wired); the meta-tests fail when a file is in neither
table, and when an expected-missing file's binding function appears (so the
entry must be replaced by a runner).
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Dict, Tuple

import pytest

import x402secure as x
from x402secure import _native

from conftest import HEADER, expand_bytes, expand_text, hx, load_vector_file, vector_files
from evidence_vectors import EVIDENCE_RUNNERS
from risk_vectors import RISK_RUNNERS
from x402_runners import X402_RUNNERS
from settle_runners import SETTLE_RUNNERS
from http_runners import HTTP_RUNNERS

# ----------------------------------------------------------------------------- helpers


def expect_error(code: str, fn: Callable, *args, **kwargs) -> x.X402SError:
    with pytest.raises(x.X402SError) as info:
        fn(*args, **kwargs)
    assert info.value.code == code, f"got {info.value.code} ({info.value.message}), expected {code}"
    assert info.value.status == _native.STATUS[code]
    return info.value


def check_keys(d: Dict[str, Any], allowed: set, what: str) -> None:
    unknown = set(d) - allowed
    assert not unknown, f"{what}: this runner does not know the keys {sorted(unknown)}; extend it"


def run_or_error(v: Dict[str, Any], fn: Callable[[], Any]) -> Any:
    """Return fn() when the vector expects a value; check the error otherwise."""
    if "error" in v["expect"]:
        expect_error(v["expect"]["error"], fn)
        return None
    return fn()


# ----------------------------------------------------------------------------- runners


def run_sha256(v: Dict[str, Any]) -> None:
    inp = v["input"]
    check_keys(inp, {"message", "parts"}, "sha256 input")
    if "parts" in inp:
        # The binding has no streaming API: the digest of the concatenation is what is checked.
        data = b"".join(hx(p) for p in inp["parts"])
    else:
        data = expand_bytes(inp["message"])
    got = run_or_error(v, lambda: x.sha256(data))
    if got is not None:
        assert got == hx(v["expect"]["digest"])
        assert x.sha256(bytearray(data)) == got
        assert x.sha256(memoryview(data)) == got


def run_keccak256(v: Dict[str, Any]) -> None:
    inp = v["input"]
    check_keys(inp, {"message", "parts"}, "keccak256 input")
    if "parts" in inp:
        data = b"".join(hx(p) for p in inp["parts"])
    else:
        data = expand_bytes(inp["message"])
    got = run_or_error(v, lambda: x.keccak256(data))
    if got is not None:
        exp = v["expect"]
        check_keys(exp, {"digest", "notDigest"}, "keccak256 expect")
        assert got == hx(exp["digest"])
        if "notDigest" in exp:  # the SHA3-256 of the same message
            assert got != hx(exp["notDigest"])


def _encode(codec: str, data: bytes, inp: Dict[str, Any]) -> str:
    if codec == "hex":
        return x.hex_encode(data, prefix=inp.get("prefix", True))
    if codec == "base64":
        return x.b64encode(data)
    if codec == "base64url":
        return x.b64encode(data, urlsafe=True, padding=inp.get("padding", False))
    if codec in ("base58", "base58_32"):
        return x.b58encode(data)
    raise AssertionError(f"unknown codec {codec}")


def _decode(codec: str, text: str, inp: Dict[str, Any]) -> bytes:
    if codec == "hex":
        return x.hex_decode(text, require_prefix=inp.get("requirePrefix", False))
    if codec == "base64":
        return x.b64decode(text)
    if codec == "base64url":
        return x.b64decode(text, urlsafe=True)
    if codec == "base58":
        return x.b58decode(text)
    if codec == "base58_32":
        return x.b58decode(text, size=32)
    raise AssertionError(f"unknown codec {codec}")


def run_encodings(v: Dict[str, Any]) -> None:
    inp = v["input"]
    check_keys(inp, {"codec", "op", "bytes", "text", "prefix", "padding", "requirePrefix"}, "encodings input")
    codec, op = inp["codec"], inp["op"]
    exp = v["expect"]
    if op in ("encode", "roundtrip"):
        data = expand_bytes(inp["bytes"])
        text = run_or_error(v, lambda: _encode(codec, data, inp))
        if text is not None:
            assert text == expand_text(exp["text"])
        if op == "roundtrip" and "error" not in exp:
            assert _decode(codec, expand_text(exp["text"]), inp) == data
    elif op == "decode":
        text = expand_text(inp["text"])
        got = run_or_error(v, lambda: _decode(codec, text, inp))
        if got is not None:
            assert got == hx(exp["bytes"])
    else:
        raise AssertionError(f"unknown op {op}")


def run_secp256k1(v: Dict[str, Any]) -> None:
    inp, exp = v["input"], v["expect"]
    op = inp["op"]
    inter = v.get("intermediate", {})
    check_keys(inter, {"publicKey", "address"}, "secp256k1 intermediate")
    if op == "sign":
        check_keys(inp, {"op", "privateKey", "digest"}, "secp256k1 sign input")
        key, digest = hx(inp["privateKey"]), hx(inp["digest"])

        def sign() -> bytes:
            with x.EvmAccount.from_key(key) as acct:
                if "publicKey" in inter:
                    assert acct.public_key == hx(inter["publicKey"])
                if "address" in inter:
                    assert acct.address == inter["address"]
                return acct.sign_digest(digest)

        sig = run_or_error(v, sign)
        if sig is not None:
            assert sig == hx(exp["signature"])
            # the hex-string form of the key gives the same account
            assert x.EvmAccount.from_key(inp["privateKey"]).sign_digest(digest) == sig
    elif op == "recover":
        check_keys(inp, {"op", "digest", "signature"}, "secp256k1 recover input")
        digest, sig = hx(inp["digest"]), hx(inp["signature"])
        addr = run_or_error(v, lambda: x.recover_address(digest, sig))
        if addr is not None:
            assert addr == exp["address"]
            if "publicKey" in exp:
                assert x.recover_public_key(digest, sig) == hx(exp["publicKey"])
        else:
            expect_error(exp["error"], x.recover_public_key, digest, sig)
    elif op == "verify":
        check_keys(inp, {"op", "digest", "signature", "publicKey"}, "secp256k1 verify input")
        args = (hx(inp["signature"]), hx(inp["digest"]), hx(inp["publicKey"]))
        valid = run_or_error(v, lambda: x.secp256k1_verify(*args))
        if valid is not None:
            assert valid is exp["valid"]
    elif op == "eip191":
        check_keys(inp, {"op", "message", "privateKey"}, "secp256k1 eip191 input")
        msg = hx(inp["message"])
        h = x.eip191_hash(msg)
        assert h == hx(exp["hash"])
        with x.EvmAccount.from_key(hx(inp["privateKey"])) as acct:
            assert acct.address == exp["address"]
            assert acct.sign_digest(h) == hx(exp["signature"])
        assert x.recover_address(h, hx(exp["signature"])) == exp["address"]
    elif op == "address":
        check_keys(inp, {"op", "text"}, "secp256k1 address input")
        got = run_or_error(v, lambda: x.checksum_address(inp["text"]))
        if got is not None:
            assert got == exp["checksummed"]
            assert x.hex_decode(got) == hx(exp["bytes"])
            assert x.checksum_address(exp["lowercased"]) == exp["checksummed"]
    else:
        raise AssertionError(f"unknown secp256k1 op {op}")


def run_ed25519(v: Dict[str, Any]) -> None:
    inp, exp = v["input"], v["expect"]
    op = inp["op"]
    inter = v.get("intermediate", {})
    check_keys(inter, {"solanaAddress"}, "ed25519 intermediate")
    if op == "sign":
        check_keys(inp, {"op", "seed", "message"}, "ed25519 sign input")
        seed, msg = hx(inp["seed"]), hx(inp["message"])

        def sign():
            with x.SolanaKeypair.from_seed(seed) as kp:
                return kp.public_key, kp.address, kp.sign(msg)

        got = run_or_error(v, sign)
        if got is not None:
            pub, address, sig = got
            assert pub == hx(exp["publicKey"])
            assert sig == hx(exp["signature"])
            if "solanaAddress" in inter:
                assert address == inter["solanaAddress"]
            assert x.ed25519_verify(sig, msg, pub) is True
    elif op == "verify":
        check_keys(inp, {"op", "publicKey", "message", "signature"}, "ed25519 verify input")
        args = (hx(inp["signature"]), hx(inp["message"]), hx(inp["publicKey"]))
        valid = run_or_error(v, lambda: x.ed25519_verify(*args))
        if valid is not None:
            assert valid is exp["valid"]
    else:
        raise AssertionError(f"unknown ed25519 op {op}")


_EIP712_KEY = bytes.fromhex("0101010101010101010101010101010101010101010101010101010101010101")


def run_eip712(v: Dict[str, Any]) -> None:
    inp, exp = v["input"], v["expect"]
    check_keys(inp, {"json"}, "eip712 input")
    check_keys(v.get("intermediate", {}), {"encodeType", "typeHash"}, "eip712 intermediate")
    text = inp["json"]
    if "error" in exp:
        for form in (text, text.encode("utf-8")):
            expect_error(exp["error"], x.eip712_hash, form)
            expect_error(exp["error"], x.eip712_hashes, form)
        with x.EvmAccount.from_key(_EIP712_KEY) as acct:
            expect_error(exp["error"], acct.sign_typed_data, text)
        return
    check_keys(exp, {"digest", "domainSeparator", "structHash"}, "eip712 expect")
    h = x.eip712_hashes(text)
    assert h.domain_separator == hx(exp["domainSeparator"])
    assert h.struct_hash == hx(exp["structHash"])
    assert h.digest == hx(exp["digest"])
    assert x.eip712_hash(text.encode("utf-8")) == h.digest
    # a dict goes through json.dumps(separators=(",", ":"), ensure_ascii=False)
    assert x.eip712_hash(json.loads(text)) == h.digest
    with x.EvmAccount.from_key(_EIP712_KEY) as acct:
        assert acct.sign_typed_data(text) == acct.sign_digest(h.digest)


#: area -> runner. Add one per vector file as its functions reach the binding.
RUNNERS: Dict[str, Callable[[Dict[str, Any]], None]] = {
    "sha256": run_sha256,
    "keccak256": run_keccak256,
    "encodings": run_encodings,
    "secp256k1": run_secp256k1,
    "ed25519": run_ed25519,
    "eip712": run_eip712,
}
RUNNERS.update(RISK_RUNNERS)  # risk_* and the canonical form of json (tests/risk_vectors.py)
RUNNERS.update(X402_RUNNERS)  # x402_* and solana_* through x402secure.x402 / .solana (tests/x402_runners.py)
RUNNERS.update(SETTLE_RUNNERS)  # settle: RLP, EIP-1559, ABI, settle calls, Solana submission (tests/settle_runners.py)
RUNNERS.update(HTTP_RUNNERS)  # http_route through x402secure.http (tests/http_runners.py)
RUNNERS.update(EVIDENCE_RUNNERS)  # evidence through x402secure.evidence (tests/evidence_vectors.py)

#: THE list of vector files not wired in Python yet: area -> (binding names that
#: would serve it, reason). When one of those names appears in x402secure, the
#: meta-test fails until the entry is replaced by a runner.
EXPECTED_MISSING: Dict[str, Tuple[Tuple[str, ...], str]] = {
    "uint256": (("uint256",), "Swift-internal 256-bit arithmetic; not part of the C ABI"),
}


# ----------------------------------------------------------------------------- meta-tests


def test_every_vector_file_has_a_runner():
    files = vector_files()
    assert files, "no vector files found in test-vectors/"
    unhandled = [p.name for p in files if p.stem not in RUNNERS and p.stem not in EXPECTED_MISSING]
    assert not unhandled, f"vector files without a Python runner: {unhandled}"


def test_expected_missing_is_still_missing():
    wired = {
        area: [n for n in names if hasattr(x, n)]
        for area, (names, _) in EXPECTED_MISSING.items()
    }
    wired = {a: n for a, n in wired.items() if n}
    assert not wired, f"binding functions exist for expected-missing vector files, write their runners: {wired}"


def test_runner_and_expected_missing_do_not_overlap():
    assert not set(RUNNERS) & set(EXPECTED_MISSING)


def test_every_header_function_is_declared_in_the_binding():
    declared = set(re.findall(r"\b(x402s_[a-z0-9_]+)\s*\(", HEADER.read_text(encoding="utf-8")))
    missing = sorted(declared - set(_native.PROTOTYPES))
    assert not missing, f"functions of include/x402_secure.h not declared in _native.PROTOTYPES: {missing}"


def test_vector_files_have_the_house_schema():
    for p in vector_files():
        d = load_vector_file(p)
        assert d.get("schema") == f"x402s.vectors.{p.stem}@1", p.name
        assert isinstance(d.get("source"), str) and d["source"], p.name
        assert isinstance(d.get("vectors"), list) and d["vectors"], p.name


# ----------------------------------------------------------------------------- the vectors


def _cases():
    for p in vector_files():
        if p.stem not in RUNNERS:
            continue
        d = load_vector_file(p)
        for i, v in enumerate(d.get("vectors", [])):
            yield pytest.param(p.stem, v, id=f"{p.stem}:{i}:{v.get('name', '')}")


@pytest.mark.parametrize("area,vector", list(_cases()))
def test_vector(area: str, vector: Dict[str, Any]) -> None:
    RUNNERS[area](vector)
