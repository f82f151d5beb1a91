/*
 * x402_secure.h: the C contract of x402-secure core (libx402secure.so).
 *
 * One verified core, written in Swift, shared by every language: keccak-256,
 * SHA-256, EIP-712, secp256k1 ECDSA, Ed25519 and the x402 / x402-secure
 * payment formats. Python (ctypes), Node (N-API) and C programs all call the
 * functions below; Swift programs may link the `X402Secure` module directly.
 *
 * RULES THAT HOLD FOR EVERY FUNCTION
 *
 * Naming      Functions are x402s_<area>_<verb>, types x402s_<noun>, macros X402S_*.
 *             Nothing else is exported.
 * Arguments   Outputs first, then inputs, then options; `x402s_error *err` is
 *             always last. Every byte pointer is followed by its size_t length.
 *             Outputs always come with a capacity (`*_cap`), even fixed-size ones.
 * Output      Variable-size output is (uint8_t *out, size_t out_cap,
 *             size_t *out_len). When it does not fit, the call returns
 *             X402S_ERR_BUFFER_TOO_SMALL and sets *out_len to the size needed
 *             (retry once with that size). Text is UTF-8 bytes with a length and
 *             NO terminating NUL. Text input is (const uint8_t *, size_t) and is
 *             checked to be valid UTF-8.
 * NULL        Any pointer may be NULL without a crash. NULL with length 0 means
 *             empty input. Any other NULL gives X402S_ERR_NULL_ARGUMENT, except
 *             where a parameter is documented as optional.
 * Ownership   The library never allocates memory the caller must free and keeps
 *             no pointer after it returns. The two handles are the exception:
 *             x402s_replay_guard_new / _free and x402s_signer_new / _free
 *             (freeing NULL is a no-op); see HANDLES below.
 * Errors      Every function that can fail returns an x402s_status
 *             (X402S_OK == 0). If `err` is not NULL and the status is not OK,
 *             err->code is the status and err->message a NUL-terminated
 *             English sentence (possibly truncated) that never contains key
 *             material or echoes caller data. On success err is left unchanged.
 * Verify      Verification fails closed: a verify function returns X402S_OK
 *             only when the signature/payment is valid. A well-formed but
 *             wrong signature gives X402S_ERR_VERIFY_FAILED; malformed input
 *             gives a parse error. There is no boolean out-parameter to forget.
 * Threads     Every function is thread-safe and may be called concurrently.
 *             x402s_init is optional (every function initialises what it needs
 *             on first use), idempotent and thread-safe.
 * Handles     x402s_replay_guard * and x402s_signer * are opaque values naming an
 *             entry of the library's handle table, not pointers to memory: never
 *             dereference them. Every call that takes a handle looks it up and
 *             holds a reference to the object for the whole call, so:
 *             - a handle may be used by many threads at once (calls run in
 *               parallel; the lookup takes a process-wide lock for a few tens of
 *               nanoseconds, never during the work);
 *             - x402s_*_free may be called at any time from any thread, also while
 *               other threads are inside calls using the handle: those calls
 *               complete normally with the object, which is released (a signer's
 *               secret zeroed) when the last of them returns. free returns at
 *               once and does not wait for them;
 *             - a call that looks the handle up after free (or with a value that
 *               no _new returned) fails with X402S_ERR_HANDLE_CLOSED, and one with
 *               a handle of the other kind with X402S_ERR_INVALID_ARGUMENT; no
 *               memory is touched. Freeing twice, or freeing such a value, is a
 *               no-op; a freed value never names a later handle;
 *             - a call is "using" the handle once its lookup has happened: a call
 *               that starts concurrently with free either completes with the
 *               object or gets X402S_ERR_HANDLE_CLOSED, never anything else.
 *             At most 16,777,215 handles are live at once (then _new fails with
 *             X402S_ERR_INTERNAL).
 * Secrets     Secret keys and seeds are raw bytes (never hex), copied into
 *             memory that is zeroed after use. They never appear in messages.
 * Traps       No input makes the library abort: bad input is an error status.
 */
#ifndef X402_SECURE_H
#define X402_SECURE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define X402S_API __attribute__((visibility("default")))
#define X402S_WARN_UNUSED_RESULT __attribute__((warn_unused_result))
#else
#define X402S_API
#define X402S_WARN_UNUSED_RESULT
#endif

#if defined(__clang__)
#define X402S_NULLABLE _Nullable
#define X402S_NONNULL _Nonnull
#else
#define X402S_NULLABLE
#define X402S_NONNULL
#endif

/* ------------------------------------------------------------------------ */
/* Version                                                                   */
/* ------------------------------------------------------------------------ */

#define X402S_ABI_VERSION_MAJOR 1
#define X402S_ABI_VERSION_MINOR 0

/** The ABI version of the loaded library: (major << 16) | minor.
 *  A binding refuses to load when the major differs from the one it was
 *  written for, or the minor is lower. The major is also the shared library's
 *  SONAME: libx402secure.so.<major> (installed as libx402secure.so.<major>.<minor>.<patch>).
 *  Threads: safe. */
X402S_API uint32_t x402s_abi_version(void);

/** The library version as a NUL-terminated string in static storage
 *  (for example "0.1.0"): the release version of the repository's VERSION file,
 *  the same as the Python and npm packages' and `x402secure --version`.
 *  Never NULL; never free it.
 *  Threads: safe. */
X402S_API const char *X402S_NONNULL x402s_version_string(void);

/* ------------------------------------------------------------------------ */
/* Status codes and errors                                                   */
/* ------------------------------------------------------------------------ */

/** Status of every fallible call. Codes are grouped in tens and never
 *  renumbered: 1-9 misuse, 10-19 encodings and JSON, 20-29 keys and
 *  signatures, 30-39 EIP-712, 40-49 x402, 50-59 risk layer, 60-69 Solana,
 *  70-79 HTTP requests, 90-99 internal, 100-109 EVM transactions, RLP and ABI,
 *  110-119 dispute evidence. */
typedef int32_t x402s_status;

#define X402S_OK 0
#define X402S_ERR_NULL_ARGUMENT 1
#define X402S_ERR_BUFFER_TOO_SMALL 2
#define X402S_ERR_INVALID_LENGTH 3
#define X402S_ERR_INPUT_TOO_LARGE 4
#define X402S_ERR_INVALID_ARGUMENT 5
#define X402S_ERR_HANDLE_CLOSED 6
#define X402S_ERR_INVALID_UTF8 10
#define X402S_ERR_INVALID_HEX 11
#define X402S_ERR_INVALID_BASE64 12
#define X402S_ERR_INVALID_BASE58 13
#define X402S_ERR_INVALID_JSON 14
#define X402S_ERR_JSON_TOO_DEEP 15
#define X402S_ERR_INVALID_NUMBER 16
#define X402S_ERR_INVALID_ADDRESS 17
#define X402S_ERR_INVALID_KEY 20
#define X402S_ERR_INVALID_SIGNATURE 21
#define X402S_ERR_NON_CANONICAL_SIGNATURE 22
#define X402S_ERR_VERIFY_FAILED 23
#define X402S_ERR_INVALID_PUBLIC_KEY 24
#define X402S_ERR_EIP712_INVALID_DOCUMENT 30
#define X402S_ERR_EIP712_UNKNOWN_TYPE 31
#define X402S_ERR_EIP712_MISSING_FIELD 32
#define X402S_ERR_EIP712_VALUE_OUT_OF_RANGE 33
#define X402S_ERR_EIP712_INVALID_VALUE 34
#define X402S_ERR_EIP712_CYCLIC_TYPE 35
#define X402S_ERR_X402_UNSUPPORTED_VERSION 40
#define X402S_ERR_X402_UNKNOWN_NETWORK 41
#define X402S_ERR_X402_UNSUPPORTED_SCHEME 42
#define X402S_ERR_X402_INVALID_PAYLOAD 43
#define X402S_ERR_X402_INVALID_REQUIREMENTS 44
#define X402S_ERR_X402_NO_MATCHING_REQUIREMENT 45
#define X402S_ERR_X402_PAYMENT_INVALID 46
#define X402S_ERR_X402_REPLAY 47
#define X402S_ERR_X402_UNKNOWN_ASSET 48
#define X402S_ERR_X402_INVALID_AMOUNT 49
#define X402S_ERR_RISK_INVALID_TRACEPARENT 50
#define X402S_ERR_RISK_HEADER_TOO_LONG 51
#define X402S_ERR_RISK_INVALID_UUID 52
#define X402S_ERR_RISK_INVALID_HEADER 53
#define X402S_ERR_RISK_EVIDENCE_MISMATCH 54
#define X402S_ERR_RISK_INVALID_MANDATE 55
#define X402S_ERR_RISK_INVALID_TRACE 56
#define X402S_ERR_RISK_STEP_UP 57
#define X402S_ERR_RISK_DENIED 58
#define X402S_ERR_SOLANA_INVALID_TRANSACTION 60
#define X402S_ERR_SOLANA_INVALID_PUBLIC_KEY 61
#define X402S_ERR_SOLANA_NO_PROGRAM_ADDRESS 62
#define X402S_ERR_SOLANA_NOT_FULLY_SIGNED 63
#define X402S_ERR_SOLANA_MESSAGE_MISMATCH 64
#define X402S_ERR_SOLANA_NOT_FEE_PAYER 65
#define X402S_ERR_HTTP_INVALID_METHOD 70
#define X402S_ERR_HTTP_INVALID_TARGET 71
#define X402S_ERR_HTTP_INVALID_ENCODING 72
#define X402S_ERR_HTTP_PATH_TRAVERSAL 73
#define X402S_ERR_HTTP_INVALID_ROUTE_KEY 74
#define X402S_ERR_INTERNAL 90
#define X402S_ERR_RANDOMNESS_FAILED 91
#define X402S_ERR_BACKEND_INIT_FAILED 92
#define X402S_ERR_RLP_INVALID 100
#define X402S_ERR_RLP_NON_CANONICAL 101
#define X402S_ERR_EVM_INVALID_TRANSACTION 102
#define X402S_ERR_ABI_INVALID_TYPE 103
#define X402S_ERR_ABI_INVALID_VALUE 104
#define X402S_ERR_ABI_DECODE_FAILED 105
#define X402S_ERR_EVIDENCE_INVALID_RECORD 110
#define X402S_ERR_EVIDENCE_NOT_CANONICAL 111
#define X402S_ERR_EVIDENCE_INVALID_RECEIPT 112
#define X402S_ERR_EVIDENCE_INVALID_BUNDLE 113
#define X402S_ERR_EVIDENCE_VERIFY_FAILED 114

/** Error detail, owned by the caller (256 bytes). */
typedef struct x402s_error {
    x402s_status code;
    char message[252];
} x402s_error;

/** The name of a status ("X402S_OK", "X402S_ERR_INVALID_KEY", ...) in static
 *  storage, or NULL for a number that is not a status. Bindings build their
 *  error tables from this function instead of copying the list.
 *  Threads: safe. */
X402S_API const char *X402S_NULLABLE x402s_status_name(x402s_status status);

/** Initialise the C backends once: sodium_init and the one randomized
 *  secp256k1 signing context. Optional, idempotent.
 *  Returns: X402S_OK, X402S_ERR_BACKEND_INIT_FAILED, X402S_ERR_RANDOMNESS_FAILED.
 *  Err:     err   optional.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_init(x402s_error *X402S_NULLABLE err);

/* ------------------------------------------------------------------------ */
/* Sizes (each a macro and a function; bindings compare them at load time)   */
/* ------------------------------------------------------------------------ */

#define X402S_KECCAK256_BYTES 32
#define X402S_SHA256_BYTES 32
#define X402S_SECP256K1_SECKEY_BYTES 32
#define X402S_SECP256K1_PUBKEY_BYTES 65
#define X402S_SECP256K1_RECOVERABLE_SIG_BYTES 65
#define X402S_EVM_ADDRESS_TEXT_BYTES 42
#define X402S_ED25519_SEED_BYTES 32
#define X402S_ED25519_PUBKEY_BYTES 32
#define X402S_ED25519_SIG_BYTES 64
/** Largest JSON document or header any parser accepts (1 MiB). */
#define X402S_MAX_DOCUMENT_BYTES 1048576
/** Deepest JSON nesting any parser accepts. */
#define X402S_MAX_JSON_DEPTH 64

X402S_API size_t x402s_keccak256_bytes(void);
X402S_API size_t x402s_sha256_bytes(void);
X402S_API size_t x402s_secp256k1_seckey_bytes(void);
X402S_API size_t x402s_secp256k1_pubkey_bytes(void);
X402S_API size_t x402s_secp256k1_recoverable_sig_bytes(void);
X402S_API size_t x402s_evm_address_text_bytes(void);
X402S_API size_t x402s_ed25519_seed_bytes(void);
X402S_API size_t x402s_ed25519_pubkey_bytes(void);
X402S_API size_t x402s_ed25519_sig_bytes(void);
X402S_API size_t x402s_max_document_bytes(void);

/* ------------------------------------------------------------------------ */
/* Hashes                                                                    */
/* ------------------------------------------------------------------------ */

/** Keccak-256 (Ethereum's; NOT SHA3-256) of data.
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL.
 *  Out:     out32, out32_cap   receives 32 bytes.
 *  In:      data, data_len     any length (NULL allowed when data_len == 0).
 *  Err:     err                optional.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_keccak256(
    uint8_t *X402S_NULLABLE out32, size_t out32_cap,
    const uint8_t *X402S_NULLABLE data, size_t data_len,
    x402s_error *X402S_NULLABLE err);

/** SHA-256 of data (OpenSSL libcrypto; uses the CPU's SHA extensions).
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL.
 *  Out:     out32, out32_cap   receives 32 bytes.
 *  In:      data, data_len     any length.
 *  Err:     err                optional.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_sha256(
    uint8_t *X402S_NULLABLE out32, size_t out32_cap,
    const uint8_t *X402S_NULLABLE data, size_t data_len,
    x402s_error *X402S_NULLABLE err);

/* ------------------------------------------------------------------------ */
/* Encodings                                                                 */
/* ------------------------------------------------------------------------ */

/** Flags for x402s_base64_encode / x402s_base64_decode. */
#define X402S_BASE64_STANDARD 0u /* RFC 4648 section 4, padded; strict on input */
#define X402S_BASE64_URL 1u      /* RFC 4648 section 5; unpadded on output, padding optional on input */

/** Hex-encode: "0x" followed by lowercase digits (2 + 2*data_len bytes).
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL,
 *           X402S_ERR_INPUT_TOO_LARGE.
 *  Out:     out, out_cap, out_len   text (no NUL); out_len gets the length.
 *  In:      data, data_len.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_hex_encode(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE data, size_t data_len,
    x402s_error *X402S_NULLABLE err);

/** Hex-decode text with an optional "0x"/"0X" prefix, digits in either case,
 *  even length.
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL,
 *           X402S_ERR_INVALID_HEX, X402S_ERR_INVALID_UTF8, X402S_ERR_INPUT_TOO_LARGE.
 *  Out:     out, out_cap, out_len   decoded bytes.
 *  In:      text, text_len.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_hex_decode(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE text, size_t text_len,
    x402s_error *X402S_NULLABLE err);

/** Base64-encode (flags: X402S_BASE64_STANDARD or X402S_BASE64_URL).
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL,
 *           X402S_ERR_INVALID_ARGUMENT (unknown flags), X402S_ERR_INPUT_TOO_LARGE.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_base64_encode(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE data, size_t data_len, uint32_t flags,
    x402s_error *X402S_NULLABLE err);

/** Base64-decode. STANDARD is strict: standard alphabet only, exact padding,
 *  no whitespace, no non-zero trailing bits (so URL-safe or garbled headers
 *  are rejected instead of decoded to garbage).
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL,
 *           X402S_ERR_INVALID_BASE64, X402S_ERR_INVALID_ARGUMENT, X402S_ERR_INPUT_TOO_LARGE.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_base64_decode(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE text, size_t text_len, uint32_t flags,
    x402s_error *X402S_NULLABLE err);

/** Base58-encode (Bitcoin alphabet, as Solana uses). Input at most 1 KiB.
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL,
 *           X402S_ERR_INPUT_TOO_LARGE.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_base58_encode(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE data, size_t data_len,
    x402s_error *X402S_NULLABLE err);

/** Base58-decode (Bitcoin alphabet). Input at most 2 KiB of text.
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL,
 *           X402S_ERR_INVALID_BASE58, X402S_ERR_INPUT_TOO_LARGE.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_base58_decode(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE text, size_t text_len,
    x402s_error *X402S_NULLABLE err);

/* ------------------------------------------------------------------------ */
/* EIP-712 and EIP-191                                                       */
/* ------------------------------------------------------------------------ */

/** Hash an eth_signTypedData_v4 JSON document {types, primaryType, domain,
 *  message}: domain separator, struct hash of the message, and the digest
 *  keccak256(0x19 0x01 || domainSeparator || structHash).
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL,
 *           X402S_ERR_INPUT_TOO_LARGE, X402S_ERR_INVALID_UTF8,
 *           X402S_ERR_INVALID_JSON, X402S_ERR_JSON_TOO_DEEP,
 *           X402S_ERR_EIP712_* (30-35), X402S_ERR_INVALID_NUMBER,
 *           X402S_ERR_INVALID_HEX, X402S_ERR_INVALID_ADDRESS.
 *  Out:     digest32, digest32_cap                   receives 32 bytes.
 *           domain_separator32, domain_separator32_cap  OPTIONAL (NULL: not wanted).
 *           struct_hash32, struct_hash32_cap          OPTIONAL (NULL: not wanted).
 *  In:      json, json_len   UTF-8 JSON, at most X402S_MAX_DOCUMENT_BYTES.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_eip712_hash(
    uint8_t *X402S_NULLABLE digest32, size_t digest32_cap,
    uint8_t *X402S_NULLABLE domain_separator32, size_t domain_separator32_cap,
    uint8_t *X402S_NULLABLE struct_hash32, size_t struct_hash32_cap,
    const uint8_t *X402S_NULLABLE json, size_t json_len,
    x402s_error *X402S_NULLABLE err);

/** EIP-191 personal_sign hash:
 *  keccak256("\x19Ethereum Signed Message:\n" || decimal(len) || message).
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_eip191_hash(
    uint8_t *X402S_NULLABLE digest32, size_t digest32_cap,
    const uint8_t *X402S_NULLABLE message, size_t message_len,
    x402s_error *X402S_NULLABLE err);

/* ------------------------------------------------------------------------ */
/* secp256k1 and EVM accounts                                                */
/* ------------------------------------------------------------------------ */

/** Check a secret key: 32 bytes, not zero, below the curve order.
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_INVALID_LENGTH,
 *           X402S_ERR_INVALID_KEY.
 *  Threads: safe. Constant time: as libsecp256k1's seckey_verify. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_secp256k1_seckey_verify(
    const uint8_t *X402S_NULLABLE seckey32, size_t seckey32_len,
    x402s_error *X402S_NULLABLE err);

/** Public key of a secret key, uncompressed (0x04 || X || Y, 65 bytes).
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL,
 *           X402S_ERR_INVALID_LENGTH, X402S_ERR_INVALID_KEY.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_secp256k1_pubkey(
    uint8_t *X402S_NULLABLE pubkey65, size_t pubkey65_cap,
    const uint8_t *X402S_NULLABLE seckey32, size_t seckey32_len,
    x402s_error *X402S_NULLABLE err);

/** Sign a 32-byte digest: r || s || v (65 bytes) with v = 27 or 28, RFC 6979
 *  deterministic nonce, low-s (the form eth_account and viem produce).
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL,
 *           X402S_ERR_INVALID_LENGTH, X402S_ERR_INVALID_KEY.
 *  Out:     sig65, sig65_cap.
 *  In:      digest32, digest32_len; seckey32, seckey32_len.
 *  Threads: safe. Constant time: w.r.t. the key (libsecp256k1 signing). */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_secp256k1_sign(
    uint8_t *X402S_NULLABLE sig65, size_t sig65_cap,
    const uint8_t *X402S_NULLABLE digest32, size_t digest32_len,
    const uint8_t *X402S_NULLABLE seckey32, size_t seckey32_len,
    x402s_error *X402S_NULLABLE err);

/** Recover the uncompressed public key from a digest and a 65-byte signature
 *  (v in {27, 28} or {0, 1}). High-s signatures are rejected.
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL,
 *           X402S_ERR_INVALID_LENGTH (digest not 32 bytes),
 *           X402S_ERR_INVALID_SIGNATURE (not 65 bytes, bad v, r or s),
 *           X402S_ERR_NON_CANONICAL_SIGNATURE.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_secp256k1_recover(
    uint8_t *X402S_NULLABLE pubkey65, size_t pubkey65_cap,
    const uint8_t *X402S_NULLABLE digest32, size_t digest32_len,
    const uint8_t *X402S_NULLABLE sig65, size_t sig65_len,
    x402s_error *X402S_NULLABLE err);

/** Verify an ECDSA signature (64 bytes r || s, or 65 with a trailing v that is
 *  ignored) over a digest with a public key (33 compressed or 65 uncompressed).
 *  High-s signatures fail with X402S_ERR_NON_CANONICAL_SIGNATURE.
 *  Returns: X402S_OK (valid), X402S_ERR_VERIFY_FAILED, X402S_ERR_NULL_ARGUMENT,
 *           X402S_ERR_INVALID_LENGTH (digest), X402S_ERR_INVALID_SIGNATURE (length, r, s),
 *           X402S_ERR_NON_CANONICAL_SIGNATURE, X402S_ERR_INVALID_PUBLIC_KEY.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_secp256k1_verify(
    const uint8_t *X402S_NULLABLE sig, size_t sig_len,
    const uint8_t *X402S_NULLABLE digest32, size_t digest32_len,
    const uint8_t *X402S_NULLABLE pubkey, size_t pubkey_len,
    x402s_error *X402S_NULLABLE err);

/** EIP-55 checksummed address ("0x" + 40 hex digits, 42 bytes, no NUL) of a
 *  secret key.
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL,
 *           X402S_ERR_INVALID_LENGTH, X402S_ERR_INVALID_KEY.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_evm_address(
    uint8_t *X402S_NULLABLE address42, size_t address42_cap,
    const uint8_t *X402S_NULLABLE seckey32, size_t seckey32_len,
    x402s_error *X402S_NULLABLE err);

/** EIP-55 checksummed form of an address given as text. All-lowercase and
 *  all-uppercase input is accepted; mixed case must carry a valid checksum.
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL,
 *           X402S_ERR_INVALID_ADDRESS, X402S_ERR_INVALID_UTF8.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_evm_checksum_address(
    uint8_t *X402S_NULLABLE address42, size_t address42_cap,
    const uint8_t *X402S_NULLABLE text, size_t text_len,
    x402s_error *X402S_NULLABLE err);

/** Recover the EIP-55 checksummed signer address from a digest and a 65-byte
 *  signature (v in {27, 28} or {0, 1}). High-s signatures are rejected.
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL,
 *           X402S_ERR_INVALID_LENGTH (digest not 32 bytes),
 *           X402S_ERR_INVALID_SIGNATURE (not 65 bytes, bad v, r or s),
 *           X402S_ERR_NON_CANONICAL_SIGNATURE.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_evm_recover_address(
    uint8_t *X402S_NULLABLE address42, size_t address42_cap,
    const uint8_t *X402S_NULLABLE digest32, size_t digest32_len,
    const uint8_t *X402S_NULLABLE sig65, size_t sig65_len,
    x402s_error *X402S_NULLABLE err);

/** Hash an eth_signTypedData_v4 JSON document (as x402s_eip712_hash) and sign
 *  the digest (as x402s_secp256k1_sign) in one call.
 *  Returns: X402S_OK and every status of x402s_eip712_hash and
 *           x402s_secp256k1_sign.
 *  Out:     sig65, sig65_cap; digest32, digest32_cap OPTIONAL (NULL: not wanted).
 *  In:      json, json_len; seckey32, seckey32_len.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_eip712_sign(
    uint8_t *X402S_NULLABLE sig65, size_t sig65_cap,
    uint8_t *X402S_NULLABLE digest32, size_t digest32_cap,
    const uint8_t *X402S_NULLABLE json, size_t json_len,
    const uint8_t *X402S_NULLABLE seckey32, size_t seckey32_len,
    x402s_error *X402S_NULLABLE err);

/* ------------------------------------------------------------------------ */
/* Ed25519 and Solana accounts                                               */
/* ------------------------------------------------------------------------ */

/** Ed25519 public key of a 32-byte seed (libsodium crypto_sign_seed_keypair).
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL,
 *           X402S_ERR_INVALID_LENGTH.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_ed25519_pubkey(
    uint8_t *X402S_NULLABLE pubkey32, size_t pubkey32_cap,
    const uint8_t *X402S_NULLABLE seed32, size_t seed32_len,
    x402s_error *X402S_NULLABLE err);

/** Ed25519 signature (64 bytes) of message with the key pair of seed32.
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL,
 *           X402S_ERR_INVALID_LENGTH, X402S_ERR_INPUT_TOO_LARGE.
 *  Threads: safe. Constant time: w.r.t. the seed (libsodium). */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_ed25519_sign(
    uint8_t *X402S_NULLABLE sig64, size_t sig64_cap,
    const uint8_t *X402S_NULLABLE message, size_t message_len,
    const uint8_t *X402S_NULLABLE seed32, size_t seed32_len,
    x402s_error *X402S_NULLABLE err);

/** Verify an Ed25519 signature.
 *  Returns: X402S_OK (valid), X402S_ERR_VERIFY_FAILED, X402S_ERR_NULL_ARGUMENT,
 *           X402S_ERR_INVALID_SIGNATURE (signature not 64 bytes),
 *           X402S_ERR_INVALID_LENGTH (public key not 32 bytes).
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_ed25519_verify(
    const uint8_t *X402S_NULLABLE sig64, size_t sig64_len,
    const uint8_t *X402S_NULLABLE message, size_t message_len,
    const uint8_t *X402S_NULLABLE pubkey32, size_t pubkey32_len,
    x402s_error *X402S_NULLABLE err);

/** Solana address (base58 of the Ed25519 public key) of a 32-byte seed.
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL,
 *           X402S_ERR_INVALID_LENGTH.
 *  Out:     out, out_cap, out_len   at most 44 bytes of text.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_solana_address(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE seed32, size_t seed32_len,
    x402s_error *X402S_NULLABLE err);

/* ------------------------------------------------------------------------ */
/* x402 protocol: networks, sellers, buyers, offline verification            */
/*                                                                           */
/* JSON in, JSON out: every document is UTF-8 JSON with the wire's camelCase */
/* keys (see docs/X402.md for each input schema). Output JSON is compact;    */
/* header values are strict standard padded base64 of compact JSON in x402   */
/* 2.25.0's key order, so the bytes equal the official package's.            */
/* Optional JSON inputs may be NULL with length 0 (defaults apply).          */
/* ------------------------------------------------------------------------ */

/** Slack required before validBefore / deadline when verifying (x402 2.25.0). */
#define X402S_X402_VALID_BEFORE_GRACE_SECONDS 6

/** Key kinds for x402s_x402_create_payment. */
#define X402S_KEY_SECP256K1 1u    /* 32-byte secp256k1 secret key (EVM networks) */
#define X402S_KEY_ED25519_SEED 2u /* 32-byte Ed25519 seed (Solana networks) */

/** Styles for x402s_x402_encode_settle_response. */
#define X402S_JSON_COMPACT 0u        /* separators "," ":" (x402 2.25.0 request headers) */
#define X402S_JSON_PYTHON_SPACED 1u  /* ", " ": " and \uXXXX escapes (2.25.0 PAYMENT-RESPONSE) */

/** The network and asset table, the one copy every binding reads:
 *  {"networks":[{caip2, family, chainId?, name, testnet, v1Names, assets:[...]}...],
 *   "v1ChainIdConflicts":[...], "tokenPrograms":{...}}.
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_x402_networks(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    x402s_error *X402S_NULLABLE err);

/** One network of the table by CAIP-2 id or v1 name, as JSON.
 *  Returns: X402S_OK, X402S_ERR_X402_UNKNOWN_NETWORK, X402S_ERR_NULL_ARGUMENT,
 *           X402S_ERR_BUFFER_TOO_SMALL, X402S_ERR_INVALID_UTF8.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_x402_network_lookup(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE network, size_t network_len,
    x402s_error *X402S_NULLABLE err);

/** A dollar price ("$0.01", "0.01") in atomic units of a table asset, with
 *  integer arithmetic only: {"asset": {...}, "amount": "10000"}. asset is the
 *  token address / mint or symbol; NULL (length 0) picks the network's default.
 *  Prices with more decimals than the token has are rejected.
 *  Returns: X402S_OK, X402S_ERR_X402_INVALID_AMOUNT, X402S_ERR_X402_UNKNOWN_NETWORK,
 *           X402S_ERR_X402_UNKNOWN_ASSET, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_x402_price_to_atomic(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE price, size_t price_len,
    const uint8_t *X402S_NULLABLE network, size_t network_len,
    const uint8_t *X402S_NULLABLE asset, size_t asset_len,
    x402s_error *X402S_NULLABLE err);

/** Sellers: build the 402 answer. request_json is {"x402Version": 1|2 (default 2),
 *  "offers": [{"scheme"?, "network", "payTo", "price" | "amount", "asset"?,
 *  "maxTimeoutSeconds"?, "extra"?}...], "resource": {...}, "error"?, "extensions"?}.
 *  Output: {"x402Version": n, "paymentRequired": <the 402 JSON>,
 *  "header": "<PAYMENT-REQUIRED value>" (v2 only)}. For v1 send paymentRequired as
 *  the 402 body; for v2 send the header (and a body of {}).
 *  Returns: X402S_OK, X402S_ERR_X402_INVALID_REQUIREMENTS, X402S_ERR_X402_UNKNOWN_NETWORK,
 *           X402S_ERR_X402_UNKNOWN_ASSET, X402S_ERR_X402_INVALID_AMOUNT,
 *           X402S_ERR_X402_UNSUPPORTED_SCHEME, JSON errors, buffer errors.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_x402_payment_required(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE request_json, size_t request_json_len,
    x402s_error *X402S_NULLABLE err);

/** Buyers: parse a 402 answer. header is the PAYMENT-REQUIRED value (v2) and
 *  body the response body; either may be NULL (length 0). The header wins when
 *  present; a body is accepted only with x402Version 1 (x402 2.x client rules).
 *  Output: the 402 JSON (v1 body or decoded v2 PaymentRequired).
 *  Returns: X402S_OK, X402S_ERR_X402_UNSUPPORTED_VERSION,
 *           X402S_ERR_X402_INVALID_REQUIREMENTS, X402S_ERR_INVALID_BASE64, JSON errors.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_x402_parse_payment_required(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE header, size_t header_len,
    const uint8_t *X402S_NULLABLE body, size_t body_len,
    x402s_error *X402S_NULLABLE err);

/** Buyers: choose a requirement of a 402 answer (JSON from
 *  x402s_x402_parse_payment_required) by policy_json (optional: {"networks",
 *  "assets", "allowUnknownAssets", "maxAmount", "maxPrice" (default "$1"),
 *  "schemes", "preferredNetworks"}). Output: {"index": i, "requirement": {...}}.
 *  Returns: X402S_OK, X402S_ERR_X402_NO_MATCHING_REQUIREMENT (the message says
 *           why each was rejected), X402S_ERR_INVALID_ARGUMENT (bad policy), JSON errors.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_x402_select_requirement(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE payment_required_json, size_t payment_required_json_len,
    const uint8_t *X402S_NULLABLE policy_json, size_t policy_json_len,
    x402s_error *X402S_NULLABLE err);

/** Buyers: pay. request_json is a 402 answer (anything with "accepts": the
 *  requirement is chosen by policy_json, and resource/extensions are copied) or a
 *  single requirement (v1 or v2). key32 is a secp256k1 secret key
 *  (key_kind X402S_KEY_SECP256K1, EVM: EIP-3009, Permit2, upto) or an Ed25519
 *  seed (X402S_KEY_ED25519_SEED, Solana exact). options_json (optional) injects
 *  {"now", "nonce": "0x<32 bytes>", "memoNonce": "0x<16 bytes>",
 *  "recentBlockhash", "mintDecimals", "tokenProgram"}; the defaults are the
 *  clock and the CSPRNG. Output: {"headerName": "X-PAYMENT" | "PAYMENT-SIGNATURE",
 *  "headerValue": "...", "payment": <the payload JSON>}.
 *  Returns: X402S_OK, X402S_ERR_X402_NO_MATCHING_REQUIREMENT,
 *           X402S_ERR_X402_UNSUPPORTED_SCHEME, X402S_ERR_X402_UNKNOWN_NETWORK,
 *           X402S_ERR_X402_INVALID_REQUIREMENTS, X402S_ERR_INVALID_KEY,
 *           X402S_ERR_INVALID_LENGTH, X402S_ERR_INVALID_ARGUMENT (key kind does
 *           not match the network, bad options), X402S_ERR_RANDOMNESS_FAILED, ...
 *  Threads: safe. Secrets: key32 is copied into memory zeroed after use. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_x402_create_payment(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE request_json, size_t request_json_len,
    const uint8_t *X402S_NULLABLE key32, size_t key32_len, uint32_t key_kind,
    const uint8_t *X402S_NULLABLE policy_json, size_t policy_json_len,
    const uint8_t *X402S_NULLABLE options_json, size_t options_json_len,
    x402s_error *X402S_NULLABLE err);

/** Decode a payment header (X-PAYMENT or PAYMENT-SIGNATURE value, v1 or v2,
 *  EVM or Solana) to its JSON. Non-standard base64 (URL-safe, unpadded,
 *  whitespace) is rejected instead of decoded to garbage.
 *  Returns: X402S_OK, X402S_ERR_INVALID_BASE64, X402S_ERR_X402_INVALID_PAYLOAD,
 *           X402S_ERR_X402_UNSUPPORTED_VERSION, JSON errors, buffer errors.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_x402_decode_payment(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE header, size_t header_len,
    x402s_error *X402S_NULLABLE err);

/** A replay guard: a bounded, thread-safe cache of accepted (chain, asset,
 *  payer, nonce) authorizations and Solana message hashes, with expiry.
 *  A handle (see HANDLES in the rules at the top): created by
 *  x402s_replay_guard_new, released by x402s_replay_guard_free. */
typedef struct x402s_replay_guard x402s_replay_guard;

/** Create a replay guard holding at most `capacity` entries (0: 100,000).
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_INVALID_ARGUMENT,
 *           X402S_ERR_INTERNAL (too many live handles).
 *  Out:     *guard   the new guard; release it with x402s_replay_guard_free.
 *  Threads: safe; the guard itself may be shared by threads. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_replay_guard_new(
    x402s_replay_guard *X402S_NULLABLE *X402S_NULLABLE guard, size_t capacity,
    x402s_error *X402S_NULLABLE err);

/** Release a replay guard. NULL, a guard already freed and a value that is not
 *  a live guard are no-ops. Calls using the guard on other threads complete
 *  normally; the guard's memory goes when the last of them returns. Later calls
 *  with it fail with X402S_ERR_HANDLE_CLOSED.
 *  Threads: safe, at any time (see HANDLES). */
X402S_API void x402s_replay_guard_free(x402s_replay_guard *X402S_NULLABLE guard);

/** Output capacity x402s_x402_verify requires (a VerifyResponse always fits). */
#define X402S_X402_VERIFY_OUT_BYTES 4096

/** Offline verification of a payment header against the seller's requirement
 *  (v1 or v2 requirement JSON), at Unix time `now`: every check of x402
 *  2.25.0's facilitator that needs no chain access, in its order, plus the
 *  stricter rules of docs/VERIFY.md (exact amount equality, low-s only,
 *  32-byte nonces, Solana fee payer in no instruction). options_json
 *  (optional): {"facilitatorAddresses": [...], "solanaFeePayers": [...]}.
 *  guard (optional): when given and the payment is otherwise valid, its
 *  authorization is recorded, and a second use is invalid (duplicate_payment);
 *  a freed guard gives X402S_ERR_HANDLE_CLOSED before anything is verified.
 *  Output: the VerifyResponse JSON {isValid, invalidReason?, invalidMessage?, payer?},
 *  written whether or not the payment is valid. out_cap must be at least
 *  X402S_X402_VERIFY_OUT_BYTES; this is checked BEFORE anything is verified or
 *  recorded in the guard (otherwise BUFFER_TOO_SMALL with *out_len set), so a
 *  retry never sees its own payment as a replay.
 *  Returns: X402S_OK only when valid; X402S_ERR_X402_PAYMENT_INVALID when a
 *           check failed (see invalidReason); decoding errors
 *           (X402S_ERR_INVALID_BASE64, X402S_ERR_X402_INVALID_PAYLOAD, ...) and
 *           X402S_ERR_X402_INVALID_REQUIREMENTS for malformed input;
 *           X402S_ERR_HANDLE_CLOSED (guard freed) or X402S_ERR_INVALID_ARGUMENT
 *           (guard is a signer), before anything is verified or recorded.
 *  Threads: safe; the guard may be freed by another thread during the call. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_x402_verify(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE header, size_t header_len,
    const uint8_t *X402S_NULLABLE requirements_json, size_t requirements_json_len,
    uint64_t now,
    const uint8_t *X402S_NULLABLE options_json, size_t options_json_len,
    x402s_replay_guard *X402S_NULLABLE guard,
    x402s_error *X402S_NULLABLE err);

/** Encode a SettleResponse JSON as an X-PAYMENT-RESPONSE / PAYMENT-RESPONSE
 *  header value (style: X402S_JSON_COMPACT or X402S_JSON_PYTHON_SPACED).
 *  Returns: X402S_OK, X402S_ERR_X402_INVALID_PAYLOAD, X402S_ERR_INVALID_ARGUMENT,
 *           JSON errors, buffer errors.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_x402_encode_settle_response(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE settle_json, size_t settle_json_len, uint32_t style,
    x402s_error *X402S_NULLABLE err);

/** Decode an X-PAYMENT-RESPONSE / PAYMENT-RESPONSE header value (tolerates the
 *  spaced JSON of x402 2.25.0 and the null members of 1.0.0) to compact JSON.
 *  Returns: X402S_OK, X402S_ERR_INVALID_BASE64, X402S_ERR_X402_INVALID_PAYLOAD,
 *           JSON errors, buffer errors.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_x402_decode_settle_response(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE header, size_t header_len,
    x402s_error *X402S_NULLABLE err);

/* ------------------------------------------------------------------------ */
/* HTTP routes: the canonical (method, path) a seller prices                 */
/*                                                                           */
/* Every seller front door (Node and Python middleware, the seller entry     */
/* point) looks prices up on the canonical form below, so any spelling of a  */
/* URL that a router could send to a priced handler is priced, and what      */
/* cannot be read one way only is refused (answer 400). docs/ROUTES.md has   */
/* the rules with examples; test-vectors/http_route.json pins them.          */
/*                                                                           */
/* METHOD  An RFC 9110 token of 1-64 bytes, upper-cased; HEAD becomes GET.   */
/*         Else X402S_ERR_HTTP_INVALID_METHOD.                               */
/* TARGET  The raw request-target (Node's req.url), at most                  */
/*         X402S_HTTP_MAX_TARGET_BYTES (else X402S_ERR_INPUT_TOO_LARGE).     */
/*         X402S_ERR_HTTP_INVALID_TARGET for: the empty target; asterisk-    */
/*         form "*"; authority-form "host:443" and anything that is neither  */
/*         origin-form "/path[?query]" nor absolute-form                     */
/*         "scheme://authority[/path][?query]" (any scheme; the path is      */
/*         used, "/" if none; the authority must be non-empty and made of    */
/*         letters, digits and -._~!$&()*+,=:@[] only: legacy url.parse ends */
/*         the host at "%", "'" or ";" and reads the rest as the path);      */
/*         a space, control, DEL or non-ASCII byte; a backslash (WHATWG URL  */
/*         parsers read it as "/", legacy parsers as data: refused rather    */
/*         than guessed); a path starting with "//" (read as an authority by */
/*         `new URL(target, base)`). The query and fragment are dropped.     */
/* DECODE  Every %XX is decoded. X402S_ERR_HTTP_INVALID_ENCODING for: "%"    */
/*         not followed by two hex digits; an encoded "/" (%2F), "\" (%5C), */
/*         "?" (%3F), "#" (%23), NUL, control character or DEL; a double     */
/*         encoding (a decoded "%" followed by two hex digits, e.g. %252e);  */
/*         decoded bytes that are not UTF-8 (e.g. the overlong %C0%AE); a    */
/*         resolved path ending with encoded white space (%20, %C2%A0, ...;  */
/*         URL parsers handed decoded text trim it).                         */
/* DOTS    On the decoded path (so %2e is "."): "." and ".." segments are    */
/*         resolved as RFC 3986 section 5.2.4 does. X402S_ERR_HTTP_PATH_     */
/*         TRAVERSAL when ".." climbs above the root, or removes an empty    */
/*         segment ("/a//.." is "/a/" to RFC 3986, "/" to readers that merge */
/*         slashes first).                                                   */
/* SLASHES Empty segments (duplicate slashes) are merged. Unless             */
/*         X402S_HTTP_ROUTE_STRICT_SLASH, a trailing slash is dropped ("/a/" */
/*         is "/a"; "/" stays "/").                                          */
/* CASE    Unless X402S_HTTP_ROUTE_CASE_SENSITIVE, the path is lower-cased   */
/*         (Unicode default mapping). The defaults mirror Express's router   */
/*         (caseSensitive: false, strict: false).                            */
/* ------------------------------------------------------------------------ */

/** Flags of x402s_http_route_canonical and x402s_http_route_key. */
#define X402S_HTTP_ROUTE_CASE_SENSITIVE 1u /* keep the path's case */
#define X402S_HTTP_ROUTE_STRICT_SLASH 2u   /* keep a trailing slash significant */
/** Longest request-target (and route key) accepted (16 KiB, Node's default
 *  limit for the whole request head). */
#define X402S_HTTP_MAX_TARGET_BYTES 16384

/** The canonical route of a request: method and raw request-target in,
 *  {"method","path"} out (compact JSON; "path" decoded, as UTF-8 text), by
 *  the rules of this section.
 *  Example: ("HEAD", "http://h/API/./Market-Data/?x#y", 0) ->
 *           {"method":"GET","path":"/api/market-data"}.
 *  Returns: X402S_OK; X402S_ERR_HTTP_INVALID_METHOD,
 *           X402S_ERR_HTTP_INVALID_TARGET, X402S_ERR_HTTP_INVALID_ENCODING,
 *           X402S_ERR_HTTP_PATH_TRAVERSAL (refusals: answer 400);
 *           X402S_ERR_INVALID_ARGUMENT (unknown flag bits),
 *           X402S_ERR_INPUT_TOO_LARGE, X402S_ERR_INVALID_UTF8,
 *           X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL.
 *  Out:     out, out_cap, out_len   the JSON (at most
 *           3 * X402S_HTTP_MAX_TARGET_BYTES + 128 bytes).
 *  In:      method, method_len; target, target_len (UTF-8 text);
 *           flags   X402S_HTTP_ROUTE_* bits.
 *  Err:     err   optional.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_http_route_canonical(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE method, size_t method_len,
    const uint8_t *X402S_NULLABLE target, size_t target_len,
    uint32_t flags,
    x402s_error *X402S_NULLABLE err);

/** A seller's route key, canonicalised with the same flags as the requests
 *  it will be matched against: "METHOD /path" (that method), "/path" (every
 *  method), and a final slash-star, written /[*] here because C comments
 *  cannot hold it, protecting the subtree ("GET /api/[*]" covers /api and
 *  every path under /api/). One space between method and path; the path
 *  follows the TARGET/DECODE/DOTS/SLASHES/CASE rules (origin-form only).
 *  Output: {"method": "GET" | null, "path", "prefix": bool, "key"} with
 *  "key" the canonical key text ("GET /api/[*]", "/a", "/[*]").
 *  Matching (done by each front door on canonical routes): a key matches
 *  when its method is null or equal to the route's, and its path equals the
 *  route's path or, for a prefix key, the route's path starts with the key's
 *  path followed by "/" (the root prefix "/[*]" covers every path); paths are
 *  compared byte for byte. Front doors prefer an exact key to a prefix, a
 *  longer prefix to a shorter, and a key with the request's method to a
 *  method-less one; a path covered only by keys of other methods is refused
 *  (405 with Allow) rather than served free.
 *  Returns: X402S_OK; X402S_ERR_HTTP_INVALID_ROUTE_KEY (not
 *           "[METHOD ]/path" with an optional final /[*]; a HEAD key (HEAD is priced as GET); a query
 *           or fragment; "*" other than the final /[*], "(", ")", "+", or a
 *           segment starting with ":" (router patterns are not supported: use
 *           a prefix); a bad method token; a path the TARGET/DECODE/DOTS rules
 *           refuse (the message says which)); X402S_ERR_INVALID_ARGUMENT
 *           (unknown flag bits), X402S_ERR_INPUT_TOO_LARGE,
 *           X402S_ERR_INVALID_UTF8, X402S_ERR_NULL_ARGUMENT,
 *           X402S_ERR_BUFFER_TOO_SMALL.
 *  Out:     out, out_cap, out_len   the JSON.
 *  In:      key, key_len (UTF-8 text); flags   X402S_HTTP_ROUTE_* bits.
 *  Err:     err   optional.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_http_route_key(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE key, size_t key_len,
    uint32_t flags,
    x402s_error *X402S_NULLABLE err);

/* ------------------------------------------------------------------------ */
/* Signers: a buyer's key, prepared once for many payments                   */
/* ------------------------------------------------------------------------ */

/** Flags for x402s_x402_create_payment_with_signer. */
#define X402S_CREATE_HEADER_ONLY 1u /* output {"headerName", "headerValue"} without "payment" */

/** A signer: a secp256k1 secret key or an Ed25519 seed with its derived public
 *  key and address, in memory zeroed when it is released. Paying with a signer
 *  skips the derivation (one scalar multiplication, as costly as the signature)
 *  that x402s_x402_create_payment does on every call. Immutable; may be shared
 *  by threads. A handle (see HANDLES in the rules at the top): created by
 *  x402s_signer_new, released by x402s_signer_free. Calls taking a signer fail
 *  with X402S_ERR_HANDLE_CLOSED once it is freed (X402S_ERR_INVALID_ARGUMENT
 *  for a replay guard passed as a signer). */
typedef struct x402s_signer x402s_signer;

/** Create a signer from a 32-byte key (key_kind X402S_KEY_SECP256K1 or
 *  X402S_KEY_ED25519_SEED).
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_INVALID_LENGTH,
 *           X402S_ERR_INVALID_KEY, X402S_ERR_INVALID_ARGUMENT (unknown key kind),
 *           X402S_ERR_INTERNAL (too many live handles).
 *  Out:     *signer   the new signer; release it with x402s_signer_free.
 *  Threads: safe. Secrets: key32 is copied into memory zeroed on release. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_signer_new(
    x402s_signer *X402S_NULLABLE *X402S_NULLABLE signer,
    const uint8_t *X402S_NULLABLE key32, size_t key32_len, uint32_t key_kind,
    x402s_error *X402S_NULLABLE err);

/** Release a signer. NULL, a signer already freed and a value that is not a
 *  live signer are no-ops. Calls using the signer on other threads complete
 *  normally; its secret is zeroed when the last of them returns (at once when
 *  none is running). Later calls with it fail with X402S_ERR_HANDLE_CLOSED.
 *  Threads: safe, at any time (see HANDLES). */
X402S_API void x402s_signer_free(x402s_signer *X402S_NULLABLE signer);

/** The signer's address: EIP-55 checksummed (EVM) or base58 (Solana), as text.
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL,
 *           X402S_ERR_HANDLE_CLOSED.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_signer_address(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const x402s_signer *X402S_NULLABLE signer,
    x402s_error *X402S_NULLABLE err);

/** x402s_eip712_sign with a signer instead of raw key bytes: hash an
 *  eth_signTypedData_v4 JSON document and sign the digest, without parsing or
 *  copying the key on every call.
 *  Returns: X402S_OK and every status of x402s_eip712_sign;
 *           X402S_ERR_INVALID_KEY (the signer is not a secp256k1 key).
 *  Out:     sig65, sig65_cap; digest32, digest32_cap OPTIONAL (NULL: not wanted).
 *  In:      signer; json, json_len.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_signer_eip712_sign(
    uint8_t *X402S_NULLABLE sig65, size_t sig65_cap,
    uint8_t *X402S_NULLABLE digest32, size_t digest32_cap,
    const x402s_signer *X402S_NULLABLE signer,
    const uint8_t *X402S_NULLABLE json, size_t json_len,
    x402s_error *X402S_NULLABLE err);

/** x402s_x402_create_payment with a signer instead of raw key bytes; same
 *  inputs, output and statuses. flags: 0, or X402S_CREATE_HEADER_ONLY to leave
 *  "payment" out of the output (X402S_ERR_INVALID_ARGUMENT for other bits).
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_x402_create_payment_with_signer(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE request_json, size_t request_json_len,
    const x402s_signer *X402S_NULLABLE signer,
    const uint8_t *X402S_NULLABLE policy_json, size_t policy_json_len,
    const uint8_t *X402S_NULLABLE options_json, size_t options_json_len,
    uint32_t flags,
    x402s_error *X402S_NULLABLE err);

/* ------------------------------------------------------------------------ */
/* Handles: leak checks                                                      */
/* ------------------------------------------------------------------------ */

/** The number of live handles: replay guards and signers made and not yet
 *  freed (a freed one whose last call is still running no longer counts).
 *  Handles stay reachable from the library's handle table, so a leak checker
 *  (valgrind, LeakSanitizer) cannot see a leaked handle as lost: a program or
 *  test that wants to prove it frees every handle checks that this count is
 *  back to its starting value.
 *  Returns: the count (never fails).
 *  Threads: safe (a snapshot: other threads may make or free handles meanwhile). */
X402S_API size_t x402s_handle_count(void);

/* ------------------------------------------------------------------------ */
/* Solana accounts and transactions, price units                             */
/*                                                                           */
/* Helpers the bindings and the shared vectors (solana_pda, solana_message,  */
/* solana_exact, x402_price) use to reach the Solana internals of the core.  */
/* Public keys are base58 text; byte strings inside JSON are "0x" hex.       */
/* ------------------------------------------------------------------------ */

/** A price ("$0.01", "0.01") in atomic units of a token with `decimals`
 *  decimals (0-77), with integer arithmetic only; output is decimal text.
 *  Prices with more decimals than the token has are rejected.
 *  Returns: X402S_OK, X402S_ERR_X402_INVALID_AMOUNT, X402S_ERR_INVALID_ARGUMENT
 *           (decimals out of range), X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_x402_price_to_atomic_units(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE price, size_t price_len, uint32_t decimals,
    x402s_error *X402S_NULLABLE err);

/** Whether 32 bytes decompress to a point of the Ed25519 curve (Solana's
 *  is_on_curve; program-derived addresses are the ones that do not). Input of
 *  another length (at most 4 KiB) is not a point: X402S_ERR_VERIFY_FAILED.
 *  Returns: X402S_OK (on the curve), X402S_ERR_VERIFY_FAILED (off the curve),
 *           X402S_ERR_NULL_ARGUMENT, X402S_ERR_INPUT_TOO_LARGE.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_solana_is_on_curve(
    const uint8_t *X402S_NULLABLE bytes32, size_t bytes32_len,
    x402s_error *X402S_NULLABLE err);

/** Decode a base58 Solana public key (exactly 32 bytes, at most 44 characters).
 *  Returns: X402S_OK, X402S_ERR_SOLANA_INVALID_PUBLIC_KEY, X402S_ERR_INVALID_UTF8,
 *           X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL.
 *  Out:     out32, out32_cap   receives 32 bytes.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_solana_public_key_decode(
    uint8_t *X402S_NULLABLE out32, size_t out32_cap,
    const uint8_t *X402S_NULLABLE text, size_t text_len,
    x402s_error *X402S_NULLABLE err);

/** Solana's create_program_address: sha256(seeds || program_id ||
 *  "ProgramDerivedAddress"), which must be off the curve. seeds_json is a JSON
 *  array of "0x"-hex strings (at most 16 seeds of at most 32 bytes).
 *  Output: the base58 address (text).
 *  Returns: X402S_OK, X402S_ERR_SOLANA_NO_PROGRAM_ADDRESS (the hash is on the curve),
 *           X402S_ERR_INVALID_ARGUMENT (seed count or length), X402S_ERR_INVALID_HEX,
 *           X402S_ERR_SOLANA_INVALID_PUBLIC_KEY, JSON errors, buffer errors.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_solana_create_program_address(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE seeds_json, size_t seeds_json_len,
    const uint8_t *X402S_NULLABLE program_id, size_t program_id_len,
    x402s_error *X402S_NULLABLE err);

/** Solana's find_program_address: the first bump from 255 down to 1 whose
 *  address is off the curve (at most 15 seeds). Output: {"address": base58, "bump": n}.
 *  Returns: as x402s_solana_create_program_address.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_solana_find_program_address(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE seeds_json, size_t seeds_json_len,
    const uint8_t *X402S_NULLABLE program_id, size_t program_id_len,
    x402s_error *X402S_NULLABLE err);

/** The associated token account of owner for mint:
 *  find_program_address([owner, token_program, mint], ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL).
 *  token_program is OPTIONAL (NULL, length 0: the Token program); pass
 *  TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb for Token-2022. Output: base58 text.
 *  Returns: X402S_OK, X402S_ERR_SOLANA_INVALID_PUBLIC_KEY, X402S_ERR_NULL_ARGUMENT,
 *           X402S_ERR_BUFFER_TOO_SMALL.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_solana_associated_token_address(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE owner, size_t owner_len,
    const uint8_t *X402S_NULLABLE mint, size_t mint_len,
    const uint8_t *X402S_NULLABLE token_program, size_t token_program_len,
    x402s_error *X402S_NULLABLE err);

/** Compile instructions into a v0 message without lookup tables, in the
 *  account order of solana-sdk's MessageV0::try_compile. request_json:
 *  {"payer", "recentBlockhash" (base58), "instructions": [{"programId",
 *  "accounts": [{"publicKey", "isSigner", "isWritable"}...], "data": "0x.."}...]}.
 *  Output: {"messageHex": "0x80..", "accountKeys": [...], "header": [n, n, n]}.
 *  Returns: X402S_OK, X402S_ERR_INVALID_LENGTH (blockhash not 32 bytes),
 *           X402S_ERR_INVALID_ARGUMENT, X402S_ERR_SOLANA_INVALID_PUBLIC_KEY,
 *           X402S_ERR_INVALID_BASE58, X402S_ERR_INVALID_HEX, JSON and buffer errors.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_solana_compile_message_v0(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE request_json, size_t request_json_len,
    x402s_error *X402S_NULLABLE err);

/** Decode a serialized transaction (legacy or v0; trailing bytes rejected) to
 *  JSON: {version, numSignatures, signatures (base58), header, accountKeys,
 *  recentBlockhash, instructions [{programIdIndex, accounts, data}],
 *  addressTableLookups [{accountKey, writableIndexes, readonlyIndexes}],
 *  messageHex, messageHashBase64 (x402's dedup key), sanitizeOk}.
 *  Returns: X402S_OK, X402S_ERR_SOLANA_INVALID_TRANSACTION, X402S_ERR_INPUT_TOO_LARGE,
 *           X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_solana_decode_transaction(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE tx, size_t tx_len,
    x402s_error *X402S_NULLABLE err);

/** Decode a transaction and apply Solana's sanitize rules (account counts,
 *  indices, signer layout).
 *  Returns: X402S_OK, X402S_ERR_SOLANA_INVALID_TRANSACTION, X402S_ERR_INPUT_TOO_LARGE,
 *           X402S_ERR_NULL_ARGUMENT.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_solana_sanitize_transaction(
    const uint8_t *X402S_NULLABLE tx, size_t tx_len,
    x402s_error *X402S_NULLABLE err);

/** Sign a transaction's message with the key pair of seed32 and put the
 *  signature in that key's signer slot (a facilitator co-signing as fee payer).
 *  Output: the serialized transaction.
 *  Returns: X402S_OK, X402S_ERR_INVALID_ARGUMENT (the key is not a signer of the
 *           message), X402S_ERR_SOLANA_INVALID_TRANSACTION, X402S_ERR_INVALID_LENGTH,
 *           X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL.
 *  Threads: safe. Secrets: seed32 is copied into memory zeroed after use. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_solana_sign_transaction(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE tx, size_t tx_len,
    const uint8_t *X402S_NULLABLE seed32, size_t seed32_len,
    x402s_error *X402S_NULLABLE err);

/** Build the buyer's partially signed x402 exact payment transaction from raw
 *  parameters (x402s_x402_create_payment does the same from a requirement).
 *  request_json: {"feePayer", "payTo", "mint", "decimals": n, "tokenProgram"?,
 *  "amount": "decimal", "memo"?, "recentBlockhash": base58 | "0x..",
 *  "memoNonce"?: "0x<16 bytes>"}. Output: the serialized transaction.
 *  Returns: X402S_OK, X402S_ERR_INVALID_ARGUMENT (fee payer is the signer, memo
 *           too long, unknown token program), X402S_ERR_INVALID_LENGTH (blockhash,
 *           memo nonce), X402S_ERR_X402_INVALID_AMOUNT, X402S_ERR_SOLANA_INVALID_PUBLIC_KEY,
 *           X402S_ERR_RANDOMNESS_FAILED, JSON and buffer errors.
 *  Threads: safe. Secrets: seed32 is copied into memory zeroed after use. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_solana_exact_build(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE request_json, size_t request_json_len,
    const uint8_t *X402S_NULLABLE seed32, size_t seed32_len,
    x402s_error *X402S_NULLABLE err);

/** Verify an x402 exact Solana transaction against raw requirement fields
 *  (docs/VERIFY.md, Solana). request_json: {"transactionBase64", "network",
 *  "asset", "payTo", "amount", "feePayer"?, "memo"?, "decimals"?,
 *  "facilitatorSigners"?: [...]}. Output, written whether or not the payment is
 *  valid: {"isValid", "reason"?, "payer"?, "messageHashBase64"?, "message"}.
 *  Returns: X402S_OK only when valid; X402S_ERR_X402_PAYMENT_INVALID when a
 *           check failed (see reason); X402S_ERR_X402_INVALID_REQUIREMENTS,
 *           X402S_ERR_X402_INVALID_AMOUNT for malformed requirements; JSON and buffer errors.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_solana_exact_verify(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE request_json, size_t request_json_len,
    x402s_error *X402S_NULLABLE err);

/* ------------------------------------------------------------------------ */
/* Settlement: RLP, EIP-1559 transactions, ABI calls, Solana submission      */
/*                                                                           */
/* What an on-chain facilitator needs to send a payment to a chain           */
/* (docs/SETTLEMENT.md). Byte strings inside JSON are "0x" hex; numbers in   */
/* output JSON are decimal strings; numbers in input JSON are JSON integers, */
/* decimal strings or "0x" hex quantities. Statuses 63-65 and 100-105.       */
/* ------------------------------------------------------------------------ */

/** RLP-encode one item given as JSON: a "0x"-hex string is a byte string, an
 *  array is a list (nested at most X402S_MAX_JSON_DEPTH). Output: the bytes.
 *  Returns: X402S_OK, X402S_ERR_INVALID_ARGUMENT (another JSON kind),
 *           X402S_ERR_INVALID_HEX, JSON errors, X402S_ERR_NULL_ARGUMENT,
 *           X402S_ERR_INPUT_TOO_LARGE, X402S_ERR_BUFFER_TOO_SMALL.
 *  Out:     out, out_cap, *out_len   the encoding.
 *  In:      item_json, item_json_len   at most X402S_MAX_DOCUMENT_BYTES.
 *  Err:     err   optional.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_rlp_encode(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE item_json, size_t item_json_len,
    x402s_error *X402S_NULLABLE err);

/** Decode exactly one canonical RLP item to its JSON view (byte strings as
 *  "0x" hex, lists as arrays). Strict: trailing bytes, truncation, lengths past
 *  the enclosing list and nesting deeper than X402S_MAX_JSON_DEPTH are
 *  X402S_ERR_RLP_INVALID; a single byte below 0x80 behind a header, a long form
 *  for a length below 56 and lengths with leading zeros are
 *  X402S_ERR_RLP_NON_CANONICAL.
 *  Returns: X402S_OK, X402S_ERR_RLP_INVALID, X402S_ERR_RLP_NON_CANONICAL,
 *           X402S_ERR_NULL_ARGUMENT, X402S_ERR_INPUT_TOO_LARGE (over
 *           X402S_MAX_DOCUMENT_BYTES), X402S_ERR_BUFFER_TOO_SMALL.
 *  Out:     out, out_cap, *out_len   JSON text.
 *  In:      rlp, rlp_len.
 *  Err:     err   optional.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_rlp_decode(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE rlp, size_t rlp_len,
    x402s_error *X402S_NULLABLE err);

/** Sign an EIP-1559 (type 2) transaction with a prepared secp256k1 signer.
 *  tx_json: {"chainId", "nonce", "maxPriorityFeePerGas", "maxFeePerGas", "gas",
 *  "to"? (absent or null: contract creation), "value"?, "data"? ("0x.."),
 *  "accessList"? ([{"address", "storageKeys": ["0x"+64 hex]}]), "type"? (2),
 *  "from"? (must be the signer's address)}; unknown members are refused.
 *  Rules: chainId >= 1, nonce < 2^64-1, gas < 2^64, maxPriorityFeePerGas <=
 *  maxFeePerGas. The signature is RFC 6979, low-s, over keccak-256(0x02 ||
 *  rlp(the nine fields)); the chain id is inside the signed payload (EIP-155).
 *  Output: {"type": 2, the fields (numbers as decimal strings), "yParity", "r",
 *  "s", "raw" ("0x02.." for eth_sendRawTransaction), "hash" (keccak-256 of raw,
 *  the transaction hash), "from"}.
 *  Returns: X402S_OK, X402S_ERR_EVM_INVALID_TRANSACTION, X402S_ERR_INVALID_ADDRESS,
 *           X402S_ERR_INVALID_HEX, X402S_ERR_INVALID_KEY (the signer is not a
 *           secp256k1 key), X402S_ERR_INVALID_ARGUMENT ("from" is not the
 *           signer), JSON errors, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL.
 *  Out:     out, out_cap, *out_len   JSON text.
 *  In:      tx_json, tx_json_len; signer (x402s_signer_new, X402S_KEY_SECP256K1).
 *  Err:     err   optional.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_evm_tx_sign(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE tx_json, size_t tx_json_len,
    const x402s_signer *X402S_NULLABLE signer,
    x402s_error *X402S_NULLABLE err);

/** Decode a signed EIP-1559 transaction (0x02 || rlp of 12 fields, canonical
 *  only) and recover its sender. Output: as x402s_evm_tx_sign.
 *  Returns: X402S_OK, X402S_ERR_EVM_INVALID_TRANSACTION (not type 2, wrong
 *           field count or sizes, scalars with leading zeros, yParity not 0/1),
 *           X402S_ERR_RLP_INVALID, X402S_ERR_RLP_NON_CANONICAL,
 *           X402S_ERR_INVALID_SIGNATURE, X402S_ERR_NON_CANONICAL_SIGNATURE (high s),
 *           X402S_ERR_NULL_ARGUMENT, X402S_ERR_INPUT_TOO_LARGE, X402S_ERR_BUFFER_TOO_SMALL.
 *  Out:     out, out_cap, *out_len   JSON text.
 *  In:      raw, raw_len   at most X402S_MAX_DOCUMENT_BYTES.
 *  Err:     err   optional.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_evm_tx_decode(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE raw, size_t raw_len,
    x402s_error *X402S_NULLABLE err);

/** ABI-encode a call: selector (keccak-256 of the canonical signature) and the
 *  arguments. signature: "name(type,...)" without spaces or names; types are
 *  address, bool, uint8..uint256 (uint = uint256), bytes1..bytes32, bytes,
 *  string, tuples "(...)" and dynamic arrays "T[]". args_json: a JSON array,
 *  one value per input (addresses as text, EIP-55 checked when mixed case;
 *  integers; "0x" hex for bytes; arrays for tuples and arrays).
 *  Output: the calldata bytes.
 *  Returns: X402S_OK, X402S_ERR_ABI_INVALID_TYPE, X402S_ERR_ABI_INVALID_VALUE,
 *           X402S_ERR_INVALID_UTF8, JSON errors, X402S_ERR_NULL_ARGUMENT,
 *           X402S_ERR_INPUT_TOO_LARGE, X402S_ERR_BUFFER_TOO_SMALL.
 *  Out:     out, out_cap, *out_len   calldata.
 *  In:      signature, signature_len (at most 1024); args_json, args_json_len.
 *  Err:     err   optional.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_evm_abi_encode_call(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE signature, size_t signature_len,
    const uint8_t *X402S_NULLABLE args_json, size_t args_json_len,
    x402s_error *X402S_NULLABLE err);

/** ABI-decode return data as the tuple of types "(type,...)" (for example
 *  "(uint256)" for balanceOf, "(bool)" for authorizationState). Strict: offsets
 *  and lengths in bounds, zero high bits and padding, bools 0/1, strings UTF-8,
 *  arrays of at most 4096 elements. Output: a JSON array of the values
 *  (addresses checksummed, integers as decimal strings, bytes "0x" hex).
 *  Returns: X402S_OK, X402S_ERR_ABI_INVALID_TYPE, X402S_ERR_ABI_DECODE_FAILED,
 *           X402S_ERR_INVALID_UTF8, X402S_ERR_NULL_ARGUMENT,
 *           X402S_ERR_INPUT_TOO_LARGE, X402S_ERR_BUFFER_TOO_SMALL.
 *  Out:     out, out_cap, *out_len   JSON text.
 *  In:      types, types_len (at most 1024); data, data_len.
 *  Err:     err   optional.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_evm_abi_decode(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE types, size_t types_len,
    const uint8_t *X402S_NULLABLE data, size_t data_len,
    x402s_error *X402S_NULLABLE err);

/** Classify revert data (an eth_call error's data, or the replay of a failed
 *  transaction). Output: {"kind": "empty"} | {"kind": "error", "message"}
 *  (Error(string)) | {"kind": "panic", "code": "0x11", "message"}
 *  (Panic(uint256)) | {"kind": "custom", "selector"?, "data"} (custom errors
 *  and malformed Error/Panic data, kept raw). Never fails on the data itself.
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_INPUT_TOO_LARGE,
 *           X402S_ERR_BUFFER_TOO_SMALL.
 *  Out:     out, out_cap, *out_len   JSON text.
 *  In:      data, data_len   at most X402S_MAX_DOCUMENT_BYTES.
 *  Err:     err   optional.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_evm_abi_decode_revert(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE data, size_t data_len,
    x402s_error *X402S_NULLABLE err);

/** The call that settles an EVM x402 payment (verify it first: this parses,
 *  it does not verify). payment_json: the PaymentPayload object (v1 or v2);
 *  requirements_json: the requirement being paid (for upto, amount = the
 *  amount to settle). EIP-3009 with a 65-byte signature: the token's
 *  transferWithAuthorization(...,uint8 v,bytes32 r,bytes32 s) (v 0/1 -> 27/28);
 *  other lengths: the (..., bytes signature) overload; Permit2 exact / upto:
 *  the x402 Permit2 proxy's settle. Output: {"method" ("eip3009",
 *  "eip3009Bytes", "permit2", "upto"), "chainId", "to", "function", "data",
 *  "payer", "asset", "recipient", "amount", "settlementKey", "nonce",
 *  "balanceOfData", "authorizationStateData" (EIP-3009 only)}: the calldata
 *  of the chain checks. settlementKey identifies the authorization on its
 *  chain (settle it once).
 *  Returns: X402S_OK, X402S_ERR_X402_INVALID_PAYLOAD, X402S_ERR_X402_INVALID_REQUIREMENTS,
 *           X402S_ERR_X402_UNKNOWN_NETWORK, X402S_ERR_X402_UNSUPPORTED_SCHEME,
 *           X402S_ERR_X402_UNSUPPORTED_VERSION, X402S_ERR_X402_PAYMENT_INVALID
 *           (upto amount above the signed maximum), JSON errors,
 *           X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL.
 *  Out:     out, out_cap, *out_len   JSON text.
 *  In:      payment_json, payment_json_len; requirements_json, requirements_json_len.
 *  Err:     err   optional.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_x402_evm_settle_call(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE payment_json, size_t payment_json_len,
    const uint8_t *X402S_NULLABLE requirements_json, size_t requirements_json_len,
    x402s_error *X402S_NULLABLE err);

/** Prepare a Solana transaction for sendTransaction: decode and sanitize it,
 *  check that its message is the one verified, co-sign slot 0 with the fee
 *  payer's prepared Ed25519 signer (optional: NULL when already fully signed),
 *  and require every signature to verify. Output: {"transactionBase64" (the
 *  wire form: sendTransaction / simulateTransaction with encoding base64),
 *  "transactionId" (base58 of the first signature), "messageHashBase64",
 *  "feePayer", "recentBlockhash"}.
 *  Returns: X402S_OK, X402S_ERR_SOLANA_INVALID_TRANSACTION,
 *           X402S_ERR_SOLANA_NOT_FEE_PAYER (signer is not account 0),
 *           X402S_ERR_SOLANA_MESSAGE_MISMATCH, X402S_ERR_SOLANA_NOT_FULLY_SIGNED,
 *           X402S_ERR_INVALID_KEY (signer is not an Ed25519 key),
 *           X402S_ERR_INVALID_LENGTH (expected hash not 32 bytes),
 *           X402S_ERR_NULL_ARGUMENT, X402S_ERR_INPUT_TOO_LARGE, X402S_ERR_BUFFER_TOO_SMALL.
 *  Out:     out, out_cap, *out_len   JSON text.
 *  In:      tx, tx_len (at most 1232 bytes); signer OPTIONAL;
 *           message_hash32, message_hash32_len OPTIONAL (NULL, 0: no check;
 *           else sha256 of the message as x402 keys it, 32 bytes).
 *  Err:     err   optional.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_solana_submission(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE tx, size_t tx_len,
    const x402s_signer *X402S_NULLABLE signer,
    const uint8_t *X402S_NULLABLE message_hash32, size_t message_hash32_len,
    x402s_error *X402S_NULLABLE err);

/* ------------------------------------------------------------------------ */
/* x402-secure risk layer: headers, agent traces, payment evidence, mandates */
/*                                                                           */
/* Wire-compatible with the PyPI package x402-secure 0.1.4 (see docs/RISK.md */
/* for every grammar, limit and rule). JSON in, JSON out: output JSON is     */
/* compact UTF-8; header values are text. Optional inputs may be NULL with   */
/* length 0 (absent). options_json (optional) injects time and randomness:   */
/* {"now": <Unix seconds>} (default: the clock) and, where noted,            */
/* {"random": "0x<bytes consumed in order>"} (default: the CSPRNG). Unknown  */
/* members of request and options objects are refused                        */
/* (X402S_ERR_INVALID_ARGUMENT), so a misspelt key never passes silently.    */
/* ------------------------------------------------------------------------ */

/** Largest agent trace, or document holding one, the risk functions accept (8 MiB). */
#define X402S_RISK_MAX_TRACE_BYTES 8388608

/** Flags for x402s_risk_build_verifiable_intent. */
#define X402S_RISK_EVIDENCE_RAW 0u  /* hash the evidence bytes as given */
#define X402S_RISK_EVIDENCE_JSON 1u /* parse as JSON and hash its canonical form */

/** Kinds for x402s_risk_parse_gateway_answer. */
#define X402S_RISK_ANSWER_SESSION 1u /* POST /risk/session: {"sid","expires_at"} */
#define X402S_RISK_ANSWER_TRACE 2u   /* POST /risk/trace: {"tid"} */
#define X402S_RISK_ANSWER_ERROR 3u   /* error body: {"code","message","request_id"} or null */

/** A W3C traceparent: a new trace (parent NULL, length 0) or a child of
 *  parent (same trace id and flags, new span id). options_json (optional):
 *  {"flags": "01" | 0-255, "random": "0x..."}; ids are drawn from the CSPRNG
 *  (16 bytes trace id, then 8 bytes span id; an all-zero id is redrawn).
 *  Output: {"traceparent","traceId","spanId","flags"}.
 *  Returns: X402S_OK, X402S_ERR_RISK_INVALID_TRACEPARENT (bad parent),
 *           X402S_ERR_RANDOMNESS_FAILED, X402S_ERR_INVALID_ARGUMENT (bad
 *           options), JSON errors, buffer errors.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_traceparent(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE parent, size_t parent_len,
    const uint8_t *X402S_NULLABLE options_json, size_t options_json_len,
    x402s_error *X402S_NULLABLE err);

/** Build an X-PAYMENT-SECURE value, byte-identical to 0.1.4's
 *  build_payment_secure_header: "w3c.v1;tp=<traceparent>[;ts=<ts>]".
 *  context_json (optional) is the agent trace context (0.1.4 sends
 *  {"tid": "<trace id>"}), written as compact JSON in its own key order,
 *  base64'd and percent-encoded; without it, tracestate (optional) is sent raw.
 *  Out:     out, out_cap, out_len   the header value (at most 4096 bytes).
 *  Returns: X402S_OK, X402S_ERR_RISK_INVALID_TRACEPARENT,
 *           X402S_ERR_RISK_HEADER_TOO_LONG, X402S_ERR_INVALID_ARGUMENT (a
 *           tracestate with ';', controls or outer spaces), JSON errors.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_build_secure_header(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE traceparent, size_t traceparent_len,
    const uint8_t *X402S_NULLABLE context_json, size_t context_json_len,
    const uint8_t *X402S_NULLABLE tracestate, size_t tracestate_len,
    x402s_error *X402S_NULLABLE err);

/** Parse an X-PAYMENT-SECURE value with the 0.1.4 gateway's rules.
 *  Output: {"tp","traceId","spanId","flags","ts"?,"tid"?}; tid is extracted
 *  from ts as the gateway does (absent when it cannot be).
 *  Returns: X402S_OK, X402S_ERR_RISK_HEADER_TOO_LONG (> 4096 bytes),
 *           X402S_ERR_RISK_INVALID_HEADER (version tag, part without '=',
 *           missing tp), X402S_ERR_RISK_INVALID_TRACEPARENT, X402S_ERR_INVALID_UTF8.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_parse_secure_header(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE value, size_t value_len,
    x402s_error *X402S_NULLABLE err);

/** Decode the agent trace context carried in the ts of an X-PAYMENT-SECURE
 *  value, strictly (percent-decoding, padded standard base64, JSON).
 *  Output: the context as compact JSON, or null when there is no ts.
 *  Returns: X402S_OK, the errors of x402s_risk_parse_secure_header,
 *           X402S_ERR_RISK_INVALID_HEADER (bad '%' escape),
 *           X402S_ERR_INVALID_BASE64, X402S_ERR_INVALID_JSON, X402S_ERR_JSON_TOO_DEEP.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_secure_header_context(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE value, size_t value_len,
    x402s_error *X402S_NULLABLE err);

/** Validate an X-RISK-SESSION / X-RISK-TRACE id (UUID v1 or v4, as the
 *  gateway accepts it: urn:uuid:, braces, hyphens, either case).
 *  Out:     out, out_cap, out_len   the normal form (36 lowercase characters).
 *  Returns: X402S_OK, X402S_ERR_RISK_INVALID_UUID, X402S_ERR_INVALID_UTF8.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_normalize_uuid(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE value, size_t value_len,
    x402s_error *X402S_NULLABLE err);

/** Validate the risk ids of a paid request: session (X-RISK-SESSION,
 *  required) and trace (X-RISK-TRACE, optional; empty = absent).
 *  Output: {"sid": "<normal form>", "tid": "<normal form>" | null}.
 *  Returns: X402S_OK, X402S_ERR_RISK_INVALID_UUID (missing session or bad id).
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_ids(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE session, size_t session_len,
    const uint8_t *X402S_NULLABLE trace, size_t trace_len,
    x402s_error *X402S_NULLABLE err);

/** Build an X-AP2-EVIDENCE value from the mandate's exact bytes:
 *  "evd.v1;mr=<ref>;ms=<base64url SHA-256>;mt=application/json;sz=<bytes>".
 *  Returns: X402S_OK, X402S_ERR_INVALID_ARGUMENT (empty reference, or one with
 *           ';', spaces, controls or non-ASCII), X402S_ERR_RISK_HEADER_TOO_LONG (> 2048).
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_build_ap2_evidence(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE mandate_ref, size_t mandate_ref_len,
    const uint8_t *X402S_NULLABLE mandate, size_t mandate_len,
    x402s_error *X402S_NULLABLE err);

/** Build an X-AP2-EVIDENCE value from a precomputed digest (43 characters of
 *  unpadded base64url of a SHA-256) and the mandate size in bytes.
 *  Returns: as x402s_risk_build_ap2_evidence; X402S_ERR_INVALID_ARGUMENT for
 *           a digest that is not 43 base64url characters of 32 bytes.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_build_ap2_evidence_digest(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE mandate_ref, size_t mandate_ref_len,
    const uint8_t *X402S_NULLABLE mandate_sha256, size_t mandate_sha256_len,
    uint64_t mandate_size,
    x402s_error *X402S_NULLABLE err);

/** Parse an X-AP2-EVIDENCE value (gateway rules: at most 2048 bytes; mr, ms,
 *  mt, sz required; mt application/json; sz decimal).
 *  Output: {"mr","ms","mt","sz": <number>}.
 *  Returns: X402S_OK, X402S_ERR_RISK_HEADER_TOO_LONG, X402S_ERR_RISK_INVALID_HEADER.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_parse_ap2_evidence(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE value, size_t value_len,
    x402s_error *X402S_NULLABLE err);

/** Sellers: check that mandate (its exact bytes) is the one an
 *  X-AP2-EVIDENCE value announces (same SHA-256 and size).
 *  Returns: X402S_OK only when it matches; X402S_ERR_RISK_EVIDENCE_MISMATCH
 *           when it does not; the errors of x402s_risk_parse_ap2_evidence.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_ap2_evidence_matches(
    const uint8_t *X402S_NULLABLE value, size_t value_len,
    const uint8_t *X402S_NULLABLE mandate, size_t mandate_len,
    x402s_error *X402S_NULLABLE err);

/** Build an X-VERIFIABLE-INTENT value:
 *  "vi.v1;ref=<ref>;sha256=sha256:<hex>;mt=<media type>;sz=<bytes>".
 *  flags X402S_RISK_EVIDENCE_RAW hashes the evidence bytes as given;
 *  X402S_RISK_EVIDENCE_JSON parses them as JSON and hashes (and counts) the
 *  canonical JSON. media_type (optional) defaults to application/json.
 *  Returns: X402S_OK, X402S_ERR_INVALID_ARGUMENT (reference or media type
 *           with ';', spaces, controls; unknown flags), X402S_ERR_RISK_HEADER_TOO_LONG,
 *           JSON errors (flags JSON).
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_build_verifiable_intent(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE reference, size_t reference_len,
    const uint8_t *X402S_NULLABLE evidence, size_t evidence_len,
    const uint8_t *X402S_NULLABLE media_type, size_t media_type_len, uint32_t flags,
    x402s_error *X402S_NULLABLE err);

/** Parse an X-VERIFIABLE-INTENT value (at most 4096 bytes; ref, sha256, mt,
 *  sz required; sha256 as sha256:<64 lowercase hex>).
 *  Output: {"ref","sha256","mt","sz": <number>}.
 *  Returns: X402S_OK, X402S_ERR_RISK_HEADER_TOO_LONG, X402S_ERR_RISK_INVALID_HEADER.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_parse_verifiable_intent(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE value, size_t value_len,
    x402s_error *X402S_NULLABLE err);

/** Sellers: check evidence bytes against an X-VERIFIABLE-INTENT value (same
 *  SHA-256 and size; hash the canonical JSON yourself when the evidence was
 *  announced as JSON, e.g. with x402s_risk_canonical_json).
 *  Returns: X402S_OK only when it matches; X402S_ERR_RISK_EVIDENCE_MISMATCH
 *           when it does not; the errors of x402s_risk_parse_verifiable_intent.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_verifiable_intent_matches(
    const uint8_t *X402S_NULLABLE value, size_t value_len,
    const uint8_t *X402S_NULLABLE evidence, size_t evidence_len,
    x402s_error *X402S_NULLABLE err);

/** Canonical JSON of a document: keys sorted by code point (recursively), no
 *  whitespace, raw UTF-8, numbers as written; the serialization every digest
 *  of the risk layer uses (equals Python json.dumps(v, sort_keys=True,
 *  separators=(",", ":"), ensure_ascii=False) for integer and repr-float numbers).
 *  In:      json, json_len   at most X402S_RISK_MAX_TRACE_BYTES.
 *  Returns: X402S_OK, JSON errors, X402S_ERR_INPUT_TOO_LARGE, buffer errors.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_canonical_json(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE json, size_t json_len,
    x402s_error *X402S_NULLABLE err);

/** One agent-trace event, as x402-secure 0.1.4's OpenAITraceCollector writes
 *  it, from a spec {"type", "ts"? (Unix seconds; default: the clock), ...}:
 *  user_input {content, role?}, system_prompt {content, version?},
 *  agent_output {content, role?}, tool_call {name, args? [], kwargs? {}},
 *  tool_result {name, result}, function_call {name, call_id?, arguments?
 *  (the model's raw argument text)}, reasoning_summary {text}; any other type
 *  is kept with its other members (navigation {url}, selection {sources}, ...).
 *  Output: the event object (content hashes and lengths computed here).
 *  Returns: X402S_OK, X402S_ERR_RISK_INVALID_TRACE (missing or mistyped
 *           member, non-finite ts), JSON errors.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_trace_event(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE spec_json, size_t spec_json_len,
    x402s_error *X402S_NULLABLE err);

/** Build an agent trace (the agent_trace of POST /risk/trace) from
 *  {"task", "parameters", "environment"?, "events"? [event objects],
 *  "model_config"?, "session_context"?, "completed_at"?} in 0.1.4's key order;
 *  completed_at defaults to now in Python's isoformat. options_json
 *  (optional): {"nowMicros": <Unix microseconds>, "eventOrder": "recorded"
 *  (default) | "collector" (user_input and system_prompt events moved to the
 *  front as 0.1.4's collector inserts them)}.
 *  Output: {"trace": {...}, "digest": "0x<SHA-256 of its canonical JSON>"}.
 *  Returns: X402S_OK, X402S_ERR_RISK_INVALID_TRACE, X402S_ERR_INVALID_ARGUMENT
 *           (options), JSON errors, X402S_ERR_INPUT_TOO_LARGE (> 8 MiB).
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_agent_trace_build(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE trace_json, size_t trace_json_len,
    const uint8_t *X402S_NULLABLE options_json, size_t options_json_len,
    x402s_error *X402S_NULLABLE err);

/** Parse a received agent trace, keeping every member as sent, and digest it.
 *  Output: {"trace": {...}, "digest": "0x<SHA-256 of its canonical JSON>"}.
 *  Returns: X402S_OK, X402S_ERR_RISK_INVALID_TRACE, JSON errors,
 *           X402S_ERR_INPUT_TOO_LARGE (> 8 MiB).
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_agent_trace_parse(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE trace_json, size_t trace_json_len,
    x402s_error *X402S_NULLABLE err);

/** The body of POST {gateway}/risk/session, byte-identical to 0.1.4's, from
 *  {"wallet_address", "agent_did"?, "agent_endpoint"?, "app_id"?, "device"?}.
 *  Send it as is with Content-Type: application/json.
 *  Returns: X402S_OK, X402S_ERR_INVALID_ADDRESS (wallet not 0x + 40 hex),
 *           X402S_ERR_INVALID_ARGUMENT (blank agent_did, device not an object),
 *           JSON errors.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_session_request(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE request_json, size_t request_json_len,
    x402s_error *X402S_NULLABLE err);

/** The body of POST {gateway}/risk/trace, byte-identical to 0.1.4's, from
 *  {"sid", "agent_trace"? (an agent trace object), "fingerprint"?, "telemetry"?}.
 *  Returns: X402S_OK, X402S_ERR_RISK_INVALID_UUID (sid), X402S_ERR_RISK_INVALID_TRACE,
 *           JSON errors, X402S_ERR_INPUT_TOO_LARGE (> 8 MiB).
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_trace_request(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE request_json, size_t request_json_len,
    x402s_error *X402S_NULLABLE err);

/** Parse a gateway answer body of the given kind (X402S_RISK_ANSWER_*).
 *  Output: session {"sid","expires_at": string|null}, trace {"tid"} (ids
 *  normalised), error {"code","message","request_id"} or null.
 *  Returns: X402S_OK, X402S_ERR_RISK_INVALID_UUID (no valid sid / tid),
 *           X402S_ERR_INVALID_ARGUMENT (unknown kind), JSON errors.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_parse_gateway_answer(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    uint32_t kind,
    const uint8_t *X402S_NULLABLE body, size_t body_len,
    x402s_error *X402S_NULLABLE err);

/** The 0.1.4 client check of a gateway answer's Content-Type value
 *  (application/json, any case, parameters ignored).
 *  Returns: X402S_OK when it is JSON; X402S_ERR_INVALID_JSON when not
 *           (empty or NULL included); X402S_ERR_INVALID_UTF8.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_check_content_type(
    const uint8_t *X402S_NULLABLE value, size_t value_len,
    x402s_error *X402S_NULLABLE err);

/** Buyers: the payment evidence (EIP-712 PaymentEvidence, docs/RISK.md) for a
 *  payment about to be sent. request_json: {"paymentHeader", "requirement"
 *  (v1 or v2), "origin", "resource", "riskSessionId", "riskTraceId"?,
 *  "agentTrace"? (the trace sent to /risk/trace), "payer"? (required for
 *  Solana), "validFor"? (seconds, default 300)}. options_json: {"now"}.
 *  Output: {"message": {...}, "digest": "0x...", "typedData": {...}} (sign
 *  the digest, or typedData with eth_signTypedData_v4).
 *  Returns: X402S_OK, X402S_ERR_RISK_INVALID_UUID, X402S_ERR_RISK_EVIDENCE_MISMATCH
 *           (payer differs from the payment's), X402S_ERR_INVALID_ARGUMENT,
 *           X402S_ERR_RISK_INVALID_TRACE, payment decoding errors, JSON errors.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_evidence_build(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE request_json, size_t request_json_len,
    const uint8_t *X402S_NULLABLE options_json, size_t options_json_len,
    x402s_error *X402S_NULLABLE err);

/** Sign an evidence message (the "message" of x402s_risk_evidence_build) and
 *  return the X-PAYMENT-EVIDENCE value "pev.v1;alg=...;m=...;sig=...".
 *  key_kind: X402S_KEY_SECP256K1 (EVM payer) or X402S_KEY_ED25519_SEED (Solana).
 *  Returns: X402S_OK, X402S_ERR_RISK_EVIDENCE_MISMATCH (the key is not the
 *           payer), X402S_ERR_INVALID_KEY, X402S_ERR_INVALID_LENGTH,
 *           X402S_ERR_INVALID_ARGUMENT (key kind), X402S_ERR_RISK_INVALID_HEADER
 *           (message), X402S_ERR_RISK_HEADER_TOO_LONG.
 *  Threads: safe. Secrets: key32 is copied into memory zeroed after use. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_evidence_sign(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE message_json, size_t message_json_len,
    const uint8_t *X402S_NULLABLE key32, size_t key32_len, uint32_t key_kind,
    x402s_error *X402S_NULLABLE err);

/** Assemble an X-PAYMENT-EVIDENCE value from a signature made elsewhere (a
 *  wallet): 65 bytes r||s||v over the digest (key_kind X402S_KEY_SECP256K1)
 *  or 64 bytes Ed25519 (X402S_KEY_ED25519_SEED). The signature must be the
 *  payer's: it is checked before the header is returned.
 *  Returns: X402S_OK, X402S_ERR_RISK_EVIDENCE_MISMATCH (not the payer's
 *           signature), X402S_ERR_INVALID_LENGTH, X402S_ERR_INVALID_ARGUMENT,
 *           X402S_ERR_RISK_INVALID_HEADER (message), X402S_ERR_RISK_HEADER_TOO_LONG.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_evidence_assemble(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE message_json, size_t message_json_len,
    const uint8_t *X402S_NULLABLE signature, size_t signature_len, uint32_t key_kind,
    x402s_error *X402S_NULLABLE err);

/** Parse an X-PAYMENT-EVIDENCE value (no signature check).
 *  Output: {"alg","message": {...},"signature": "0x...","digest": "0x..."}.
 *  Returns: X402S_OK, X402S_ERR_RISK_HEADER_TOO_LONG, X402S_ERR_RISK_INVALID_HEADER,
 *           X402S_ERR_INVALID_BASE64, X402S_ERR_INVALID_NUMBER,
 *           X402S_ERR_RISK_INVALID_UUID, X402S_ERR_INVALID_ARGUMENT, JSON errors.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_evidence_parse(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE header, size_t header_len,
    x402s_error *X402S_NULLABLE err);

/** Sellers: verify an X-PAYMENT-EVIDENCE value against the request actually
 *  received. expectation_json: {"paymentHeader" (the X-PAYMENT /
 *  PAYMENT-SIGNATURE value received), "requirement", "origin", "resource",
 *  "riskSessionId" (X-RISK-SESSION), "riskTraceId"? (the tid of the request),
 *  "agentTraceDigest"? ("0x" + 64 hex; checked when given), "payer"? (Solana)}.
 *  options_json: {"now"}. Every check runs (docs/RISK.md lists the reasons).
 *  Output: {"isValid","reasons": [...],"signer"}, written whether or not valid.
 *  Returns: X402S_OK only when the evidence holds; X402S_ERR_RISK_EVIDENCE_MISMATCH
 *           when a check failed (see reasons); parse errors for a malformed
 *           header; payment decoding errors; JSON errors.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_evidence_verify(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE header, size_t header_len,
    const uint8_t *X402S_NULLABLE expectation_json, size_t expectation_json_len,
    const uint8_t *X402S_NULLABLE options_json, size_t options_json_len,
    x402s_error *X402S_NULLABLE err);

/** Buyers, before paying: evaluate an AP2-style mandate (schema in
 *  docs/RISK.md) against the chosen requirement (v1 or v2) and the agent
 *  trace (optional). options_json: {"now", "resource"? (the URL being paid;
 *  default the v1 requirement's resource)}.
 *  Output: {"decision": "allow"|"step_up"|"deny", "reasons": [{"code",
 *  "action","detail"}...]}, written whatever the decision.
 *  Returns: X402S_OK only for allow; X402S_ERR_RISK_STEP_UP (ask the user
 *           first); X402S_ERR_RISK_DENIED (do not pay);
 *           X402S_ERR_RISK_INVALID_MANDATE, X402S_ERR_RISK_INVALID_TRACE,
 *           X402S_ERR_X402_INVALID_REQUIREMENTS and JSON errors for malformed input.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_risk_mandate_evaluate(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE mandate_json, size_t mandate_json_len,
    const uint8_t *X402S_NULLABLE requirement_json, size_t requirement_json_len,
    const uint8_t *X402S_NULLABLE trace_json, size_t trace_json_len,
    const uint8_t *X402S_NULLABLE options_json, size_t options_json_len,
    x402s_error *X402S_NULLABLE err);

/* ------------------------------------------------------------------------ */
/* Evidence for disputes: records, hash chain, decision receipts, bundles    */
/*                                                                           */
/* The risk proxy keeps one evidence record per decision in an append-only   */
/* chain, signs a receipt of each record with its own Ed25519 key (returned  */
/* to the seller in X-Risk-Receipt) and exports a bundle per decision that   */
/* anyone can verify offline. Formats, canonical bytes and the verification  */
/* steps: docs/EVIDENCE.md. Canonical JSON is x402s_risk_canonical_json's.    */
/* Digests are "sha256:" + 64 lowercase hex. Storage is the caller's: it     */
/* keeps each record's canonical text, hash and previous hash.               */
/* The receipt key is an x402s_signer made with X402S_KEY_ED25519_SEED       */
/* (the seed is copied once into memory zeroed on x402s_signer_free).        */
/* ------------------------------------------------------------------------ */

#define X402S_EVIDENCE_MAX_RECORD_BYTES 1048576   /* a record text (and a record_make request) */
#define X402S_EVIDENCE_MAX_BUNDLE_BYTES 33554432  /* a bundle, or a bundle_build request */
#define X402S_EVIDENCE_RECEIPT_MAX_BYTES 4096     /* an X-Risk-Receipt value */

/** Make the record of a decision: its canonical text, hash and link.
 *  Returns: X402S_OK, X402S_ERR_EVIDENCE_INVALID_RECORD (schema, seq/prev that
 *           do not link, unknown members), X402S_ERR_INPUT_TOO_LARGE (request or
 *           record above X402S_EVIDENCE_MAX_RECORD_BYTES), X402S_ERR_INVALID_UTF8,
 *           X402S_ERR_INVALID_JSON, X402S_ERR_JSON_TOO_DEEP, X402S_ERR_NULL_ARGUMENT,
 *           X402S_ERR_BUFFER_TOO_SMALL.
 *  Out:     out, out_cap, out_len   {"text": the canonical record text to store,
 *           "hash", "prev", "seq", "chain", "decisionId", "bodyDigest"}.
 *  In:      request_json, request_json_len   {"decision": {...} (schema in
 *           docs/EVIDENCE.md; optional members may be left out), "seq": n (0 for
 *           the first record of the chain, else the previous record's seq + 1),
 *           "prev": "sha256:..." (the previous record's hash; null or absent only
 *           for seq 0), "chain"?: name (default "main")}.
 *  Err:     err   optional.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_evidence_record_make(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE request_json, size_t request_json_len,
    x402s_error *X402S_NULLABLE err);

/** Check a stored record text (or a link: body replaced by its digest), which
 *  must be exactly its canonical JSON, and recompute its hash.
 *  Returns: X402S_OK, X402S_ERR_EVIDENCE_NOT_CANONICAL, X402S_ERR_EVIDENCE_INVALID_RECORD,
 *           X402S_ERR_INPUT_TOO_LARGE, X402S_ERR_INVALID_UTF8, X402S_ERR_INVALID_JSON,
 *           X402S_ERR_JSON_TOO_DEEP, X402S_ERR_NULL_ARGUMENT, X402S_ERR_BUFFER_TOO_SMALL.
 *  Out:     out, out_cap, out_len   {"hash", "prev", "seq", "chain", "bodyDigest",
 *           "decisionId" (null for a link), "isLink"}.
 *  In:      record, record_len   at most X402S_EVIDENCE_MAX_RECORD_BYTES.
 *  Err:     err   optional.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_evidence_record_parse(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE record, size_t record_len,
    x402s_error *X402S_NULLABLE err);

/** The public JWK of a receipt key (kid = RFC 7638 thumbprint). Publish
 *  {"keys": [jwk, ...]} at /.well-known/x402-secure/receipt-key.
 *  Returns: X402S_OK, X402S_ERR_NULL_ARGUMENT, X402S_ERR_INVALID_KEY (not an
 *           Ed25519 signer), X402S_ERR_BUFFER_TOO_SMALL.
 *  Out:     out, out_cap, out_len   {"alg":"EdDSA","crv":"Ed25519","kid",
 *           "kty":"OKP","use":"sig","x"} as canonical JSON.
 *  In:      signer   made with X402S_KEY_ED25519_SEED.
 *  Err:     err   optional.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_evidence_public_key(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const x402s_signer *X402S_NULLABLE signer,
    x402s_error *X402S_NULLABLE err);

/** Sign the receipt of a stored record with the proxy key. Deterministic
 *  (Ed25519): the same key and record give the same receipt.
 *  Returns: X402S_OK, X402S_ERR_INVALID_KEY (not an Ed25519 signer),
 *           X402S_ERR_NULL_ARGUMENT, the statuses of x402s_evidence_record_parse,
 *           X402S_ERR_EVIDENCE_INVALID_RECORD (a link), X402S_ERR_BUFFER_TOO_SMALL.
 *  Out:     out, out_cap, out_len   the X-Risk-Receipt value
 *           "rcpt.v1;m=<base64url>;sig=<base64url>" (at most
 *           X402S_EVIDENCE_RECEIPT_MAX_BYTES).
 *  In:      signer   made with X402S_KEY_ED25519_SEED;
 *           record, record_len   a stored record text (full, canonical).
 *  Err:     err   optional.
 *  Threads: safe. Secrets: the seed stays inside the signer. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_evidence_receipt_sign(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const x402s_signer *X402S_NULLABLE signer,
    const uint8_t *X402S_NULLABLE record, size_t record_len,
    x402s_error *X402S_NULLABLE err);

/** Sellers: verify an X-Risk-Receipt value against the proxy's keys (and,
 *  optionally, the stored record it must be the receipt of).
 *  Returns: X402S_OK only when valid; X402S_ERR_EVIDENCE_VERIFY_FAILED (the
 *           verdict is written; see reasons); X402S_ERR_EVIDENCE_INVALID_RECEIPT
 *           (malformed receipt or keys), X402S_ERR_RISK_HEADER_TOO_LONG (above
 *           X402S_EVIDENCE_RECEIPT_MAX_BYTES), X402S_ERR_NULL_ARGUMENT (receipt or
 *           keys missing), record statuses, JSON errors, X402S_ERR_BUFFER_TOO_SMALL.
 *  Out:     out, out_cap, out_len   {"isValid", "reasons": ["receipt_key_unknown" |
 *           "receipt_signature_invalid" | "receipt_record_mismatch"...], "keyId",
 *           "receipt": {...}}, written whether or not valid.
 *  In:      receipt, receipt_len   the header value;
 *           public_keys_json, public_keys_json_len   a JWK, a JWK Set {"keys": [...]},
 *           an array of JWKs, or a JSON string "0x<64 hex>" / "<43 base64url>";
 *           record, record_len   OPTIONAL (NULL/0: not checked): a stored record text.
 *  Err:     err   optional.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_evidence_receipt_verify(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE receipt, size_t receipt_len,
    const uint8_t *X402S_NULLABLE public_keys_json, size_t public_keys_json_len,
    const uint8_t *X402S_NULLABLE record, size_t record_len,
    x402s_error *X402S_NULLABLE err);

/** Build the bundle of one decision (served at GET /evidence/{decision_id}).
 *  Records of other decisions between the decision's first and last record
 *  become links (no body); the signer signs the bundle manifest (the list of
 *  the decision's records at export time) and the receipt of every decision
 *  record without a stored receipt.
 *  Returns: X402S_OK, X402S_ERR_EVIDENCE_INVALID_BUNDLE (records that do not
 *           link, no record of the decision, a referenced trace not attached,
 *           a stored receipt that does not verify), record and receipt
 *           statuses, X402S_ERR_NULL_ARGUMENT / X402S_ERR_INVALID_KEY (signer),
 *           X402S_ERR_INVALID_ARGUMENT (request members), X402S_ERR_INPUT_TOO_LARGE
 *           (above X402S_EVIDENCE_MAX_BUNDLE_BYTES), JSON errors,
 *           X402S_ERR_BUFFER_TOO_SMALL.
 *  Out:     out, out_cap, out_len   the bundle as canonical JSON (docs/EVIDENCE.md).
 *  In:      request_json, request_json_len   {"decisionId", "records": [stored
 *           record texts in chain order, covering the decision's first to last
 *           record], "attachments"?: [text | {"text", "mediaType"?}] (the
 *           canonical agent traces and mandates the records reference),
 *           "receipts"?: [stored X-Risk-Receipt values], "publicKeys"?: keys of
 *           stored receipts signed by earlier keys (as x402s_evidence_receipt_verify),
 *           "exportedAt"?: Unix ms (default: the clock)};
 *           signer   the proxy key, made with X402S_KEY_ED25519_SEED.
 *  Err:     err   optional.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_evidence_bundle_build(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE request_json, size_t request_json_len,
    const x402s_signer *X402S_NULLABLE signer,
    x402s_error *X402S_NULLABLE err);

/** Verify a bundle offline: chain links and seq, record and attachment
 *  digests, receipt and manifest signatures and their match with the records,
 *  and the payer's signature on each recorded payment (the core's offline x402
 *  verification against the recorded requirements at the decision time,
 *  decidedAt / 1000). Every check runs; reason codes in docs/EVIDENCE.md.
 *  Returns: X402S_OK only when every check passed; X402S_ERR_EVIDENCE_VERIFY_FAILED
 *           (the verdict is written; see reasons); X402S_ERR_EVIDENCE_INVALID_BUNDLE
 *           (not a bundle: shape, version, keys), X402S_ERR_EVIDENCE_INVALID_RECEIPT
 *           (public_keys_json), X402S_ERR_INPUT_TOO_LARGE, X402S_ERR_NULL_ARGUMENT,
 *           JSON errors, X402S_ERR_BUFFER_TOO_SMALL.
 *  Out:     out, out_cap, out_len   {"isValid", "decisionId", "keyPinned",
 *           "keyIds", "records": [{"seq", "hash", "kind", "verdict", "decidedAt",
 *           "payment": {"checkedAt", "isValid", "invalidReason", "payer"} | null}],
 *           "reasons": [{"code", "at", "detail"}]}, written whether or not valid.
 *  In:      bundle_json, bundle_json_len   at most X402S_EVIDENCE_MAX_BUNDLE_BYTES;
 *           public_keys_json, public_keys_json_len   OPTIONAL (as
 *           x402s_evidence_receipt_verify): the proxy keys trusted (pinned);
 *           NULL/0 uses the bundle's own keys ("keyPinned": false: integrity only,
 *           not who signed).
 *  Err:     err   optional.
 *  Threads: safe. */
X402S_API X402S_WARN_UNUSED_RESULT x402s_status x402s_evidence_bundle_verify(
    uint8_t *X402S_NULLABLE out, size_t out_cap, size_t *X402S_NULLABLE out_len,
    const uint8_t *X402S_NULLABLE bundle_json, size_t bundle_json_len,
    const uint8_t *X402S_NULLABLE public_keys_json, size_t public_keys_json_len,
    x402s_error *X402S_NULLABLE err);

#ifdef __cplusplus
}
#endif

#endif /* X402_SECURE_H */
