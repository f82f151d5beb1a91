"""Solana accounts and transactions, and price units by decimals (the core's Solana
internals, as the C ABI exposes them). Public keys are base58 str; transactions are
bytes; JSON results are parsed into plain Python objects."""

from __future__ import annotations

import json
from ctypes import c_char
from typing import Any, Dict, Iterable, NamedTuple, Optional, Union

from . import _native as N
from ._accounts import SolanaKeypair
from ._native import Error, lib
from ._x402 import JSONLike, _call_out, _json_arg, _ptr, _text_arg

BytesLike = Union[bytes, bytearray, memoryview]

_B32 = c_char * 32


def price_to_atomic_units(price: str, decimals: int) -> str:
    """A price (``"$0.01"`` or ``"0.01"``) in atomic units of a token with ``decimals``
    decimals (0-77), as decimal text; more decimals than the token has are rejected.

    Raises:
        ArgumentTypeError: ``price`` is not str/bytes-like or ``decimals`` not an int.
        X402Error: ``X402S_ERR_X402_INVALID_AMOUNT``.
        InvalidArgumentError: ``X402S_ERR_INVALID_ARGUMENT`` (decimals out of range).
    """
    op = "x402s_x402_price_to_atomic_units"
    if type(decimals) is not int:
        raise N.type_error(op, "decimals", decimals)
    if not 0 <= decimals < 2**32:
        raise N.arg_error(N.S_INVALID_ARGUMENT, op, "decimals is out of range")
    args = _ptr(_text_arg(price, op, "price")) + (decimals,)
    return _call_out(lib.x402s_x402_price_to_atomic_units, args, 128)[1].decode("ascii")


def solana_is_on_curve(data: BytesLike) -> bool:
    """Whether 32 bytes decompress to a point of the Ed25519 curve (Solana's
    ``is_on_curve``; program-derived addresses are off the curve).

    Raises:
        ArgumentTypeError: ``data`` is not bytes-like.
        InvalidArgumentError: ``X402S_ERR_INVALID_LENGTH``.
    """
    op = "x402s_solana_is_on_curve"
    if type(data) is not bytes:
        data = N.as_bytes(data, op, "data")
    err = Error()
    st = lib.x402s_solana_is_on_curve(data, len(data), err)
    if st == N.S_OK:
        return True
    if st == N.S_VERIFY_FAILED:
        return False
    raise N.make_error(st, op, err.message.decode("utf-8", "replace"))


def solana_public_key_decode(text: str) -> bytes:
    """The 32 bytes of a base58 Solana public key.

    Raises:
        ArgumentTypeError: ``text`` is not str or bytes-like.
        SolanaError: ``X402S_ERR_SOLANA_INVALID_PUBLIC_KEY``.
        InvalidArgumentError: ``X402S_ERR_INVALID_UTF8``.
    """
    op = "x402s_solana_public_key_decode"
    data = N.as_text(text, op, "text")
    out = _B32()
    err = Error()
    st = lib.x402s_solana_public_key_decode(out, 32, data, len(data), err)
    if st:
        raise N.make_error(st, op, err.message.decode("utf-8", "replace"))
    return out.raw


def _seeds_json(seeds: Iterable[BytesLike], op: str) -> bytes:
    if seeds is None or isinstance(seeds, (str, bytes, bytearray, memoryview)) or not hasattr(seeds, "__iter__"):
        raise N.type_error(op, "seeds", seeds)
    return json.dumps(["0x" + N.as_bytes(s, op, "seed").hex() for s in seeds]).encode()


def solana_create_program_address(seeds: Iterable[BytesLike], program_id: str) -> str:
    """Solana's ``create_program_address`` (at most 16 seeds of at most 32 bytes).

    Raises:
        ArgumentTypeError: wrong argument types.
        SolanaError: ``X402S_ERR_SOLANA_NO_PROGRAM_ADDRESS`` (the hash is on the curve),
            ``X402S_ERR_SOLANA_INVALID_PUBLIC_KEY``.
        InvalidArgumentError: ``X402S_ERR_INVALID_ARGUMENT`` (seed count or length).
    """
    op = "x402s_solana_create_program_address"
    args = _ptr(_seeds_json(seeds, op)) + _ptr(_text_arg(program_id, op, "program_id"))
    return _call_out(lib.x402s_solana_create_program_address, args, 64)[1].decode("ascii")


class ProgramAddress(NamedTuple):
    """A program-derived address and its bump seed."""

    address: str
    bump: int


def solana_find_program_address(seeds: Iterable[BytesLike], program_id: str) -> ProgramAddress:
    """Solana's ``find_program_address``: the first bump from 255 down whose address is off
    the curve (at most 15 seeds).

    Raises:
        as :func:`solana_create_program_address`.
    """
    op = "x402s_solana_find_program_address"
    args = _ptr(_seeds_json(seeds, op)) + _ptr(_text_arg(program_id, op, "program_id"))
    got = json.loads(_call_out(lib.x402s_solana_find_program_address, args, 128)[1])
    return ProgramAddress(got["address"], got["bump"])


def solana_associated_token_address(owner: str, mint: str, token_program: Optional[str] = None) -> str:
    """The associated token account of ``owner`` for ``mint`` (``token_program``: None =
    the Token program; pass Token-2022's id for Token-2022 mints).

    Raises:
        ArgumentTypeError: wrong argument types.
        SolanaError: ``X402S_ERR_SOLANA_INVALID_PUBLIC_KEY``.
    """
    op = "x402s_solana_associated_token_address"
    args = (_ptr(_text_arg(owner, op, "owner")) + _ptr(_text_arg(mint, op, "mint"))
            + _ptr(_text_arg(token_program, op, "token_program", optional=True)))
    return _call_out(lib.x402s_solana_associated_token_address, args, 64)[1].decode("ascii")


def solana_compile_message_v0(request: JSONLike) -> Dict[str, Any]:
    """Compile ``{"payer", "recentBlockhash", "instructions": [...]}`` into a v0 message
    (solana-sdk's account order): ``{"messageHex", "accountKeys", "header"}``.

    Raises:
        ArgumentTypeError: ``request`` has another type.
        InvalidArgumentError: ``X402S_ERR_INVALID_LENGTH``, ``X402S_ERR_INVALID_ARGUMENT``, JSON errors.
        SolanaError: ``X402S_ERR_SOLANA_INVALID_PUBLIC_KEY``.
    """
    op = "x402s_solana_compile_message_v0"
    return json.loads(_call_out(lib.x402s_solana_compile_message_v0, _ptr(_json_arg(request, op, "request")))[1])


def solana_decode_transaction(tx: BytesLike) -> Dict[str, Any]:
    """Decode a serialized transaction (legacy or v0; trailing bytes rejected) to JSON
    (signatures, header, account keys, instructions, messageHashBase64, sanitizeOk, ...).

    Raises:
        ArgumentTypeError: ``tx`` is not bytes-like.
        SolanaError: ``X402S_ERR_SOLANA_INVALID_TRANSACTION``.
        InvalidArgumentError: ``X402S_ERR_INPUT_TOO_LARGE``.
    """
    op = "x402s_solana_decode_transaction"
    data = N.as_bytes(tx, op, "tx")
    return json.loads(_call_out(lib.x402s_solana_decode_transaction, _ptr(data), 16384)[1])


def solana_sanitize_transaction(tx: BytesLike) -> None:
    """Decode a transaction and apply Solana's sanitize rules; returns None when it passes.

    Raises:
        ArgumentTypeError: ``tx`` is not bytes-like.
        SolanaError: ``X402S_ERR_SOLANA_INVALID_TRANSACTION``.
        InvalidArgumentError: ``X402S_ERR_INPUT_TOO_LARGE``.
    """
    op = "x402s_solana_sanitize_transaction"
    data = N.as_bytes(tx, op, "tx")
    err = Error()
    st = lib.x402s_solana_sanitize_transaction(data, len(data), err)
    if st:
        raise N.make_error(st, op, err.message.decode("utf-8", "replace"))


def solana_sign_transaction(tx: BytesLike, signer: SolanaKeypair) -> bytes:
    """Sign a transaction's message with ``signer`` and put the signature in its signer
    slot (a facilitator co-signing as fee payer). Returns the serialized transaction.

    Raises:
        ArgumentTypeError: wrong argument types.
        InvalidKeyError: the key pair was closed.
        InvalidArgumentError: ``X402S_ERR_INVALID_ARGUMENT`` (not a signer of the message).
        SolanaError: ``X402S_ERR_SOLANA_INVALID_TRANSACTION``.
    """
    op = "x402s_solana_sign_transaction"
    data = N.as_bytes(tx, op, "tx")
    view = _signer_view(signer, op)
    return _call_out(lib.x402s_solana_sign_transaction, _ptr(data) + (view, 32), len(data) + 64)[1]


def _signer_view(signer: object, op: str):
    if not isinstance(signer, SolanaKeypair):
        raise N.type_error(op, "signer", signer)
    view = signer._view
    if view is None:
        raise N.make_error(N.S_INVALID_KEY, op, "the key was closed (wiped)")
    return view


def solana_exact_build(request: JSONLike, signer: SolanaKeypair) -> bytes:
    """The buyer's partially signed x402 exact transaction from raw parameters
    ``{"feePayer", "payTo", "mint", "decimals", "tokenProgram"?, "amount", "memo"?,
    "recentBlockhash", "memoNonce"?}``, signed by ``signer``.

    Raises:
        ArgumentTypeError: wrong argument types.
        InvalidKeyError: the key pair was closed.
        InvalidArgumentError: ``X402S_ERR_INVALID_ARGUMENT`` (fee payer is the signer, memo too
            long, unknown token program), ``X402S_ERR_INVALID_LENGTH``, JSON errors.
        SolanaError: ``X402S_ERR_SOLANA_INVALID_PUBLIC_KEY``.
    """
    op = "x402s_solana_exact_build"
    doc = _json_arg(request, op, "request")
    view = _signer_view(signer, op)
    return _call_out(lib.x402s_solana_exact_build, _ptr(doc) + (view, 32), 2048)[1]


def solana_exact_verify(request: JSONLike) -> Dict[str, Any]:
    """Verify an x402 exact Solana transaction against raw requirement fields
    ``{"transactionBase64", "network", "asset", "payTo", "amount", "feePayer"?, "memo"?,
    "decimals"?, "facilitatorSigners"?}``. Returns ``{"isValid", "reason"?, "payer"?,
    "messageHashBase64"?, "message"}``; an invalid payment is a result, not an exception.

    Raises:
        ArgumentTypeError: ``request`` has another type.
        X402Error: ``X402S_ERR_X402_INVALID_REQUIREMENTS``.
        InvalidArgumentError: ``X402S_ERR_INVALID_BASE64``, JSON errors.
    """
    op = "x402s_solana_exact_verify"
    _, out = _call_out(lib.x402s_solana_exact_verify, _ptr(_json_arg(request, op, "request")), 16384,
                       (N.S_X402_PAYMENT_INVALID,))
    return json.loads(out)
