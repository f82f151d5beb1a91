"""Solana helpers of the core: curve check, program-derived and associated token addresses,
v0 message compilation, transaction decoding / sanitizing / co-signing, and the x402
``exact`` transaction with raw parameters (:func:`exact_build`, :func:`exact_verify`).

Public keys are base58 ``str``; byte strings are ``bytes`` (or ``"0x"`` hex where noted).
Errors: :class:`~x402secure.errors.SolanaError` (``X402S_ERR_SOLANA_*``) and the others of
:mod:`x402secure.errors`.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Mapping, NamedTuple, Optional, Sequence, Union

from . import _native as N
from ._accounts import SolanaKeypair
from ._native import lib
from ._native_x402 import S_OK, S_PAYMENT_INVALID, S_VERIFY_FAILED, call_out

__all__ = [
    "TOKEN_PROGRAM",
    "TOKEN_2022_PROGRAM",
    "ASSOCIATED_TOKEN_PROGRAM",
    "ProgramAddress",
    "SolanaVerification",
    "is_on_curve",
    "public_key_bytes",
    "create_program_address",
    "find_program_address",
    "associated_token_address",
    "compile_message_v0",
    "decode_transaction",
    "sanitize_transaction",
    "sign_transaction",
    "exact_build",
    "exact_verify",
    "Submission",
    "submission",
]

TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
TOKEN_2022_PROGRAM = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb"
ASSOCIATED_TOKEN_PROGRAM = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL"

BytesLike = Union[bytes, bytearray, memoryview]

_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode

_on_curve = lib.x402s_solana_is_on_curve
_pk_decode = lib.x402s_solana_public_key_decode
_create_pda = lib.x402s_solana_create_program_address
_find_pda = lib.x402s_solana_find_program_address
_ata = lib.x402s_solana_associated_token_address
_compile = lib.x402s_solana_compile_message_v0
_decode_tx = lib.x402s_solana_decode_transaction
_sanitize = lib.x402s_solana_sanitize_transaction
_sign_tx = lib.x402s_solana_sign_transaction
_build = lib.x402s_solana_exact_build
_exact_verify = lib.x402s_solana_exact_verify


class ProgramAddress(NamedTuple):
    """A program-derived address and its bump seed."""

    address: str
    bump: int


class SolanaVerification(NamedTuple):
    """The verdict of :func:`exact_verify`."""

    is_valid: bool
    reason: Optional[str]
    payer: Optional[str]
    message_hash_base64: Optional[str]
    """x402's settlement dedup key: base64(sha256(message bytes))."""
    message: str


def _text(value: object, op: str, what: str) -> bytes:
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        return N.as_text(value, op, what)
    raise N.type_error(op, what, value)


def _bytes(value: object, op: str, what: str) -> bytes:
    return N.as_bytes(value, op, what)


def _seeds_json(seeds: object, op: str) -> bytes:
    if not isinstance(seeds, (list, tuple)):
        raise N.type_error(op, "seeds", seeds)
    items: List[str] = []
    for s in seeds:  # type: ignore[union-attr]
        if isinstance(s, str):
            items.append(s)
        elif isinstance(s, (bytes, bytearray, memoryview)):
            items.append("0x" + bytes(s).hex())
        else:
            raise N.type_error(op, "seed", s)
    return _dumps(items).encode("utf-8")


def _require_str(op: str, **values: object) -> None:
    for name, v in values.items():
        if not isinstance(v, str):
            raise N.type_error(op, name, v)


def _json(value: Mapping[str, Any], op: str) -> bytes:
    try:
        return _dumps(value).encode("utf-8")
    except (TypeError, ValueError, UnicodeEncodeError):
        raise N.arg_error(N.S_INVALID_JSON, op, "the request is not JSON-serialisable") from None


def is_on_curve(data: BytesLike) -> bool:
    """Whether 32 bytes decompress to an Ed25519 curve point (program-derived addresses do not).

    Raises:
        InvalidArgumentError: ``X402S_ERR_INVALID_LENGTH``.
    """
    op = "x402s_solana_is_on_curve"
    b = _bytes(data, op, "data")
    st = _on_curve(b, len(b), None)
    if st == S_OK:
        return True
    if st == S_VERIFY_FAILED:
        return False
    raise N.fail(st, _on_curve, (b, len(b)))


def public_key_bytes(address: str) -> bytes:
    """The 32 bytes of a base58 Solana public key.

    Raises:
        SolanaError: ``X402S_ERR_SOLANA_INVALID_PUBLIC_KEY``.
    """
    op = "x402s_solana_public_key_decode"
    t = _text(address, op, "address")
    from ctypes import c_char

    out = (c_char * 32)()
    st = _pk_decode(out, 32, t, len(t), None)
    if st:
        raise N.fail(st, _pk_decode, (out, 32, t, len(t)))
    return out.raw


def create_program_address(seeds: Sequence[Union[bytes, str]], program_id: str) -> str:
    """Solana's ``create_program_address`` (seeds as bytes or ``"0x"`` hex).

    Raises:
        SolanaError: ``X402S_ERR_SOLANA_NO_PROGRAM_ADDRESS`` (the hash is on the curve),
            ``X402S_ERR_SOLANA_INVALID_PUBLIC_KEY``.
        InvalidArgumentError: ``X402S_ERR_INVALID_ARGUMENT`` (too many or too long seeds).
    """
    op = "x402s_solana_create_program_address"
    s = _seeds_json(seeds, op)
    p = _text(program_id, op, "program_id")
    return call_out(_create_pda, 64, s, len(s), p, len(p))[1].decode("ascii")


def find_program_address(seeds: Sequence[Union[bytes, str]], program_id: str) -> ProgramAddress:
    """Solana's ``find_program_address``: the first bump from 255 down whose address is off the curve."""
    op = "x402s_solana_find_program_address"
    s = _seeds_json(seeds, op)
    p = _text(program_id, op, "program_id")
    out = json.loads(call_out(_find_pda, 128, s, len(s), p, len(p))[1])
    return ProgramAddress(out["address"], out["bump"])


def associated_token_address(owner: str, mint: str, token_program: Optional[str] = None) -> str:
    """The associated token account of ``owner`` for ``mint`` (token program default: Token)."""
    op = "x402s_solana_associated_token_address"
    o = _text(owner, op, "owner")
    m = _text(mint, op, "mint")
    t = None if token_program is None else _text(token_program, op, "token_program")
    return call_out(_ata, 64, o, len(o), m, len(m), t, 0 if t is None else len(t))[1].decode("ascii")


def compile_message_v0(payer: str, instructions: Iterable[Mapping[str, Any]], recent_blockhash: str) -> Dict[str, Any]:
    """Compile instructions (``{"programId", "accounts": [{"publicKey", "isSigner",
    "isWritable"}], "data": "0x.."}``) into a v0 message: ``{"messageHex", "accountKeys",
    "header"}`` (solana-sdk's account order)."""
    op = "x402s_solana_compile_message_v0"
    if not isinstance(instructions, (list, tuple)):
        raise N.type_error(op, "instructions", instructions)
    if not isinstance(payer, str):
        raise N.type_error(op, "payer", payer)
    if not isinstance(recent_blockhash, str):
        raise N.type_error(op, "recent_blockhash", recent_blockhash)
    req = _json({"payer": payer, "recentBlockhash": recent_blockhash, "instructions": list(instructions)}, op)
    return json.loads(call_out(_compile, 4096, req, len(req))[1])


def decode_transaction(tx: BytesLike) -> Dict[str, Any]:
    """Decode a serialized transaction (legacy or v0) to its JSON view (see the header).

    Raises:
        SolanaError: ``X402S_ERR_SOLANA_INVALID_TRANSACTION``.
    """
    op = "x402s_solana_decode_transaction"
    b = _bytes(tx, op, "tx")
    return json.loads(call_out(_decode_tx, 4096 + 4 * len(b), b, len(b))[1])


def sanitize_transaction(tx: BytesLike) -> None:
    """Decode and apply Solana's sanitize rules; raises SolanaError when they fail."""
    op = "x402s_solana_sanitize_transaction"
    b = _bytes(tx, op, "tx")
    st = _sanitize(b, len(b), None)
    if st:
        raise N.fail(st, _sanitize, (b, len(b)))


def sign_transaction(tx: BytesLike, keypair: SolanaKeypair) -> bytes:
    """Sign the message with ``keypair`` into its signer slot (a facilitator co-signing as fee
    payer); returns the serialized transaction.

    Raises:
        InvalidArgumentError: ``X402S_ERR_INVALID_ARGUMENT`` (not a signer of the message).
        SolanaError: ``X402S_ERR_SOLANA_INVALID_TRANSACTION``.
    """
    op = "x402s_solana_sign_transaction"
    b = _bytes(tx, op, "tx")
    if not isinstance(keypair, SolanaKeypair):
        raise N.type_error(op, "keypair", keypair)
    with keypair._key(op) as view:  # close() on another thread waits to wipe it
        return call_out(_sign_tx, len(b) + 64, b, len(b), view, 32)[1]


def exact_build(
    signer: SolanaKeypair,
    *,
    fee_payer: str,
    pay_to: str,
    mint: str,
    decimals: int,
    amount: Union[int, str],
    recent_blockhash: Union[str, bytes],
    token_program: Optional[str] = None,
    memo: Optional[str] = None,
    memo_nonce: Union[None, bytes, str] = None,
) -> bytes:
    """The buyer's partially signed x402 ``exact`` transaction from raw parameters
    (:func:`x402secure.create_payment_header` does the same from a requirement).

    Raises:
        InvalidArgumentError: ``X402S_ERR_INVALID_ARGUMENT`` (fee payer is the signer, memo too
            long, unknown token program), ``X402S_ERR_INVALID_LENGTH`` (blockhash, memo nonce).
        X402Error: ``X402S_ERR_X402_INVALID_AMOUNT``.
    """
    op = "x402s_solana_exact_build"
    if not isinstance(signer, SolanaKeypair):
        raise N.type_error(op, "signer", signer)
    _require_str(op, fee_payer=fee_payer, pay_to=pay_to, mint=mint)
    if type(decimals) is bool or not isinstance(decimals, int):
        raise N.type_error(op, "decimals", decimals)
    if type(amount) is bool or not isinstance(amount, (int, str)):
        raise N.type_error(op, "amount", amount)
    req: Dict[str, Any] = {"feePayer": fee_payer, "payTo": pay_to, "mint": mint, "decimals": decimals,
                           "amount": str(amount)}
    if isinstance(recent_blockhash, (bytes, bytearray, memoryview)):
        req["recentBlockhash"] = "0x" + bytes(recent_blockhash).hex()
    else:
        req["recentBlockhash"] = recent_blockhash
    if token_program is not None:
        req["tokenProgram"] = token_program
    if memo is not None:
        req["memo"] = memo
    if memo_nonce is not None:
        req["memoNonce"] = memo_nonce if isinstance(memo_nonce, str) else "0x" + bytes(memo_nonce).hex()
    data = _json(req, op)
    with signer._key(op) as view:
        return call_out(_build, 1232, data, len(data), view, 32)[1]


def exact_verify(
    transaction_base64: str,
    *,
    network: str,
    asset: str,
    pay_to: str,
    amount: Union[int, str],
    fee_payer: Optional[str] = None,
    memo: Optional[str] = None,
    decimals: Optional[int] = None,
    facilitator_signers: Optional[Iterable[str]] = None,
) -> SolanaVerification:
    """Verify an x402 ``exact`` Solana transaction against raw requirement fields.

    Raises:
        X402Error: ``X402S_ERR_X402_INVALID_REQUIREMENTS`` (asset or payTo not addresses),
            ``X402S_ERR_X402_INVALID_AMOUNT``.
    """
    op = "x402s_solana_exact_verify"
    _require_str(op, transaction_base64=transaction_base64, network=network, asset=asset, pay_to=pay_to)
    if type(amount) is bool or not isinstance(amount, (int, str)):
        raise N.type_error(op, "amount", amount)
    req: Dict[str, Any] = {"transactionBase64": transaction_base64, "network": network, "asset": asset,
                           "payTo": pay_to, "amount": amount if isinstance(amount, str) else str(amount)}
    if fee_payer is not None:
        req["feePayer"] = fee_payer
    if memo is not None:
        req["memo"] = memo
    if decimals is not None:
        req["decimals"] = decimals
    if facilitator_signers is not None:
        req["facilitatorSigners"] = list(facilitator_signers)
    data = _json(req, op)
    _, raw = call_out(_exact_verify, 512, data, len(data), ok=(S_OK, S_PAYMENT_INVALID))
    r = json.loads(raw)
    return SolanaVerification(r["isValid"], r.get("reason"), r.get("payer"), r.get("messageHashBase64"), r["message"])


class Submission(NamedTuple):
    """A fully signed transaction ready for ``sendTransaction``."""

    transaction_base64: str
    """The wire form: ``sendTransaction`` / ``simulateTransaction`` with ``encoding: base64``."""
    transaction_id: str
    """Base58 of the first (fee payer's) signature: what ``sendTransaction`` returns."""
    message_hash_base64: str
    """x402's settlement dedup key of the message."""
    fee_payer: str
    recent_blockhash: str


def submission(tx: BytesLike, fee_payer: Optional[SolanaKeypair] = None,
               message_hash: Optional[BytesLike] = None) -> Submission:
    """Prepare a transaction for ``sendTransaction``: check that its message is the one
    verified (``message_hash``: sha256 of the message as x402 keys it, 32 bytes), co-sign slot 0
    with ``fee_payer`` (its prepared signer in the core), and require every signature to verify.

    Raises:
        SolanaError: ``X402S_ERR_SOLANA_INVALID_TRANSACTION``, ``..._NOT_FEE_PAYER``,
            ``..._MESSAGE_MISMATCH``, ``..._NOT_FULLY_SIGNED``.
        InvalidArgumentError: ``X402S_ERR_INVALID_LENGTH`` (message hash not 32 bytes).
    """
    from .evm import SETTLE_PROTOTYPES  # noqa: F401  (declares x402s_solana_submission)

    op = "x402s_solana_submission"
    b = _bytes(tx, op, "tx")
    h = None
    if fee_payer is not None:
        if not isinstance(fee_payer, SolanaKeypair):
            raise N.type_error(op, "fee_payer", fee_payer)
        h = fee_payer._signer_handle(op)
    m = None if message_hash is None else _bytes(message_hash, op, "message_hash")
    raw = call_out(lib.x402s_solana_submission, 2048 + 2 * len(b), b, len(b), h, m, 0 if m is None else len(m))[1]
    r = json.loads(raw)
    return Submission(r["transactionBase64"], r["transactionId"], r["messageHashBase64"], r["feePayer"],
                      r["recentBlockhash"])
