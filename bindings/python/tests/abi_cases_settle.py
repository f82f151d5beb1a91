"""Raw-ctypes cases for the "Settlement" section of the C ABI (RLP, EIP-1559, ABI, settle call,
Solana submission), merged into test_ctypes_abi.CASES (valid call, NULL pointers, short output
buffers), plus the specific errors of malformed and oversize input."""

from __future__ import annotations

import ctypes
import json
from ctypes import c_size_t, c_void_p
from pathlib import Path

from x402secure import _native, evm  # noqa: F401  (evm declares the prototypes)

from abi_cases_x402 import _measure, buf, _sol_tx

lib = _native.lib
V = json.loads((Path(__file__).resolve().parents[3] / "test-vectors" / "settle.json").read_text())

RLP_ITEM = json.dumps(V["rlp"]["valid"][9]["item"]).encode()
RLP_BYTES = bytes.fromhex(V["rlp"]["valid"][9]["encoded"][2:])
TX = json.dumps(V["evmTransactions"]["valid"][1]["tx"]).encode()
RAW = bytes.fromhex(V["evmTransactions"]["valid"][1]["raw"][2:])
SIG = V["abiCalls"]["valid"][4]["signature"].encode()
ARGS = json.dumps(V["abiCalls"]["valid"][4]["args"]).encode()
TYPES = V["abiDecode"]["valid"][3]["types"].encode()
DATA = bytes.fromhex(V["abiDecode"]["valid"][3]["data"][2:])
REVERT = bytes.fromhex(V["reverts"][1]["data"][2:])
SC = V["settleCalls"]["valid"][0]
PAYMENT = json.dumps(SC["payment"]).encode()
REQS = json.dumps(SC["requirements"]).encode()
FULL = bytes.fromhex(V["solanaSubmission"]["valid"][1]["transaction"][2:])


def _signer(key: bytes, kind: int) -> c_void_p:
    h = c_void_p()
    assert lib.x402s_signer_new(ctypes.byref(h), key, 32, kind, None) == 0
    return h


EVM_SIGNER = _signer(bytes.fromhex(V["evmTransactions"]["valid"][1]["key"][2:]), 1)  # lives as long as the tests
FEE_SIGNER = _signer(bytes([2]) * 32, 2)


def settle_abi_cases():
    def var(name, *inputs, optional=()):
        size = _measure(name, inputs)
        return (lambda: [buf(size), size, c_size_t()] + list(inputs), optional, [(0, 1, size)])

    return {
        "x402s_rlp_encode": var("x402s_rlp_encode", RLP_ITEM, len(RLP_ITEM)),
        "x402s_rlp_decode": var("x402s_rlp_decode", RLP_BYTES, len(RLP_BYTES)),
        "x402s_evm_tx_sign": var("x402s_evm_tx_sign", TX, len(TX), EVM_SIGNER),
        "x402s_evm_tx_decode": var("x402s_evm_tx_decode", RAW, len(RAW)),
        "x402s_evm_abi_encode_call": var("x402s_evm_abi_encode_call", SIG, len(SIG), ARGS, len(ARGS)),
        "x402s_evm_abi_decode": var("x402s_evm_abi_decode", TYPES, len(TYPES), DATA, len(DATA)),
        "x402s_evm_abi_decode_revert": var("x402s_evm_abi_decode_revert", REVERT, len(REVERT)),
        "x402s_x402_evm_settle_call": var("x402s_x402_evm_settle_call", PAYMENT, len(PAYMENT), REQS, len(REQS)),
        # the signer is optional (a fully signed transaction needs none); with it, slot 0 is re-signed
        "x402s_solana_submission": var("x402s_solana_submission", FULL, len(FULL), FEE_SIGNER, None, 0,
                                       optional=(5, 6)),
    }


def call(name, *inputs):
    """(status, err) of name(out 64 KiB, *inputs, err)."""
    err = _native.Error()
    n = c_size_t()
    st = getattr(lib, name)(buf(1 << 16), 1 << 16, n, *inputs, err)
    return st, err
