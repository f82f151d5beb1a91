"""Runners for the x402 and Solana vector files (test-vectors/x402_*.json, solana_*.json),
registered into test_vectors.RUNNERS. Every vector goes through the public binding
(x402secure / x402secure.solana), hence through the C ABI."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any, Callable, Dict

import pytest

import x402secure as x
from x402secure import _native, solana
from x402secure.x402 import _decode_payment_raw

from conftest import hx

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


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def same_json(a: Any, b: Any) -> bool:
    """Equal JSON values, member order included (json.loads keeps it)."""
    return json.dumps(a, separators=(",", ":"), ensure_ascii=False) == json.dumps(b, separators=(",", ":"), ensure_ascii=False)


_TWA_TYPES = {
    "EIP712Domain": [
        {"name": "name", "type": "string"},
        {"name": "version", "type": "string"},
        {"name": "chainId", "type": "uint256"},
        {"name": "verifyingContract", "type": "address"},
    ],
    "TransferWithAuthorization": [
        {"name": "from", "type": "address"},
        {"name": "to", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "validAfter", "type": "uint256"},
        {"name": "validBefore", "type": "uint256"},
        {"name": "nonce", "type": "bytes32"},
    ],
}


# ----------------------------------------------------------------------------- x402_networks


def run_x402_networks(v: Dict[str, Any]) -> None:
    check_keys(v["input"], {"network"}, "x402_networks input")
    nid = v["input"]["network"]
    exp = v["expect"]
    if "error" in exp:
        expect_error(exp["error"], x.network, nid)
        return
    if exp.get("inTable") is False:
        # Not in the table, but a well-formed EVM id: lookups fail, payments on it use the
        # chain id of the CAIP-2 text (checked through the EIP-712 digest that is signed).
        expect_error("X402S_ERR_X402_UNKNOWN_NETWORK", x.network, nid)
        req = {"scheme": "exact", "network": nid, "asset": "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
               "amount": "1", "payTo": "0x209693Bc6afc0C5328bA36FaF03C514EF312287C", "maxTimeoutSeconds": 60,
               "extra": {"name": "USDC", "version": "2"}}
        with x.EvmAccount.from_key(b"\x01" * 32) as acct:
            p = x.create_payment(req, acct, now=1740672000, nonce=b"\x00" * 32)
        auth = p.payment["payload"]["authorization"]
        doc = {"types": _TWA_TYPES, "primaryType": "TransferWithAuthorization",
               "domain": {"name": "USDC", "version": "2", "chainId": exp["chainId"],
                          "verifyingContract": req["asset"]},
               "message": {**auth, "value": int(auth["value"]), "validAfter": int(auth["validAfter"]),
                           "validBefore": int(auth["validBefore"])}}
        sig = hx(p.payment["payload"]["signature"])
        assert x.recover_address(x.eip712_hash(doc), sig) == auth["from"]
        return
    n = x.network(nid)
    assert n["caip2"] == exp["caip2"]
    assert n["family"] == exp["family"]
    if "chainId" in exp:
        assert n["chainId"] == exp["chainId"]
    if "assetCount" in exp:
        assert len(n["assets"]) == exp["assetCount"]
    if "defaultAsset" in exp:
        got = n["assets"][0]
        for k, val in exp["defaultAsset"].items():
            assert got.get(k, False if k == "supportsEip2612" else None) == val, (k, got)
    # the full table holds the same entry
    table = x.networks()
    assert n in table["networks"]


# ----------------------------------------------------------------------------- x402_price


def run_x402_price(v: Dict[str, Any]) -> None:
    check_keys(v["input"], {"price", "decimals"}, "x402_price input")
    price, decimals = v["input"]["price"], v["input"]["decimals"]
    exp = v["expect"]
    if "error" in exp:
        expect_error(exp["error"], x.price_to_atomic_units, price, decimals)
        return
    assert x.price_to_atomic_units(price, decimals) == exp["amount"]
    # the same through a table asset of that many decimals
    if decimals == 6:
        assert x.price_to_atomic(price, "base-sepolia").amount == exp["amount"]
    elif decimals == 18:
        assert x.price_to_atomic(price, "eip155:4326").amount == exp["amount"]


# ----------------------------------------------------------------------------- x402_header


def run_x402_header(v: Dict[str, Any]) -> None:
    inp, exp = v["input"], v["expect"]
    check_keys(inp, {"header", "headerRepeat"}, "x402_header input")
    if "headerRepeat" in inp:
        header = inp["headerRepeat"]["text"] * inp["headerRepeat"]["times"]
    else:
        header = inp["header"]
    kind = exp["kind"]
    if kind == "payment":
        decode = x.decode_payment_header
    elif kind == "paymentRequired":
        decode = lambda h: x.parse_payment_required({"payment-required": h})  # noqa: E731
    elif kind == "settleResponse":
        decode = x.decode_settle_response
    else:
        raise AssertionError(f"unknown kind {kind}")
    if "error" in exp:
        expect_error(exp["error"], decode, header)
        return
    got = decode(header)
    assert same_json(got, exp["json"])
    if kind == "payment":
        # re-encoding: base64 of the core's compact JSON in model order
        assert b64(_decode_payment_raw(header)) == exp["reencoded"]
        assert got["x402Version"] == exp["x402Version"]
        if got["x402Version"] == 1:
            scheme, net, name = got["scheme"], got["network"], "X-PAYMENT"
        else:
            scheme, net, name = got["accepted"]["scheme"], got["accepted"]["network"], "PAYMENT-SIGNATURE"
        assert scheme == exp["scheme"] and net == exp["network"] and name == exp["headerName"]
    elif kind == "paymentRequired":
        compact = json.dumps(got, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        assert b64(compact) == exp["reencoded"]
        if "x402Version" in exp:
            assert got["x402Version"] == exp["x402Version"]
    else:
        assert x.encode_settle_response(got, python_spaced=exp["style"] == "pythonSpaced") == exp["reencoded"]


# ----------------------------------------------------------------------------- x402_seller


def run_x402_seller(v: Dict[str, Any]) -> None:
    inp, exp = v["input"], v["expect"]
    check_keys(inp, {"offer", "offers", "resource", "v1"}, "x402_seller input")
    if "offer" in inp:
        call = lambda: x.payment_required_response([inp["offer"]], resource="https://example.com/x")  # noqa: E731
        if "error" in exp:
            expect_error(exp["error"], call)
            return
        r = call()
        assert same_json(r.accepts[0], exp["requirement"])
        return
    version = 1 if inp.get("v1") else 2
    r = x.payment_required_response(inp["offers"], resource=inp["resource"], version=version)
    assert r.status == 402 and r.x402_version == version
    assert r.headers["Cache-Control"] == "no-store"
    assert same_json(r.payment_required, exp["paymentRequired"])
    if version == 1:
        assert r.body.decode("utf-8") == exp["body"]
        assert "PAYMENT-REQUIRED" not in r.headers
        assert same_json(x.parse_payment_required(body=r.body), exp["paymentRequired"])
    else:
        assert r.headers["PAYMENT-REQUIRED"] == exp["header"]
        assert r.body == b"{}"
        assert same_json(x.parse_payment_required(r.headers, r.body), exp["paymentRequired"])


# ----------------------------------------------------------------------------- x402_select


def run_x402_select(v: Dict[str, Any]) -> None:
    inp, exp = v["input"], v["expect"]
    check_keys(inp, {"paymentRequired", "policy"}, "x402_select input")
    pr, policy = inp["paymentRequired"], inp["policy"]
    if "error" in exp:
        expect_error(exp["error"], x.select_requirement, pr, policy)
        return
    i = x.select_requirement_index(pr, policy)
    assert i == exp["selectedIndex"]
    chosen = x.select_requirement(pr, policy)
    assert chosen["network"] == pr["accepts"][i]["network"]
    assert chosen["payTo"] == pr["accepts"][i]["payTo"]


# ----------------------------------------------------------------------------- x402_create


def _create_kwargs(inp: Dict[str, Any]) -> Dict[str, Any]:
    kw: Dict[str, Any] = {"now": inp["now"]}
    if "nonce" in inp:
        kw["nonce"] = inp["nonce"]
    if "memoNonce" in inp:
        kw["memo_nonce"] = hx(inp["memoNonce"])  # as bytes here, as hex text below
    if "recentBlockhash" in inp:
        kw["recent_blockhash"] = inp["recentBlockhash"]
    if "mintDecimals" in inp:
        kw["mint_decimals"] = inp["mintDecimals"]
    if "tokenProgram" in inp:
        kw["token_program"] = inp["tokenProgram"]
    return kw


def run_x402_create(v: Dict[str, Any]) -> None:
    inp, exp = v["input"], v["expect"]
    check_keys(inp, {"paymentRequired", "requirement", "privateKey", "solanaSeed", "now", "nonce", "memoNonce",
                     "recentBlockhash", "mintDecimals", "tokenProgram"}, "x402_create input")
    request = inp.get("paymentRequired", inp.get("requirement"))
    kw = _create_kwargs(inp)

    def make():
        if "solanaSeed" in inp:
            signer = x.SolanaKeypair.from_seed(hx(inp["solanaSeed"]))
        else:
            signer = x.EvmAccount.from_key(inp["privateKey"])
        with signer:
            return x.create_payment(request, signer, **kw), signer.address

    if "error" in exp:
        expect_error(exp["error"], make)
        return
    created, address = make()
    assert created.header_name == exp["headerName"]
    if "header" in exp:
        assert created.header_value == exp["header"]
        # the (name, value) front door gives the same bytes, also from JSON text
        with (x.SolanaKeypair.from_seed(hx(inp["solanaSeed"])) if "solanaSeed" in inp
              else x.EvmAccount.from_key(hx(inp["privateKey"]))) as signer:
            if "memo_nonce" in kw:
                kw = {**kw, "memo_nonce": inp["memoNonce"]}
            assert x.create_payment_header(json.dumps(request), signer, **kw) == (exp["headerName"], exp["header"])
    else:
        # No reference bytes: the payment must verify against the requirement it was made for.
        accepted = created.payment["accepted"]
        r = x.verify_payment(created.header_value, accepted, now=inp["now"])
        assert r.is_valid, r
    assert x.decode_payment_header(created.header_value) == created.payment
    if "from" in exp:
        assert address == exp["from"]
        payload = created.payment["payload"]
        assert payload.get("authorization", payload.get("permit2Authorization"))["from"] == exp["from"]


# ----------------------------------------------------------------------------- x402_verify


def run_x402_verify(v: Dict[str, Any]) -> None:
    inp, exp = v["input"], v["expect"]
    check_keys(inp, {"header", "requirements", "now", "options", "times"}, "x402_verify input")
    opts = inp.get("options", {})
    check_keys(opts, {"facilitatorAddresses", "solanaFeePayers", "replayGuard"}, "x402_verify options")
    guard = x.ReplayGuard() if opts.get("replayGuard") else None
    try:
        result = None
        for _ in range(inp.get("times", 1)):
            result = x.verify_payment(
                inp["header"], inp["requirements"], inp["now"],
                facilitator_addresses=opts.get("facilitatorAddresses", ()),
                solana_fee_payers=opts.get("solanaFeePayers"), replay_guard=guard)
    finally:
        if guard is not None:
            guard.close()
    assert result is not None
    assert result.is_valid is exp["isValid"], result
    assert result.invalid_reason == exp.get("invalidReason"), result
    assert result.payer == exp.get("payer"), result
    wire = result.to_json()
    assert wire["isValid"] is exp["isValid"]
    assert ("invalidMessage" in wire) is (not exp["isValid"])
    assert bool(result) is exp["isValid"]


# ----------------------------------------------------------------------------- solana_pda


def run_solana_pda(v: Dict[str, Any]) -> None:
    inp, exp = v["input"], v["expect"]
    op = inp["op"]
    if op == "isOnCurve":
        assert solana.is_on_curve(hx(inp["bytes"])) is exp["onCurve"]
    elif op == "isOnCurveBulk":
        count = inp["count"]
        bitmap = bytearray((count + 7) // 8)
        on = 0
        for i in range(count):
            b = bytearray(hashlib.sha256(f"x402s-oncurve-{i}".encode()).digest())
            m = i % 4
            if m == 1:
                b[31] ^= 0x80
            elif m == 2:
                for k in range(1, 31):
                    b[k] = 0xFF
                b[31] = 0x7F | (b[31] & 0x80)
            elif m == 3:
                for k in range(2, 32):
                    b[k] = 0
            if solana.is_on_curve(bytes(b)):
                bitmap[i // 8] |= 1 << (i % 8)
                on += 1
        assert on == exp["onCurveCount"]
        assert "0x" + hashlib.sha256(bytes(bitmap)).hexdigest() == exp["bitmapSha256"]
    elif op == "findProgramAddress":
        if "error" in exp:
            expect_error(exp["error"], solana.find_program_address, inp["seeds"], inp["programId"])
            return
        found = solana.find_program_address([hx(s) for s in inp["seeds"]], inp["programId"])
        assert found == (exp["address"], exp["bump"])
        assert solana.is_on_curve(solana.public_key_bytes(found.address)) is False
        # the bump reproduces the address through create_program_address
        assert solana.create_program_address(inp["seeds"] + [f"0x{found.bump:02x}"], inp["programId"]) == found.address
    elif op == "createProgramAddress":
        if "error" in exp:
            expect_error(exp["error"], solana.create_program_address, inp["seeds"], inp["programId"])
            return
        assert solana.create_program_address(inp["seeds"], inp["programId"]) == exp["address"]
    elif op == "associatedTokenAddress":
        got = solana.associated_token_address(inp["owner"], inp["mint"], inp["tokenProgram"])
        assert got == exp["address"]
        if inp["tokenProgram"] == solana.TOKEN_PROGRAM:
            assert solana.associated_token_address(inp["owner"], inp["mint"]) == got
    elif op == "publicKeyFromBase58":
        if "error" in exp:
            expect_error(exp["error"], solana.public_key_bytes, inp["base58"])
            return
        assert solana.public_key_bytes(inp["base58"]) == hx(exp["bytes"])
        assert x.b58encode(hx(exp["bytes"])) == inp["base58"]
    else:
        raise AssertionError(f"unknown solana_pda op {op}")


# ----------------------------------------------------------------------------- solana_message


def run_solana_message(v: Dict[str, Any]) -> None:
    inp, exp = v["input"], v["expect"]
    op = inp["op"]
    if op == "compileV0":
        call = lambda: solana.compile_message_v0(inp["payer"], inp["instructions"], inp["recentBlockhash"])  # noqa: E731
        if "error" in exp:
            expect_error(exp["error"], call)
            return
        m = call()
        assert m["messageHex"] == exp["messageHex"]
        assert m["accountKeys"] == exp["accountKeys"]
        assert m["header"] == exp["header"]
    elif op == "parseTransaction":
        data = hx(inp["bytes"])
        if "error" in exp:
            expect_error(exp["error"], solana.decode_transaction, data)
            return
        t = solana.decode_transaction(data)
        for k in ("version", "numSignatures", "header", "accountKeys", "recentBlockhash", "messageHex",
                  "messageHashBase64", "sanitizeOk"):
            assert t[k] == exp[k], k
        assert len(t["addressTableLookups"]) == exp["addressTableLookups"]
        assert len(t["instructions"]) == len(exp["instructions"])
        for got, want in zip(t["instructions"], exp["instructions"]):
            assert got["programIdIndex"] == want["programIdIndex"]
            assert got["accounts"] == want["accounts"]
            assert got["data"] == want["data"]
    elif op == "sanitizeTransaction":
        data = hx(inp["bytes"])
        if "error" in exp:
            expect_error(exp["error"], solana.sanitize_transaction, data)
        else:
            assert solana.sanitize_transaction(data) is None
    else:
        raise AssertionError(f"unknown solana_message op {op}")


# ----------------------------------------------------------------------------- solana_exact


def run_solana_exact(v: Dict[str, Any]) -> None:
    inp, exp = v["input"], v["expect"]
    op = inp["op"]
    if op == "build":
        def build() -> bytes:
            with x.SolanaKeypair.from_seed(hx(inp["signerSeed"])) as kp:
                return solana.exact_build(
                    kp, fee_payer=inp["feePayer"], pay_to=inp["payTo"], mint=inp["mint"], decimals=inp["decimals"],
                    amount=inp["amount"], recent_blockhash=inp["recentBlockhash"], token_program=inp["tokenProgram"],
                    memo=inp.get("memo"), memo_nonce=inp.get("memoNonce"))

        if "error" in exp:
            expect_error(exp["error"], build)
            return
        tx = build()
        assert b64(tx) == exp["transactionBase64"]
        assert solana.decode_transaction(tx)["messageHashBase64"] == exp["messageHashBase64"]
        # The same transaction through the x402 front door (a v2 requirement on that network).
        network = v.get("intermediate", {}).get("network")
        if network:
            extra = {"feePayer": inp["feePayer"], "recentBlockhash": inp["recentBlockhash"]}
            if inp.get("memo") is not None:
                extra["memo"] = inp["memo"]
            req = {"scheme": "exact", "network": network, "asset": inp["mint"], "amount": inp["amount"],
                   "payTo": inp["payTo"], "maxTimeoutSeconds": 60, "extra": extra}
            with x.SolanaKeypair.from_seed(hx(inp["signerSeed"])) as kp:
                p = x.create_payment(req, kp, memo_nonce=inp.get("memoNonce"), mint_decimals=inp["decimals"],
                                     token_program="token2022" if inp["tokenProgram"] == solana.TOKEN_2022_PROGRAM
                                     else "token")
            assert p.payment["payload"]["transaction"] == exp["transactionBase64"]
    elif op == "feePayerSign":
        tx = base64.b64decode(inp["transactionBase64"])
        with x.SolanaKeypair.from_seed(hx(inp["feePayerSeed"])) as kp:
            if "error" in exp:
                expect_error(exp["error"], solana.sign_transaction, tx, kp)
                return
            full = solana.sign_transaction(tx, kp)
        assert b64(full) == exp["transactionBase64"]
        d = solana.decode_transaction(full)
        assert d["signatures"] == exp["signatures"]
        assert d["messageHashBase64"] == solana.decode_transaction(tx)["messageHashBase64"]
    elif op == "verify":
        kw = {"network": inp["network"], "asset": inp["asset"], "pay_to": inp["payTo"], "amount": inp["amount"],
              "fee_payer": inp.get("feePayer"), "memo": inp.get("memo"), "decimals": inp.get("decimals"),
              "facilitator_signers": inp.get("facilitatorSigners")}
        if "error" in exp:
            expect_error(exp["error"], solana.exact_verify, inp["transactionBase64"], **kw)
            return
        r = solana.exact_verify(inp["transactionBase64"], **kw)
        assert r.is_valid is exp["isValid"], r
        assert r.reason == exp.get("reason"), r
        assert r.payer == exp.get("payer"), r
        assert r.message_hash_base64 == exp.get("messageHashBase64"), r
        assert r.is_valid is (r.reason is None)
        assert r.message
    else:
        raise AssertionError(f"unknown solana_exact op {op}")


X402_RUNNERS: Dict[str, Callable[[Dict[str, Any]], None]] = {
    "x402_networks": run_x402_networks,
    "x402_price": run_x402_price,
    "x402_header": run_x402_header,
    "x402_seller": run_x402_seller,
    "x402_select": run_x402_select,
    "x402_create": run_x402_create,
    "x402_verify": run_x402_verify,
    "solana_pda": run_solana_pda,
    "solana_message": run_solana_message,
    "solana_exact": run_solana_exact,
}
