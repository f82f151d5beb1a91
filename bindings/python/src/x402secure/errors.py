"""Exceptions raised by :mod:`x402secure`.

Every failure of the C library (``x402s_status`` != ``X402S_OK``) becomes an
:class:`X402SError` carrying the numeric ``status``, its name ``code`` (as
``x402s_status_name`` reports it, e.g. ``"X402S_ERR_INVALID_KEY"``), the C
function that failed (``operation``) and the library's ``message``.

The subclass is chosen by the status's decade (the grouping documented in
``include/x402_secure.h``), never from a copied list of codes:

======= =========================================================
1-19    :class:`InvalidArgumentError` (``ValueError``)
20-29   :class:`InvalidKeyError` for ``*_KEY`` codes, otherwise
        :class:`InvalidSignatureError` (both ``ValueError``)
30-39   :class:`InvalidTypedDataError` (``ValueError``)
40-49   :class:`X402Error` (``ValueError``)
50-59   :class:`RiskError` (``ValueError``)
60-69   :class:`SolanaError` (``ValueError``)
70-79   :class:`HTTPRequestError` (``ValueError``)
90-99   :class:`InternalError` (``RuntimeError``)
110-119 :class:`EvidenceError` (``ValueError``)
======= =========================================================

A Python value of the wrong type (``None``, ``int`` instead of ``bytes``...)
raises :class:`ArgumentTypeError`, which is both an
:class:`InvalidArgumentError` and a ``TypeError``.
"""

from __future__ import annotations

from typing import Optional

__all__ = [
    "X402SError",
    "InvalidArgumentError",
    "ArgumentTypeError",
    "InvalidKeyError",
    "InvalidSignatureError",
    "InvalidTypedDataError",
    "X402Error",
    "RiskError",
    "SolanaError",
    "EvmError",
    "HTTPRequestError",
    "EvidenceError",
    "InternalError",
    "error_class_for",
]


class X402SError(Exception):
    """Base class of every error raised by x402secure.

    Attributes:
        status: the numeric ``x402s_status`` (e.g. ``20``).
        code: its name, e.g. ``"X402S_ERR_INVALID_KEY"``.
        operation: the C function that failed, e.g. ``"x402s_secp256k1_sign"``.
        message: an English sentence; never contains key material or echoes
            caller data.
    """

    status: int
    code: str
    operation: str
    message: str

    def __init__(self, status: int, code: str, operation: str, message: str) -> None:
        super().__init__(f"{operation}: {message} ({code})")
        self.status = status
        self.code = code
        self.operation = operation
        self.message = message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, "
            f"operation={self.operation!r}, message={self.message!r})"
        )

    def __reduce__(self):  # keeps pickling (multiprocessing) working
        return (type(self), (self.status, self.code, self.operation, self.message))


class InvalidArgumentError(X402SError, ValueError):
    """Misuse or malformed encoded input (statuses 1-19: lengths, sizes,
    UTF-8, hex, base64, base58, JSON, numbers, addresses)."""


class ArgumentTypeError(InvalidArgumentError, TypeError):
    """An argument has the wrong Python type (for example ``None`` or ``str``
    where bytes are required). ``code`` is ``X402S_ERR_NULL_ARGUMENT`` for
    ``None`` and ``X402S_ERR_INVALID_ARGUMENT`` otherwise."""


class InvalidKeyError(X402SError, ValueError):
    """A secret or public key is invalid (statuses 20-29 whose name ends in
    ``_KEY``, e.g. a secp256k1 secret key that is zero or not below n)."""


class InvalidSignatureError(X402SError, ValueError):
    """A signature is malformed, non-canonical (high s) or cannot be
    recovered (the other statuses 20-29)."""


class InvalidTypedDataError(X402SError, ValueError):
    """An EIP-712 typed-data document is invalid (statuses 30-39)."""


class X402Error(X402SError, ValueError):
    """An x402 payment payload, requirement or header is invalid (40-49)."""


class RiskError(X402SError, ValueError):
    """An x402-secure risk header is invalid (statuses 50-59)."""


class SolanaError(X402SError, ValueError):
    """A Solana transaction or address is invalid (statuses 60-69)."""


class HTTPRequestError(X402SError, ValueError):
    """An HTTP request a seller cannot price one way only, or a malformed route key
    (statuses 70-79: method, request-target, percent-encoding, dot segments, route key).
    A seller answers 400 to such a request."""


class EvmError(X402SError, ValueError):
    """RLP, an EVM transaction or ABI data is invalid (statuses 100-109)."""


class EvidenceError(X402SError, ValueError):
    """Dispute evidence is malformed (records, receipts, bundles; statuses 110-119)."""


class InternalError(X402SError, RuntimeError):
    """The library failed internally (statuses 90-99, or an unexpected
    status such as a buffer size the binding should have got right)."""


_BY_DECADE = {
    0: InvalidArgumentError,
    1: InvalidArgumentError,
    3: InvalidTypedDataError,
    4: X402Error,
    5: RiskError,
    6: SolanaError,
    7: HTTPRequestError,
    9: InternalError,
    10: EvmError,
    11: EvidenceError,
}


def error_class_for(status: int, code: Optional[str]) -> type:
    """The exception class for a status, derived from its decade (and, in
    the 20s, from whether its name ends in ``_KEY``)."""
    if status <= 0:
        return InternalError
    decade = status // 10
    if decade == 2:
        if code is not None and code.endswith("_KEY"):
            return InvalidKeyError
        return InvalidSignatureError
    return _BY_DECADE.get(decade, X402SError)
