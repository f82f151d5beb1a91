#!/usr/bin/env python3
"""Generate test-vectors/settle.json: RLP, EIP-1559 transactions, ABI calls and results,
revert data, x402 settle calls and Solana submissions.

Every expected value comes from an independent implementation: the PyPI packages `rlp`
(RLP), `eth_account` (signed EIP-1559 transactions), `eth_abi` (ABI encoding and decoding)
and `solders` (the fee payer's co-signature and the transaction id). Inputs of the x402
cases are payments made by x402secure with an injected key, time and nonce (their bytes are
pinned by test-vectors/x402_create.json). Run from the repository with the test venv:

    X402SECURE_LIB=build/lib/libx402secure.so .venv/bin/python scripts/vectors/gen_settle_vectors.py [--check]
"""

import base64
import hashlib
import json
import sys
from pathlib import Path

import rlp
from eth_abi import decode as abi_decode, encode as abi_encode
from eth_account import Account
from eth_utils import keccak
from solders.keypair import Keypair
from solders.message import to_bytes_versioned
from solders.transaction import VersionedTransaction

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bindings" / "python" / "src"))
import x402secure as x  # noqa: E402

OUT = Path(__file__).resolve().parents[2] / "test-vectors" / "settle.json"


def hx(b: bytes) -> str:
    return "0x" + bytes(b).hex()


def rlp_json(item):
    return hx(item) if isinstance(item, bytes) else [rlp_json(i) for i in item]


def rlp_cases():
    items = [b"", b"\x00", b"\x7f", b"\x80", b"dog", b"a" * 55, b"b" * 56, b"c" * 1024, [], [b"cat", b"dog"],
             [[], [[]], [[], [[]]]], [b"", [b"\x01", [b"\x02" * 60]], b"z" * 300],
             [b"x" * 60] * 5, (1024).to_bytes(2, "big"), (2**255).to_bytes(32, "big")]
    ok = [{"item": rlp_json(i), "encoded": hx(rlp.encode(i))} for i in items]
    bad = [
        ("", "X402S_ERR_RLP_INVALID", "empty"),
        ("83646f", "X402S_ERR_RLP_INVALID", "truncated string"),
        ("c583646f67", "X402S_ERR_RLP_INVALID", "list payload shorter than declared"),
        ("80" + "00", "X402S_ERR_RLP_INVALID", "trailing byte"),
        ("8100", "X402S_ERR_RLP_NON_CANONICAL", "single byte below 0x80 behind a header"),
        ("817f", "X402S_ERR_RLP_NON_CANONICAL", "0x7f behind a header"),
        ("b80161", "X402S_ERR_RLP_NON_CANONICAL", "long form for a 1-byte string"),
        ("b90037" + "61" * 55, "X402S_ERR_RLP_NON_CANONICAL", "length with a leading zero"),
        ("f800", "X402S_ERR_RLP_NON_CANONICAL", "long list form for an empty list"),
        ("bf" + "ff" * 8, "X402S_ERR_RLP_INVALID", "length beyond the input"),
        ("c1" + "c1" * 0 + "83", "X402S_ERR_RLP_INVALID", "item runs past its list"),
        ("c0" * 1 + "c0", "X402S_ERR_RLP_INVALID", "two items"),
    ]
    nested = b"\xc0"
    for _ in range(70):  # 71 levels of lists
        n = len(nested)
        header = bytes([0xc0 + n]) if n < 56 else bytes([0xf7 + (n.bit_length() + 7) // 8]) + n.to_bytes(
            (n.bit_length() + 7) // 8, "big")
        nested = header + nested
    bad.append((nested.hex(), "X402S_ERR_RLP_INVALID", "lists nested deeper than 64"))
    return ok, [{"encoded": "0x" + e, "error": err, "what": w} for e, err, w in bad]


def tx_cases():
    keys = ["01" * 32, "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", "7a" * 32]
    txs = [
        {"chainId": 1, "nonce": 0, "maxPriorityFeePerGas": 1, "maxFeePerGas": 1, "gas": 21000,
         "to": "0x209693Bc6afc0C5328bA36FaF03C514EF312287C", "value": 0, "data": "0x", "accessList": []},
        {"chainId": 8453, "nonce": 7, "maxPriorityFeePerGas": 10**9, "maxFeePerGas": 3 * 10**9, "gas": 120000,
         "to": "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", "value": 0,
         "data": "0xe3ee160e" + "11" * 288, "accessList": []},
        {"chainId": 131277322940537, "nonce": 2**32, "maxPriorityFeePerGas": 2, "maxFeePerGas": 2**70,
         "gas": 2**40, "to": "0x000000000022D473030F116dDEE9F6B43aC78BA3", "value": 10**30, "data": "0x00",
         "accessList": [{"address": "0x402085c248EeA27D92E8b30b2C58ed07f9E20001",
                         "storageKeys": ["0x" + "00" * 31 + "01", "0x" + "ab" * 32]}]},
        {"chainId": 84532, "nonce": 1, "maxPriorityFeePerGas": 0, "maxFeePerGas": 0, "gas": 53000,
         "value": 5, "data": "0x6000", "accessList": []},  # contract creation
    ]
    ok = []
    for i, t in enumerate(txs):
        key = keys[i % len(keys)]
        signed = Account.from_key("0x" + key).sign_transaction(dict(t, type=2))
        # numbers above 2^53 as decimal strings (JSON readers in JavaScript lose them otherwise)
        t = {k: (str(v) if isinstance(v, int) and v > 2**53 else v) for k, v in t.items()}
        ok.append({"key": "0x" + key, "tx": t, "raw": hx(signed.raw_transaction), "hash": hx(signed.hash),
                   "from": Account.from_key("0x" + key).address})
    good = bytes.fromhex(ok[0]["raw"][2:])
    fields = rlp.decode(good[1:])
    def enc(fs):
        return hx(b"\x02" + rlp.encode(fs))
    bad_sign = [
        ({**txs[0], "chainId": 0}, "X402S_ERR_EVM_INVALID_TRANSACTION", "chain id 0"),
        ({**txs[0], "maxPriorityFeePerGas": 2}, "X402S_ERR_EVM_INVALID_TRANSACTION", "tip above the fee cap"),
        ({**txs[0], "nonce": 2**64 - 1}, "X402S_ERR_EVM_INVALID_TRANSACTION", "nonce 2^64-1 (EIP-2681)"),
        ({**txs[0], "gas": 2**64}, "X402S_ERR_EVM_INVALID_TRANSACTION", "gas above 2^64"),
        ({**txs[0], "type": 1}, "X402S_ERR_EVM_INVALID_TRANSACTION", "type 1"),
        ({**txs[0], "gasPrice": 1}, "X402S_ERR_EVM_INVALID_TRANSACTION", "unknown member"),
        ({**txs[0], "value": -1}, "X402S_ERR_EVM_INVALID_TRANSACTION", "negative value"),
        ({**txs[0], "value": "1.5"}, "X402S_ERR_EVM_INVALID_TRANSACTION", "fraction"),
        ({**txs[0], "to": "0x1234"}, "X402S_ERR_INVALID_ADDRESS", "short address"),
        ({**txs[0], "data": "zz"}, "X402S_ERR_INVALID_HEX", "data without 0x"),
        ({**txs[0], "from": "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"}, "X402S_ERR_INVALID_ARGUMENT",
         "from is not the signer"),
        ({k: v for k, v in txs[0].items() if k != "gas"}, "X402S_ERR_EVM_INVALID_TRANSACTION", "gas missing"),
    ]
    high_s = list(fields)
    n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
    s = int.from_bytes(high_s[11], "big")
    high_s[11] = (n - s).to_bytes(32, "big")
    high_s[9] = b"" if high_s[9] == b"\x01" else b"\x01"
    bad_decode = [
        ("0x01" + ok[0]["raw"][4:], "X402S_ERR_EVM_INVALID_TRANSACTION", "type 1 prefix"),
        (hx(good[1:]), "X402S_ERR_EVM_INVALID_TRANSACTION", "no type byte"),
        (enc(fields[:11]), "X402S_ERR_EVM_INVALID_TRANSACTION", "11 fields"),
        (enc([b"\x00" + fields[0]] + fields[1:]), "X402S_ERR_EVM_INVALID_TRANSACTION", "chain id with a leading zero"),
        (enc(fields[:9] + [b"\x02"] + fields[10:]), "X402S_ERR_EVM_INVALID_TRANSACTION", "yParity 2"),
        (enc(fields[:5] + [b"\x11" * 19] + fields[6:]), "X402S_ERR_EVM_INVALID_TRANSACTION", "19-byte to"),
        (enc(high_s), "X402S_ERR_NON_CANONICAL_SIGNATURE", "high s"),
        (ok[0]["raw"] + "00", "X402S_ERR_RLP_INVALID", "trailing byte"),
        ("0x02", "X402S_ERR_RLP_INVALID", "type byte only"),
    ]
    return (ok, [{"tx": t, "error": e, "what": w} for t, e, w in bad_sign],
            [{"raw": r, "error": e, "what": w} for r, e, w in bad_decode])


A1 = "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1"
A2 = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"
A3 = "0x402085c248EeA27D92E8b30b2C58ed07f9E20001"


def abi_cases():
    calls = [
        ("balanceOf(address)", ["address"], [A1]),
        ("authorizationState(address,bytes32)", ["address", "bytes32"], [A1, "0x" + "ab" * 32]),
        ("transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)",
         ["address", "address", "uint256", "uint256", "uint256", "bytes32", "uint8", "bytes32", "bytes32"],
         [A1, A2, "10000", "0", "1740672154", "0x" + "f3" * 32, 28, "0x" + "2d" * 32, "0x" + "5b" * 32]),
        ("transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)",
         ["address", "address", "uint256", "uint256", "uint256", "bytes32", "bytes"],
         [A1, A2, "10000", "0", "1740672154", "0x" + "f3" * 32, "0x" + "77" * 100]),
        ("settle(((address,uint256),uint256,uint256),address,(address,uint256),bytes)",
         ["((address,uint256),uint256,uint256)", "address", "(address,uint256)", "bytes"],
         [[[A3, "10000"], "33247007171257277", "1740672060"], A1, [A2, "0"], "0x" + "c1" * 65]),
        ("settle(((address,uint256),uint256,uint256),uint256,address,(address,address,uint256),bytes)",
         ["((address,uint256),uint256,uint256)", "uint256", "address", "(address,address,uint256)", "bytes"],
         [[[A3, "10000"], "1", "1740672060"], "9000", A1, [A2, A3, "0"], "0x" + "c2" * 65]),
        ("f(string,bool,uint8[],bytes2)", ["string", "bool", "uint8[]", "bytes2"], ["USD₮0", True, [1, 2, 255], "0xbeef"]),
        ("g()", [], []),
        ("h(uint)", ["uint256"], ["0xff"]),
    ]

    def py(t, v):
        if t.startswith("("):
            inner = t[1:-1]
            parts, depth, cur = [], 0, ""
            for ch in inner:
                if ch == "," and depth == 0:
                    parts.append(cur); cur = ""; continue
                depth += ch == "("; depth -= ch == ")"; cur += ch
            parts.append(cur)
            return tuple(py(pt, pv) for pt, pv in zip(parts, v))
        if t.endswith("[]"):
            return [py(t[:-2], i) for i in v]
        if t.startswith("uint"):
            return int(v, 0) if isinstance(v, str) else v
        if t.startswith("bytes"):
            return bytes.fromhex(v[2:])
        return v

    ok = []
    for sig, types, args in calls:
        canonical = sig.replace("(uint)", "(uint256)")
        data = keccak(text=canonical)[:4] + abi_encode(types, [py(t, a) for t, a in zip(types, args)])
        ok.append({"signature": sig, "args": args, "data": hx(data)})
    bad = [
        ("balanceOf(address", [A1], "X402S_ERR_ABI_INVALID_TYPE", "unterminated"),
        ("balanceOf(int256)", [1], "X402S_ERR_ABI_INVALID_TYPE", "signed integers are not supported"),
        ("f(uint7)", [1], "X402S_ERR_ABI_INVALID_TYPE", "uint7"),
        ("f(bytes33)", ["0x"], "X402S_ERR_ABI_INVALID_TYPE", "bytes33"),
        ("f(uint256[2])", [[1, 2]], "X402S_ERR_ABI_INVALID_TYPE", "fixed-size array"),
        ("f (address)", [A1], "X402S_ERR_ABI_INVALID_TYPE", "space in the name"),
        ("balanceOf(address)", [], "X402S_ERR_ABI_INVALID_VALUE", "missing argument"),
        ("balanceOf(address)", ["0x1234"], "X402S_ERR_ABI_INVALID_VALUE", "short address"),
        ("balanceOf(address)", [A1.replace("a", "A", 1)], "X402S_ERR_ABI_INVALID_VALUE", "bad EIP-55 checksum"),
        ("f(uint8)", [256], "X402S_ERR_ABI_INVALID_VALUE", "uint8 overflow"),
        ("f(uint256)", ["-1"], "X402S_ERR_ABI_INVALID_VALUE", "negative"),
        ("f(bytes32)", ["0x" + "00" * 31], "X402S_ERR_ABI_INVALID_VALUE", "31 bytes for bytes32"),
        ("f(bool)", [1], "X402S_ERR_ABI_INVALID_VALUE", "number for bool"),
        ("f((address,uint256))", [[A1]], "X402S_ERR_ABI_INVALID_VALUE", "tuple arity"),
    ]
    results = [
        ("(uint256)", ["uint256"], [10**18]),
        ("(bool)", ["bool"], [True]),
        ("(string)", ["string"], ["USDC"]),
        ("(address,bytes,uint8)", ["address", "bytes", "uint8"], [A2, b"\x01\x02\x03", 6]),
        ("((uint256,string)[])", ["(uint256,string)[]"], [[(1, "a"), (2, "bb")]]),
    ]
    dec = []
    for types, tl, vals in results:
        data = abi_encode(tl, vals)
        back = abi_decode(tl, data)

        def js(v):
            if isinstance(v, bool):
                return v
            if isinstance(v, int):
                return str(v)
            if isinstance(v, bytes):
                return hx(v)
            if isinstance(v, (list, tuple)):
                return [js(i) for i in v]
            if isinstance(v, str) and v.startswith("0x") and len(v) == 42:
                return x.checksum_address(v)
            return v
        dec.append({"types": types, "data": hx(data), "values": js(list(back))})
    word = lambda n: n.to_bytes(32, "big")  # noqa: E731
    bad_dec = [
        ("(uint256)", "0x" + "00" * 31, "X402S_ERR_ABI_DECODE_FAILED", "short word"),
        ("(bool)", hx(word(2)), "X402S_ERR_ABI_DECODE_FAILED", "bool 2"),
        ("(address)", hx(b"\x01" + b"\x00" * 11 + b"\x11" * 20), "X402S_ERR_ABI_DECODE_FAILED", "address high bits"),
        ("(uint8)", hx(word(256)), "X402S_ERR_ABI_DECODE_FAILED", "uint8 out of range"),
        ("(string)", hx(word(32) + word(5) + b"hello" + b"\x00" * 26 + b"\x01"), "X402S_ERR_ABI_DECODE_FAILED",
         "nonzero padding"),
        ("(string)", hx(word(64)), "X402S_ERR_ABI_DECODE_FAILED", "offset past the data"),
        ("(bytes)", hx(word(32) + word(2**64)), "X402S_ERR_ABI_DECODE_FAILED", "huge length"),
        ("(string)", hx(word(32) + word(2) + b"\xff\xfe" + b"\x00" * 30), "X402S_ERR_ABI_DECODE_FAILED", "not UTF-8"),
        ("(bytes2)", hx(b"\xbe\xef\x01" + b"\x00" * 29), "X402S_ERR_ABI_DECODE_FAILED", "bytes2 padding"),
        ("uint256", hx(word(1)), "X402S_ERR_ABI_INVALID_TYPE", "types not a tuple"),
    ]
    return (ok, [{"signature": s, "args": a, "error": e, "what": w} for s, a, e, w in bad], dec,
            [{"types": t, "data": d, "error": e, "what": w} for t, d, e, w in bad_dec])


def revert_cases():
    err = keccak(text="Error(string)")[:4]
    panic = keccak(text="Panic(uint256)")[:4]
    custom = keccak(text="ERC20InsufficientBalance(address,uint256,uint256)")[:4]
    return [
        {"data": "0x", "result": {"kind": "empty"}},
        {"data": hx(err + abi_encode(["string"], ["FiatTokenV2: authorization is used or canceled"])),
         "result": {"kind": "error", "message": "FiatTokenV2: authorization is used or canceled"}},
        {"data": hx(err + abi_encode(["string"], ["ERC20: transfer amount exceeds balance"])),
         "result": {"kind": "error", "message": "ERC20: transfer amount exceeds balance"}},
        {"data": hx(panic + abi_encode(["uint256"], [0x11])),
         "result": {"kind": "panic", "code": "0x11", "message": "arithmetic overflow or underflow"}},
        {"data": hx(panic + abi_encode(["uint256"], [0x99])),
         "result": {"kind": "panic", "code": "0x99", "message": "unknown panic code"}},
        {"data": hx(custom + abi_encode(["address", "uint256", "uint256"], [A1, 5, 10])),
         "result": {"kind": "custom", "selector": hx(custom),
                    "data": hx(custom + abi_encode(["address", "uint256", "uint256"], [A1, 5, 10]))}},
        {"data": hx(err + b"\x00" * 5), "result": {"kind": "custom", "selector": hx(err), "data": hx(err + b"\x00" * 5)}},
        {"data": "0x0102", "result": {"kind": "custom", "data": "0x0102"}},
    ]


def settle_call_cases():
    acct = x.EvmAccount.from_key("01" * 32)
    base = {"scheme": "exact", "network": "eip155:84532", "asset": "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
            "amount": "10000", "payTo": A2, "maxTimeoutSeconds": 60, "extra": {"name": "USDC", "version": "2"}}
    out = []
    now, nonce = 1740672000, "0x" + "f3" * 32
    p = x.create_payment(base, acct, now=now, nonce=nonce).payment
    a, sig = p["payload"]["authorization"], bytes.fromhex(p["payload"]["signature"][2:])
    vrs = keccak(text="transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)")[:4]
    data = vrs + abi_encode(["address", "address", "uint256", "uint256", "uint256", "bytes32", "uint8", "bytes32", "bytes32"],
                            [a["from"], a["to"], int(a["value"]), int(a["validAfter"]), int(a["validBefore"]),
                             bytes.fromhex(a["nonce"][2:]), sig[64], sig[:32], sig[32:64]])
    key = b"\x01" + (84532).to_bytes(32, "big") + bytes.fromhex(base["asset"][2:]) + bytes.fromhex(a["from"][2:]) \
        + bytes.fromhex(nonce[2:])
    out.append({"name": "eip3009_vrs", "payment": p, "requirements": base, "expected": {
        "method": "eip3009", "chainId": "84532", "to": base["asset"], "data": hx(data), "payer": acct.address,
        "amount": "10000", "settlementKey": hx(key)}})
    # the same authorization with v = 0 / 1 (accepted by 2.25.0) settles with v = 27 / 28
    low_v = json.loads(json.dumps(p))
    low_v["payload"]["signature"] = hx(sig[:64] + bytes([sig[64] - 27]))
    out.append({"name": "eip3009_v01", "payment": low_v, "requirements": base, "expected": dict(out[0]["expected"])})
    # a 66-byte (smart wallet) signature goes to the bytes overload
    long_sig = json.loads(json.dumps(p))
    long_sig["payload"]["signature"] = hx(sig + b"\x00")
    by = keccak(text="transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)")[:4]
    data_b = by + abi_encode(["address", "address", "uint256", "uint256", "uint256", "bytes32", "bytes"],
                             [a["from"], a["to"], int(a["value"]), int(a["validAfter"]), int(a["validBefore"]),
                              bytes.fromhex(a["nonce"][2:]), sig + b"\x00"])
    out.append({"name": "eip3009_bytes", "payment": long_sig, "requirements": base, "expected": {
        "method": "eip3009Bytes", "to": base["asset"], "data": hx(data_b), "payer": acct.address, "amount": "10000"}})
    # Permit2 exact
    p2req = dict(base, extra={"assetTransferMethod": "permit2"})
    p2 = x.create_payment(p2req, acct, now=now, nonce=nonce).payment
    pa = p2["payload"]["permit2Authorization"]
    settle = keccak(text="settle(((address,uint256),uint256,uint256),address,(address,uint256),bytes)")[:4]
    data_p2 = settle + abi_encode(["((address,uint256),uint256,uint256)", "address", "(address,uint256)", "bytes"],
                                  [((pa["permitted"]["token"], int(pa["permitted"]["amount"])), int(pa["nonce"]),
                                    int(pa["deadline"])), pa["from"], (pa["witness"]["to"], int(pa["witness"]["validAfter"])),
                                   bytes.fromhex(p2["payload"]["signature"][2:])])
    key2 = b"\x03" + (84532).to_bytes(32, "big") + bytes.fromhex(pa["from"][2:]) + int(pa["nonce"]).to_bytes(32, "big")
    out.append({"name": "permit2_exact", "payment": p2, "requirements": p2req, "expected": {
        "method": "permit2", "to": A3, "data": hx(data_p2), "payer": acct.address, "amount": "10000",
        "settlementKey": hx(key2)}})
    bad = []
    broken = json.loads(json.dumps(p))
    del broken["payload"]["authorization"]["nonce"]
    bad.append({"payment": broken, "requirements": base, "error": "X402S_ERR_X402_INVALID_PAYLOAD", "what": "no nonce"})
    bad.append({"payment": p, "requirements": dict(base, network="solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"),
                "error": "X402S_ERR_X402_UNKNOWN_NETWORK", "what": "not an EVM network"})
    bad.append({"payment": p, "requirements": dict(base, amount="9999"), "error": "X402S_ERR_X402_INVALID_PAYLOAD",
                "what": "value differs from amount"})
    acct.close()
    return out, bad


def solana_cases():
    buyer = x.SolanaKeypair.from_seed(bytes([1] * 32))
    fee = Keypair.from_seed(bytes([2] * 32))
    pay_to = x.SolanaKeypair.from_seed(bytes([3] * 32)).address
    tx = x.solana.exact_build(buyer, fee_payer=str(fee.pubkey()), pay_to=pay_to,
                              mint="4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU", decimals=6, amount=1000,
                              recent_blockhash="US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx", memo="pi_3abc123def456")
    vt = VersionedTransaction.from_bytes(tx)
    sig0 = fee.sign_message(to_bytes_versioned(vt.message))
    full = VersionedTransaction.populate(vt.message, [sig0, vt.signatures[1]])
    msg = bytes(full)[1 + 64 * 2:]
    mh = hashlib.sha256(msg[1:]).digest()
    cases = [{"name": "cosign_fee_payer", "transaction": hx(tx), "feePayerSeed": "0x" + "02" * 32,
              "messageHash": hx(mh), "expected": {"transactionBase64": base64.b64encode(bytes(full)).decode(),
                                                   "transactionId": str(sig0),
                                                   "messageHashBase64": base64.b64encode(mh).decode(),
                                                   "feePayer": str(fee.pubkey()),
                                                   "recentBlockhash": "US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx"}},
             {"name": "already_fully_signed", "transaction": hx(bytes(full)), "feePayerSeed": None,
              "messageHash": None, "expected": {"transactionBase64": base64.b64encode(bytes(full)).decode(),
                                                "transactionId": str(sig0)}}]
    tampered = bytearray(tx)
    tampered[-40] ^= 1
    bad = [
        {"transaction": hx(tx), "feePayerSeed": None, "messageHash": None, "error": "X402S_ERR_SOLANA_NOT_FULLY_SIGNED",
         "what": "fee payer slot still empty"},
        {"transaction": hx(tx), "feePayerSeed": "0x" + "01" * 32, "messageHash": None,
         "error": "X402S_ERR_SOLANA_NOT_FEE_PAYER", "what": "the buyer's key is not the fee payer"},
        {"transaction": hx(tx), "feePayerSeed": "0x" + "02" * 32, "messageHash": hx(b"\x00" * 32),
         "error": "X402S_ERR_SOLANA_MESSAGE_MISMATCH", "what": "another message was verified"},
        {"transaction": hx(bytes(tampered)), "feePayerSeed": "0x" + "02" * 32, "messageHash": None,
         "error": "X402S_ERR_SOLANA_NOT_FULLY_SIGNED", "what": "message changed after the buyer signed"},
        {"transaction": hx(tx[:-1]), "feePayerSeed": "0x" + "02" * 32, "messageHash": None,
         "error": "X402S_ERR_SOLANA_INVALID_TRANSACTION", "what": "truncated"},
        {"transaction": hx(tx), "feePayerSeed": "0x" + "02" * 32, "messageHash": "0x00",
         "error": "X402S_ERR_INVALID_LENGTH", "what": "message hash of 1 byte"},
    ]
    buyer.close()
    return cases, bad


def build():
    """House schema: {"schema", "source", "vectors": [{"name", "kind", "input", "expect"}]}."""
    rlp_ok, rlp_bad = rlp_cases()
    tx_ok, tx_bad_sign, tx_bad_decode = tx_cases()
    abi_ok, abi_bad, abi_dec, abi_dec_bad = abi_cases()
    sc_ok, sc_bad = settle_call_cases()
    sol_ok, sol_bad = solana_cases()
    v = []

    def add(kind, name, inp, expect):
        v.append({"name": f"{kind}:{name}", "kind": kind, "input": inp, "expect": expect})

    for i, c in enumerate(rlp_ok):
        add("rlp", str(i), {"item": c["item"]}, {"encoded": c["encoded"]})
    for c in rlp_bad:
        add("rlp_invalid", c["what"], {"encoded": c["encoded"]}, {"error": c["error"]})
    for c in tx_ok:
        add("evm_tx", c["hash"][:10], {"key": c["key"], "tx": c["tx"]},
            {"raw": c["raw"], "hash": c["hash"], "from": c["from"]})
    for c in tx_bad_sign:
        add("evm_tx_sign_invalid", c["what"], {"key": tx_ok[0]["key"], "tx": c["tx"]}, {"error": c["error"]})
    for c in tx_bad_decode:
        add("evm_tx_decode_invalid", c["what"], {"raw": c["raw"]}, {"error": c["error"]})
    for c in abi_ok:
        add("abi_call", c["signature"], {"signature": c["signature"], "args": c["args"]}, {"data": c["data"]})
    for c in abi_bad:
        add("abi_call_invalid", c["what"], {"signature": c["signature"], "args": c["args"]}, {"error": c["error"]})
    for c in abi_dec:
        add("abi_decode", c["types"], {"types": c["types"], "data": c["data"]}, {"values": c["values"]})
    for c in abi_dec_bad:
        add("abi_decode_invalid", c["what"], {"types": c["types"], "data": c["data"]}, {"error": c["error"]})
    for i, c in enumerate(revert_cases()):
        add("revert", str(i), {"data": c["data"]}, c["result"])
    for c in sc_ok:
        add("settle_call", c["name"], {"payment": c["payment"], "requirements": c["requirements"]}, c["expected"])
    for c in sc_bad:
        add("settle_call_invalid", c["what"], {"payment": c["payment"], "requirements": c["requirements"]},
            {"error": c["error"]})
    for c in sol_ok:
        add("solana_submission", c["name"], {"transaction": c["transaction"], "feePayerSeed": c["feePayerSeed"],
                                             "messageHash": c["messageHash"]}, c["expected"])
    for c in sol_bad:
        add("solana_submission_invalid", c["what"], {"transaction": c["transaction"],
                                                     "feePayerSeed": c["feePayerSeed"],
                                                     "messageHash": c["messageHash"]}, {"error": c["error"]})
    return {"schema": "x402s.vectors.settle@1",
            "source": "scripts/vectors/gen_settle_vectors.py: expected values from rlp 5.0.0, eth_account 0.14.0, "
                      "eth_abi 6.0.0 and solders 0.27.1; kinds: rlp, evm_tx, abi_call, abi_decode, revert, "
                      "settle_call, solana_submission (each with an _invalid twin except revert)",
            "vectors": v}


if __name__ == "__main__":
    text = json.dumps(build(), indent=1, ensure_ascii=False) + "\n"
    if "--check" in sys.argv:
        sys.exit(0 if OUT.read_text() == text else 1)
    OUT.write_text(text)
    print(f"wrote {OUT}")
