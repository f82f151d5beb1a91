"""x402secure: Python binding (ctypes) of x402-secure core (libx402secure.so).

Hashes (keccak-256, SHA-256), encodings (hex, base64, base58), EIP-712 and
EIP-191 hashing, secp256k1 signing/recovery (EVM accounts) and Ed25519
(Solana key pairs), all computed by the one Swift core behind the C ABI of
``include/x402_secure.h``.

Inputs accept ``bytes``, ``bytearray`` and ``memoryview``; outputs are
``bytes`` (or ``str`` for text such as addresses and encodings). Errors are
:class:`X402SError` subclasses carrying ``status``, ``code``, ``operation`` and
``message``; verification functions return ``False`` for a well-formed but
wrong signature.

Secrets: :class:`EvmAccount` and :class:`SolanaKeypair` keep their key in a
``bytearray`` they wipe on ``close()`` / ``with`` / garbage collection; Python
cannot guarantee that other copies (the immutable ``bytes`` or ``str`` you
passed in, interpreter internals) are wiped.
"""

from ._native import (
    ABI_VERSION,
    ED25519_PUBKEY_BYTES,
    ED25519_SEED_BYTES,
    ED25519_SIG_BYTES,
    EVM_ADDRESS_TEXT_BYTES,
    KECCAK256_BYTES,
    MAX_DOCUMENT_BYTES,
    SECP256K1_PUBKEY_BYTES,
    SECP256K1_RECOVERABLE_SIG_BYTES,
    SECP256K1_SECKEY_BYTES,
    SHA256_BYTES,
    VERSION_STRING,
    status_name,
)
from .errors import (
    ArgumentTypeError,
    EvmError,
    EvidenceError,
    InternalError,
    InvalidArgumentError,
    InvalidKeyError,
    InvalidSignatureError,
    InvalidTypedDataError,
    RiskError,
    HTTPRequestError,
    SolanaError,
    X402Error,
    X402SError,
)
from ._core import (
    Eip712Hashes,
    b58decode,
    b58encode,
    b64decode,
    b64encode,
    checksum_address,
    ed25519_verify,
    eip191_hash,
    eip712_hash,
    eip712_hashes,
    hex_decode,
    hex_encode,
    keccak256,
    recover_address,
    recover_public_key,
    secp256k1_verify,
    sha256,
)
from ._accounts import EvmAccount, SolanaKeypair
from . import solana
from . import evm
from . import http
from .x402 import (
    VALID_BEFORE_GRACE_SECONDS,
    AssetAmount,
    CreatedPayment,
    PaymentRequiredResponse,
    ReplayGuard,
    VerifyResult,
    create_payment,
    create_payment_header,
    decode_payment_header,
    decode_settle_response,
    encode_settle_response,
    network,
    networks,
    parse_payment_required,
    payment_required_response,
    price_to_atomic,
    price_to_atomic_units,
    select_requirement,
    select_requirement_index,
    verify_payment,
)

__version__ = "0.1.0"

__all__ = [
    "ABI_VERSION",
    "VERSION_STRING",
    "KECCAK256_BYTES",
    "SHA256_BYTES",
    "SECP256K1_SECKEY_BYTES",
    "SECP256K1_PUBKEY_BYTES",
    "SECP256K1_RECOVERABLE_SIG_BYTES",
    "EVM_ADDRESS_TEXT_BYTES",
    "ED25519_SEED_BYTES",
    "ED25519_PUBKEY_BYTES",
    "ED25519_SIG_BYTES",
    "MAX_DOCUMENT_BYTES",
    "status_name",
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
    "keccak256",
    "sha256",
    "hex_encode",
    "hex_decode",
    "b64encode",
    "b64decode",
    "b58encode",
    "b58decode",
    "Eip712Hashes",
    "eip712_hash",
    "eip712_hashes",
    "eip191_hash",
    "EvmAccount",
    "recover_address",
    "recover_public_key",
    "secp256k1_verify",
    "checksum_address",
    "SolanaKeypair",
    "ed25519_verify",
    # x402 protocol (x402secure.x402) and Solana helpers (x402secure.solana)
    "VALID_BEFORE_GRACE_SECONDS",
    "AssetAmount",
    "CreatedPayment",
    "PaymentRequiredResponse",
    "ReplayGuard",
    "VerifyResult",
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
    "solana",
    "evm",
    "http",
]

# The x402-secure risk layer (x402secure.risk), re-exported.
from . import risk
from .risk import *  # noqa: E402,F401,F403

__all__ += list(risk.__all__)

# Dispute evidence (records, receipts, bundles) stays in its own namespace:
# ``from x402secure import evidence`` / ``x402secure.evidence.verify_bundle``.
from . import evidence  # noqa: E402,F401
