"""EVM settlement helpers of the core: RLP, EIP-1559 (type 2) transactions signed with a
prepared signer, ABI calls and results, revert reasons, and the call that settles an x402
payment (``include/x402_secure.h``, section "Settlement").

Values: byte strings are ``bytes``; integers are ``int``; addresses are ``str``. Every rule
(canonical RLP, field ranges, ABI strictness) lives in the core; this module converts.
Errors: :class:`~x402secure.errors.EvmError` (``X402S_ERR_RLP_*``, ``X402S_ERR_EVM_*``,
``X402S_ERR_ABI_*``) and the others of :mod:`x402secure.errors`.
"""

from __future__ import annotations

import json
from ctypes import POINTER, c_int32, c_size_t, c_void_p
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Union

from . import _native as N
from ._accounts import EvmAccount
from ._native import Error, lib
from ._native_x402 import call_out

__all__ = [
    "TRANSFER_WITH_AUTHORIZATION_VRS",
    "TRANSFER_WITH_AUTHORIZATION_BYTES",
    "EXACT_PERMIT2_SETTLE",
    "UPTO_PERMIT2_SETTLE",
    "BALANCE_OF",
    "AUTHORIZATION_STATE",
    "SignedTransaction",
    "rlp_encode",
    "rlp_decode",
    "sign_transaction",
    "decode_transaction",
    "abi_encode_call",
    "abi_decode",
    "decode_revert",
    "settle_call",
]

_P, _N, _NP, _E, _ST = c_void_p, c_size_t, POINTER(c_size_t), POINTER(Error), c_int32

#: ctypes declarations of the header section "Settlement" (added to _native.PROTOTYPES).
SETTLE_PROTOTYPES: Dict[str, Any] = {
    "x402s_rlp_encode": (_ST, [_P, _N, _NP, _P, _N, _E]),
    "x402s_rlp_decode": (_ST, [_P, _N, _NP, _P, _N, _E]),
    "x402s_evm_tx_sign": (_ST, [_P, _N, _NP, _P, _N, _P, _E]),
    "x402s_evm_tx_decode": (_ST, [_P, _N, _NP, _P, _N, _E]),
    "x402s_evm_abi_encode_call": (_ST, [_P, _N, _NP, _P, _N, _P, _N, _E]),
    "x402s_evm_abi_decode": (_ST, [_P, _N, _NP, _P, _N, _P, _N, _E]),
    "x402s_evm_abi_decode_revert": (_ST, [_P, _N, _NP, _P, _N, _E]),
    "x402s_x402_evm_settle_call": (_ST, [_P, _N, _NP, _P, _N, _P, _N, _E]),
    "x402s_solana_submission": (_ST, [_P, _N, _NP, _P, _N, _P, _P, _N, _E]),
}
N.declare(SETTLE_PROTOTYPES)

_rlp_encode = lib.x402s_rlp_encode
_rlp_decode = lib.x402s_rlp_decode
_tx_sign = lib.x402s_evm_tx_sign
_tx_decode = lib.x402s_evm_tx_decode
_abi_encode = lib.x402s_evm_abi_encode_call
_abi_decode = lib.x402s_evm_abi_decode
_revert = lib.x402s_evm_abi_decode_revert
_settle_call = lib.x402s_x402_evm_settle_call

TRANSFER_WITH_AUTHORIZATION_VRS = (
    "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)")
TRANSFER_WITH_AUTHORIZATION_BYTES = "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)"
EXACT_PERMIT2_SETTLE = "settle(((address,uint256),uint256,uint256),address,(address,uint256),bytes)"
UPTO_PERMIT2_SETTLE = "settle(((address,uint256),uint256,uint256),uint256,address,(address,address,uint256),bytes)"
BALANCE_OF = "balanceOf(address)"
AUTHORIZATION_STATE = "authorizationState(address,bytes32)"

BytesLike = Union[bytes, bytearray, memoryview]
_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _json_bytes(value: Any, op: str, what: str) -> bytes:
    try:
        return _dumps(value).encode("utf-8")
    except (TypeError, ValueError, UnicodeEncodeError):
        raise N.arg_error(N.S_INVALID_JSON, op, f"{what} is not JSON-serialisable") from None


def _rlp_json(item: Any, op: str, depth: int = 0) -> Any:
    """Python RLP item -> the core's JSON view ("0x" hex strings and arrays)."""
    if depth > 64:
        raise N.arg_error(N.S_INVALID_ARGUMENT, op, "RLP items nested too deeply")
    if isinstance(item, (bytes, bytearray, memoryview)):
        return "0x" + bytes(item).hex()
    if isinstance(item, bool):
        raise N.type_error(op, "item", item)
    if isinstance(item, int):
        if item < 0:
            raise N.arg_error(N.S_INVALID_ARGUMENT, op, "RLP integers are non-negative")
        return "0x" + (item.to_bytes((item.bit_length() + 7) // 8, "big").hex())
    if isinstance(item, str):
        return item
    if isinstance(item, (list, tuple)):
        return [_rlp_json(i, op, depth + 1) for i in item]
    raise N.type_error(op, "item", item)


def _from_rlp_json(v: Any) -> Any:
    if isinstance(v, str):
        return bytes.fromhex(v[2:])
    return [_from_rlp_json(i) for i in v]


def rlp_encode(item: Any) -> bytes:
    """RLP encoding of ``item``: ``bytes`` (or ``"0x"`` hex text) is a string, a non-negative
    ``int`` its minimal big-endian bytes, a list or tuple a list.

    Raises:
        InvalidArgumentError: other types, negative integers, bad hex.
    """
    op = "x402s_rlp_encode"
    data = _json_bytes(_rlp_json(item, op), op, "item")
    return call_out(_rlp_encode, max(64, len(data)), data, len(data))[1]


def rlp_decode(data: BytesLike) -> Any:
    """Decode exactly one canonical RLP item: ``bytes`` or nested lists of them.

    Raises:
        EvmError: ``X402S_ERR_RLP_INVALID``, ``X402S_ERR_RLP_NON_CANONICAL``.
    """
    op = "x402s_rlp_decode"
    b = N.as_bytes(data, op, "data")
    return _from_rlp_json(json.loads(call_out(_rlp_decode, 64 + 3 * len(b), b, len(b))[1]))


class SignedTransaction(NamedTuple):
    """A signed EIP-1559 transaction."""

    raw: bytes
    """``0x02 || rlp(...)``: the parameter of ``eth_sendRawTransaction``."""
    hash: str
    """``"0x"`` + keccak-256 of ``raw``: the transaction hash."""
    sender: str
    """The checksummed address of the signer."""
    fields: Dict[str, Any]
    """The core's JSON view (numbers as decimal strings)."""


def _tx_json(tx: Mapping[str, Any], op: str) -> bytes:
    if not isinstance(tx, Mapping):
        raise N.type_error(op, "tx", tx)
    out: Dict[str, Any] = {}
    for k, v in tx.items():
        if isinstance(v, (bytes, bytearray, memoryview)):
            v = "0x" + bytes(v).hex()
        elif k == "accessList" and isinstance(v, (list, tuple)):
            v = [{"address": e["address"] if isinstance(e, Mapping) else e[0],
                  "storageKeys": [("0x" + bytes(s).hex()) if isinstance(s, (bytes, bytearray)) else s
                                  for s in (e["storageKeys"] if isinstance(e, Mapping) else e[1])]}
                 for e in v]
        out[k] = v
    return _json_bytes(out, op, "tx")


def _signed(doc: Dict[str, Any]) -> SignedTransaction:
    return SignedTransaction(bytes.fromhex(doc["raw"][2:]), doc["hash"], doc["from"], doc)


def sign_transaction(tx: Mapping[str, Any], account: EvmAccount) -> SignedTransaction:
    """Sign an EIP-1559 transaction with ``account`` (its prepared signer in the core).

    ``tx``: ``chainId``, ``nonce``, ``maxPriorityFeePerGas``, ``maxFeePerGas``, ``gas``,
    ``to`` (None: contract creation), ``value``, ``data`` (bytes or ``"0x"`` hex),
    ``accessList``, optional ``type`` (2) and ``from`` (must be the account) — the field
    names of eth_account's ``sign_transaction``.

    Raises:
        EvmError: ``X402S_ERR_EVM_INVALID_TRANSACTION``.
        InvalidArgumentError: address, hex, JSON errors; ``from`` is not the account.
        InvalidKeyError: the account was closed.
    """
    op = "x402s_evm_tx_sign"
    if not isinstance(account, EvmAccount):
        raise N.type_error(op, "account", account)
    data = _tx_json(tx, op)
    h = account._signer_handle(op)
    return _signed(json.loads(call_out(_tx_sign, 1024 + 3 * len(data), data, len(data), h)[1]))


def decode_transaction(raw: BytesLike) -> SignedTransaction:
    """Decode a signed EIP-1559 transaction (canonical form only) and recover its sender.

    Raises:
        EvmError: ``X402S_ERR_EVM_INVALID_TRANSACTION``, ``X402S_ERR_RLP_*``.
        InvalidSignatureError: the signature recovers no key or is high-s.
    """
    op = "x402s_evm_tx_decode"
    b = N.as_bytes(raw, op, "raw")
    return _signed(json.loads(call_out(_tx_decode, 1024 + 3 * len(b), b, len(b))[1]))


def _abi_json(v: Any, op: str, depth: int = 0) -> Any:
    if depth > 16:
        raise N.arg_error(N.S_INVALID_ARGUMENT, op, "ABI values nested too deeply")
    if isinstance(v, (bytes, bytearray, memoryview)):
        return "0x" + bytes(v).hex()
    if isinstance(v, (list, tuple)):
        return [_abi_json(i, op, depth + 1) for i in v]
    return v


def abi_encode_call(signature: str, args: Sequence[Any]) -> bytes:
    """Calldata of ``signature`` (``"name(type,...)"``) with ``args``: selector + encoding.

    Values: addresses as text; ``int`` (or decimal / ``"0x"`` text) for uintN; ``bytes`` (or
    ``"0x"`` hex) for bytesN and bytes; ``str``; ``bool``; lists or tuples for tuples and
    arrays.

    Raises:
        EvmError: ``X402S_ERR_ABI_INVALID_TYPE``, ``X402S_ERR_ABI_INVALID_VALUE``.
    """
    op = "x402s_evm_abi_encode_call"
    if not isinstance(signature, str):
        raise N.type_error(op, "signature", signature)
    if not isinstance(args, (list, tuple)):
        raise N.type_error(op, "args", args)
    s = N.as_text(signature, op, "signature")
    a = _json_bytes(_abi_json(list(args), op), op, "args")
    return call_out(_abi_encode, 256 + 2 * len(a), s, len(s), a, len(a))[1]


def abi_decode(types: str, data: BytesLike) -> List[Any]:
    """Decode ABI data as the tuple ``types`` (``"(uint256)"``, ``"(bool,string)"``).

    Returns the values: addresses as checksummed ``str``, integers as ``int``, bytes as
    ``bytes``, strings, booleans, lists for tuples and arrays.

    Raises:
        EvmError: ``X402S_ERR_ABI_INVALID_TYPE``, ``X402S_ERR_ABI_DECODE_FAILED``.
    """
    op = "x402s_evm_abi_decode"
    if not isinstance(types, str):
        raise N.type_error(op, "types", types)
    t = N.as_text(types, op, "types")
    b = N.as_bytes(data, op, "data")
    raw = json.loads(call_out(_abi_decode, 256 + 4 * len(b), t, len(t), b, len(b))[1])
    return _typed(raw, types)


def _split_types(inner: str) -> List[str]:
    parts, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        cur += ch
    if cur:
        parts.append(cur)
    return parts


def _typed(values: List[Any], types: str) -> List[Any]:
    """The core's JSON view -> Python values, guided by the type text (already validated)."""
    inner = types.strip()[1:-1]
    return [_one(v, t) for v, t in zip(values, _split_types(inner))]


def _one(v: Any, t: str) -> Any:
    if t.endswith("[]"):
        return [_one(i, t[:-2]) for i in v]
    if t.startswith("("):
        return _typed(v, t)
    if t.startswith("uint"):
        return int(v)
    if t.startswith("bytes"):
        return bytes.fromhex(v[2:])
    return v


def decode_revert(data: BytesLike) -> Dict[str, Any]:
    """Classify revert data: ``{"kind": "empty"}``, ``{"kind": "error", "message"}``,
    ``{"kind": "panic", "code", "message"}`` or ``{"kind": "custom", "selector"?, "data"}``."""
    op = "x402s_evm_abi_decode_revert"
    b = N.as_bytes(data, op, "data")
    return json.loads(call_out(_revert, 256 + 3 * len(b), b, len(b))[1])


def settle_call(payment: Mapping[str, Any], requirements: Mapping[str, Any]) -> Dict[str, Any]:
    """The call that settles a (verified) EVM x402 payment: ``{"method", "chainId", "to",
    "function", "data", "payer", "asset", "recipient", "amount", "settlementKey", "nonce"}``
    (see the header). ``payment`` is the PaymentPayload object, ``requirements`` the
    requirement paid.

    Raises:
        X402Error: ``X402S_ERR_X402_INVALID_PAYLOAD``, ``..._INVALID_REQUIREMENTS``,
            ``..._UNKNOWN_NETWORK``, ``..._UNSUPPORTED_SCHEME``.
    """
    op = "x402s_x402_evm_settle_call"
    if not isinstance(payment, Mapping):
        raise N.type_error(op, "payment", payment)
    if not isinstance(requirements, Mapping):
        raise N.type_error(op, "requirements", requirements)
    p = _json_bytes(payment, op, "payment")
    r = _json_bytes(requirements, op, "requirements")
    return json.loads(call_out(_settle_call, 2048, p, len(p), r, len(r))[1])
