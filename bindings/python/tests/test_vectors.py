"""Runner over every shared vector file in <repo>/test-vectors/*.json.

Each file ``<area>.json`` is consumed by ``RUNNERS[<area>]``. A file whose
functions are not in the binding yet is listed in ``EXPECTED_MISSING`` (the
one list of what is not wired); the meta-tests fail when a file is in neither
table, and when an expected-missing file's binding function appears (so the
entry must be replaced by a runner).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any, Callable, Dict, Tuple

import pytest

import x402secure as x
from x402secure import _native

from conftest import HEADER, expand_bytes, expand_text, hx, load_vector_file, vector_files
from x402_runners import X402_RUNNERS

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


# ----------------------------------------------------------------------------- x402


def run_x402_networks(v: Dict[str, Any]) -> None:
    inp, exp = v["input"], v["expect"]
    check_keys(inp, {"network"}, "x402_networks input")
    check_keys(exp, {"caip2", "family", "chainId", "defaultAsset", "assetCount", "inTable", "error"},
               "x402_networks expect")
    if exp.get("inTable") is False:
        # A well-formed id outside the table: the C ABI's lookup serves the table only.
        expect_error("X402S_ERR_X402_UNKNOWN_NETWORK", x.network_lookup, inp["network"])
        return
    got = run_or_error(v, lambda: x.network_lookup(inp["network"]))
    if got is None:
        return
    for key in ("caip2", "family", "chainId"):
        if key in exp:
            assert got.get(key) == exp[key], (key, got)
    if "defaultAsset" in exp:
        default = got["assets"][0]
        for key, value in exp["defaultAsset"].items():
            assert default.get(key) == value, (key, default)
    if "assetCount" in exp:
        assert len(got["assets"]) == exp["assetCount"]
    assert got in x.networks()["networks"]


_ASSETS_BY_DECIMALS: Dict[int, Tuple[str, str]] = {}


def _asset_with_decimals(decimals: int):
    """A (network, asset address) of the network table whose token has `decimals`."""
    if not _ASSETS_BY_DECIMALS:
        for net in x.networks()["networks"]:
            for asset in net.get("assets", []):
                _ASSETS_BY_DECIMALS.setdefault(asset["decimals"], (net["caip2"], asset["address"]))
    return _ASSETS_BY_DECIMALS.get(decimals)


def run_x402_price(v: Dict[str, Any]) -> None:
    inp = v["input"]
    check_keys(inp, {"price", "decimals"}, "x402_price input")
    got = run_or_error(v, lambda: x.price_to_atomic_units(inp["price"], inp["decimals"]))
    if got is not None:
        assert got == v["expect"]["amount"]
    # the same rule through a table asset with those decimals, where the table has one
    target = _asset_with_decimals(inp["decimals"])
    if target is not None:
        network, asset = target
        got = run_or_error(v, lambda: x.price_to_atomic(inp["price"], network, asset))
        if got is not None:
            assert got["amount"] == v["expect"]["amount"]
            assert got["asset"]["decimals"] == inp["decimals"]


_RESOURCE = {"url": "https://api.example.com/premium-data"}


def run_x402_seller(v: Dict[str, Any]) -> None:
    inp, exp = v["input"], v["expect"]
    check_keys(inp, {"offer", "offers", "resource", "v1"}, "x402_seller input")
    if "offer" in inp:
        # One offer -> its requirement: a v2 answer with that single offer.
        request = {"x402Version": 2, "offers": [inp["offer"]], "resource": _RESOURCE}
        got = run_or_error(v, lambda: x.payment_required_response(request))
        if got is not None:
            req = got["paymentRequired"]["accepts"][0]
            assert req == exp["requirement"]
            assert list(req) == list(exp["requirement"])  # key order
            assert list(req["extra"]) == list(exp["requirement"]["extra"])
        return
    request = {"x402Version": 1 if inp.get("v1") else 2, "offers": inp["offers"], "resource": inp["resource"]}
    got = run_or_error(v, lambda: x.payment_required_response(request))
    if got is None:
        return
    check_keys(exp, {"paymentRequired", "header", "body"}, "x402_seller expect")
    assert got["paymentRequired"] == exp["paymentRequired"]
    assert json.dumps(got["paymentRequired"]) == json.dumps(exp["paymentRequired"])  # key order
    if "header" in exp:
        assert got["header"] == exp["header"]
        assert x.parse_payment_required(header=got["header"]) == exp["paymentRequired"]
    if "body" in exp:
        assert "header" not in got
        assert json.dumps(got["paymentRequired"], separators=(",", ":"), ensure_ascii=False) == exp["body"]
        assert x.parse_payment_required(body=exp["body"]) == exp["paymentRequired"]


def run_x402_select(v: Dict[str, Any]) -> None:
    inp = v["input"]
    check_keys(inp, {"paymentRequired", "policy"}, "x402_select input")
    got = run_or_error(v, lambda: x.select_requirement(inp["paymentRequired"], inp["policy"]))
    if got is not None:
        assert got["index"] == v["expect"]["selectedIndex"]
        chosen = inp["paymentRequired"]["accepts"][got["index"]]
        for key in ("scheme", "network", "payTo", "asset"):
            assert got["requirement"][key] == chosen[key]


def run_x402_header(v: Dict[str, Any]) -> None:
    inp, exp = v["input"], v["expect"]
    check_keys(inp, {"header", "headerRepeat"}, "x402_header input")
    check_keys(exp, {"kind", "error", "json", "reencoded", "style", "headerName", "network", "scheme",
                     "x402Version"}, "x402_header expect")
    if "headerRepeat" in inp:
        header = inp["headerRepeat"]["text"] * inp["headerRepeat"]["times"]
    else:
        header = inp["header"]
    kind = exp["kind"]
    decode = {
        "payment": x.decode_payment_header,
        "paymentRequired": lambda h: x.parse_payment_required(header=h),
        "settleResponse": x.decode_settle_response,
    }[kind]
    got = run_or_error(v, lambda: decode(header))
    if got is None:
        return
    assert got == exp["json"]
    if kind == "settleResponse":
        style = {"compact": "compact", "pythonSpaced": "python_spaced"}[exp["style"]]
        assert x.encode_settle_response(got, style) == exp["reencoded"]
    # Payment and PAYMENT-REQUIRED values are produced only from their inputs
    # (create_payment, payment_required_response), so "reencoded" of those kinds is
    # checked byte for byte by the x402_create and x402_seller runners instead.
    if kind == "payment":
        assert got["x402Version"] == exp["x402Version"]


def run_x402_create(v: Dict[str, Any]) -> None:
    inp, exp = v["input"], v["expect"]
    check_keys(inp, {"paymentRequired", "requirement", "privateKey", "solanaSeed", "now", "nonce", "memoNonce",
                     "recentBlockhash", "mintDecimals", "tokenProgram"}, "x402_create input")
    check_keys(v.get("intermediate", {}), {"digest", "domainSeparator", "structHash"}, "x402_create intermediate")
    request = inp["paymentRequired"] if "paymentRequired" in inp else inp["requirement"]
    options = {k: inp[k] for k in ("now", "nonce", "memoNonce", "recentBlockhash", "mintDecimals", "tokenProgram")
               if k in inp}

    def create():
        if "privateKey" in inp:
            signer = x.EvmAccount.from_key(hx(inp["privateKey"]))
        else:
            signer = x.SolanaKeypair.from_seed(hx(inp["solanaSeed"]))
        with signer:
            return signer, x.create_payment(request, signer, None, options)

    got = run_or_error(v, create)
    if got is None:
        return
    signer, created = got
    assert created["headerName"] == exp["headerName"]
    if "header" in exp:
        assert created["headerValue"] == exp["header"]
        assert x.decode_payment_header(created["headerValue"]) == created["payment"]
    if "from" in exp:
        assert exp["from"] == signer.address
    inter = v.get("intermediate", {})
    if "digest" in inter:
        payload = created["payment"]["payload"]
        assert x.recover_address(hx(inter["digest"]), hx(payload["signature"])) == signer.address


def run_x402_verify(v: Dict[str, Any]) -> None:
    inp, exp = v["input"], v["expect"]
    check_keys(inp, {"header", "requirements", "now", "options", "times"}, "x402_verify input")
    check_keys(v.get("intermediate", {}), {"official", "stricter"}, "x402_verify intermediate")
    options = dict(inp.get("options", {}))
    use_guard = options.pop("replayGuard", False)
    guard = x.ReplayGuard() if use_guard else None
    try:
        result = None
        for _ in range(inp.get("times", 1)):
            result = run_or_error(
                v, lambda: x.verify_payment(inp["header"], inp["requirements"], inp["now"], options or None, guard)
            )
    finally:
        if guard is not None:
            guard.close()
    if result is None:
        return
    check_keys(exp, {"isValid", "invalidReason", "payer"}, "x402_verify expect")
    assert result["isValid"] is exp["isValid"]
    assert result.get("invalidReason") == exp.get("invalidReason")
    assert result.get("payer") == exp.get("payer")


# ----------------------------------------------------------------------------- Solana


def _on_curve_bulk_input(i: int) -> bytes:
    """The isOnCurveBulk input i, as the vector file's source defines it (hashlib)."""
    b = bytearray(hashlib.sha256(b"x402s-oncurve-" + str(i).encode()).digest())
    mode = i % 4
    if mode == 1:
        b[31] ^= 0x80
    elif mode == 2:
        for j in range(1, 31):
            b[j] = 0xFF
        b[31] = 0x7F | (b[31] & 0x80)
    elif mode == 3:
        for j in range(2, 32):
            b[j] = 0
    return bytes(b)


def run_solana_pda(v: Dict[str, Any]) -> None:
    inp, exp = v["input"], v["expect"]
    op = inp["op"]
    if op == "isOnCurve":
        check_keys(inp, {"op", "bytes"}, "isOnCurve input")
        got = run_or_error(v, lambda: x.solana_is_on_curve(hx(inp["bytes"])))
        if got is not None:
            assert got is exp["onCurve"]
    elif op == "isOnCurveBulk":
        check_keys(inp, {"op", "count"}, "isOnCurveBulk input")
        bitmap = bytearray((inp["count"] + 7) // 8)
        on = 0
        for i in range(inp["count"]):
            if x.solana_is_on_curve(_on_curve_bulk_input(i)):
                bitmap[i // 8] |= 1 << (i % 8)
                on += 1
        assert on == exp["onCurveCount"]
        assert hashlib.sha256(bytes(bitmap)).digest() == hx(exp["bitmapSha256"])
    elif op in ("findProgramAddress", "createProgramAddress"):
        check_keys(inp, {"op", "seeds", "programId"}, f"{op} input")
        seeds = [hx(s) for s in inp["seeds"]]
        if op == "findProgramAddress":
            got = run_or_error(v, lambda: x.solana_find_program_address(seeds, inp["programId"]))
            if got is not None:
                assert (got.address, got.bump) == (exp["address"], exp["bump"])
                # the found address is create_program_address of seeds + [bump]
                assert x.solana_create_program_address(seeds + [bytes([got.bump])], inp["programId"]) == got.address
        else:
            got = run_or_error(v, lambda: x.solana_create_program_address(seeds, inp["programId"]))
            if got is not None:
                assert got == exp["address"]
    elif op == "associatedTokenAddress":
        check_keys(inp, {"op", "owner", "mint", "tokenProgram"}, "associatedTokenAddress input")
        got = run_or_error(v, lambda: x.solana_associated_token_address(inp["owner"], inp["mint"], inp.get("tokenProgram")))
        if got is not None:
            assert got == exp["address"]
    elif op == "publicKeyFromBase58":
        check_keys(inp, {"op", "base58"}, "publicKeyFromBase58 input")
        got = run_or_error(v, lambda: x.solana_public_key_decode(inp["base58"]))
        if got is not None:
            assert got == hx(exp["bytes"])
    else:
        raise AssertionError(f"unknown solana_pda op {op}")


def run_solana_message(v: Dict[str, Any]) -> None:
    inp, exp = v["input"], v["expect"]
    op = inp["op"]
    check_keys(v.get("intermediate", {}), {"note", "solders_from_bytes"}, "solana_message intermediate")
    if op == "compileV0":
        check_keys(inp, {"op", "payer", "recentBlockhash", "instructions"}, "compileV0 input")
        request = {k: inp[k] for k in ("payer", "recentBlockhash", "instructions")}
        got = run_or_error(v, lambda: x.solana_compile_message_v0(request))
        if got is not None:
            check_keys(exp, {"messageHex", "accountKeys", "header"}, "compileV0 expect")
            for key, value in exp.items():
                assert got[key] == value, key
    elif op == "parseTransaction":
        check_keys(inp, {"op", "bytes"}, "parseTransaction input")
        got = run_or_error(v, lambda: x.solana_decode_transaction(hx(inp["bytes"])))
        if got is not None:
            for key, value in exp.items():
                if key == "addressTableLookups" and isinstance(value, int):
                    assert len(got[key]) == value
                else:
                    assert got[key] == value, key
    elif op == "sanitizeTransaction":
        check_keys(inp, {"op", "bytes"}, "sanitizeTransaction input")
        if "error" in exp:
            expect_error(exp["error"], x.solana_sanitize_transaction, hx(inp["bytes"]))
        else:
            assert exp["sanitizeOk"] is True
            assert x.solana_sanitize_transaction(hx(inp["bytes"])) is None
            assert x.solana_decode_transaction(hx(inp["bytes"]))["sanitizeOk"] is True
    else:
        raise AssertionError(f"unknown solana_message op {op}")


def run_solana_exact(v: Dict[str, Any]) -> None:
    inp, exp = v["input"], v["expect"]
    op = inp["op"]
    check_keys(v.get("intermediate", {}), {"official_x402_2_25_0", "network", "note"}, "solana_exact intermediate")
    if op == "build":
        check_keys(inp, {"op", "signerSeed", "feePayer", "payTo", "mint", "decimals", "tokenProgram", "amount",
                         "recentBlockhash", "memo", "memoNonce"}, "build input")
        request = {k: val for k, val in inp.items() if k not in ("op", "signerSeed")}

        def build():
            with x.SolanaKeypair.from_seed(hx(inp["signerSeed"])) as kp:
                return x.solana_exact_build(request, kp)

        tx = run_or_error(v, build)
        if tx is not None:
            assert base64.b64encode(tx).decode() == exp["transactionBase64"]
            assert x.solana_decode_transaction(tx)["messageHashBase64"] == exp["messageHashBase64"]
    elif op == "feePayerSign":
        check_keys(inp, {"op", "transactionBase64", "feePayerSeed"}, "feePayerSign input")

        def sign():
            with x.SolanaKeypair.from_seed(hx(inp["feePayerSeed"])) as kp:
                return x.solana_sign_transaction(base64.b64decode(inp["transactionBase64"]), kp)

        tx = run_or_error(v, sign)
        if tx is not None:
            assert base64.b64encode(tx).decode() == exp["transactionBase64"]
            assert x.solana_decode_transaction(tx)["signatures"] == exp["signatures"]
    elif op == "verify":
        check_keys(inp, {"op", "transactionBase64", "network", "asset", "payTo", "amount", "feePayer", "memo",
                         "decimals", "facilitatorSigners"}, "verify input")
        request = {k: val for k, val in inp.items() if k != "op"}
        got = run_or_error(v, lambda: x.solana_exact_verify(request))
        if got is not None:
            check_keys(exp, {"isValid", "reason", "payer", "messageHashBase64"}, "verify expect")
            assert got["isValid"] is exp["isValid"]
            for key in ("reason", "payer", "messageHashBase64"):
                assert got.get(key) == exp.get(key), key
    else:
        raise AssertionError(f"unknown solana_exact op {op}")


#: area -> runner. Add one per vector file as its functions reach the binding.
RUNNERS: Dict[str, Callable[[Dict[str, Any]], None]] = {
    "sha256": run_sha256,
    "keccak256": run_keccak256,
    "encodings": run_encodings,
    "secp256k1": run_secp256k1,
    "ed25519": run_ed25519,
    "eip712": run_eip712,
    "x402_networks": run_x402_networks,
    "x402_price": run_x402_price,
    "x402_seller": run_x402_seller,
    "x402_select": run_x402_select,
    "x402_header": run_x402_header,
    "x402_create": run_x402_create,
    "x402_verify": run_x402_verify,
    "solana_pda": run_solana_pda,
    "solana_message": run_solana_message,
    "solana_exact": run_solana_exact,
}
RUNNERS.update(X402_RUNNERS)  # x402_* and solana_* (tests/x402_runners.py)

#: THE list of vector files not wired in Python yet: area -> (binding names that
#: would serve it, reason). When one of those names appears in x402secure, the
#: meta-test fails until the entry is replaced by a runner.
EXPECTED_MISSING: Dict[str, Tuple[Tuple[str, ...], str]] = {
    "json": (("json_canonicalize", "canonical_json"), "no JSON canonicalisation function in the C ABI yet"),
    "risk_headers": (("build_secure_header", "parse_secure_header", "traceparent_generate"), "no risk-header functions in the C ABI yet"),
    "risk_trace": (("build_risk_trace", "risk_trace"), "no risk-trace functions in the C ABI yet"),
    "risk_evidence": (("build_evidence_header", "ap2_evidence"), "no AP2 evidence functions in the C ABI yet"),
    "risk_mandate": (("build_mandate", "verify_mandate"), "no mandate functions in the C ABI yet"),
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


#: Vectors where the C ABI and the vector file disagree, for the lead to settle; strict, so
#: each one fails loudly once the two agree (then delete it here).
KNOWN_CONFLICTS: Dict[str, str] = {
    f"solana_pda:{name}": "vector: onCurve false for a wrong length; header/FFI: X402S_ERR_INVALID_LENGTH"
    for name in ("is_on_curve/wrong_length_31_bytes", "is_on_curve/wrong_length_33_bytes",
                 "is_on_curve/wrong_length_empty")
}


@pytest.mark.parametrize("area,vector", list(_cases()))
def test_vector(area: str, vector: Dict[str, Any], request) -> None:
    conflict = KNOWN_CONFLICTS.get(f"{area}:{vector.get('name')}")
    if conflict:
        request.applymarker(pytest.mark.xfail(reason=conflict, strict=True))
    RUNNERS[area](vector)
