"""The x402 protocol: networks, prices, sellers' 402 answers, buyers' selection and
payments, payment-header decoding, offline verification and settlement receipts.

JSON in, JSON out (docs/X402.md): every document argument is a dict (or list),
JSON text (str) or UTF-8 bytes, and every document result is parsed into plain
Python objects (dicts keep the library's key order). Header values are str.
"""

from __future__ import annotations

import ctypes
import json
import time
from ctypes import c_char, c_size_t, c_void_p
from typing import Any, Dict, NamedTuple, Optional, Tuple, Union

from . import _native as N
from ._accounts import EvmAccount, SolanaKeypair
from ._native import Error, lib

JSONLike = Union[dict, list, str, bytes, bytearray, memoryview]

_json_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_string_at = ctypes.string_at

#: First output capacity; the library reports the size when it is not enough.
_FIRST_CAP = 4096
#: x402s_x402_verify records an accepted authorization in the replay guard
#: before it writes its output, so it must never need a retry: its output (a
#: small VerifyResponse) gets a buffer far above its size.
_VERIFY_CAP = 64 * 1024


def _json_arg(value: Any, operation: str, what: str, optional: bool = False) -> Optional[bytes]:
    """A JSON document argument as UTF-8 bytes (None when optional and absent)."""
    if value is None:
        if optional:
            return None
        raise N.type_error(operation, what, value)
    t = type(value)
    if t is bytes:
        return value
    if t is str:
        return N.as_text(value, operation, what)
    if isinstance(value, (dict, list)):
        try:
            text = _json_encode(value)
        except RecursionError:
            raise N.arg_error(N.S_JSON_TOO_DEEP, operation, f"{what} nests too deeply") from None
        except (TypeError, ValueError):
            raise N.arg_error(N.S_INVALID_JSON, operation, f"{what} is not JSON-serialisable") from None
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:
            raise N.arg_error(N.S_INVALID_JSON, operation, f"{what} has a string with a lone surrogate") from None
    if isinstance(value, (bytearray, memoryview)):
        return N.as_bytes(value, operation, what)
    raise N.type_error(operation, what, value)


def _text_arg(value: Any, operation: str, what: str, optional: bool = False) -> Optional[bytes]:
    if value is None and optional:
        return None
    return N.as_text(value, operation, what)


def _ptr(b: Optional[bytes]) -> Tuple[Optional[bytes], int]:
    return (None, 0) if b is None else (b, len(b))


def _call_out(fn, args: tuple, cap: int = _FIRST_CAP, ok_statuses: tuple = ()) -> Tuple[int, bytes]:
    """Call fn(out, cap, &len, *args, &err); retry once with the reported size.

    Returns (status, output bytes) for OK and for the statuses in ok_statuses;
    raises for every other status.
    """
    err = Error()
    n = c_size_t(0)
    out = (c_char * cap)()
    st = fn(out, cap, n, *args, err)
    if st == N.S_BUFFER_TOO_SMALL and n.value > cap:
        cap = n.value
        out = (c_char * cap)()
        st = fn(out, cap, n, *args, err)
    if st == N.S_OK or st in ok_statuses:
        return st, _string_at(out, n.value)
    raise N.make_error(st, fn.__name__, err.message.decode("utf-8", "replace"))


def _loads(data: bytes) -> Any:
    return json.loads(data)


# ----------------------------------------------------------------------------- networks and prices


def networks() -> Dict[str, Any]:
    """The network and asset table (the library's one copy):
    ``{"networks": [...], "v1ChainIdConflicts": [...], "tokenPrograms": {...}}``.

    Raises:
        InternalError: never expected.
    """
    return _loads(_call_out(lib.x402s_x402_networks, (), 64 * 1024)[1])


def network_lookup(network: str) -> Dict[str, Any]:
    """One network of the table by CAIP-2 id (``"eip155:8453"``) or v1 name (``"base"``).

    Raises:
        ArgumentTypeError: ``network`` is not str or bytes-like.
        X402Error: ``X402S_ERR_X402_UNKNOWN_NETWORK``.
        InvalidArgumentError: ``X402S_ERR_INVALID_UTF8``, ``X402S_ERR_INPUT_TOO_LARGE``.
    """
    op = "x402s_x402_network_lookup"
    net = _text_arg(network, op, "network")
    return _loads(_call_out(lib.x402s_x402_network_lookup, _ptr(net))[1])


def price_to_atomic(price: str, network: str, asset: Optional[str] = None) -> Dict[str, Any]:
    """A dollar price (``"$0.01"`` or ``"0.01"``) in atomic units of a table asset of
    ``network`` (``asset``: token address, mint or symbol; None = the network's
    default asset): ``{"asset": {...}, "amount": "10000"}``. Integer arithmetic only;
    prices with more decimals than the token has are rejected.

    Raises:
        ArgumentTypeError: an argument has the wrong type.
        X402Error: ``X402S_ERR_X402_INVALID_AMOUNT``, ``X402S_ERR_X402_UNKNOWN_NETWORK``,
            ``X402S_ERR_X402_UNKNOWN_ASSET``.
    """
    op = "x402s_x402_price_to_atomic"
    args = _ptr(_text_arg(price, op, "price")) + _ptr(_text_arg(network, op, "network")) + _ptr(
        _text_arg(asset, op, "asset", optional=True)
    )
    return _loads(_call_out(lib.x402s_x402_price_to_atomic, args)[1])


# ----------------------------------------------------------------------------- sellers


def payment_required_response(request: JSONLike) -> Dict[str, Any]:
    """Sellers: the 402 answer for ``{"x402Version": 1|2, "offers": [...], "resource": {...},
    "error"?, "extensions"?}`` (docs/X402.md). Returns ``{"x402Version": n,
    "paymentRequired": {...}, "header": "<PAYMENT-REQUIRED value>" (v2 only)}``: for v1
    send ``paymentRequired`` as the 402 body; for v2 send the header (and a body of {}).

    Raises:
        ArgumentTypeError: ``request`` has another type.
        X402Error: ``X402S_ERR_X402_INVALID_REQUIREMENTS``, ``..._UNKNOWN_NETWORK``,
            ``..._UNKNOWN_ASSET``, ``..._INVALID_AMOUNT``, ``..._UNSUPPORTED_SCHEME``.
        InvalidArgumentError: JSON errors.
    """
    op = "x402s_x402_payment_required"
    return _loads(_call_out(lib.x402s_x402_payment_required, _ptr(_json_arg(request, op, "request")))[1])


# ----------------------------------------------------------------------------- buyers


def parse_payment_required(header: Optional[str] = None, body: Optional[JSONLike] = None) -> Dict[str, Any]:
    """Buyers: the 402 answer from a ``PAYMENT-REQUIRED`` header value (v2) and/or the
    response body (accepted only with ``x402Version`` 1). The header wins when present.

    Raises:
        ArgumentTypeError: neither is given, or an argument has the wrong type
            (``X402S_ERR_NULL_ARGUMENT`` when both are None).
        X402Error: ``X402S_ERR_X402_UNSUPPORTED_VERSION``, ``X402S_ERR_X402_INVALID_REQUIREMENTS``.
        InvalidArgumentError: ``X402S_ERR_INVALID_BASE64``, JSON errors.
    """
    op = "x402s_x402_parse_payment_required"
    h = _text_arg(header, op, "header", optional=True)
    b = _json_arg(body, op, "body", optional=True)
    if h is None and b is None:
        raise N.type_error(op, "header and body", None)
    return _loads(_call_out(lib.x402s_x402_parse_payment_required, _ptr(h) + _ptr(b))[1])


def select_requirement(payment_required: JSONLike, policy: Optional[JSONLike] = None) -> Dict[str, Any]:
    """Buyers: choose a requirement of a 402 answer by ``policy`` (None = x402 2.25.0's
    defaults: table assets only, at most $1). Returns ``{"index": i, "requirement": {...}}``.

    Raises:
        ArgumentTypeError: an argument has the wrong type.
        X402Error: ``X402S_ERR_X402_NO_MATCHING_REQUIREMENT`` (the message says why each
            requirement was rejected), ``X402S_ERR_X402_INVALID_REQUIREMENTS``.
        InvalidArgumentError: ``X402S_ERR_INVALID_ARGUMENT`` (bad policy), JSON errors.
    """
    op = "x402s_x402_select_requirement"
    args = _ptr(_json_arg(payment_required, op, "payment_required")) + _ptr(
        _json_arg(policy, op, "policy", optional=True)
    )
    return _loads(_call_out(lib.x402s_x402_select_requirement, args)[1])


class PaymentHeader(NamedTuple):
    """The header to send with the paid request."""

    name: str
    """``"X-PAYMENT"`` (v1) or ``"PAYMENT-SIGNATURE"`` (v2)."""
    value: str
    """Standard base64 of the compact payment JSON (byte-equal to x402 2.25.0's)."""


def create_payment(
    request: JSONLike,
    signer: Union[EvmAccount, SolanaKeypair],
    policy: Optional[JSONLike] = None,
    options: Optional[JSONLike] = None,
) -> Dict[str, Any]:
    """Buyers: pay a 402 answer (anything with ``"accepts"``: the requirement is chosen
    by ``policy``) or a single requirement, signing with ``signer`` (an
    :class:`EvmAccount` for EVM networks, a :class:`SolanaKeypair` for Solana).
    ``options`` injects ``{"now", "nonce", "memoNonce", "recentBlockhash",
    "mintDecimals", "tokenProgram"}``; defaults are the clock and the CSPRNG.
    Returns ``{"headerName", "headerValue", "payment"}``.

    Raises:
        ArgumentTypeError: an argument has the wrong type.
        InvalidKeyError: the signer was closed.
        X402Error: ``X402S_ERR_X402_NO_MATCHING_REQUIREMENT``, ``..._UNSUPPORTED_SCHEME``,
            ``..._UNKNOWN_NETWORK``, ``..._INVALID_REQUIREMENTS``.
        InvalidArgumentError: ``X402S_ERR_INVALID_ARGUMENT`` (signer kind does not match
            the network, bad options), JSON errors.
        InternalError: ``X402S_ERR_RANDOMNESS_FAILED``.
    """
    op = "x402s_x402_create_payment"
    if isinstance(signer, EvmAccount):
        kind = N.KEY_SECP256K1
    elif isinstance(signer, SolanaKeypair):
        kind = N.KEY_ED25519_SEED
    else:
        raise N.type_error(op, "signer", signer)
    view = signer._view
    if view is None:
        raise N.make_error(N.S_INVALID_KEY, op, "the key was closed (wiped)")
    args = (
        _ptr(_json_arg(request, op, "request"))
        + (view, 32, kind)
        + _ptr(_json_arg(policy, op, "policy", optional=True))
        + _ptr(_json_arg(options, op, "options", optional=True))
    )
    return _loads(_call_out(lib.x402s_x402_create_payment, args)[1])


def create_payment_header(
    request: JSONLike,
    signer: Union[EvmAccount, SolanaKeypair],
    policy: Optional[JSONLike] = None,
    options: Optional[JSONLike] = None,
) -> PaymentHeader:
    """:func:`create_payment`, returning only ``(name, value)`` of the header.

    Raises:
        as :func:`create_payment`.
    """
    created = create_payment(request, signer, policy, options)
    return PaymentHeader(created["headerName"], created["headerValue"])


def decode_payment_header(value: str) -> Dict[str, Any]:
    """The payment JSON of an ``X-PAYMENT`` / ``PAYMENT-SIGNATURE`` value (v1 or v2, EVM or
    Solana). Non-standard base64 (URL-safe, unpadded, whitespace) is rejected.

    Raises:
        ArgumentTypeError: ``value`` is not str or bytes-like.
        InvalidArgumentError: ``X402S_ERR_INVALID_BASE64``, JSON errors.
        X402Error: ``X402S_ERR_X402_INVALID_PAYLOAD``, ``X402S_ERR_X402_UNSUPPORTED_VERSION``.
    """
    op = "x402s_x402_decode_payment"
    return _loads(_call_out(lib.x402s_x402_decode_payment, _ptr(_text_arg(value, op, "value")))[1])


# ----------------------------------------------------------------------------- verification


class ReplayGuard:
    """A bounded, thread-safe cache of accepted authorizations (EVM: chain, asset, payer,
    nonce; Solana: message hash) with expiry, for :func:`verify_payment`. A payment that
    verifies once is ``duplicate_payment`` the second time. Release it with
    :meth:`close` (or ``with``); it is also released when garbage-collected.
    """

    __slots__ = ("_handle", "__weakref__")

    def __init__(self, capacity: int = 0) -> None:
        """At most ``capacity`` entries (0: the library's default, 100,000).

        Raises:
            ArgumentTypeError: ``capacity`` is not an int.
            InvalidArgumentError: ``X402S_ERR_INVALID_ARGUMENT`` (too large or negative).
        """
        self._handle = None
        op = "x402s_replay_guard_new"
        if type(capacity) is not int:
            raise N.type_error(op, "capacity", capacity)
        if capacity < 0 or capacity >= 2**63:
            raise N.arg_error(N.S_INVALID_ARGUMENT, op, "capacity is out of range")
        handle = c_void_p()
        err = Error()
        st = lib.x402s_replay_guard_new(ctypes.byref(handle), capacity, err)
        if st:
            raise N.make_error(st, op, err.message.decode("utf-8", "replace"))
        self._handle = handle

    def close(self) -> None:
        """Release the guard (idempotent). Verifying with a closed guard raises."""
        handle = getattr(self, "_handle", None)
        if handle is not None:
            self._handle = None
            try:
                lib.x402s_replay_guard_free(handle)
            except Exception:  # pragma: no cover - interpreter shutdown
                pass

    @property
    def closed(self) -> bool:
        """True after :meth:`close`."""
        return self._handle is None

    def __enter__(self) -> "ReplayGuard":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def __reduce__(self):
        raise TypeError("ReplayGuard cannot be pickled")


def verify_payment(
    header: str,
    requirements: JSONLike,
    now: Optional[int] = None,
    options: Optional[JSONLike] = None,
    guard: Optional[ReplayGuard] = None,
) -> Dict[str, Any]:
    """Offline verification of a payment header against the seller's requirement at Unix
    time ``now`` (default: the clock): every check of x402 2.25.0's facilitator that
    needs no chain access, plus docs/VERIFY.md's stricter rules. ``options``:
    ``{"facilitatorAddresses": [...], "solanaFeePayers": [...]}``. With ``guard``, an
    otherwise valid payment is recorded and a second use is invalid.

    Returns:
        The VerifyResponse ``{"isValid", "invalidReason"?, "invalidMessage"?, "payer"?}``;
        an invalid payment is a result (``isValid`` False), not an exception.

    Raises:
        ArgumentTypeError: an argument has the wrong type.
        InvalidArgumentError: ``X402S_ERR_INVALID_BASE64``, JSON errors; a closed guard.
        X402Error: ``X402S_ERR_X402_INVALID_PAYLOAD``, ``X402S_ERR_X402_INVALID_REQUIREMENTS``,
            ``X402S_ERR_X402_UNSUPPORTED_VERSION``.
    """
    op = "x402s_x402_verify"
    if now is None:
        now = int(time.time())
    elif type(now) is not int:
        raise N.type_error(op, "now", now)
    if now < 0 or now >= 2**64:
        raise N.arg_error(N.S_INVALID_ARGUMENT, op, "now is out of range")
    handle = None
    if guard is not None:
        if not isinstance(guard, ReplayGuard):
            raise N.type_error(op, "guard", guard)
        handle = guard._handle
        if handle is None:
            raise N.arg_error(N.S_INVALID_ARGUMENT, op, "the replay guard was closed")
    args = (
        _ptr(_text_arg(header, op, "header"))
        + _ptr(_json_arg(requirements, op, "requirements"))
        + (now,)
        + _ptr(_json_arg(options, op, "options", optional=True))
        + (handle,)
    )
    _, out = _call_out(lib.x402s_x402_verify, args, _VERIFY_CAP, (N.S_X402_PAYMENT_INVALID,))
    return _loads(out)


# ----------------------------------------------------------------------------- receipts

_STYLES = {"compact": N.JSON_COMPACT, "python_spaced": N.JSON_PYTHON_SPACED}


def encode_settle_response(settle: JSONLike, style: str = "compact") -> str:
    """The ``PAYMENT-RESPONSE`` / ``X-PAYMENT-RESPONSE`` value of a SettleResponse.
    ``style``: ``"compact"`` or ``"python_spaced"`` (x402 2.25.0's spaced json.dumps bytes).

    Raises:
        ArgumentTypeError: an argument has the wrong type.
        InvalidArgumentError: ``X402S_ERR_INVALID_ARGUMENT`` (unknown style), JSON errors.
        X402Error: ``X402S_ERR_X402_INVALID_PAYLOAD``.
    """
    op = "x402s_x402_encode_settle_response"
    if style not in _STYLES:
        raise N.arg_error(N.S_INVALID_ARGUMENT, op, "style must be 'compact' or 'python_spaced'")
    args = _ptr(_json_arg(settle, op, "settle")) + (_STYLES[style],)
    return _call_out(lib.x402s_x402_encode_settle_response, args)[1].decode("utf-8")


def decode_settle_response(header: str) -> Dict[str, Any]:
    """The SettleResponse JSON of a ``PAYMENT-RESPONSE`` / ``X-PAYMENT-RESPONSE`` value
    (tolerates 2.25.0's spaced JSON and 1.0.0's null members).

    Raises:
        ArgumentTypeError: ``header`` is not str or bytes-like.
        InvalidArgumentError: ``X402S_ERR_INVALID_BASE64``, JSON errors.
        X402Error: ``X402S_ERR_X402_INVALID_PAYLOAD``.
    """
    op = "x402s_x402_decode_settle_response"
    return _loads(_call_out(lib.x402s_x402_decode_settle_response, _ptr(_text_arg(header, op, "header")))[1])
