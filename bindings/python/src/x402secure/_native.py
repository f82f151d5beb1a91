"""Loading of libx402secure.so through ctypes, and the glue every call uses.

The library is looked up, in order, at:

1. the path in the environment variable ``X402SECURE_LIB`` (it must load: no fallback);
2. ``_lib/libx402secure.so`` inside this package (a wheel, or a source install: setup.py
   puts it there; the wheel's C dependencies sit in ``x402secure.libs/``);
3. ``<repo>/build/lib/libx402secure.so`` when this package is a source checkout
   (an editable install after ``make lib``).

When it does not load, ImportError names the cause: the file is missing (and how to get
it), a library it needs is missing (which one, and the Debian package providing it), the
system's glibc is too old, or the file is for another architecture; an ABI version
mismatch is reported after loading (see ``check_abi``).

At import the binding checks ``x402s_abi_version()`` (major must be 1, minor
at least 0) and compares every ``x402s_*_bytes()`` size function with the
constants below, then builds its status table from ``x402s_status_name`` (the
list of codes is never copied into Python).

Every function gets ``argtypes``/``restype``. Pointer parameters are
``c_void_p`` so ``bytes``, ctypes arrays (outputs, and views over the
``bytearray`` holding a secret key) and ``None`` pass without conversion.

Fast path: calls pass ``err=NULL``. Every function of the ABI is a pure
function of its inputs (signing uses RFC 6979 nonces), so when a call fails
the binding calls it once more with an ``x402s_error`` to fetch the message;
successful calls never allocate the 256-byte error struct.
"""

from __future__ import annotations

import ctypes
import os
import platform
import re
from ctypes import POINTER, c_char, c_char_p, c_int32, c_size_t, c_uint32, c_void_p
from pathlib import Path
from typing import Any, Callable, Dict, Optional

from .errors import ArgumentTypeError, InternalError, InvalidArgumentError, error_class_for

ABI_MAJOR = 1
ABI_MIN_MINOR = 0

KECCAK256_BYTES = 32
SHA256_BYTES = 32
SECP256K1_SECKEY_BYTES = 32
SECP256K1_PUBKEY_BYTES = 65
SECP256K1_RECOVERABLE_SIG_BYTES = 65
EVM_ADDRESS_TEXT_BYTES = 42
ED25519_SEED_BYTES = 32
ED25519_PUBKEY_BYTES = 32
ED25519_SIG_BYTES = 64
MAX_DOCUMENT_BYTES = 1048576

BASE64_STANDARD = 0
BASE64_URL = 1

_LIB_NAME = "libx402secure.so"

#: Shared libraries libx402secure.so may need at run time -> the Debian/Ubuntu package that
#: provides them (wheels bundle the first two; a source build links the system's).
DEBIAN_PACKAGES: Dict[str, str] = {
    "libsecp256k1.so.1": "libsecp256k1-1",
    "libsodium.so.23": "libsodium23",
    "libcrypto.so.3": "libssl3",
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
}

_HOW_TO_GET = (
    "install the x402secure wheel for this platform (pip install --only-binary x402secure "
    "x402secure; Linux x86-64, glibc >= 2.34), run `make lib` in a source checkout, or set "
    "X402SECURE_LIB=/path/to/libx402secure.so"
)


def _candidates() -> "list[Path]":
    here = Path(__file__).resolve().parent
    found = [here / "_lib" / _LIB_NAME]
    # bindings/python/src/x402secure/_native.py -> repository root (source checkouts only)
    parents = here.parents
    if len(parents) >= 4 and (parents[3] / "Package.swift").is_file():
        found.append(parents[3] / "build" / "lib" / _LIB_NAME)
    return found


def explain_load_error(path: "Path | str", message: str) -> str:
    """A sentence naming why dlopen(path) failed, from the dynamic loader's message."""
    path = str(path)
    m = re.search(r"([^\s:]+): cannot open shared object file", message)
    if m and os.path.basename(m.group(1)) != os.path.basename(path):
        needed = m.group(1)
        pkg = DEBIAN_PACKAGES.get(needed)
        if pkg:
            hint = f"install the Debian/Ubuntu package {pkg} (apt-get install {pkg})"
        elif re.match(r"lib[a-z0-9_]+-[0-9a-f]{8}\.so", needed):
            # a C library the wheel bundles (renamed by auditwheel) under x402secure.libs/
            return (f"x402secure: {path} is present but {needed}, which the wheel ships in "
                    "x402secure.libs/, is missing: the installation is incomplete; reinstall x402secure")
        else:
            hint = "install the package that provides it"
        return (f"x402secure: {path} is present but a library it needs is missing: {needed}; "
                f"{hint}, or use the x402secure wheel, which bundles its C libraries")
    m = re.search(r"version `(GLIBC_[0-9.]+)' not found", message)
    if m:
        libc = " ".join(platform.libc_ver()) or "unknown"
        return (f"x402secure: {path} needs {m.group(1)} or newer; this system's C library is "
                f"{libc}. Use a newer Linux (glibc >= 2.34) or build the library here from the sdist")
    if "wrong ELF class" in message or "invalid ELF header" in message or "ELF file" in message:
        return (f"x402secure: {path} is not a library for this machine ({platform.machine()}): "
                f"{message}. Install the package built for this platform")
    return f"x402secure: cannot load {path}: {message}"


def load_library(candidates: "list[Path]", explicit: "str | None" = None) -> ctypes.CDLL:
    """dlopen the first existing candidate (or ``explicit``, which must load)."""
    if explicit:
        if not Path(explicit).is_file():
            raise ImportError(f"x402secure: X402SECURE_LIB={explicit} does not exist")
        try:
            return ctypes.CDLL(explicit)
        except OSError as exc:
            raise ImportError(explain_load_error(explicit, str(exc)) + " (from X402SECURE_LIB)") from exc
    for path in candidates:
        if path.is_file():
            try:
                return ctypes.CDLL(str(path))
            except OSError as exc:
                raise ImportError(explain_load_error(path, str(exc))) from exc
    raise ImportError(
        "x402secure: the native library libx402secure.so is missing from this installation "
        f"(looked for {', '.join(str(p) for p in candidates)}); {_HOW_TO_GET}"
    )


def check_abi(abi: int, name: str) -> "tuple[int, int]":
    """(major, minor) of x402s_abi_version(); ImportError when this binding cannot use it."""
    major, minor = abi >> 16, abi & 0xFFFF
    if major != ABI_MAJOR or minor < ABI_MIN_MINOR:
        raise ImportError(
            f"x402secure: ABI version mismatch: {name} has C ABI {major}.{minor}, this Python "
            f"package needs {ABI_MAJOR}.x with x >= {ABI_MIN_MINOR}; install the library and the "
            "package from the same release"
        )
    return major, minor


def _load() -> ctypes.CDLL:
    return load_library(_candidates(), os.environ.get("X402SECURE_LIB") or None)


class Error(ctypes.Structure):
    """``x402s_error``: status code and a NUL-terminated message (256 bytes)."""

    _fields_ = [("code", c_int32), ("message", c_char * 252)]


_P = c_void_p
_N = c_size_t
_NP = POINTER(c_size_t)
_E = POINTER(Error)
_ST = c_int32

#: name -> (restype, argtypes) for the primitives of include/x402_secure.h; the x402
#: and Solana sections are declared by _native_x402 and added to this table there.
PROTOTYPES: Dict[str, Any] = {
    "x402s_abi_version": (c_uint32, []),
    "x402s_version_string": (c_char_p, []),
    "x402s_status_name": (c_char_p, [c_int32]),
    "x402s_init": (_ST, [_E]),
    "x402s_keccak256_bytes": (c_size_t, []),
    "x402s_sha256_bytes": (c_size_t, []),
    "x402s_secp256k1_seckey_bytes": (c_size_t, []),
    "x402s_secp256k1_pubkey_bytes": (c_size_t, []),
    "x402s_secp256k1_recoverable_sig_bytes": (c_size_t, []),
    "x402s_evm_address_text_bytes": (c_size_t, []),
    "x402s_ed25519_seed_bytes": (c_size_t, []),
    "x402s_ed25519_pubkey_bytes": (c_size_t, []),
    "x402s_ed25519_sig_bytes": (c_size_t, []),
    "x402s_max_document_bytes": (c_size_t, []),
    "x402s_keccak256": (_ST, [_P, _N, _P, _N, _E]),
    "x402s_sha256": (_ST, [_P, _N, _P, _N, _E]),
    "x402s_hex_encode": (_ST, [_P, _N, _NP, _P, _N, _E]),
    "x402s_hex_decode": (_ST, [_P, _N, _NP, _P, _N, _E]),
    "x402s_base64_encode": (_ST, [_P, _N, _NP, _P, _N, c_uint32, _E]),
    "x402s_base64_decode": (_ST, [_P, _N, _NP, _P, _N, c_uint32, _E]),
    "x402s_base58_encode": (_ST, [_P, _N, _NP, _P, _N, _E]),
    "x402s_base58_decode": (_ST, [_P, _N, _NP, _P, _N, _E]),
    "x402s_eip712_hash": (_ST, [_P, _N, _P, _N, _P, _N, _P, _N, _E]),
    "x402s_eip191_hash": (_ST, [_P, _N, _P, _N, _E]),
    "x402s_secp256k1_seckey_verify": (_ST, [_P, _N, _E]),
    "x402s_secp256k1_pubkey": (_ST, [_P, _N, _P, _N, _E]),
    "x402s_secp256k1_sign": (_ST, [_P, _N, _P, _N, _P, _N, _E]),
    "x402s_secp256k1_recover": (_ST, [_P, _N, _P, _N, _P, _N, _E]),
    "x402s_secp256k1_verify": (_ST, [_P, _N, _P, _N, _P, _N, _E]),
    "x402s_evm_address": (_ST, [_P, _N, _P, _N, _E]),
    "x402s_evm_checksum_address": (_ST, [_P, _N, _P, _N, _E]),
    "x402s_evm_recover_address": (_ST, [_P, _N, _P, _N, _P, _N, _E]),
    "x402s_eip712_sign": (_ST, [_P, _N, _P, _N, _P, _N, _P, _N, _E]),
    "x402s_ed25519_pubkey": (_ST, [_P, _N, _P, _N, _E]),
    "x402s_ed25519_sign": (_ST, [_P, _N, _P, _N, _P, _N, _E]),
    "x402s_ed25519_verify": (_ST, [_P, _N, _P, _N, _P, _N, _E]),
    "x402s_solana_address": (_ST, [_P, _N, _NP, _P, _N, _E]),
}

lib = _load()
# The ABI version first: a library from another release may lack functions declared below.
lib.x402s_abi_version.restype = c_uint32
lib.x402s_abi_version.argtypes = []
ABI_VERSION = check_abi(int(lib.x402s_abi_version()), lib._name)


def declare(prototypes: Dict[str, Any]) -> None:
    """Give each function of ``prototypes`` (name -> (restype, argtypes)) its types, and add
    them to :data:`PROTOTYPES` (the one table of the header's functions)."""
    for name, (restype, argtypes) in prototypes.items():
        try:
            fn = getattr(lib, name)
        except AttributeError as exc:
            raise ImportError(f"x402secure: {name} is missing from {lib._name}; rebuild the library (make lib)") from exc
        fn.restype = restype
        fn.argtypes = argtypes
    PROTOTYPES.update(prototypes)


declare(dict(PROTOTYPES))

VERSION_STRING = (lib.x402s_version_string() or b"").decode("utf-8", "replace")

for _const, _fname in (
    (KECCAK256_BYTES, "x402s_keccak256_bytes"),
    (SHA256_BYTES, "x402s_sha256_bytes"),
    (SECP256K1_SECKEY_BYTES, "x402s_secp256k1_seckey_bytes"),
    (SECP256K1_PUBKEY_BYTES, "x402s_secp256k1_pubkey_bytes"),
    (SECP256K1_RECOVERABLE_SIG_BYTES, "x402s_secp256k1_recoverable_sig_bytes"),
    (EVM_ADDRESS_TEXT_BYTES, "x402s_evm_address_text_bytes"),
    (ED25519_SEED_BYTES, "x402s_ed25519_seed_bytes"),
    (ED25519_PUBKEY_BYTES, "x402s_ed25519_pubkey_bytes"),
    (ED25519_SIG_BYTES, "x402s_ed25519_sig_bytes"),
    (MAX_DOCUMENT_BYTES, "x402s_max_document_bytes"),
):
    _got = int(getattr(lib, _fname)())
    if _got != _const:
        raise ImportError(f"x402secure: {_fname}() is {_got}, the binding expects {_const}")

#: status number -> name, read from x402s_status_name (never copied).
STATUS_NAMES: Dict[int, str] = {}
for _s in range(0, 256):
    _nm = lib.x402s_status_name(_s)
    if _nm is not None:
        STATUS_NAMES[_s] = _nm.decode("ascii")
#: name -> status number.
STATUS: Dict[str, int] = {v: k for k, v in STATUS_NAMES.items()}


def _status(name: str) -> int:
    try:
        return STATUS[name]
    except KeyError:
        raise ImportError(f"x402secure: the library does not know the status {name}") from None


S_OK = _status("X402S_OK")
S_NULL_ARGUMENT = _status("X402S_ERR_NULL_ARGUMENT")
S_BUFFER_TOO_SMALL = _status("X402S_ERR_BUFFER_TOO_SMALL")
S_INVALID_LENGTH = _status("X402S_ERR_INVALID_LENGTH")
S_INVALID_ARGUMENT = _status("X402S_ERR_INVALID_ARGUMENT")
S_HANDLE_CLOSED = _status("X402S_ERR_HANDLE_CLOSED")
S_INVALID_UTF8 = _status("X402S_ERR_INVALID_UTF8")
S_INVALID_HEX = _status("X402S_ERR_INVALID_HEX")
S_INVALID_BASE58 = _status("X402S_ERR_INVALID_BASE58")
S_INVALID_JSON = _status("X402S_ERR_INVALID_JSON")
S_JSON_TOO_DEEP = _status("X402S_ERR_JSON_TOO_DEEP")
S_INVALID_KEY = _status("X402S_ERR_INVALID_KEY")
S_VERIFY_FAILED = _status("X402S_ERR_VERIFY_FAILED")
S_INTERNAL = _status("X402S_ERR_INTERNAL")

_init_err = Error()
if lib.x402s_init(_init_err) != S_OK:
    raise ImportError(
        "x402secure: x402s_init failed: " + _init_err.message.decode("utf-8", "replace")
    )
del _init_err


def status_name(status: int) -> Optional[str]:
    """The name of a status as the library reports it, or None."""
    return STATUS_NAMES.get(status)


def make_error(status: int, operation: str, message: str):
    """Build (do not raise) the exception for a status."""
    code = STATUS_NAMES.get(status)
    if status == S_BUFFER_TOO_SMALL:
        # The binding sizes every buffer; reaching the user means a binding bug.
        cls = InternalError
    else:
        cls = error_class_for(status, code)
    return cls(status, code or f"X402S_STATUS_{status}", operation, message)


def fail(status: int, fn: Callable[..., int], args: tuple):
    """Build the exception for a failed ``fn(*args, NULL)`` call.

    Calls ``fn(*args, &err)`` once more to read the library's message (all ABI
    functions are deterministic, so the status is the same).
    """
    err = Error()
    again = fn(*args, err)
    if again != S_OK:
        status = again
        message = err.message.decode("utf-8", "replace")
    else:  # pragma: no cover - would mean a non-deterministic function
        message = "the call failed, then succeeded when repeated"
    return make_error(status, fn.__name__, message)


def type_error(operation: str, what: str, value: object) -> ArgumentTypeError:
    """ArgumentTypeError for a Python value of the wrong type (None -> NULL_ARGUMENT)."""
    if value is None:
        status = S_NULL_ARGUMENT
        message = f"{what} is None"
    else:
        status = S_INVALID_ARGUMENT
        message = f"{what} has type {type(value).__name__}"
    return ArgumentTypeError(status, STATUS_NAMES[status], operation, message)


def arg_error(status: int, operation: str, message: str) -> Exception:
    """An error raised by the binding itself for a given status."""
    return make_error(status, operation, message)


_BYTES_LIKE = (bytes, bytearray, memoryview)


def as_bytes(value: object, operation: str, what: str) -> bytes:
    """bytes / bytearray / memoryview -> bytes (other types: ArgumentTypeError)."""
    if type(value) is bytes:
        return value  # type: ignore[return-value]
    if isinstance(value, _BYTES_LIKE):
        try:
            return bytes(value)  # type: ignore[arg-type]
        except (TypeError, ValueError, BufferError):
            raise type_error(operation, what, value) from None
    raise type_error(operation, what, value)


def as_text(value: object, operation: str, what: str) -> bytes:
    """str -> UTF-8 bytes; bytes-like -> bytes (validated as UTF-8 by the library)."""
    if type(value) is str:
        try:
            return value.encode("utf-8")  # type: ignore[union-attr]
        except UnicodeEncodeError:
            raise arg_error(S_INVALID_UTF8, operation, f"{what} is not encodable as UTF-8") from None
    if isinstance(value, str):
        return as_text(str(value), operation, what)
    return as_bytes(value, operation, what)
