"""Stateless functions: hashes, encodings, EIP-712/EIP-191, recovery and verification."""

from __future__ import annotations

import copy
import ctypes
import json
from ctypes import c_char, c_size_t
from typing import NamedTuple, Optional, Union

from . import _native as N
from ._native import as_bytes, as_text, fail, lib

BytesLike = Union[bytes, bytearray, memoryview]
TextLike = Union[str, bytes, bytearray, memoryview]
TypedData = Union[dict, str, bytes, bytearray, memoryview]

_B32 = c_char * 32
_B42 = c_char * 42
_B65 = c_char * 65
_string_at = ctypes.string_at

_keccak = lib.x402s_keccak256
_sha256 = lib.x402s_sha256
_hex_encode = lib.x402s_hex_encode
_hex_decode = lib.x402s_hex_decode
_b64_encode = lib.x402s_base64_encode
_b64_decode = lib.x402s_base64_decode
_b58_encode = lib.x402s_base58_encode
_b58_decode = lib.x402s_base58_decode
_eip712_hash = lib.x402s_eip712_hash
_eip191_hash = lib.x402s_eip191_hash
_recover = lib.x402s_secp256k1_recover
_recover_address = lib.x402s_evm_recover_address
_secp_verify = lib.x402s_secp256k1_verify
_checksum = lib.x402s_evm_checksum_address
_ed_verify = lib.x402s_ed25519_verify

_S_VERIFY_FAILED = N.S_VERIFY_FAILED
_S_BUFFER_TOO_SMALL = N.S_BUFFER_TOO_SMALL

#: Compact JSON exactly as the brief fixes it: json.dumps(separators=(",", ":"),
#: ensure_ascii=False); a prebuilt encoder saves the per-call construction.
_json_encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
_json_encode = _json_encoder.encode
_c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
_FLAT_TYPES = frozenset((str, int))
if _c_make_encoder is not None:
    # The C encoder that JSONEncoder.encode builds on every call, built once (same text:
    # same separators, ensure_ascii=False, allow_nan) and without circular-reference
    # markers: used only for flat dicts whose values are exactly str or int, where no
    # recursion can happen.
    _c_encode = _c_make_encoder(None, _json_encoder.default, json.encoder.encode_basestring, None,
                                ":", ",", False, False, True)

    def _encode_message(value: object) -> str:
        if type(value) is dict and _FLAT_TYPES.issuperset(map(type, value.values())):  # type: ignore[union-attr]
            return "".join(_c_encode(value, 0))
        return _json_encode(value)
else:  # pragma: no cover - interpreters without the _json accelerator
    _encode_message = _json_encode


#: id(types dict) -> (snapshot, JSON text). Applications pass the same ``types``
#: constant with every payment, and serialising it is most of json.dumps's cost;
#: a hit requires the live dict to compare equal to a private deep copy whose
#: leaves are all ``str`` (so equality implies the same JSON meaning).
_TYPES_CACHE: dict = {}
_TYPES_CACHE_MAX = 16
_TOP_KEYS = {k: json.dumps(k) + ":" for k in ("types", "primaryType", "domain", "message")}


def _str_leaves(value: object) -> bool:
    t = type(value)
    if t is str:
        return True
    if t is dict:
        return all(type(k) is str and _str_leaves(v) for k, v in value.items())  # type: ignore[union-attr]
    if t is list:
        return all(_str_leaves(v) for v in value)  # type: ignore[union-attr]
    return False


#: id(domain dict) -> (snapshot, value types, JSON text) for flat domains whose values are
#: str or int (never bool or float, whose equality with int would hide a change).
_DOMAIN_CACHE: dict = {}
_encode_str = json.encoder.encode_basestring  # the ensure_ascii=False string encoder


def _flat_str_int(value: dict) -> bool:
    return all(type(k) is str and (type(v) is str or type(v) is int) for k, v in value.items())


def _encode_domain(domain: object) -> str:
    if type(domain) is not dict:
        return _json_encode(domain)
    entry = _DOMAIN_CACHE.get(id(domain))
    if entry is not None and entry[0] == domain and entry[1] == tuple(map(type, domain.values())):  # type: ignore[union-attr]
        return entry[2]
    text = _json_encode(domain)
    if _flat_str_int(domain):  # type: ignore[arg-type]
        if len(_DOMAIN_CACHE) >= _TYPES_CACHE_MAX:
            _DOMAIN_CACHE.clear()
        _DOMAIN_CACHE[id(domain)] = (dict(domain), tuple(map(type, domain.values())), text)  # type: ignore[union-attr]
    return text


#: (id(types), id(domain), primaryType) -> (key order, types snapshot, domain snapshot,
#: domain value types, text up to the message value) for four-key documents whose last key
#: is "message": a hit re-encodes only the message.
_DOC_CACHE: dict = {}


def _encode_typed_data(doc: dict) -> str:
    """json.dumps(doc, separators=(",", ":"), ensure_ascii=False), reusing the text of a
    ``types`` (and a flat ``domain``) dict seen before."""
    if len(doc) == 4:
        types = doc.get("types")
        domain = doc.get("domain")
        primary = doc.get("primaryType")
        if type(primary) is str and type(domain) is dict:
            key = (id(types), id(domain), primary)
            entry = _DOC_CACHE.get(key)
            if (entry is not None and entry[0] == tuple(doc) and entry[1] == types and entry[2] == domain
                    and entry[3] == tuple(map(type, domain.values()))):  # type: ignore[union-attr]
                return entry[4] + _encode_message(doc["message"]) + "}"
            seen = _DOMAIN_CACHE.get(id(domain))
            text = _encode_document(doc)  # fills the types and domain caches when they are cacheable
            d_entry = _DOMAIN_CACHE.get(id(domain))
            if d_entry is None or d_entry is not seen:
                # this domain dict is new (built afresh per call, or not flat): remember the
                # document only once the same domain object comes back
                return text
            order = tuple(doc)
            t_entry = _TYPES_CACHE.get(id(types))
            if (order[-1] == "message" and t_entry is not None
                    and t_entry[0] == types and d_entry[0] == domain
                    and d_entry[1] == tuple(map(type, domain.values()))):  # type: ignore[union-attr]
                # the snapshots and texts those caches hold now describe this document
                texts = {"types": t_entry[1], "domain": d_entry[2], "primaryType": _encode_str(primary)}
                prefix = "{" + ",".join(_TOP_KEYS[k] + texts[k] for k in order[:-1]) + "," + _TOP_KEYS["message"]
                if len(_DOC_CACHE) >= _TYPES_CACHE_MAX:
                    _DOC_CACHE.clear()
                _DOC_CACHE[key] = (order, t_entry[0], d_entry[0], d_entry[1], prefix)
            return text
    return _encode_document(doc)


def _encode_document(doc: dict) -> str:
    types = doc.get("types")
    if type(types) is not dict:
        return _json_encode(doc)
    entry = _TYPES_CACHE.get(id(types))
    if entry is not None and entry[0] == types:
        types_text = entry[1]
    else:
        types_text = _json_encode(types)
        if _str_leaves(types):
            if len(_TYPES_CACHE) >= _TYPES_CACHE_MAX:
                _TYPES_CACHE.clear()
            _TYPES_CACHE[id(types)] = (copy.deepcopy(types), types_text)
    parts = []
    for k, v in doc.items():
        head = _TOP_KEYS.get(k) if type(k) is str else None
        if head is None:
            if type(k) is not str:
                return _json_encode(doc)  # json.dumps's own key coercion rules
            head = _json_encode(k) + ":"
        if k == "types" and v is types:
            parts.append(head + types_text)
        elif k == "domain":
            parts.append(head + _encode_domain(v))
        elif type(v) is str:
            parts.append(head + _encode_str(v))
        else:
            parts.append(head + _json_encode(v))
    return "{" + ",".join(parts) + "}"


def typed_data_bytes(typed_data: object, operation: str) -> bytes:
    """UTF-8 JSON bytes of a typed-data document given as dict, str or bytes."""
    t = type(typed_data)
    if t is bytes:
        return typed_data  # type: ignore[return-value]
    if t is str:
        return as_text(typed_data, operation, "typed_data")
    if isinstance(typed_data, dict):
        try:
            text = _encode_typed_data(typed_data)  # type: ignore[arg-type]
        except RecursionError:
            raise N.arg_error(N.S_JSON_TOO_DEEP, operation, "typed_data nests too deeply") from None
        except (TypeError, ValueError):
            raise N.arg_error(N.S_INVALID_JSON, operation, "typed_data is not JSON-serialisable") from None
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:
            # A lone surrogate in a str value: JSON cannot carry it (Node's JSON.stringify
            # escapes it as \udXXX, which the core rejects as invalid JSON too).
            raise N.arg_error(N.S_INVALID_JSON, operation, "typed_data has a string with a lone surrogate") from None
    return as_text(typed_data, operation, "typed_data")


def _variable(fn, cap: int, data: bytes, *extra) -> bytes:
    """Call a (out, out_cap, out_len, data, data_len, [extra...], err) function,
    retrying once with the size the library reports."""
    n = c_size_t(0)
    cap = max(cap, 1)
    out = (c_char * cap)()
    st = fn(out, cap, n, data, len(data), *extra, None)
    if st == _S_BUFFER_TOO_SMALL and n.value > cap:
        cap = n.value
        out = (c_char * cap)()
        st = fn(out, cap, n, data, len(data), *extra, None)
    if st:
        raise fail(st, fn, (out, cap, n, data, len(data)) + extra)
    return _string_at(out, n.value)


# ---------------------------------------------------------------- hashes


def keccak256(data: BytesLike) -> bytes:
    """Keccak-256 (Ethereum's, not SHA3-256) of ``data``.

    Returns:
        32 bytes.

    Raises:
        ArgumentTypeError: ``data`` is not bytes-like.
    """
    if type(data) is not bytes:
        data = as_bytes(data, "x402s_keccak256", "data")
    out = _B32()
    st = _keccak(out, 32, data, len(data), None)
    if st:
        raise fail(st, _keccak, (out, 32, data, len(data)))
    return out.raw


def sha256(data: BytesLike) -> bytes:
    """SHA-256 of ``data``.

    Returns:
        32 bytes.

    Raises:
        ArgumentTypeError: ``data`` is not bytes-like.
    """
    if type(data) is not bytes:
        data = as_bytes(data, "x402s_sha256", "data")
    out = _B32()
    st = _sha256(out, 32, data, len(data), None)
    if st:
        raise fail(st, _sha256, (out, 32, data, len(data)))
    return out.raw


# ---------------------------------------------------------------- encodings


def hex_encode(data: BytesLike, prefix: bool = True) -> str:
    """``"0x"`` (unless ``prefix`` is False) followed by the lowercase hex digits of ``data``.

    Raises:
        ArgumentTypeError: ``data`` is not bytes-like.
        InvalidArgumentError: ``X402S_ERR_INPUT_TOO_LARGE``.
    """
    if type(data) is not bytes:
        data = as_bytes(data, "x402s_hex_encode", "data")
    text = _variable(_hex_encode, 2 + 2 * len(data), data).decode("ascii")
    return text if prefix else text[2:]


def hex_decode(text: TextLike, require_prefix: bool = False) -> bytes:
    """Decode hex text (``0x``/``0X`` prefix optional unless ``require_prefix``,
    digits in either case, even length).

    Raises:
        ArgumentTypeError: ``text`` is not str or bytes-like.
        InvalidArgumentError: ``X402S_ERR_INVALID_HEX``, ``X402S_ERR_INVALID_UTF8``,
            ``X402S_ERR_INPUT_TOO_LARGE``.
    """
    data = as_text(text, "x402s_hex_decode", "text")
    if require_prefix and not (data[:2] == b"0x" or data[:2] == b"0X"):
        raise N.arg_error(N.S_INVALID_HEX, "x402s_hex_decode", "hex text must start with 0x")
    return _variable(_hex_decode, len(data) // 2, data)


def b64encode(data: BytesLike, urlsafe: bool = False, padding: Optional[bool] = None) -> str:
    """Base64 of ``data``: RFC 4648 standard alphabet with padding, or (``urlsafe``)
    the URL alphabet without padding. ``padding`` overrides the default of each
    alphabet.

    Raises:
        ArgumentTypeError: ``data`` is not bytes-like.
        InvalidArgumentError: ``X402S_ERR_INPUT_TOO_LARGE``.
    """
    if type(data) is not bytes:
        data = as_bytes(data, "x402s_base64_encode", "data")
    flags = N.BASE64_URL if urlsafe else N.BASE64_STANDARD
    text = _variable(_b64_encode, 4 * ((len(data) + 2) // 3), data, flags).decode("ascii")
    if padding is None or padding is (not urlsafe):
        return text
    if padding:
        return text + "=" * (-len(text) % 4)
    return text.rstrip("=")


def b64decode(text: TextLike, urlsafe: bool = False) -> bytes:
    """Decode base64. Standard mode is strict (standard alphabet, exact padding,
    no whitespace, zero trailing bits); URL mode accepts optional padding.

    Raises:
        ArgumentTypeError: ``text`` is not str or bytes-like.
        InvalidArgumentError: ``X402S_ERR_INVALID_BASE64``, ``X402S_ERR_INPUT_TOO_LARGE``.
    """
    data = as_text(text, "x402s_base64_decode", "text")
    flags = N.BASE64_URL if urlsafe else N.BASE64_STANDARD
    return _variable(_b64_decode, (len(data) // 4) * 3 + 3, data, flags)


def b58encode(data: BytesLike) -> str:
    """Base58 (Bitcoin alphabet, as Solana uses) of at most 1 KiB of ``data``.

    Raises:
        ArgumentTypeError: ``data`` is not bytes-like.
        InvalidArgumentError: ``X402S_ERR_INPUT_TOO_LARGE``.
    """
    if type(data) is not bytes:
        data = as_bytes(data, "x402s_base58_encode", "data")
    return _variable(_b58_encode, len(data) * 138 // 100 + 2, data).decode("ascii")


def b58decode(text: TextLike, size: Optional[int] = None) -> bytes:
    """Decode base58 text (Bitcoin alphabet, at most 2 KiB). With ``size``, the
    result must be exactly ``size`` bytes (e.g. 32 for a Solana public key).

    Raises:
        ArgumentTypeError: ``text`` is not str or bytes-like.
        InvalidArgumentError: ``X402S_ERR_INVALID_BASE58``, ``X402S_ERR_INPUT_TOO_LARGE``.
    """
    data = as_text(text, "x402s_base58_decode", "text")
    out = _variable(_b58_decode, len(data) + 1, data)
    if size is not None and len(out) != size:
        raise N.arg_error(N.S_INVALID_BASE58, "x402s_base58_decode", f"base58 text must decode to {size} bytes")
    return out


# ---------------------------------------------------------------- EIP-712 / EIP-191


class Eip712Hashes(NamedTuple):
    """The three hashes of an EIP-712 document."""

    domain_separator: bytes
    """hashStruct(EIP712Domain, domain)."""
    struct_hash: bytes
    """hashStruct(primaryType, message)."""
    digest: bytes
    """keccak256(0x19 0x01 || domain_separator || struct_hash): what is signed."""


def eip712_hash(typed_data: TypedData) -> bytes:
    """The EIP-712 digest of an ``eth_signTypedData_v4`` document
    ``{types, primaryType, domain, message}``.

    ``typed_data`` is a dict (serialised as compact JSON), or JSON text as
    str or UTF-8 bytes (at most 1 MiB).

    Returns:
        32 bytes.

    Raises:
        ArgumentTypeError: ``typed_data`` has another type.
        InvalidArgumentError: ``X402S_ERR_INVALID_JSON``, ``X402S_ERR_JSON_TOO_DEEP``,
            ``X402S_ERR_INVALID_UTF8``, ``X402S_ERR_INPUT_TOO_LARGE``,
            ``X402S_ERR_INVALID_NUMBER``, ``X402S_ERR_INVALID_HEX``, ``X402S_ERR_INVALID_ADDRESS``.
        InvalidTypedDataError: ``X402S_ERR_EIP712_*``.
    """
    doc = typed_data if type(typed_data) is bytes else typed_data_bytes(typed_data, "x402s_eip712_hash")
    out = _B32()
    st = _eip712_hash(out, 32, None, 0, None, 0, doc, len(doc), None)
    if st:
        raise fail(st, _eip712_hash, (out, 32, None, 0, None, 0, doc, len(doc)))
    return out.raw


def eip712_hashes(typed_data: TypedData) -> Eip712Hashes:
    """``(domain_separator, struct_hash, digest)`` of an EIP-712 document
    (see :func:`eip712_hash`).

    Raises:
        ArgumentTypeError, InvalidArgumentError, InvalidTypedDataError: as :func:`eip712_hash`.
    """
    doc = typed_data if type(typed_data) is bytes else typed_data_bytes(typed_data, "x402s_eip712_hash")
    digest, dom, sh = _B32(), _B32(), _B32()
    args = (digest, 32, dom, 32, sh, 32, doc, len(doc))
    st = _eip712_hash(*args, None)
    if st:
        raise fail(st, _eip712_hash, args)
    return Eip712Hashes(dom.raw, sh.raw, digest.raw)


def eip191_hash(message: TextLike) -> bytes:
    """EIP-191 ``personal_sign`` hash:
    keccak256("\\x19Ethereum Signed Message:\\n" || len || message).
    A str is encoded as UTF-8.

    Raises:
        ArgumentTypeError: ``message`` is not str or bytes-like.
        InvalidArgumentError: ``X402S_ERR_INVALID_UTF8`` (str with lone surrogates).
    """
    data = message if type(message) is bytes else as_text(message, "x402s_eip191_hash", "message")
    out = _B32()
    st = _eip191_hash(out, 32, data, len(data), None)
    if st:
        raise fail(st, _eip191_hash, (out, 32, data, len(data)))
    return out.raw


# ---------------------------------------------------------------- secp256k1 / EVM


def recover_public_key(digest: BytesLike, signature: BytesLike) -> bytes:
    """Uncompressed public key (65 bytes, ``0x04 || X || Y``) that made
    ``signature`` (65 bytes ``r || s || v``, v in {27, 28} or {0, 1}) over ``digest``.

    Raises:
        ArgumentTypeError: an argument is not bytes-like.
        InvalidArgumentError: ``X402S_ERR_INVALID_LENGTH``.
        InvalidSignatureError: ``X402S_ERR_INVALID_SIGNATURE``,
            ``X402S_ERR_NON_CANONICAL_SIGNATURE`` (high s).
    """
    op = "x402s_secp256k1_recover"
    if type(digest) is not bytes:
        digest = as_bytes(digest, op, "digest")
    if type(signature) is not bytes:
        signature = as_bytes(signature, op, "signature")
    out = _B65()
    args = (out, 65, digest, len(digest), signature, len(signature))
    st = _recover(*args, None)
    if st:
        raise fail(st, _recover, args)
    return out.raw


def recover_address(digest: BytesLike, signature: BytesLike) -> str:
    """EIP-55 checksummed address of the signer of ``digest`` (see
    :func:`recover_public_key`).

    Raises:
        ArgumentTypeError: an argument is not bytes-like.
        InvalidArgumentError: ``X402S_ERR_INVALID_LENGTH``.
        InvalidSignatureError: ``X402S_ERR_INVALID_SIGNATURE``,
            ``X402S_ERR_NON_CANONICAL_SIGNATURE``.
    """
    op = "x402s_evm_recover_address"
    if type(digest) is not bytes:
        digest = as_bytes(digest, op, "digest")
    if type(signature) is not bytes:
        signature = as_bytes(signature, op, "signature")
    out = _B42()
    args = (out, 42, digest, len(digest), signature, len(signature))
    st = _recover_address(*args, None)
    if st:
        raise fail(st, _recover_address, args)
    return out.raw.decode("ascii")


def secp256k1_verify(signature: BytesLike, digest: BytesLike, public_key: BytesLike) -> bool:
    """Whether ``signature`` (64 bytes ``r || s``, or 65 with a trailing v that is
    ignored) is a valid low-s ECDSA signature of ``digest`` by ``public_key``
    (33 bytes compressed or 65 uncompressed).

    Returns:
        True when valid, False when well-formed but wrong.

    Raises:
        ArgumentTypeError: an argument is not bytes-like.
        InvalidArgumentError: ``X402S_ERR_INVALID_LENGTH``.
        InvalidSignatureError: ``X402S_ERR_INVALID_SIGNATURE``,
            ``X402S_ERR_NON_CANONICAL_SIGNATURE``.
        InvalidKeyError: ``X402S_ERR_INVALID_PUBLIC_KEY``.
    """
    op = "x402s_secp256k1_verify"
    if type(signature) is not bytes:
        signature = as_bytes(signature, op, "signature")
    if type(digest) is not bytes:
        digest = as_bytes(digest, op, "digest")
    if type(public_key) is not bytes:
        public_key = as_bytes(public_key, op, "public_key")
    args = (signature, len(signature), digest, len(digest), public_key, len(public_key))
    st = _secp_verify(*args, None)
    if not st:
        return True
    if st == _S_VERIFY_FAILED:
        return False
    raise fail(st, _secp_verify, args)


def checksum_address(address: TextLike) -> str:
    """EIP-55 checksummed form of ``address`` ("0x" + 40 hex digits). All-lower
    and all-upper case input is accepted; mixed case must carry a valid checksum.

    Raises:
        ArgumentTypeError: ``address`` is not str or bytes-like.
        InvalidArgumentError: ``X402S_ERR_INVALID_ADDRESS``, ``X402S_ERR_INVALID_UTF8``.
    """
    op = "x402s_evm_checksum_address"
    data = as_text(address, op, "address")
    out = _B42()
    st = _checksum(out, 42, data, len(data), None)
    if st:
        raise fail(st, _checksum, (out, 42, data, len(data)))
    return out.raw.decode("ascii")


# ---------------------------------------------------------------- Ed25519


def ed25519_verify(signature: BytesLike, message: BytesLike, public_key: BytesLike) -> bool:
    """Whether ``signature`` (64 bytes) is a valid Ed25519 signature of
    ``message`` by ``public_key`` (32 bytes).

    Returns:
        True when valid, False when well-formed but wrong.

    Raises:
        ArgumentTypeError: an argument is not bytes-like.
        InvalidArgumentError: ``X402S_ERR_INVALID_LENGTH``.
    """
    op = "x402s_ed25519_verify"
    if type(signature) is not bytes:
        signature = as_bytes(signature, op, "signature")
    if type(message) is not bytes:
        message = as_bytes(message, op, "message")
    if type(public_key) is not bytes:
        public_key = as_bytes(public_key, op, "public_key")
    args = (signature, len(signature), message, len(message), public_key, len(public_key))
    st = _ed_verify(*args, None)
    if not st:
        return True
    if st == _S_VERIFY_FAILED:
        return False
    raise fail(st, _ed_verify, args)
