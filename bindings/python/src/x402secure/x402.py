"""The x402 payment protocol (v1 and v2; EVM exact/upto and Solana exact) over the core.

Every function takes and returns the wire-format JSON objects of x402 (camelCase keys) as
plain ``dict`` values; JSON text (``str`` or UTF-8 ``bytes``) is accepted wherever a dict
is. The rules live in the Swift core (``include/x402_secure.h``, "x402 protocol"): this
module only converts arguments and results.

Sellers::

    answer = payment_required_response(
        [{"network": "eip155:84532", "payTo": "0x2096...", "price": "$0.01"}],
        resource="https://api.example.com/data")
    # answer.status == 402, answer.headers["PAYMENT-REQUIRED"], answer.body == b"{}"
    result = verify_payment(request.headers["PAYMENT-SIGNATURE"], answer.accepts[0])

Buyers::

    required = parse_payment_required(response.headers, response.content)
    name, value = create_payment_header(required, EvmAccount.from_key(key))

Errors are the :class:`~x402secure.errors.X402SError` subclasses (``.code`` is the status
name): malformed JSON or base64 raises :class:`InvalidArgumentError`, protocol-level
problems (unknown network, no acceptable requirement, malformed payload...) raise
:class:`X402Error`. A well-formed payment that fails a check is not an error:
:func:`verify_payment` returns a :class:`VerifyResult` with ``is_valid`` False.
"""

from __future__ import annotations

import binascii
import json
import sys
import time
from ctypes import byref, c_void_p
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

from . import _native as N
from . import _native_x402 as NX
from . import _accounts
from ._accounts import EvmAccount, SolanaKeypair
from ._native import lib
from ._native_x402 import call_out
from .errors import X402SError

from typing import TypedDict

__all__ = [
    "VALID_BEFORE_GRACE_SECONDS",
    "ResourceInfo",
    "PaymentRequirements",
    "PaymentRequirementsV1",
    "PaymentRequired",
    "PaymentPayload",
    "PaymentPolicy",
    "VerifyResponse",
    "SettleResponse",
    "AssetAmount",
    "PaymentRequiredResponse",
    "CreatedPayment",
    "VerifyResult",
    "ReplayGuard",
    "networks",
    "network",
    "price_to_atomic",
    "price_to_atomic_units",
    "payment_required_response",
    "parse_payment_required",
    "select_requirement",
    "select_requirement_index",
    "create_payment",
    "create_payment_header",
    "decode_payment_header",
    "verify_payment",
    "encode_settle_response",
    "decode_settle_response",
]

#: Seconds of slack required before ``validBefore`` / ``deadline`` (x402 2.25.0).
VALID_BEFORE_GRACE_SECONDS = NX.VALID_BEFORE_GRACE_SECONDS

JSONLike = Union[Mapping[str, Any], str, bytes, bytearray, memoryview]

# ----------------------------------------------------------------------------- models


class ResourceInfo(TypedDict, total=False):
    """``ResourceInfo``: what is being paid for."""

    url: str
    description: str
    mimeType: str
    serviceName: str
    tags: List[str]
    iconUrl: str


class PaymentRequirements(TypedDict, total=False):
    """A v2 ``PaymentRequirements`` (one entry of ``accepts``)."""

    scheme: str
    network: str
    asset: str
    amount: str
    payTo: str
    maxTimeoutSeconds: int
    extra: Dict[str, Any]


class PaymentRequirementsV1(TypedDict, total=False):
    """A v1 ``PaymentRequirements`` (``maxAmountRequired``, v1 network names)."""

    scheme: str
    network: str
    maxAmountRequired: str
    resource: str
    description: str
    mimeType: str
    payTo: str
    maxTimeoutSeconds: int
    asset: str
    outputSchema: Optional[Dict[str, Any]]
    extra: Dict[str, Any]


class PaymentRequired(TypedDict, total=False):
    """A 402 answer: the v2 ``PAYMENT-REQUIRED`` document or a v1 body."""

    x402Version: int
    error: str
    resource: ResourceInfo
    accepts: List[Dict[str, Any]]
    extensions: Dict[str, Any]


class PaymentPayload(TypedDict, total=False):
    """A decoded payment header (v2 form; v1 has ``scheme``/``network`` instead of ``accepted``)."""

    x402Version: int
    payload: Dict[str, Any]
    accepted: PaymentRequirements
    resource: ResourceInfo
    extensions: Dict[str, Any]
    scheme: str
    network: str


class PaymentPolicy(TypedDict, total=False):
    """The buyer's choice among ``accepts`` (defaults = x402 2.25.0 spend controls: table
    assets only, at most ``$1`` per payment)."""

    networks: List[str]
    assets: List[str]
    allowUnknownAssets: bool
    maxAmount: str
    maxPrice: Optional[str]
    schemes: List[str]
    preferredNetworks: List[str]


class VerifyResponse(TypedDict, total=False):
    """The facilitator's ``VerifyResponse``."""

    isValid: bool
    invalidReason: str
    invalidMessage: str
    payer: str


class SettleResponse(TypedDict, total=False):
    """A settlement receipt (``PAYMENT-RESPONSE`` / ``X-PAYMENT-RESPONSE``)."""

    success: bool
    errorReason: str
    errorMessage: str
    payer: str
    transaction: str
    network: str
    amount: str
    extensions: Dict[str, Any]
    extra: Dict[str, Any]


class AssetAmount(NamedTuple):
    """A price converted to atomic units of an asset of the network table."""

    amount: str
    """Atomic units as a decimal string, e.g. ``"10000"`` for $0.01 of USDC."""
    asset: Dict[str, Any]
    """The asset's table entry (address or mint, symbol, decimals, EIP-712 name...)."""


@dataclass(frozen=True)
class PaymentRequiredResponse:
    """The seller's HTTP 402 answer, ready to send."""

    status: int
    """Always 402."""
    headers: Dict[str, str]
    """``PAYMENT-REQUIRED`` (v2), ``Content-Type`` and ``Cache-Control: no-store``."""
    body: bytes
    """``b"{}"`` for v2; the JSON ``PaymentRequired`` body for v1."""
    payment_required: Dict[str, Any]
    """The 402 document (what the header or body carries)."""
    x402_version: int

    @property
    def accepts(self) -> List[Dict[str, Any]]:
        """The requirements offered (pass one to :func:`verify_payment`)."""
        return self.payment_required["accepts"]


@dataclass(frozen=True)
class CreatedPayment:
    """A payment made by :func:`create_payment`."""

    header_name: str
    """``"X-PAYMENT"`` (v1) or ``"PAYMENT-SIGNATURE"`` (v2)."""
    header_value: str
    """Strict standard base64 of compact JSON in the documented key order."""
    payment: Dict[str, Any]
    """The decoded payment payload."""


@dataclass
class VerifyResult:
    """The verdict of :func:`verify_payment`."""

    is_valid: bool
    invalid_reason: Optional[str]
    """The official x402 2.25.0 reason code (or an x402-secure one, docs/VERIFY.md)."""
    payer: Optional[str]
    """The paying address (EVM ``from`` / Solana transfer authority) once known."""
    message: str
    """A short human explanation ("valid" when valid)."""
    response: Dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def to_json(self) -> Dict[str, Any]:
        """The wire ``VerifyResponse``: ``{isValid, invalidReason?, invalidMessage?, payer?}``."""
        return dict(self.response)

    def __bool__(self) -> bool:
        return self.is_valid


# ----------------------------------------------------------------------------- argument glue

_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_STRICT_MODE = sys.version_info >= (3, 11)  # binascii.a2b_base64(strict_mode=...)
_loads = json.loads
_DEFAULT: Any = object()


def _json_bytes(value: object, op: str, what: str, *, optional: bool = False) -> Optional[bytes]:
    """A JSON argument: dict/list (serialised compactly), or JSON text as str / UTF-8 bytes."""
    t = type(value)
    if t is dict or t is list:
        try:
            text = _dumps(value)
        except RecursionError:
            raise N.arg_error(N.S_JSON_TOO_DEEP, op, f"{what} nests too deeply") from None
        except (TypeError, ValueError):
            raise N.arg_error(N.S_INVALID_JSON, op, f"{what} is not JSON-serialisable") from None
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:
            raise N.arg_error(N.S_INVALID_JSON, op, f"{what} has a string with a lone surrogate") from None
    if t is bytes:
        return value  # type: ignore[return-value]
    if value is None:
        if optional:
            return None
        raise N.type_error(op, what, value)
    if isinstance(value, Mapping):
        return _json_bytes(dict(value), op, what)
    if isinstance(value, (str, bytearray, memoryview)):
        return N.as_text(value, op, what)
    raise N.type_error(op, what, value)


def _text(value: object, op: str, what: str) -> bytes:
    if type(value) is str:
        try:
            return value.encode("utf-8")  # type: ignore[union-attr]
        except UnicodeEncodeError:
            raise N.arg_error(N.S_INVALID_UTF8, op, f"{what} is not encodable as UTF-8") from None
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        return N.as_text(value, op, what)
    raise N.type_error(op, what, value)


def _hex_arg(value: object, op: str, what: str) -> str:
    """bytes-like -> "0x" hex; str passes through (the core checks it)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "0x" + bytes(value).hex()
    raise N.type_error(op, what, value)


def _uint(value: object, op: str, what: str, limit: int = (1 << 64) - 1) -> int:
    if type(value) is bool or not isinstance(value, int):
        raise N.type_error(op, what, value)
    if value < 0 or value > limit:
        raise N.arg_error(N.S_INVALID_ARGUMENT, op, f"{what} must be an integer in 0..{limit}")
    return int(value)


_a2b = binascii.a2b_base64
_b2a = binascii.b2a_base64


def _b64decode_strict(text: str) -> bytes:
    """Strict standard base64 (alphabet, padding, canonical trailing bits), as the core's
    decoder: Python's decoder for speed, and the core's for the error it raises."""
    try:
        data = text.encode("ascii")
        raw = _a2b(data, strict_mode=True) if _STRICT_MODE else _a2b(data)
        if _b2a(raw, newline=False) == data:
            return raw
    except (ValueError, UnicodeEncodeError):
        pass
    from ._core import b64decode

    return b64decode(text)  # raises X402S_ERR_INVALID_BASE64 (or returns the same bytes)


def _load(data: bytes) -> Any:
    return _loads(data)


# ----------------------------------------------------------------------------- networks and prices

_networks = lib.x402s_x402_networks
_lookup = lib.x402s_x402_network_lookup
_price = lib.x402s_x402_price_to_atomic
_price_units = lib.x402s_x402_price_to_atomic_units


def networks() -> Dict[str, Any]:
    """The network and asset table of the core (the one copy; never cached here):
    ``{"networks": [{caip2, family, chainId?, name, testnet, v1Names, assets}...],
    "v1ChainIdConflicts": [...], "tokenPrograms": {...}}``."""
    return _load(call_out(_networks, 65536)[1])


def network(network_id: str) -> Dict[str, Any]:
    """One network of the table by CAIP-2 id (``"eip155:84532"``) or v1 name (``"base-sepolia"``).

    Raises:
        X402Error: ``X402S_ERR_X402_UNKNOWN_NETWORK``.
        ArgumentTypeError: ``network_id`` is not a str.
    """
    op = "x402s_x402_network_lookup"
    data = _text(network_id, op, "network_id")
    return _load(call_out(_lookup, 4096, data, len(data))[1])


def price_to_atomic(price: str, network: str, asset: Optional[str] = None) -> AssetAmount:
    """A dollar price (``"$0.01"`` or ``"0.01"``) in atomic units of a table asset, with integer
    arithmetic only. ``asset`` is the token address / mint or its symbol; None picks the
    network's default stablecoin.

    Raises:
        X402Error: ``X402S_ERR_X402_INVALID_AMOUNT`` (malformed price, or more decimals than
            the token has), ``X402S_ERR_X402_UNKNOWN_NETWORK``, ``X402S_ERR_X402_UNKNOWN_ASSET``.
    """
    op = "x402s_x402_price_to_atomic"
    p = _text(price, op, "price")
    n = _text(network, op, "network")
    a = None if asset is None else _text(asset, op, "asset")
    out = _load(call_out(_price, 2048, p, len(p), n, len(n), a, 0 if a is None else len(a))[1])
    return AssetAmount(out["amount"], out["asset"])


def price_to_atomic_units(price: str, decimals: int) -> str:
    """A price in atomic units of a token with ``decimals`` decimals (0-77), as a decimal string.

    Raises:
        X402Error: ``X402S_ERR_X402_INVALID_AMOUNT``.
        InvalidArgumentError: ``X402S_ERR_INVALID_ARGUMENT`` (decimals out of range).
    """
    op = "x402s_x402_price_to_atomic_units"
    p = _text(price, op, "price")
    d = _uint(decimals, op, "decimals", 0xFFFFFFFF)
    return call_out(_price_units, 128, p, len(p), d)[1].decode("ascii")


# ----------------------------------------------------------------------------- sellers

_payment_required = lib.x402s_x402_payment_required
_V1_PREFIX = b'{"x402Version":1,"paymentRequired":'


def payment_required_response(
    offers: Sequence[Mapping[str, Any]],
    resource: Union[None, str, Mapping[str, Any]] = None,
    version: int = 2,
    error: Optional[str] = _DEFAULT,
    extensions: Optional[Mapping[str, Any]] = None,
) -> PaymentRequiredResponse:
    """Build the seller's 402 answer from offers.

    Args:
        offers: ``[{"network", "payTo", "price": "$0.01" | "amount": "10000", "scheme"?,
            "asset"?, "maxTimeoutSeconds"?, "extra"?}...]``; networks as CAIP-2 ids or v1
            names; Solana offers need ``extra.feePayer``, ``upto`` needs
            ``extra.facilitatorAddress``.
        resource: the URL (str) or a ``ResourceInfo`` dict; required for v1.
        version: 2 (``PAYMENT-REQUIRED`` header, body ``{}``) or 1 (JSON body).
        error: the ``error`` text; default "Payment required" (v2), None omits it.
        extensions: v2 ``extensions`` object.

    Returns:
        :class:`PaymentRequiredResponse` with status 402, the headers (incl.
        ``Cache-Control: no-store``), the body and the 402 document.

    Raises:
        X402Error: ``X402S_ERR_X402_INVALID_REQUIREMENTS``, ``..._UNKNOWN_NETWORK``,
            ``..._UNKNOWN_ASSET``, ``..._INVALID_AMOUNT``, ``..._UNSUPPORTED_SCHEME``,
            ``..._UNSUPPORTED_VERSION``.
    """
    op = "x402s_x402_payment_required"
    if not isinstance(offers, (list, tuple)):
        raise N.type_error(op, "offers", offers)
    request: Dict[str, Any] = {"x402Version": _uint(version, op, "version", 255), "offers": list(offers)}
    if resource is not None:
        if isinstance(resource, str):
            request["resource"] = {"url": resource}
        elif isinstance(resource, Mapping):
            request["resource"] = dict(resource)
        else:
            raise N.type_error(op, "resource", resource)
    if error is not _DEFAULT:
        if error is not None and not isinstance(error, str):
            raise N.type_error(op, "error", error)
        request["error"] = error
    if extensions is not None:
        if not isinstance(extensions, Mapping):
            raise N.type_error(op, "extensions", extensions)
        request["extensions"] = dict(extensions)
    data = _json_bytes(request, op, "request")
    raw = call_out(_payment_required, 4096, data, len(data))[1]
    out = _load(raw)
    v = out["x402Version"]
    document = out["paymentRequired"]
    headers = {"Content-Type": "application/json", "Cache-Control": "no-store"}
    if v == 1:
        # The body is the core's own compact bytes (x402 2.25.0's model dump), sliced out
        # of the answer rather than re-serialised by Python.
        if raw.startswith(_V1_PREFIX) and raw.endswith(b"}"):
            body = raw[len(_V1_PREFIX):-1]
        else:  # pragma: no cover - defensive
            body = _dumps(document).encode("utf-8")
    else:
        headers = {"PAYMENT-REQUIRED": out["header"], **headers}
        body = b"{}"
    return PaymentRequiredResponse(402, headers, body, document, v)


# ----------------------------------------------------------------------------- buyers

_parse_required = lib.x402s_x402_parse_payment_required
_select = lib.x402s_x402_select_requirement
_create = lib.x402s_x402_create_payment


def _find_header(headers: object, name_lower: str, op: str) -> Optional[str]:
    if headers is None:
        return None
    items = getattr(headers, "items", None)
    if items is None:
        raise N.type_error(op, "headers", headers)
    for k, v in items():
        if isinstance(k, bytes):
            k = k.decode("latin-1")
        if isinstance(k, str) and k.lower() == name_lower:
            if isinstance(v, bytes):
                v = v.decode("latin-1")
            if not isinstance(v, str):
                raise N.type_error(op, "header value", v)
            return v.strip()
    return None


def parse_payment_required(
    headers: Optional[Mapping[str, str]] = None,
    body: Union[None, bytes, bytearray, memoryview, str, Mapping[str, Any]] = None,
) -> Dict[str, Any]:
    """Parse a 402 answer: the ``PAYMENT-REQUIRED`` header when present (v2, looked up
    case-insensitively in ``headers``), otherwise the body, accepted only with
    ``x402Version == 1`` (x402 2.x client rules).

    Returns:
        The 402 document (decoded v2 ``PaymentRequired`` or v1 body).

    Raises:
        InvalidArgumentError: ``X402S_ERR_INVALID_BASE64`` (non-standard base64, e.g.
            URL-safe), ``X402S_ERR_INVALID_JSON``, ``X402S_ERR_NULL_ARGUMENT`` (neither given).
        X402Error: ``X402S_ERR_X402_UNSUPPORTED_VERSION``, ``..._INVALID_REQUIREMENTS``.
    """
    op = "x402s_x402_parse_payment_required"
    h_text = _find_header(headers, "payment-required", op)
    h = None if h_text is None else _text(h_text, op, "PAYMENT-REQUIRED")
    b = None
    if body is not None:
        b = _json_bytes(body, op, "body")
        if b is not None and len(b) == 0:
            b = None
    return _load(call_out(
        _parse_required, 4096, h, 0 if h is None else len(h), b, 0 if b is None else len(b))[1])


def _select_raw(payment_required: JSONLike, policy: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    op = "x402s_x402_select_requirement"
    pr = _json_bytes(payment_required, op, "payment_required")
    pol = _json_bytes(policy, op, "policy", optional=True)
    return _load(call_out(_select, 4096, pr, len(pr), pol, 0 if pol is None else len(pol))[1])


def select_requirement(payment_required: JSONLike, policy: Optional[PaymentPolicy] = None) -> Dict[str, Any]:
    """Choose the requirement of a 402 answer the buyer's policy allows (first match, or the
    first of ``preferredNetworks``).

    Returns:
        The chosen requirement (re-emitted in the wire key order).

    Raises:
        X402Error: ``X402S_ERR_X402_NO_MATCHING_REQUIREMENT`` (the message says why each was
            rejected), ``..._INVALID_REQUIREMENTS``, ``..._UNSUPPORTED_VERSION``.
        InvalidArgumentError: ``X402S_ERR_INVALID_ARGUMENT`` (malformed policy).
    """
    return _select_raw(payment_required, policy)["requirement"]


def select_requirement_index(payment_required: JSONLike, policy: Optional[PaymentPolicy] = None) -> int:
    """The index in ``accepts`` of the requirement :func:`select_requirement` chooses."""
    return _select_raw(payment_required, policy)["index"]


_create_with_signer = lib.x402s_x402_create_payment_with_signer


def _signer_handle(signer: object, op: str) -> int:
    """The prepared x402s_signer handle of an account (made at its first use; see
    _accounts._SecretHolder): InvalidKeyError once the account is closed."""
    if isinstance(signer, (EvmAccount, SolanaKeypair)):
        return signer._signer_handle(op)
    raise N.type_error(op, "signer", signer)


def _payment_options(op: str, now, nonce, memo_nonce, recent_blockhash, mint_decimals, token_program) -> Optional[bytes]:
    o: Dict[str, Any] = {}
    if now is not None:
        o["now"] = _uint(now, op, "now")
    if nonce is not None:
        o["nonce"] = _hex_arg(nonce, op, "nonce")
    if memo_nonce is not None:
        o["memoNonce"] = _hex_arg(memo_nonce, op, "memo_nonce")
    if recent_blockhash is not None:
        o["recentBlockhash"] = _hex_arg(recent_blockhash, op, "recent_blockhash")
    if mint_decimals is not None:
        o["mintDecimals"] = _uint(mint_decimals, op, "mint_decimals", 255)
    if token_program is not None:
        if not isinstance(token_program, str):
            raise N.type_error(op, "token_program", token_program)
        o["tokenProgram"] = token_program
    if not o:
        return None
    return _dumps(o).encode("utf-8")


def _create_raw(payment_required_or_requirement, signer, policy, now, nonce, memo_nonce, recent_blockhash,
                mint_decimals, token_program, flags=0) -> bytes:
    op = "x402s_x402_create_payment"
    request = payment_required_or_requirement
    if type(request) is str and request[:1] not in ("{", "[", " ", "\t", "\r", "\n"):
        # A PAYMENT-REQUIRED header value: the core's strict base64 decoder, then its JSON
        # goes to the core as is (no round trip through Python objects).
        req = _b64decode_strict(request.strip())
    else:
        req = _json_bytes(request, op, "payment_required_or_requirement")
    handle = _signer_handle(signer, op)
    pol = None if policy is None else _json_bytes(policy, op, "policy")
    opts = _payment_options(op, now, nonce, memo_nonce, recent_blockhash, mint_decimals, token_program)
    try:
        return call_out(_create_with_signer, 4096, req, len(req), handle, pol, 0 if pol is None else len(pol),
                        opts, 0 if opts is None else len(opts), flags)[1]
    except X402SError as e:
        if e.status == N.S_HANDLE_CLOSED:  # the account was closed by another thread meanwhile
            raise _accounts._closed_error(op) from None
        raise


_NAME_PREFIX = b'{"headerName":"'
_VALUE_SEP = b'","headerValue":"'


def create_payment_header(
    payment_required_or_requirement: JSONLike,
    signer: Union[EvmAccount, SolanaKeypair],
    policy: Optional[PaymentPolicy] = None,
    *,
    now: Optional[int] = None,
    nonce: Union[None, bytes, str] = None,
    memo_nonce: Union[None, bytes, str] = None,
    recent_blockhash: Union[None, bytes, str] = None,
    mint_decimals: Optional[int] = None,
    token_program: Optional[str] = None,
) -> Tuple[str, str]:
    """Pay: build, sign and encode the payment header.

    Args:
        payment_required_or_requirement: a 402 answer (dict with ``accepts``: the requirement
            is chosen by ``policy``, and ``resource`` / ``extensions`` are carried over), a
            single requirement (v1 or v2), JSON text of either, or a ``PAYMENT-REQUIRED``
            header value.
        signer: :class:`EvmAccount` (EVM exact EIP-3009 / Permit2, upto) or
            :class:`SolanaKeypair` (Solana exact).
        policy: see :class:`PaymentPolicy` (default: x402 2.25.0 spend controls).
        now: Unix time (default: the clock). nonce: EVM nonce, 32 bytes or "0x" hex (default:
            CSPRNG). memo_nonce: Solana, the 16 bytes behind the default memo.
        recent_blockhash: Solana, base58 text or 32 bytes, when the requirement has no
            ``extra.recentBlockhash``. mint_decimals / token_program ("token" or
            "token2022"): Solana mints that are not in the network table.

    Returns:
        ``(header_name, header_value)``: ``"X-PAYMENT"`` (v1) or ``"PAYMENT-SIGNATURE"`` (v2).

    Raises:
        X402Error: ``X402S_ERR_X402_NO_MATCHING_REQUIREMENT``, ``..._UNSUPPORTED_SCHEME``,
            ``..._UNKNOWN_NETWORK``, ``..._UNKNOWN_ASSET``, ``..._INVALID_REQUIREMENTS``.
        InvalidArgumentError: ``X402S_ERR_INVALID_ARGUMENT`` (signer kind does not match the
            network, bad options), JSON errors. InvalidKeyError: the signer was closed.
    """
    raw = _create_raw(payment_required_or_requirement, signer, policy, now, nonce, memo_nonce, recent_blockhash,
                      mint_decimals, token_program, NX.CREATE_HEADER_ONLY)
    # Fast path: {"headerName":"<name>","headerValue":"<base64>",...}; neither contains a quote.
    if raw.startswith(_NAME_PREFIX):
        p = raw.find(_VALUE_SEP, 15)
        if p > 0:
            q = raw.find(b'"', p + 17)
            if q > 0:
                return raw[15:p].decode("ascii"), raw[p + 17:q].decode("ascii")
    out = _load(raw)  # pragma: no cover - defensive
    return out["headerName"], out["headerValue"]  # pragma: no cover


def create_payment(
    payment_required_or_requirement: JSONLike,
    signer: Union[EvmAccount, SolanaKeypair],
    policy: Optional[PaymentPolicy] = None,
    *,
    now: Optional[int] = None,
    nonce: Union[None, bytes, str] = None,
    memo_nonce: Union[None, bytes, str] = None,
    recent_blockhash: Union[None, bytes, str] = None,
    mint_decimals: Optional[int] = None,
    token_program: Optional[str] = None,
) -> CreatedPayment:
    """As :func:`create_payment_header`, also returning the decoded payment payload."""
    raw = _create_raw(payment_required_or_requirement, signer, policy, now, nonce, memo_nonce, recent_blockhash,
                      mint_decimals, token_program)
    out = _load(raw)
    return CreatedPayment(out["headerName"], out["headerValue"], out["payment"])


# ----------------------------------------------------------------------------- sellers and facilitators: verify

_decode_payment = lib.x402s_x402_decode_payment
_verify = lib.x402s_x402_verify
_guard_new = lib.x402s_replay_guard_new
_guard_free = lib.x402s_replay_guard_free
_S_PAYMENT_INVALID = NX.S_PAYMENT_INVALID
_OK_OR_INVALID = (NX.S_OK, _S_PAYMENT_INVALID)


def decode_payment_header(value: Union[str, bytes]) -> Dict[str, Any]:
    """Decode an ``X-PAYMENT`` / ``PAYMENT-SIGNATURE`` value (v1 or v2, EVM or Solana).

    Raises:
        InvalidArgumentError: ``X402S_ERR_INVALID_BASE64`` (URL-safe, unpadded, whitespace...),
            ``X402S_ERR_INVALID_JSON``, ``X402S_ERR_INVALID_UTF8``, ``X402S_ERR_INPUT_TOO_LARGE``.
        X402Error: ``X402S_ERR_X402_INVALID_PAYLOAD``, ``..._UNSUPPORTED_VERSION``.
    """
    op = "x402s_x402_decode_payment"
    data = _text(value, op, "value")
    return _load(call_out(_decode_payment, max(256, len(data)), data, len(data))[1])


def _decode_payment_raw(value: Union[str, bytes]) -> bytes:
    """The compact JSON bytes the core decodes a payment header to (tests, re-encoding)."""
    op = "x402s_x402_decode_payment"
    data = _text(value, op, "value")
    return call_out(_decode_payment, max(256, len(data)), data, len(data))[1]


class ReplayGuard:
    """A bounded, thread-safe cache of accepted authorizations ((payer, nonce) pairs and Solana
    message hashes) with expiry, so the same payment cannot be accepted twice.

    Pass it to :func:`verify_payment`; a second use of the same authorization is invalid
    with reason ``duplicate_payment``. Release it with :meth:`close` (or ``with``).

    Threads and lifetime: one guard may be shared by threads, and verifications with it run
    in parallel (no Python lock is held during a verification). :meth:`close` may be called at
    any time, from any thread, also while other threads verify with the guard: those
    verifications complete normally (the core keeps the guard alive for them and frees it
    when the last returns; include/x402_secure.h, HANDLES); verifications that start after
    :meth:`close` raise :class:`InvalidArgumentError` with code ``X402S_ERR_HANDLE_CLOSED``.
    The garbage collector closes a guard nothing references any more.
    """

    __slots__ = ("_handle", "__weakref__")

    def __init__(self, capacity: int = 0) -> None:
        """``capacity``: most entries kept (0: the core's default, 100,000)."""
        op = "x402s_replay_guard_new"
        self._handle: Optional[int] = None
        cap = _uint(capacity, op, "capacity")
        h = c_void_p()
        st = _guard_new(byref(h), cap, None)
        if st:
            raise N.fail(st, _guard_new, (byref(h), cap))
        self._handle = h.value

    def _get(self, op: str) -> int:
        h = self._handle
        if h is None:
            raise N.arg_error(N.S_HANDLE_CLOSED, op, "the replay guard was closed")
        return h

    @property
    def closed(self) -> bool:
        """True after :meth:`close`."""
        return self._handle is None

    def close(self) -> None:
        """Free the guard (after the verifications in progress with it). Idempotent."""
        h = getattr(self, "_handle", None)
        if h is not None:
            self._handle = None
            _guard_free(h)  # a second free of the same handle (a racing close) is a no-op

    def __enter__(self) -> "ReplayGuard":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # pragma: no cover - interpreter shutdown
            pass

    def __reduce__(self):
        raise TypeError("ReplayGuard wraps a native handle and cannot be pickled")

    def __repr__(self) -> str:
        return f"<ReplayGuard{' (closed)' if self._handle is None else ''}>"


def _verify_options(op: str, facilitator_addresses, solana_fee_payers) -> Optional[bytes]:
    o: Dict[str, Any] = {}
    if facilitator_addresses:
        if isinstance(facilitator_addresses, (str, bytes)):
            raise N.type_error(op, "facilitator_addresses", facilitator_addresses)
        o["facilitatorAddresses"] = list(facilitator_addresses)
    if solana_fee_payers is not None:
        if isinstance(solana_fee_payers, (str, bytes)):
            raise N.type_error(op, "solana_fee_payers", solana_fee_payers)
        o["solanaFeePayers"] = list(solana_fee_payers)
    if not o:
        return None
    return _json_bytes(o, op, "options")


def verify_payment(
    value: Union[str, bytes],
    requirements: JSONLike,
    now: Optional[int] = None,
    *,
    facilitator_addresses: Iterable[str] = (),
    solana_fee_payers: Optional[Iterable[str]] = None,
    replay_guard: Optional[ReplayGuard] = None,
) -> VerifyResult:
    """Offline verification of a payment header against the seller's own requirement.

    Every check of x402 2.25.0's facilitator that needs no chain access, in its order, plus
    the stricter rules of docs/VERIFY.md (exact amount equality, low-s only, 32-byte nonces,
    Solana fee payer in no instruction).

    Args:
        value: the ``X-PAYMENT`` / ``PAYMENT-SIGNATURE`` header value.
        requirements: the seller's requirement (v1 or v2 dict or JSON text).
        now: Unix time of the check (default ``int(time.time())``).
        facilitator_addresses: ``upto``: the facilitator addresses that are ours.
        solana_fee_payers: Solana: the fee payers we manage (None: any).
        replay_guard: when given, a valid payment is recorded and a second use is invalid
            (``duplicate_payment``).

    Returns:
        :class:`VerifyResult` (``is_valid``, ``invalid_reason``, ``payer``, ``message``).

    Raises:
        InvalidArgumentError: malformed header (``X402S_ERR_INVALID_BASE64``, JSON errors).
        X402Error: ``X402S_ERR_X402_INVALID_PAYLOAD``, ``..._UNSUPPORTED_VERSION``,
            ``..._INVALID_REQUIREMENTS``.
    """
    op = "x402s_x402_verify"
    data = value.encode("utf-8") if type(value) is str else _text(value, op, "value")
    req = _json_bytes(requirements, op, "requirements")
    t = int(time.time()) if now is None else _uint(now, op, "now")
    opts = None
    if facilitator_addresses or solana_fee_payers is not None:
        opts = _verify_options(op, facilitator_addresses, solana_fee_payers)
    if replay_guard is None:
        g = None
    elif isinstance(replay_guard, ReplayGuard):
        g = replay_guard._get(op)
    else:
        raise N.type_error(op, "replay_guard", replay_guard)
    _, raw = call_out(_verify, NX.VERIFY_OUT_BYTES, data, len(data), req, len(req), t, opts, 0 if opts is None else len(opts), g,
                      ok=_OK_OR_INVALID)
    r = _loads(raw)
    valid = r["isValid"]
    return VerifyResult(valid, r.get("invalidReason"), r.get("payer"),
                        "valid" if valid else r.get("invalidMessage", ""), r)


# ----------------------------------------------------------------------------- receipts

_encode_settle = lib.x402s_x402_encode_settle_response
_decode_settle = lib.x402s_x402_decode_settle_response


def encode_settle_response(settle: JSONLike, python_spaced: bool = False) -> str:
    """Encode a ``SettleResponse`` as a ``PAYMENT-RESPONSE`` / ``X-PAYMENT-RESPONSE`` value:
    compact JSON, or (``python_spaced``) x402 2.25.0's ``json.dumps`` bytes.

    Raises:
        X402Error: ``X402S_ERR_X402_INVALID_PAYLOAD``. InvalidArgumentError: JSON errors.
    """
    op = "x402s_x402_encode_settle_response"
    data = _json_bytes(settle, op, "settle")
    style = NX.JSON_PYTHON_SPACED if python_spaced else NX.JSON_COMPACT
    return call_out(_encode_settle, max(256, 3 * len(data)), data, len(data), style)[1].decode("ascii")


def decode_settle_response(value: Union[str, bytes]) -> Dict[str, Any]:
    """Decode a ``PAYMENT-RESPONSE`` / ``X-PAYMENT-RESPONSE`` value (tolerates 2.25.0's spaced
    JSON and 1.0.0's null members).

    Raises:
        InvalidArgumentError: ``X402S_ERR_INVALID_BASE64``, JSON errors.
        X402Error: ``X402S_ERR_X402_INVALID_PAYLOAD``.
    """
    op = "x402s_x402_decode_settle_response"
    data = _text(value, op, "value")
    return _load(call_out(_decode_settle, max(256, len(data)), data, len(data))[1])
