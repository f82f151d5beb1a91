"""Key holders: :class:`EvmAccount` (secp256k1) and :class:`SolanaKeypair` (Ed25519).

Secret handling. The secret (a secp256k1 key or an Ed25519 seed, 32 bytes) is
copied into a ``bytearray`` owned by the object; the C library reads it in
place through a ctypes view, so no immutable ``bytes`` copy of it is made by
the binding. ``close()`` (also called by ``with`` and ``__del__``) overwrites
it with zeros. The secret never appears in ``repr``, ``str`` or error
messages.

What Python cannot guarantee: the value you passed in (``bytes`` or a hex
``str`` are immutable and cannot be wiped; a ``bytearray`` you own stays
yours to clear), copies the interpreter or the garbage collector may have
made, and swapped-out memory.

Threads and lifetime. An account may be shared by threads; its signing calls
run in parallel (ctypes releases the GIL; no Python lock is held during a
call). ``close()`` may be called at any time, from any thread, also while
other threads sign with the account: a signature already in progress
completes with the right key, and the secret is wiped when the last call in
progress returns (at once when none is running); calls that start after
``close()`` raise :class:`InvalidKeyError` ("the key was closed (wiped)").
The core's prepared copy of the key (``x402s_signer``) is released the same
way: the core keeps it alive for calls using it and zeroes it after them.
"""

from __future__ import annotations

import contextlib
import ctypes
import threading
from ctypes import c_char, c_size_t
from typing import Optional, Union

from . import _native as N
from . import _native_x402  # noqa: F401  (declares the x402s_signer_* prototypes used here)
from ._core import TypedData, typed_data_bytes
from ._native import as_bytes, fail, lib

BytesLike = Union[bytes, bytearray, memoryview]

_B32 = c_char * 32
_B44 = c_char * 44
_B42 = c_char * 42
_B64 = c_char * 64
_B65 = c_char * 65

_seckey_verify = lib.x402s_secp256k1_seckey_verify
_pubkey = lib.x402s_secp256k1_pubkey
_evm_address = lib.x402s_evm_address
_sign = lib.x402s_secp256k1_sign
_eip712_sign = lib.x402s_eip712_sign
_signer_new = lib.x402s_signer_new
_signer_free = lib.x402s_signer_free
_signer_eip712_sign = lib.x402s_signer_eip712_sign
_hex_decode = lib.x402s_hex_decode
_ed_pubkey = lib.x402s_ed25519_pubkey
_ed_sign = lib.x402s_ed25519_sign
_sol_address = lib.x402s_solana_address
_memset = ctypes.memset


def _secret_buffer(value: object, operation: str, what: str, allow_hex: bool):
    """Copy a 32-byte secret into a new bytearray and return (bytearray, ctypes view)."""
    secret = bytearray(32)
    if isinstance(value, str) and allow_hex:
        text = N.as_text(value, operation, what)
        view = _B32.from_buffer(secret)
        n = c_size_t(0)
        st = _hex_decode(view, 32, n, text, len(text), None)
        if st == N.S_BUFFER_TOO_SMALL or (st == N.S_OK and n.value != 32):
            _memset(view, 0, 32)
            raise N.arg_error(N.S_INVALID_LENGTH, operation, f"{what} must be 32 bytes (64 hex digits)")
        if st:
            exc = fail(st, _hex_decode, (view, 32, n, text, len(text)))
            _memset(view, 0, 32)
            raise exc
        return secret, view
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise N.type_error(operation, what, value)
    try:
        mv = memoryview(value)
        if mv.format != "B" or mv.ndim != 1:
            mv = mv.cast("B")
    except (TypeError, ValueError):
        raise N.type_error(operation, what, value) from None
    if mv.nbytes != 32:
        raise N.arg_error(N.S_INVALID_LENGTH, operation, f"{what} must be 32 bytes")
    secret[:] = mv
    mv.release()
    return secret, _B32.from_buffer(secret)


def _closed_error(operation: str):
    return N.make_error(N.S_INVALID_KEY, operation, "the key was closed (wiped)")


class _SecretHolder:
    """Common secret lifecycle: the secret, the prepared signer handle, close() that never
    wipes a secret a call is reading, context manager, __del__.

    Calls that pass the secret itself to the library bracket the call with
    :meth:`_acquire` / :meth:`_release`; calls through the prepared signer pass the handle
    (:meth:`_signer_handle`), which the core keeps alive for the call (include/x402_secure.h,
    HANDLES). ``_lock`` guards the fields, never a library call.
    """

    __slots__ = ("_secret", "_view", "_signer", "_lock", "_busy", "__weakref__")
    #: x402s key kind of the prepared signer (X402S_KEY_SECP256K1 / X402S_KEY_ED25519_SEED)
    _KIND = 0

    def _init_secret(self, secret: bytearray, view) -> None:
        self._lock = threading.Lock()
        self._busy = 0
        self._signer = None
        self._secret = secret
        self._view = view

    def _check_open(self, operation: str):
        view = self._view
        if view is None:
            raise _closed_error(operation)
        return view

    def _acquire(self, operation: str):
        """The ctypes view of the secret for one library call (InvalidKeyError once closed).
        Pair with :meth:`_release` (try/finally): until then close() does not wipe it."""
        with self._lock:
            view = self._view
            if view is None:
                raise _closed_error(operation)
            self._busy += 1
            return view

    def _release(self) -> None:
        with self._lock:
            self._busy -= 1
            wipe = self._busy == 0 and self._view is None
        if wipe:
            self._wipe()

    @contextlib.contextmanager
    def _key(self, operation: str):
        """``with holder._key(op) as view:`` the secret's ctypes view for library calls
        (:meth:`_acquire` / :meth:`_release`)."""
        view = self._acquire(operation)
        try:
            yield view
        finally:
            self._release()

    def _sign_with_key(self, fn, operation: str, out, data: bytes) -> bytes:
        """``fn(out, len(out), data, len(data), key, 32, err)`` with the secret held (a
        signature of the key itself); the library's error on failure."""
        view = self._acquire(operation)
        try:
            st = fn(out, len(out), data, len(data), view, 32, None)
            if st:
                raise fail(st, fn, (out, len(out), data, len(data), view, 32))
        finally:
            self._release()
        return out.raw

    def _signer_handle(self, operation: str) -> int:
        """The x402s_signer handle of this key (made at first use, one per holder): the core
        keeps the parsed key with its public key and address, so each signature or payment
        skips validating and copying it. InvalidKeyError once closed."""
        h = self._signer
        if h is not None:
            return h
        with self._lock:  # one handle per holder, and none made after close()
            h = self._signer
            if h is not None:
                return h
            view = self._view
            if view is None:
                raise _closed_error(operation)
            out = ctypes.c_void_p()
            st = _signer_new(ctypes.byref(out), view, 32, self._KIND, None)
            if st:
                raise fail(st, _signer_new, (ctypes.byref(out), view, 32, self._KIND))
            self._signer = out.value
            return out.value  # type: ignore[return-value]

    def close(self) -> None:
        """Overwrite the secret with zeros and release the core's prepared copy of it.
        Calls in progress on other threads complete first (the wipe happens when the last
        returns); later calls raise :class:`InvalidKeyError`. Idempotent."""
        lock = getattr(self, "_lock", None)
        if lock is None:  # construction failed before the secret was set
            return
        with lock:
            if self._view is None:
                return
            self._view = None
            signer, self._signer = self._signer, None
            wipe = self._busy == 0
        if signer is not None:
            try:
                _signer_free(signer)  # the core zeroes it after the calls using it
            except Exception:  # pragma: no cover - interpreter shutdown
                pass
        if wipe:
            self._wipe()

    def _wipe(self) -> None:
        secret = self._secret
        try:
            secret[:] = bytes(len(secret))
        except Exception:  # pragma: no cover - interpreter shutdown
            pass

    @property
    def closed(self) -> bool:
        """True after :meth:`close`."""
        return self._view is None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        # No call can be in progress: a call references the holder.
        self.close()

    def __reduce__(self):
        raise TypeError(f"{type(self).__name__} holds a secret and cannot be pickled")

    def __copy__(self):
        raise TypeError(f"{type(self).__name__} holds a secret and cannot be copied")

    def __deepcopy__(self, memo):
        raise TypeError(f"{type(self).__name__} holds a secret and cannot be copied")


class EvmAccount(_SecretHolder):
    """An EVM account: a secp256k1 secret key with its public key and address.

    Create it with :meth:`from_key`. Use ``with EvmAccount.from_key(k) as acct:``
    or call :meth:`close` to wipe the key when done.
    """

    __slots__ = ("_address", "_public_key")
    _KIND = 1  # X402S_KEY_SECP256K1

    def __init__(self) -> None:
        raise TypeError("use EvmAccount.from_key(key)")

    @classmethod
    def from_key(cls, key: Union[BytesLike, str]) -> "EvmAccount":
        """Account of a 32-byte secret key given as bytes-like or as a hex string
        (with or without ``0x``).

        Raises:
            ArgumentTypeError: ``key`` has another type, or is None.
            InvalidArgumentError: ``X402S_ERR_INVALID_LENGTH`` (not 32 bytes),
                ``X402S_ERR_INVALID_HEX``.
            InvalidKeyError: ``X402S_ERR_INVALID_KEY`` (zero, or not below the
                curve order n).
        """
        op = "x402s_secp256k1_seckey_verify"
        secret, view = _secret_buffer(key, op, "key", allow_hex=True)
        self = object.__new__(cls)
        self._init_secret(secret, view)
        st = _seckey_verify(view, 32, None)
        if st:
            exc = fail(st, _seckey_verify, (view, 32))
            self.close()
            raise exc
        pub = _B65()
        st = _pubkey(pub, 65, view, 32, None)
        if st:
            exc = fail(st, _pubkey, (pub, 65, view, 32))
            self.close()
            raise exc
        addr = _B42()
        st = _evm_address(addr, 42, view, 32, None)
        if st:
            exc = fail(st, _evm_address, (addr, 42, view, 32))
            self.close()
            raise exc
        self._public_key = pub.raw
        self._address = addr.raw.decode("ascii")
        return self

    @property
    def address(self) -> str:
        """EIP-55 checksummed address ("0x" + 40 hex digits)."""
        return self._address

    @property
    def public_key(self) -> bytes:
        """Uncompressed public key, 65 bytes (``0x04 || X || Y``)."""
        return self._public_key

    def sign_digest(self, digest: BytesLike) -> bytes:
        """Sign a 32-byte digest: ``r || s || v`` (65 bytes, v = 27 or 28,
        RFC 6979 nonce, low s), as eth_account's ``unsafe_sign_hash``.

        Raises:
            ArgumentTypeError: ``digest`` is not bytes-like.
            InvalidArgumentError: ``X402S_ERR_INVALID_LENGTH``.
            InvalidKeyError: the account was closed.
        """
        if self._view is None:
            self._check_open("x402s_secp256k1_sign")
        if type(digest) is not bytes:
            digest = as_bytes(digest, "x402s_secp256k1_sign", "digest")
        return self._sign_with_key(_sign, "x402s_secp256k1_sign", _B65(), digest)

    def sign_typed_data(self, typed_data: TypedData) -> bytes:
        """Hash an EIP-712 document (as :func:`eip712_hash`) and sign the digest
        (as :meth:`sign_digest`) in one library call.

        ``typed_data`` is a dict (serialised with
        ``json.dumps(separators=(",", ":"), ensure_ascii=False)``), or JSON text
        as str or UTF-8 bytes.

        Returns:
            65 bytes ``r || s || v`` with v = 27 or 28.

        Raises:
            ArgumentTypeError: ``typed_data`` has another type.
            InvalidArgumentError: JSON, UTF-8, size and number errors (10-19, 4).
            InvalidTypedDataError: ``X402S_ERR_EIP712_*``.
            InvalidKeyError: the account was closed.
        """
        op = "x402s_eip712_sign"
        h = self._signer
        if h is None:
            h = self._signer_handle(op)
        doc = typed_data if type(typed_data) is bytes else typed_data_bytes(typed_data, op)
        out = _B65()
        st = _signer_eip712_sign(out, 65, None, 0, h, doc, len(doc), None)
        if st:
            if st == N.S_HANDLE_CLOSED:  # closed by another thread since h was read
                raise _closed_error(op)
            # the same call with the key bytes reports the same status and message
            with self._key(op) as view:
                raise fail(st, _eip712_sign, (out, 65, None, 0, doc, len(doc), view, 32))
        return out.raw

    def __repr__(self) -> str:
        if self._view is None:
            return f"<EvmAccount {self._address} (closed)>"
        return f"<EvmAccount {self._address}>"


class SolanaKeypair(_SecretHolder):
    """An Ed25519 key pair (Solana account) made from a 32-byte seed.

    Create it with :meth:`from_seed`; :meth:`close` wipes the seed.
    """

    __slots__ = ("_address", "_public_key")
    _KIND = 2  # X402S_KEY_ED25519_SEED

    def __init__(self) -> None:
        raise TypeError("use SolanaKeypair.from_seed(seed)")

    @classmethod
    def from_seed(cls, seed: BytesLike) -> "SolanaKeypair":
        """Key pair of a 32-byte Ed25519 seed (libsodium ``crypto_sign_seed_keypair``).

        Raises:
            ArgumentTypeError: ``seed`` is not bytes-like, or is None.
            InvalidArgumentError: ``X402S_ERR_INVALID_LENGTH``.
        """
        op = "x402s_ed25519_pubkey"
        secret, view = _secret_buffer(seed, op, "seed", allow_hex=False)
        self = object.__new__(cls)
        self._init_secret(secret, view)
        pub = _B32()
        st = _ed_pubkey(pub, 32, view, 32, None)
        if st:
            exc = fail(st, _ed_pubkey, (pub, 32, view, 32))
            self.close()
            raise exc
        addr = _B44()
        n = c_size_t(0)
        st = _sol_address(addr, 44, n, view, 32, None)
        if st:
            exc = fail(st, _sol_address, (addr, 44, n, view, 32))
            self.close()
            raise exc
        self._public_key = pub.raw
        self._address = ctypes.string_at(addr, n.value).decode("ascii")
        return self

    @property
    def address(self) -> str:
        """Solana address: base58 of the public key."""
        return self._address

    @property
    def public_key(self) -> bytes:
        """Ed25519 public key, 32 bytes."""
        return self._public_key

    def sign(self, message: BytesLike) -> bytes:
        """Ed25519 signature (64 bytes) of ``message``.

        Raises:
            ArgumentTypeError: ``message`` is not bytes-like.
            InvalidArgumentError: ``X402S_ERR_INPUT_TOO_LARGE``.
            InvalidKeyError: the key pair was closed.
        """
        if self._view is None:
            self._check_open("x402s_ed25519_sign")
        if type(message) is not bytes:
            message = as_bytes(message, "x402s_ed25519_sign", "message")
        return self._sign_with_key(_ed_sign, "x402s_ed25519_sign", _B64(), message)

    def __repr__(self) -> str:
        if self._view is None:
            return f"<SolanaKeypair {self._address} (closed)>"
        return f"<SolanaKeypair {self._address}>"
