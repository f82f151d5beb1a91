"""Bad input through the C ABI for the Settlement section: NULL, short buffers (in
test_ctypes_abi), and here malformed, oversize and mismatched input with the specific status
and a message, never a crash."""

from __future__ import annotations

import pytest

from x402secure import _native

from abi_cases_settle import EVM_SIGNER, FEE_SIGNER, FULL, RAW, TX, call

S = _native.STATUS
BIG = b"0" * (_native.MAX_DOCUMENT_BYTES + 1)


@pytest.mark.parametrize("name,inputs,status", [
    ("x402s_rlp_encode", (b"{", 1), "X402S_ERR_INVALID_JSON"),
    ("x402s_rlp_encode", (b"12", 2), "X402S_ERR_INVALID_ARGUMENT"),
    ("x402s_rlp_encode", (b'"0xzz"', 6), "X402S_ERR_INVALID_HEX"),
    ("x402s_rlp_encode", (b"[" * 100 + b"]" * 100, 200), "X402S_ERR_JSON_TOO_DEEP"),
    ("x402s_rlp_encode", (BIG, len(BIG)), "X402S_ERR_INPUT_TOO_LARGE"),
    ("x402s_rlp_decode", (b"\xb8\x01a", 3), "X402S_ERR_RLP_NON_CANONICAL"),
    ("x402s_rlp_decode", (b"\xbf" + b"\xff" * 8, 9), "X402S_ERR_RLP_INVALID"),
    ("x402s_rlp_decode", (BIG, len(BIG)), "X402S_ERR_INPUT_TOO_LARGE"),
    ("x402s_evm_tx_sign", (b"[]", 2, EVM_SIGNER), "X402S_ERR_EVM_INVALID_TRANSACTION"),
    ("x402s_evm_tx_sign", (TX, len(TX), FEE_SIGNER), "X402S_ERR_INVALID_KEY"),
    ("x402s_evm_tx_sign", (b"\xff", 1, EVM_SIGNER), "X402S_ERR_INVALID_UTF8"),
    ("x402s_evm_tx_sign", (b"{", 1, EVM_SIGNER), "X402S_ERR_INVALID_JSON"),
    ("x402s_evm_tx_decode", (RAW[:-1], len(RAW) - 1), "X402S_ERR_RLP_INVALID"),
    ("x402s_evm_tx_decode", (BIG, len(BIG)), "X402S_ERR_INPUT_TOO_LARGE"),
    ("x402s_evm_abi_encode_call", (b"f(address)", 10, b"{}", 2), "X402S_ERR_ABI_INVALID_VALUE"),
    ("x402s_evm_abi_encode_call", (b"f(" * 600, 1200, b"[]", 2), "X402S_ERR_INPUT_TOO_LARGE"),
    ("x402s_evm_abi_encode_call", (b"f(" + b"(" * 40 + b")" * 41, 83, b"[]", 2), "X402S_ERR_ABI_INVALID_TYPE"),
    ("x402s_evm_abi_encode_call", (b"\xff(", 2, b"[]", 2), "X402S_ERR_INVALID_UTF8"),
    ("x402s_evm_abi_decode", (b"(uint256[])", 11, b"\x00" * 31 + b"\x20" + b"\xff" * 32, 64),
     "X402S_ERR_ABI_DECODE_FAILED"),
    ("x402s_evm_abi_decode", (b"(uint256)", 9, BIG, len(BIG)), "X402S_ERR_INPUT_TOO_LARGE"),
    ("x402s_evm_abi_decode_revert", (BIG, len(BIG)), "X402S_ERR_INPUT_TOO_LARGE"),
    ("x402s_x402_evm_settle_call", (b"{}", 2, b"{}", 2), "X402S_ERR_X402_UNSUPPORTED_VERSION"),
    ("x402s_solana_submission", (FULL[:10], 10, FEE_SIGNER, None, 0), "X402S_ERR_SOLANA_INVALID_TRANSACTION"),
    ("x402s_solana_submission", (FULL, len(FULL), EVM_SIGNER, None, 0), "X402S_ERR_INVALID_KEY"),
    ("x402s_solana_submission", (FULL, len(FULL), None, b"\x00" * 31, 31), "X402S_ERR_INVALID_LENGTH"),
    ("x402s_solana_submission", (FULL + FULL, 2 * len(FULL), None, None, 0), "X402S_ERR_SOLANA_INVALID_TRANSACTION"),
    ("x402s_solana_submission", (BIG, len(BIG), None, None, 0), "X402S_ERR_INPUT_TOO_LARGE"),
])
def test_specific_errors(name, inputs, status):
    st, err = call(name, *inputs)
    assert st == S[status], (st, err.message)
    assert err.code == st and err.message


def test_evm_abi_decode_of_a_huge_array_length_does_not_allocate():
    # an array claiming 2^64 - 1 elements in 64 bytes: refused before anything is read
    data = (32).to_bytes(32, "big") + (2**64 - 1).to_bytes(32, "big")
    st, _ = call("x402s_evm_abi_decode", b"(bytes32[])", 11, data, len(data))
    assert st == S["X402S_ERR_ABI_DECODE_FAILED"]
