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
_ALL = json.loads((Path(__file__).resolve().parents[3] / "test-vectors" / "settle.json").read_text())["vectors"]


def _first(kind: str, index: int = 0):
    return [v for v in _ALL if v["kind"] == kind][index]


def _h(text: str) -> bytes:
    return bytes.fromhex(text[2:])


RLP_ITEM = json.dumps(_first("rlp", 9)["input"]["item"]).encode()
RLP_BYTES = _h(_first("rlp", 9)["expect"]["encoded"])
TX_CASE = _first("evm_tx", 1)
TX = json.dumps(TX_CASE["input"]["tx"]).encode()
RAW = _h(TX_CASE["expect"]["raw"])
SIG = _first("abi_call", 4)["input"]["signature"].encode()
ARGS = json.dumps(_first("abi_call", 4)["input"]["args"]).encode()
TYPES = _first("abi_decode", 3)["input"]["types"].encode()
DATA = _h(_first("abi_decode", 3)["input"]["data"])
REVERT = _h(_first("revert", 1)["input"]["data"])
SC = _first("settle_call")["input"]
PAYMENT = json.dumps(SC["payment"]).encode()
REQS = json.dumps(SC["requirements"]).encode()
FULL = _h(_first("solana_submission", 1)["input"]["transaction"])


def _signer(key: bytes, kind: int) -> c_void_p:
    h = c_void_p()
    assert lib.x402s_signer_new(ctypes.byref(h), key, 32, kind, None) == 0
    return h


EVM_SIGNER = _signer(_h(TX_CASE["input"]["key"]), 1)  # lives as long as the tests
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
