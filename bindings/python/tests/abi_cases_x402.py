"""Raw-ctypes cases for the x402 and Solana functions of the C ABI, merged into
test_ctypes_abi.CASES (valid call, NULL pointers, short output buffers for each).

Format (as test_ctypes_abi): name -> (builder of a valid argument list without err,
indexes of pointer arguments that may be NULL, [(out index, cap index, exact size)]).
Exact output sizes are measured once with a large buffer (the outputs are deterministic
for these inputs: time and nonces are injected).
"""

from __future__ import annotations

import base64
import ctypes
import json
from ctypes import c_char, c_size_t, c_void_p
from pathlib import Path

from x402secure import _native

lib = _native.lib
ROOT = Path(__file__).resolve().parents[3]

KEY = bytes([1]) * 32
SEED = bytes([1]) * 32
PAY_TO = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"
REQ = json.dumps({
    "scheme": "exact", "network": "eip155:84532", "asset": "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
    "amount": "10000", "payTo": PAY_TO, "maxTimeoutSeconds": 60, "extra": {"name": "USDC", "version": "2"},
}, separators=(",", ":")).encode()
OPTS = b'{"now":1740672000,"nonce":"0x' + b"00" * 31 + b'01"}'
POLICY = b'{"maxPrice":"$1"}'
OFFERS = json.dumps({"offers": [{"network": "base-sepolia", "payTo": PAY_TO, "price": "$0.01"}],
                     "resource": {"url": "https://example.com/x"}}).encode()
V1_BODY = json.dumps({"x402Version": 1, "error": "X-PAYMENT header is required", "accepts": [{
    "scheme": "exact", "network": "base-sepolia", "maxAmountRequired": "10000", "resource": "https://example.com/x",
    "description": "", "mimeType": "", "payTo": PAY_TO, "maxTimeoutSeconds": 60,
    "asset": "0x036CbD53842c5426634e7929541eC2318f3dCF7e", "extra": {"name": "USDC", "version": "2"}}]}).encode()
SETTLE = b'{"success":true,"transaction":"0x12","network":"eip155:84532"}'
CLIENT = "AKnL4NNf3DGWZJS6cPknBuEGnVsV4A4m5tgebLHaRSZ9"
FEE_PAYER = "9hSR6S7WPtxmTojgo6GG3k4yDPecgJY292j7xrsUGWBu"
SOL_PAY_TO = "GyGKxMyg1p9SsHfm15MkNUu1u9TN2JtTspcdmrtGUdse"
MINT = "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"
ATA = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL"
BLOCKHASH = "US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx"
SEEDS = b'["0x01"]'
BUILD = json.dumps({"feePayer": FEE_PAYER, "payTo": SOL_PAY_TO, "mint": MINT, "decimals": 6, "amount": "1000",
                    "recentBlockhash": BLOCKHASH, "memo": "m"}).encode()
COMPILE = json.dumps({"payer": FEE_PAYER, "recentBlockhash": BLOCKHASH, "instructions": [
    {"programId": "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr",
     "accounts": [{"publicKey": CLIENT, "isSigner": True, "isWritable": False}], "data": "0x6869"}]}).encode()


def buf(n: int):
    return (c_char * max(n, 1))()


def _measure(name, args):
    """The exact output size of a variable-output call (args without out, cap, out_len)."""
    n = c_size_t(0)
    st = getattr(lib, name)(buf(1 << 16), 1 << 16, n, *args, None)
    assert st in (0, _native.STATUS["X402S_ERR_X402_PAYMENT_INVALID"]), (name, st)
    return n.value


def _header():
    n = c_size_t(0)
    out = buf(8192)
    assert lib.x402s_x402_create_payment(out, 8192, n, REQ, len(REQ), KEY, 32, 1, None, 0, OPTS, len(OPTS), None) == 0
    created = json.loads(ctypes.string_at(out, n.value))
    return created["headerValue"].encode()


def _sol_tx() -> bytes:
    n = c_size_t(0)
    out = buf(2048)
    assert lib.x402s_solana_exact_build(out, 2048, n, BUILD, len(BUILD), SEED, 32, None) == 0
    return ctypes.string_at(out, n.value)


def x402_abi_cases():
    header = _header()
    tx = _sol_tx()
    tx64 = base64.b64encode(tx).decode()
    verify_req = json.dumps({"transactionBase64": tx64, "network": "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1",
                             "asset": MINT, "payTo": SOL_PAY_TO, "amount": "1000", "feePayer": FEE_PAYER,
                             "memo": "m"}).encode()
    n = c_size_t(0)
    out = buf(8192)
    assert lib.x402s_x402_payment_required(out, 8192, n, OFFERS, len(OFFERS), None) == 0
    v2_header = json.loads(ctypes.string_at(out, n.value))["header"].encode()
    n = c_size_t(0)
    assert lib.x402s_solana_find_program_address(out, 8192, n, SEEDS, len(SEEDS), ATA.encode(), len(ATA), None) == 0
    bump = json.loads(ctypes.string_at(out, n.value))["bump"]
    pda_seeds = json.dumps(["0x01", "0x%02x" % bump]).encode()
    pk = ctypes.create_string_buffer(32)
    assert lib.x402s_solana_public_key_decode(pk, 32, CLIENT.encode(), len(CLIENT), None) == 0
    on_curve = pk.raw  # an Ed25519 public key is a curve point

    def var(name, *inputs):
        size = _measure(name, inputs)
        return (lambda: [buf(size), size, c_size_t()] + list(inputs), (), [(0, 1, size)])

    c = {
        "x402s_x402_networks": var("x402s_x402_networks"),
        "x402s_x402_network_lookup": var("x402s_x402_network_lookup", b"base-sepolia", 12),
        "x402s_x402_price_to_atomic": var("x402s_x402_price_to_atomic", b"$0.01", 5, b"base", 4,
                                          b"0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", 42),
        "x402s_x402_payment_required": var("x402s_x402_payment_required", OFFERS, len(OFFERS)),
        "x402s_x402_parse_payment_required": var("x402s_x402_parse_payment_required", v2_header, len(v2_header),
                                                 V1_BODY, len(V1_BODY)),
        "x402s_x402_select_requirement": var("x402s_x402_select_requirement", V1_BODY, len(V1_BODY), POLICY, len(POLICY)),
        "x402s_x402_create_payment": var("x402s_x402_create_payment", REQ, len(REQ), KEY, 32, 1, POLICY, len(POLICY),
                                         OPTS, len(OPTS)),
        "x402s_x402_decode_payment": var("x402s_x402_decode_payment", header, len(header)),
        "x402s_x402_encode_settle_response": var("x402s_x402_encode_settle_response", SETTLE, len(SETTLE), 1),
        "x402s_x402_price_to_atomic_units": var("x402s_x402_price_to_atomic_units", b"1.5", 3, 6),
        "x402s_solana_create_program_address": var("x402s_solana_create_program_address", pda_seeds, len(pda_seeds),
                                                    ATA.encode(), len(ATA)),
        "x402s_solana_find_program_address": var("x402s_solana_find_program_address", SEEDS, len(SEEDS),
                                                  ATA.encode(), len(ATA)),
        "x402s_solana_associated_token_address": var("x402s_solana_associated_token_address", CLIENT.encode(),
                                                      len(CLIENT), MINT.encode(), len(MINT),
                                                      b"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", 43),
        "x402s_solana_compile_message_v0": var("x402s_solana_compile_message_v0", COMPILE, len(COMPILE)),
        "x402s_solana_decode_transaction": var("x402s_solana_decode_transaction", tx, len(tx)),
        "x402s_solana_exact_build": var("x402s_solana_exact_build", BUILD, len(BUILD), SEED, 32),
        "x402s_solana_exact_verify": var("x402s_solana_exact_verify", verify_req, len(verify_req)),
        "x402s_solana_is_on_curve": (lambda: [on_curve, 32], (), []),
        "x402s_solana_public_key_decode": (lambda: [buf(32), 32, CLIENT.encode(), len(CLIENT)], (), [(0, 1, 32)]),
        "x402s_solana_sanitize_transaction": (lambda: [tx, len(tx)], (), []),
        # a guard handle is written to a (void *) out-parameter; the tests leak two empty guards
        "x402s_replay_guard_new": (lambda: [ctypes.byref(c_void_p()), 16], (), []),
    }
    signer = c_void_p()
    assert lib.x402s_signer_new(ctypes.byref(signer), KEY, 32, 1, None) == 0  # lives as long as the tests
    c["x402s_signer_new"] = (lambda: [ctypes.byref(c_void_p()), KEY, 32, 1], (), [])
    c["x402s_signer_address"] = var("x402s_signer_address", signer)
    c["x402s_x402_create_payment_with_signer"] = var("x402s_x402_create_payment_with_signer", REQ, len(REQ), signer,
                                                     POLICY, len(POLICY), OPTS, len(OPTS), 1)
    settle_header = ctypes.string_at(*_settle_header())
    c["x402s_x402_decode_settle_response"] = var("x402s_x402_decode_settle_response", settle_header, len(settle_header))
    # sign_transaction: the fee payer co-signs (seed 02 x 32 is FEE_PAYER)
    c["x402s_solana_sign_transaction"] = var("x402s_solana_sign_transaction", tx, len(tx), bytes([2]) * 32, 32)
    # verify: valid at now = 1740672000 (the header was made then); the guard pointer is optional
    vsize = 4096  # X402S_X402_VERIFY_OUT_BYTES: required before anything is verified
    c["x402s_x402_verify"] = (
        lambda: [buf(vsize), vsize, c_size_t(), header, len(header), REQ, len(REQ), 1740672000,
                 b'{"facilitatorAddresses":[]}', 27, None],
        (10,), [(0, 1, vsize)])
    return c


def _settle_header():
    n = c_size_t(0)
    out = buf(512)
    assert lib.x402s_x402_encode_settle_response(out, 512, n, SETTLE, len(SETTLE), 0, None) == 0
    return out, n.value
