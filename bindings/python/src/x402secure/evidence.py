"""Evidence for disputes (docs/EVIDENCE.md): the risk proxy's evidence records in an
append-only hash chain, Ed25519 decision receipts (``X-Risk-Receipt``), and bundles that
anyone can verify offline. Everything is computed by the Swift core behind the
``x402s_evidence_*`` functions of the C ABI; this module only shapes arguments and results.

Storage stays with the caller. Per decision the proxy:

1. ``rec = make_record(decision, seq=head.seq + 1, prev=head.hash)`` (``seq=0, prev=None``
   for the first record of a chain) and stores ``rec.text``, ``rec.hash``, ``rec.prev``
   (and ``rec.seq``, ``rec.decision_id``) in its append-only table, appending under a lock
   on the chain head so seq stays contiguous;
2. ``key.sign_receipt(rec)`` and returns the value in ``X-Risk-Receipt``;
3. serves ``key_set(key)`` at :data:`RECEIPT_KEY_PATH`;
4. on ``GET /evidence/{decision_id}``: ``build_bundle(decision_id, texts, key=key,
   attachments=[trace_text, ...])`` with the stored texts from the decision's first to its
   last record, in seq order (the key also signs the bundle's manifest).

Anyone then calls :func:`verify_bundle` (or ``x402secure evidence verify-bundle``).

Errors raise :class:`~x402secure.errors.EvidenceError` (statuses 110-119) or the other
:class:`~x402secure.X402SError` subclasses; verifications *return* their verdicts.
"""

from __future__ import annotations

import base64
import ctypes
import json
import os
import threading
from ctypes import c_char, c_size_t
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Mapping, Optional, Sequence, Tuple, Union

from . import _native as N
from . import _native_evidence as E
from . import _native_x402  # noqa: F401  (declares the x402s_signer_* prototypes)
from . import risk as _risk

__all__ = [
    "GENESIS_HASH",
    "RECEIPT_HEADER",
    "RECEIPT_KEY_PATH",
    "EVIDENCE_PATH",
    "DEFAULT_CHAIN",
    "EvidenceRecord",
    "make_record",
    "parse_record",
    "ReceiptKey",
    "key_set",
    "ReceiptVerification",
    "verify_receipt",
    "build_bundle",
    "BundleReason",
    "BundleVerification",
    "verify_bundle",
]

#: ``prev`` of the first record (seq 0) of a chain.
GENESIS_HASH = "sha256:" + "0" * 64
#: The response header carrying the decision receipt.
RECEIPT_HEADER = "X-Risk-Receipt"
#: Where the proxy publishes its receipt keys (a JWK Set, :func:`key_set`).
RECEIPT_KEY_PATH = "/.well-known/x402-secure/receipt-key"
#: Where the proxy serves a decision's bundle.
EVIDENCE_PATH = "/evidence/{decision_id}"
#: The chain name used when none is given.
DEFAULT_CHAIN = "main"

_lib = N.lib
_OK = N.S_OK
_VERIFY_FAILED = E.S_EVIDENCE_VERIFY_FAILED
_json_encode = _risk._json_encode
_TEXT = (str, bytes, bytearray, memoryview)


# ------------------------------------------------------------------ call glue


def _call(name: str, *args, cap: int = 1024, verdict: bool = False) -> Tuple[int, bytes]:
    """``x402s_evidence_<name>(out, cap, &len, *args, &err)`` through the risk layer's glue
    (one retry at the size the library reports); with ``verdict``, EVIDENCE_VERIFY_FAILED
    returns the verdict it wrote instead of raising."""
    return _risk._call(name, *args, cap=cap, verdicts=(_VERIFY_FAILED,) if verdict else ())


def _json_bytes(value: object, op: str, what: str) -> bytes:
    """JSON text (str/bytes, passed unchanged) or a Python value serialised compactly
    (``None`` is a missing argument, not JSON null)."""
    if value is None:
        raise N.type_error(op, what, value)
    return _risk._json_bytes(value, op, what)


def _loads(raw: bytes) -> Any:
    return json.loads(raw.decode("utf-8"))


def _keys_json(public_keys: object, op: str) -> bytes:
    """Trusted keys: ReceiptKey(s), a JWK / JWK Set / list of JWKs (dicts or JSON text),
    a raw key as 32 bytes or as text ("0x" + 64 hex, or 43 characters of base64url)."""
    if isinstance(public_keys, ReceiptKey):
        return _json_encode(public_keys.jwk).encode("utf-8")
    if isinstance(public_keys, (bytes, bytearray, memoryview)) and len(public_keys) == 32:
        return _json_encode("0x" + bytes(public_keys).hex()).encode("ascii")
    if isinstance(public_keys, str) and not public_keys.lstrip().startswith(("{", "[", '"')):
        return _json_encode(public_keys).encode("utf-8")
    if isinstance(public_keys, (list, tuple)):
        return _json_encode([k.jwk if isinstance(k, ReceiptKey) else k for k in public_keys]).encode("utf-8")
    return _json_bytes(public_keys, op, "public_keys")


def _record_text(record: object, op: str) -> bytes:
    if isinstance(record, EvidenceRecord):
        return record.text.encode("utf-8")
    if isinstance(record, _TEXT):
        return N.as_text(record, op, "record")
    raise N.type_error(op, "record", record)


# ------------------------------------------------------------------ records


@dataclass(frozen=True)
class EvidenceRecord:
    """One record of the evidence chain, as stored.

    Attributes:
        text: the canonical record text (store it as is; it is what the hash covers).
        hash: the record hash, ``"sha256:<64 hex>"`` (the next record's ``prev``).
        prev: the previous record's hash (:data:`GENESIS_HASH` for seq 0).
        seq: the position in the chain, from 0.
        chain: the chain name.
        decision_id: the decision id (``None`` for a link: a record known by body digest).
        body_digest: ``"sha256:"`` digest of the canonical body.
    """

    text: str
    hash: str
    prev: str
    seq: int
    chain: str
    decision_id: Optional[str]
    body_digest: str

    @property
    def is_link(self) -> bool:
        """True for a link (the body replaced by its digest)."""
        return self.decision_id is None

    def to_dict(self) -> Dict[str, Any]:
        """The record as a dict (parsed from :attr:`text`)."""
        return json.loads(self.text)


def make_record(decision: Union[Mapping[str, Any], str, bytes], *, seq: int, prev: Optional[str] = None,
                chain: str = DEFAULT_CHAIN) -> EvidenceRecord:
    """Make the record of one decision (the schema is in docs/EVIDENCE.md).

    Args:
        decision: ``{"decisionId", "kind", "decidedAt" (Unix ms), "verdict"}`` and optionally
            ``"receivedAt"``, ``"reasons"``, ``"riskLevel"``, ``"session"``, ``"mandate"``
            (``{"ref", "digest", "size", "mediaType"}``), ``"trace"`` (``{"tid", "digest"}``,
            digest of the canonical agent trace as ``sha256:`` or ``0x`` hex),
            ``"payment"`` (``{"payload", "requirements", "header"}``), ``"riskHeaders"``
            (name -> value), ``"upstream"`` (list of answers), ``"extra"``. A dict or its
            JSON text.
        seq: 0 for the first record of the chain, else the previous record's ``seq + 1``.
        prev: the previous record's hash (``None`` only for seq 0).
        chain: the chain name (1-64 of ``A-Z a-z 0-9 . _ : -``).

    Raises:
        EvidenceError: ``X402S_ERR_EVIDENCE_INVALID_RECORD`` (schema, or seq/prev that do
            not link); InvalidArgumentError for JSON errors and sizes above 1 MiB.
    """
    op = "x402s_evidence_record_make"
    if type(seq) is not int:
        raise N.type_error(op, "seq", seq)
    head: Dict[str, Any] = {"seq": seq, "chain": chain}
    if prev is not None:
        head["prev"] = prev
    data = _json_encode(head)[:-1].encode("utf-8") + b',"decision":' + _json_bytes(decision, op, "decision") + b"}"
    _, out = _call(op, data, len(data), cap=max(1024, 2 * len(data) + 512))
    d = _loads(out)
    return EvidenceRecord(d["text"], d["hash"], d["prev"], d["seq"], d["chain"], d["decisionId"], d["bodyDigest"])


def parse_record(text: Union[str, bytes]) -> EvidenceRecord:
    """Check a stored record text (it must be exactly its canonical form) and recompute its
    hash. Raises ``X402S_ERR_EVIDENCE_NOT_CANONICAL`` / ``..._INVALID_RECORD``."""
    op = "x402s_evidence_record_parse"
    data = N.as_text(text, op, "text")
    _, out = _call(op, data, len(data), cap=512)
    d = _loads(out)
    return EvidenceRecord(data.decode("utf-8"), d["hash"], d["prev"], d["seq"], d["chain"], d["decisionId"],
                          d["bodyDigest"])


# ------------------------------------------------------------------ receipt key


_signer_new = _lib.x402s_signer_new
_signer_free = _lib.x402s_signer_free
_hex_decode = _lib.x402s_hex_decode
_hex_encode = _lib.x402s_hex_encode
_B32 = c_char * 32
_memset = ctypes.memset


def _is_space(b: int) -> bool:
    return b in (0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C)


class ReceiptKey:
    """The proxy's Ed25519 receipt key, prepared once in the core (an ``x402s_signer``):
    the seed is copied into core memory that is zeroed on :meth:`close`, and the binding's
    own copy is wiped at once, so no call passes the seed again.

    Make it with :meth:`from_seed`, :meth:`from_file` or :meth:`generate`. Thread-safe:
    signing may run on many threads; :meth:`close` waits for no one but frees the key only
    after the last signature in flight. Cannot be pickled or copied.
    """

    __slots__ = ("_handle", "_busy", "_closing", "_lock", "_jwk", "_public_key", "__weakref__")

    def __init__(self) -> None:
        raise TypeError("use ReceiptKey.from_seed(seed), ReceiptKey.from_file(path) or ReceiptKey.generate()")

    @classmethod
    def _from_view(cls, view) -> "ReceiptKey":
        op = "x402s_signer_new"
        h = ctypes.c_void_p()
        st = _signer_new(ctypes.byref(h), view, 32, E.KEY_ED25519_SEED, None)
        if st:
            err = N.Error()
            st = _signer_new(ctypes.byref(h), view, 32, E.KEY_ED25519_SEED, err)
            if st == _OK:  # pragma: no cover - deterministic
                _signer_free(h)
            raise N.make_error(st, op, err.message.decode("utf-8", "replace"))
        self = object.__new__(cls)
        self._handle = h.value
        self._busy = 0
        self._closing = False
        self._lock = threading.Lock()
        try:
            _, out = _call("x402s_evidence_public_key", self._handle, cap=256)
        except BaseException:
            _signer_free(self._handle)
            self._handle = None
            raise
        self._jwk = _loads(out)
        self._public_key = base64.urlsafe_b64decode(self._jwk["x"] + "=")
        return self

    @classmethod
    def from_seed(cls, seed: Union[bytes, bytearray, memoryview]) -> "ReceiptKey":
        """The key of a 32-byte Ed25519 seed. Pass a ``bytearray`` and wipe it yourself to
        leave no copy (``bytes`` cannot be wiped).

        Raises:
            ArgumentTypeError: ``seed`` is not bytes-like; InvalidArgumentError:
            ``X402S_ERR_INVALID_LENGTH``.
        """
        op = "x402s_signer_new"
        if not isinstance(seed, (bytes, bytearray, memoryview)):
            raise N.type_error(op, "seed", seed)
        mv = memoryview(seed).cast("B")
        if mv.nbytes != 32:
            raise N.arg_error(N.S_INVALID_LENGTH, op, "seed must be 32 bytes")
        secret = bytearray(32)
        view = _B32.from_buffer(secret)
        try:
            secret[:] = mv
            return cls._from_view(view)
        finally:
            _memset(view, 0, 32)
            del view
            mv.release()

    @classmethod
    def from_file(cls, path: Union[str, "os.PathLike[str]"]) -> "ReceiptKey":
        """The key whose seed a file holds as hex (``0x`` optional, surrounding whitespace
        ignored): the format of ``x402secure evidence keygen`` and of the CLI's
        ``--key-file``. The file is read into a buffer that is wiped afterwards.

        Raises:
            OSError: the file cannot be read; InvalidArgumentError: not 32 bytes of hex.
        """
        op = "x402s_signer_new"
        size = os.stat(path).st_size
        if size > 4096:
            raise N.arg_error(N.S_INVALID_LENGTH, op, "the key file is not a 32-byte hex seed")
        data = bytearray(size)
        secret = bytearray(32)
        dview = None
        sview = _B32.from_buffer(secret)
        try:
            with open(path, "rb", buffering=0) as f:
                got = f.readinto(data)
            lo, hi = 0, got
            while lo < hi and _is_space(data[lo]):
                lo += 1
            while hi > lo and _is_space(data[hi - 1]):
                hi -= 1
            if hi - lo >= 2 and data[lo] == 0x30 and data[lo + 1] in (0x78, 0x58):
                lo += 2
            if hi - lo != 64:
                raise N.arg_error(N.S_INVALID_LENGTH, op, "the key file must hold 32 bytes as 64 hex digits")
            dview = (c_char * 64).from_buffer(data, lo)
            n = c_size_t(0)
            st = _hex_decode(sview, 32, n, dview, 64, None)
            if st or n.value != 32:
                raise N.arg_error(N.S_INVALID_HEX, op, "the key file must hold 32 bytes as 64 hex digits")
            return cls._from_view(sview)
        finally:
            if dview is not None:
                del dview
            data[:] = bytes(len(data))
            _memset(sview, 0, 32)
            del sview

    @classmethod
    def generate(cls, path: Union[str, "os.PathLike[str]", None] = None) -> "ReceiptKey":
        """A new key from the operating system's CSPRNG. With ``path``, the seed is first
        written there as ``0x`` + 64 hex digits (the :meth:`from_file` format) in a file
        created with mode 0600 that must not exist yet (``FileExistsError`` otherwise).
        """
        secret = bytearray(32)
        sview = _B32.from_buffer(secret)
        text = bytearray(66)
        tview = (c_char * 66).from_buffer(text)
        try:
            try:
                with open("/dev/urandom", "rb", buffering=0) as f:
                    if f.readinto(secret) != 32:  # pragma: no cover
                        raise OSError("short read from /dev/urandom")
            except FileNotFoundError:  # pragma: no cover - not Linux
                secret[:] = os.urandom(32)
            if path is not None:
                n = c_size_t(0)
                st = _hex_encode(tview, 66, n, sview, 32, None)
                if st or n.value != 66:  # pragma: no cover
                    raise N.make_error(st or N.S_INTERNAL, "x402s_hex_encode", "could not encode the seed")
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                try:
                    os.write(fd, memoryview(text))
                    os.write(fd, b"\n")
                    os.fsync(fd)
                finally:
                    os.close(fd)
            return cls._from_view(sview)
        finally:
            _memset(sview, 0, 32)
            _memset(tview, 0, 66)
            del sview, tview

    # -- lifetime

    def _acquire(self, op: str) -> int:
        with self._lock:
            if self._handle is None or self._closing:
                raise N.make_error(N.S_INVALID_KEY, op, "the receipt key was closed (wiped)")
            self._busy += 1
            return self._handle

    def _release(self) -> None:
        with self._lock:
            self._busy -= 1
            if self._closing and self._busy == 0 and self._handle is not None:
                h, self._handle = self._handle, None
                _signer_free(h)

    def close(self) -> None:
        """Release the core's copy of the seed (zeroed). Signatures in flight finish first.
        Further signing raises :class:`InvalidKeyError`. Idempotent."""
        lock = getattr(self, "_lock", None)
        if lock is None:
            return
        with lock:
            self._closing = True
            if self._busy == 0 and self._handle is not None:
                h, self._handle = self._handle, None
                _signer_free(h)

    @property
    def closed(self) -> bool:
        """True after :meth:`close`."""
        return self._closing

    def __enter__(self) -> "ReceiptKey":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # pragma: no cover - interpreter shutdown
            pass

    def __reduce__(self):
        raise TypeError("ReceiptKey holds a secret and cannot be pickled")

    def __copy__(self):
        raise TypeError("ReceiptKey holds a secret and cannot be copied")

    def __deepcopy__(self, memo):
        raise TypeError("ReceiptKey holds a secret and cannot be copied")

    # -- public part

    @property
    def key_id(self) -> str:
        """The key id: the RFC 7638 JWK thumbprint (43 characters of base64url)."""
        return self._jwk["kid"]

    @property
    def public_key(self) -> bytes:
        """The 32-byte Ed25519 public key."""
        return self._public_key

    @property
    def jwk(self) -> Dict[str, str]:
        """The public JWK ``{"alg":"EdDSA","crv":"Ed25519","kid","kty":"OKP","use":"sig","x"}``."""
        return dict(self._jwk)

    def key_set(self) -> Dict[str, Any]:
        """``{"keys": [jwk]}``: the document to serve at :data:`RECEIPT_KEY_PATH`."""
        return key_set(self)

    def sign_receipt(self, record: Union[EvidenceRecord, str, bytes]) -> str:
        """The ``X-Risk-Receipt`` value of a stored record (deterministic)."""
        op = "x402s_evidence_receipt_sign"
        data = _record_text(record, op)
        h = self._acquire(op)
        try:
            _, out = _call(op, h, data, len(data), cap=1024)
        finally:
            self._release()
        return out.decode("ascii")

    def __repr__(self) -> str:
        state = " (closed)" if self._closing else ""
        return f"<ReceiptKey {self._jwk.get('kid', '?')}{state}>"


def key_set(*keys: Union[ReceiptKey, Mapping[str, Any]]) -> Dict[str, Any]:
    """The JWK Set ``{"keys": [...]}`` to serve at :data:`RECEIPT_KEY_PATH` (the current
    key first, then keys retired but still needed to check older receipts)."""
    return {"keys": [k.jwk if isinstance(k, ReceiptKey) else dict(k) for k in keys]}


# ------------------------------------------------------------------ receipts


@dataclass(frozen=True)
class ReceiptVerification:
    """A seller's check of an ``X-Risk-Receipt``. ``bool(v)`` is ``v.is_valid``.

    Attributes:
        is_valid: True only when every check passed.
        reasons: ``receipt_key_unknown``, ``receipt_signature_invalid``,
            ``receipt_record_mismatch``.
        key_id: the receipt's key id.
        receipt: the receipt ``{"chain","decidedAt","decisionId","kid","kind","payment",
            "record","requirements","riskLevel","seq","v","verdict"}``.
    """

    is_valid: bool
    reasons: Tuple[str, ...]
    key_id: str
    receipt: Dict[str, Any]

    def __bool__(self) -> bool:
        return self.is_valid


def verify_receipt(header: Union[str, bytes], public_keys: Any, *,
                   record: Union[EvidenceRecord, str, bytes, None] = None) -> ReceiptVerification:
    """Verify an ``X-Risk-Receipt`` value against the proxy's published keys (a JWK Set as
    served at :data:`RECEIPT_KEY_PATH`, a JWK, a list, a :class:`ReceiptKey`, or the raw key)
    and, when given, the stored record it must be the receipt of.

    A malformed receipt raises ``X402S_ERR_EVIDENCE_INVALID_RECEIPT``."""
    op = "x402s_evidence_receipt_verify"
    h = N.as_text(header, op, "header")
    k = _keys_json(public_keys, op)
    r = None if record is None else _record_text(record, op)
    _, out = _call(op, h, len(h), k, len(k), r, 0 if r is None else len(r), verdict=True)
    d = _loads(out)
    return ReceiptVerification(bool(d["isValid"]), tuple(d["reasons"]), d["keyId"], d["receipt"])


# ------------------------------------------------------------------ bundles


def build_bundle(decision_id: str, records: Iterable[Union[EvidenceRecord, str, bytes]], *, key: ReceiptKey,
                 attachments: Iterable[Any] = (), receipts: Iterable[str] = (), public_keys: Any = None,
                 exported_at: Optional[int] = None) -> str:
    """The bundle of one decision, as canonical JSON text (serve it as ``application/json``
    at ``GET /evidence/{decision_id}``).

    Args:
        decision_id: the decision.
        records: the stored record texts (or :class:`EvidenceRecord`) in seq order from the
            decision's first record to its last (others outside that run are dropped,
            others inside it become links: no body, no other seller's data).
        key: the proxy key: signs the bundle manifest (the decision's records at export
            time) and the receipt of each decision record that has none in ``receipts``.
        attachments: the texts the records reference: each agent trace's canonical JSON
            (``str``/bytes) and mandates, as text or ``{"text", "mediaType"}``.
        receipts: stored receipt values, if the proxy keeps them.
        public_keys: keys of stored receipts signed by earlier keys (as :func:`verify_receipt`).
        exported_at: Unix milliseconds of the export (default: the clock).

    Raises:
        EvidenceError: ``X402S_ERR_EVIDENCE_INVALID_BUNDLE`` (records that do not link, no
            record of the decision, a referenced trace not attached, ...), record errors;
        InvalidKeyError: the key was closed.
    """
    op = "x402s_evidence_bundle_build"
    if not isinstance(key, ReceiptKey):
        raise N.type_error(op, "key", key)
    req: Dict[str, Any] = {"decisionId": decision_id}
    req["records"] = [r.text if isinstance(r, EvidenceRecord) else _record_text(r, op).decode("utf-8")
                      for r in records]
    atts = []
    for a in attachments:
        if isinstance(a, (bytes, bytearray, memoryview)):
            atts.append(bytes(a).decode("utf-8"))
        elif isinstance(a, (str, dict)):
            atts.append(a)
        else:
            raise N.type_error(op, "attachment", a)
    if atts:
        req["attachments"] = atts
    rs = list(receipts)
    if rs:
        req["receipts"] = rs
    if public_keys is not None:
        req["publicKeys"] = json.loads(_keys_json(public_keys, op))
    if exported_at is not None:
        req["exportedAt"] = exported_at
    data = _json_bytes(req, op, "request")
    h = key._acquire(op)
    try:
        _, out = _call(op, data, len(data), h, cap=len(data) + 8192)
    finally:
        key._release()
    return out.decode("utf-8")


@dataclass(frozen=True)
class BundleReason:
    """One failed check: ``code`` (docs/EVIDENCE.md), ``at`` (``bundle``, ``segment[i]``,
    ``receipts[i]``, ``attachments[i]``) and a short ``detail``."""

    code: str
    at: str
    detail: str


@dataclass(frozen=True)
class BundleVerification:
    """The verdict on a bundle. ``bool(v)`` is ``v.is_valid``.

    Attributes:
        is_valid: True only when every check passed.
        decision_id: the bundle's decision.
        key_pinned: True when ``public_keys`` were given; False when the bundle's own keys
            were used (a valid verdict then proves integrity, not who signed).
        key_ids: the receipts' key ids.
        records: per decision record ``{"seq","hash","kind","verdict","decidedAt",
            "payment": {"checkedAt","isValid","invalidReason","payer"} | None}``.
        reasons: every failed check, in check order.
    """

    is_valid: bool
    decision_id: str
    key_pinned: bool
    key_ids: Tuple[str, ...]
    records: Tuple[Dict[str, Any], ...]
    reasons: Tuple[BundleReason, ...]

    @property
    def codes(self) -> Tuple[str, ...]:
        """The reason codes, in order."""
        return tuple(r.code for r in self.reasons)

    def __bool__(self) -> bool:
        return self.is_valid


def verify_bundle(bundle: Union[str, bytes, Mapping[str, Any]], public_keys: Any = None) -> BundleVerification:
    """Verify a bundle offline: chain links and seq, record and attachment digests, the
    receipt signatures and their match with the records, and the payer's signature on each
    recorded payment (offline x402 verification at the decision time, ``decidedAt`` / 1000).

    Args:
        bundle: the bundle (JSON text or dict).
        public_keys: the proxy keys you trust (pin them: as :func:`verify_receipt`);
            ``None`` checks against the bundle's own keys.

    Raises:
        EvidenceError: ``X402S_ERR_EVIDENCE_INVALID_BUNDLE`` when it is not a bundle at all.
    """
    op = "x402s_evidence_bundle_verify"
    data = _json_bytes(bundle, op, "bundle")
    k = None if public_keys is None else _keys_json(public_keys, op)
    _, out = _call(op, data, len(data), k, 0 if k is None else len(k), verdict=True, cap=2048)
    d = _loads(out)
    return BundleVerification(
        bool(d["isValid"]), d["decisionId"], bool(d["keyPinned"]), tuple(d["keyIds"]), tuple(d["records"]),
        tuple(BundleReason(r["code"], r["at"], r["detail"]) for r in d["reasons"]))
