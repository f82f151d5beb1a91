/**
 * x402secure: Node binding (N-API addon in C) of x402-secure core (libx402secure.so).
 *
 * Inputs are `Uint8Array` (Buffer included) or, where text is expected, strings
 * (sent as UTF-8). Outputs are `Buffer`s or strings. Every call is synchronous.
 *
 * Errors: a failing library call throws {@link X402SError} with `code` (the status name
 * reported by `x402s_status_name`, e.g. `"X402S_ERR_INVALID_KEY"`), `status`, `operation`
 * and `message`. A JavaScript value of the wrong type throws a `TypeError` carrying the
 * same properties, with code `"X402S_ERR_NULL_ARGUMENT"` (null/undefined) or
 * `"X402S_ERR_INVALID_ARGUMENT"`. Verification returns `false` for a well-formed but
 * wrong signature.
 *
 * @packageDocumentation
 */

/// <reference types="node" />

/** Error thrown for every failing library call. */
export declare class X402SError extends Error {
  constructor(message: string, code: string, status: number, operation: string);
  /** Status name, e.g. "X402S_ERR_INVALID_KEY". */
  readonly code: string;
  /** Numeric x402s_status. */
  readonly status: number;
  /** The C function that failed, e.g. "x402s_secp256k1_sign". */
  readonly operation: string;
}

/** The TypeError thrown for an argument of the wrong JavaScript type. */
export interface X402STypeError extends TypeError {
  readonly code: 'X402S_ERR_NULL_ARGUMENT' | 'X402S_ERR_INVALID_ARGUMENT';
  readonly status: number;
  readonly operation: string;
}

/** An EIP-712 document: an object (serialised with JSON.stringify) or JSON text. */
export type TypedData = object | string | Uint8Array;

/** ABI version of the loaded library as [major, minor]. */
export declare const ABI_VERSION: readonly [number, number];
/** Version string of the loaded library. */
export declare const VERSION_STRING: string;
export declare const KECCAK256_BYTES: 32;
export declare const SHA256_BYTES: 32;
export declare const SECP256K1_SECKEY_BYTES: 32;
export declare const SECP256K1_PUBKEY_BYTES: 65;
export declare const SECP256K1_RECOVERABLE_SIG_BYTES: 65;
export declare const EVM_ADDRESS_TEXT_BYTES: 42;
export declare const ED25519_SEED_BYTES: 32;
export declare const ED25519_PUBKEY_BYTES: 32;
export declare const ED25519_SIG_BYTES: 64;
export declare const MAX_DOCUMENT_BYTES: 1048576;

/**
 * The name of a status as the library reports it, or null for a number that is not a status.
 * @throws {X402STypeError} status is not a number.
 */
export declare function statusName(status: number): string | null;

/**
 * Keccak-256 (Ethereum's; not SHA3-256).
 * @returns 32 bytes.
 * @throws {X402STypeError} data is not a Uint8Array.
 */
export declare function keccak256(data: Uint8Array): Buffer;

/**
 * SHA-256.
 * @returns 32 bytes.
 * @throws {X402STypeError} data is not a Uint8Array.
 */
export declare function sha256(data: Uint8Array): Buffer;

/**
 * Lowercase hex with a "0x" prefix (no prefix when `prefix` is false).
 * @throws {X402STypeError} data is not a Uint8Array.
 * @throws {X402SError} X402S_ERR_INPUT_TOO_LARGE.
 */
export declare function hexEncode(data: Uint8Array, options?: { prefix?: boolean }): string;

/**
 * Decode hex: "0x"/"0X" prefix optional (required with `requirePrefix`), either case, even length.
 * @throws {X402STypeError} text is not a string or Uint8Array.
 * @throws {X402SError} X402S_ERR_INVALID_HEX, X402S_ERR_INVALID_UTF8, X402S_ERR_INPUT_TOO_LARGE.
 */
export declare function hexDecode(text: string | Uint8Array, options?: { requirePrefix?: boolean }): Buffer;

/**
 * Base64: RFC 4648 standard alphabet, padded; or with `urlsafe` the URL alphabet, unpadded
 * unless `padding` is true.
 * @throws {X402STypeError} data is not a Uint8Array.
 * @throws {X402SError} X402S_ERR_INPUT_TOO_LARGE.
 */
export declare function b64encode(data: Uint8Array, options?: { urlsafe?: boolean; padding?: boolean }): string;

/**
 * Decode base64. Standard mode is strict (alphabet, exact padding, no whitespace, zero
 * trailing bits); URL mode accepts optional padding.
 * @throws {X402STypeError} text is not a string or Uint8Array.
 * @throws {X402SError} X402S_ERR_INVALID_BASE64, X402S_ERR_INVALID_UTF8, X402S_ERR_INPUT_TOO_LARGE.
 */
export declare function b64decode(text: string | Uint8Array, options?: { urlsafe?: boolean }): Buffer;

/**
 * Base58 (Bitcoin alphabet, as Solana uses) of at most 1 KiB.
 * @throws {X402STypeError} data is not a Uint8Array.
 * @throws {X402SError} X402S_ERR_INPUT_TOO_LARGE.
 */
export declare function b58encode(data: Uint8Array): string;

/**
 * Decode base58 (at most 2 KiB of text); with `size` the result must have exactly that length.
 * @throws {X402STypeError} text is not a string or Uint8Array.
 * @throws {X402SError} X402S_ERR_INVALID_BASE58, X402S_ERR_INVALID_UTF8, X402S_ERR_INPUT_TOO_LARGE.
 */
export declare function b58decode(text: string | Uint8Array, options?: { size?: number }): Buffer;

/**
 * EIP-712 digest of an eth_signTypedData_v4 document {types, primaryType, domain, message}
 * (at most 1 MiB of JSON).
 * @returns 32 bytes.
 * @throws {X402STypeError} typedData has another type.
 * @throws {X402SError} X402S_ERR_INVALID_JSON, X402S_ERR_JSON_TOO_DEEP, X402S_ERR_INVALID_UTF8,
 *   X402S_ERR_INPUT_TOO_LARGE, X402S_ERR_INVALID_NUMBER, X402S_ERR_INVALID_HEX,
 *   X402S_ERR_INVALID_ADDRESS, X402S_ERR_EIP712_* (30-35).
 */
export declare function eip712Hash(typedData: TypedData): Buffer;

/**
 * Domain separator, struct hash and digest of an EIP-712 document.
 * @throws {X402STypeError} typedData has another type.
 * @throws {X402SError} as {@link eip712Hash}.
 */
export declare function eip712Hashes(typedData: TypedData): {
  domainSeparator: Buffer;
  structHash: Buffer;
  digest: Buffer;
};

/**
 * EIP-191 personal_sign hash: keccak256("\x19Ethereum Signed Message:\n" + len + message).
 * Strings are encoded as UTF-8.
 * @throws {X402STypeError} message is not a string or Uint8Array.
 * @throws {X402SError} X402S_ERR_INVALID_UTF8 (string with lone surrogates).
 */
export declare function eip191Hash(message: string | Uint8Array): Buffer;

/**
 * An EVM account: a secp256k1 secret key, kept in memory outside the JavaScript heap and
 * zeroed by {@link EvmAccount.close} or when the object is garbage-collected. The value
 * passed to fromKey (a Buffer or string) is the caller's to clear.
 */
export declare class EvmAccount {
  private constructor();
  /**
   * @param key 32 bytes, or 64 hex digits with an optional "0x".
   * @throws {X402STypeError} key is not a Uint8Array or string.
   * @throws {X402SError} X402S_ERR_INVALID_LENGTH, X402S_ERR_INVALID_HEX,
   *   X402S_ERR_INVALID_KEY (zero or not below the curve order).
   */
  static fromKey(key: Uint8Array | string): EvmAccount;
  /** EIP-55 checksummed address. */
  readonly address: string;
  /** Uncompressed public key, 65 bytes. */
  readonly publicKey: Buffer;
  /** True after close(). */
  readonly closed: boolean;
  /**
   * Sign a 32-byte digest: r || s || v (65 bytes; v 27/28; RFC 6979; low s).
   * @throws {X402STypeError} digest is not a Uint8Array.
   * @throws {X402SError} X402S_ERR_INVALID_LENGTH; X402S_ERR_INVALID_KEY after close().
   */
  signDigest(digest: Uint8Array): Buffer;
  /**
   * Hash an EIP-712 document and sign its digest in one library call, with the account's
   * prepared signer (made at the first call, shared with payments).
   * @returns 65 bytes r || s || v.
   * @throws {X402STypeError} typedData has another type.
   * @throws {X402SError} as {@link eip712Hash}; X402S_ERR_INVALID_KEY after close().
   */
  signTypedData(typedData: TypedData): Buffer;
  /** Zero the secret key and free the prepared signer (idempotent). */
  close(): void;
}

/**
 * Checksummed address of the signer of a digest (signature r || s || v, v 27/28 or 0/1).
 * @throws {X402STypeError} an argument is not a Uint8Array.
 * @throws {X402SError} X402S_ERR_INVALID_LENGTH, X402S_ERR_INVALID_SIGNATURE,
 *   X402S_ERR_NON_CANONICAL_SIGNATURE.
 */
export declare function recoverAddress(digest: Uint8Array, signature: Uint8Array): string;

/**
 * Uncompressed public key (65 bytes) of the signer of a digest.
 * @throws {X402STypeError} an argument is not a Uint8Array.
 * @throws {X402SError} X402S_ERR_INVALID_LENGTH, X402S_ERR_INVALID_SIGNATURE,
 *   X402S_ERR_NON_CANONICAL_SIGNATURE.
 */
export declare function recoverPublicKey(digest: Uint8Array, signature: Uint8Array): Buffer;

/**
 * Verify a low-s ECDSA signature (64 bytes, or 65 with v ignored) of a digest by a public
 * key (33 or 65 bytes).
 * @returns true if valid, false if well-formed but wrong.
 * @throws {X402STypeError} an argument is not a Uint8Array.
 * @throws {X402SError} X402S_ERR_INVALID_LENGTH, X402S_ERR_INVALID_SIGNATURE,
 *   X402S_ERR_NON_CANONICAL_SIGNATURE, X402S_ERR_INVALID_PUBLIC_KEY.
 */
export declare function secp256k1Verify(signature: Uint8Array, digest: Uint8Array, publicKey: Uint8Array): boolean;

/**
 * EIP-55 checksummed form of an address; all-lower/upper input accepted, mixed case must
 * carry a valid checksum.
 * @throws {X402STypeError} address is not a string or Uint8Array.
 * @throws {X402SError} X402S_ERR_INVALID_ADDRESS, X402S_ERR_INVALID_UTF8.
 */
export declare function checksumAddress(address: string | Uint8Array): string;

/**
 * An Ed25519 key pair (Solana account) of a 32-byte seed, kept outside the JavaScript heap
 * and zeroed by {@link SolanaKeypair.close} or on garbage collection.
 */
export declare class SolanaKeypair {
  private constructor();
  /**
   * @throws {X402STypeError} seed is not a Uint8Array.
   * @throws {X402SError} X402S_ERR_INVALID_LENGTH.
   */
  static fromSeed(seed: Uint8Array): SolanaKeypair;
  /** Base58 address (the public key). */
  readonly address: string;
  /** Ed25519 public key, 32 bytes. */
  readonly publicKey: Buffer;
  /** True after close(). */
  readonly closed: boolean;
  /**
   * Ed25519 signature (64 bytes) of a message.
   * @throws {X402STypeError} message is not a Uint8Array.
   * @throws {X402SError} X402S_ERR_INPUT_TOO_LARGE; X402S_ERR_INVALID_KEY after close().
   */
  sign(message: Uint8Array): Buffer;
  /** Zero the seed and free the prepared signer (idempotent). */
  close(): void;
}

/**
 * Verify an Ed25519 signature.
 * @returns true if valid, false if well-formed but wrong.
 * @throws {X402STypeError} an argument is not a Uint8Array.
 * @throws {X402SError} X402S_ERR_INVALID_SIGNATURE (not 64 bytes), X402S_ERR_INVALID_LENGTH.
 */
export declare function ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;

// ------------------------------------------------------------------ x402 protocol
// JSON in, JSON out (docs/X402.md): document arguments are objects (JSON.stringify'd) or JSON
// text (string / Uint8Array); document results are parsed objects; header values are strings.

/** A JSON document argument. */
export type JSONDocument = object | string | Uint8Array;

/**
 * The network and asset table: {networks, v1ChainIdConflicts, tokenPrograms}.
 * @throws {X402SError} never expected.
 */
export declare function networks(): { networks: any[]; v1ChainIdConflicts: any[]; tokenPrograms: object };

/**
 * One network by CAIP-2 id ("eip155:8453") or v1 name ("base").
 * @throws {X402STypeError} network is not a string or Uint8Array.
 * @throws {X402SError} X402S_ERR_X402_UNKNOWN_NETWORK, X402S_ERR_INVALID_UTF8.
 */
export declare function network(network: string): any;
/** Alias of {@link network}. */
export declare function networkLookup(network: string): any;

/**
 * A dollar price ("$0.01" / "0.01") in atomic units of a table asset (default: the network's
 * default asset), with integer arithmetic; too many decimals are rejected.
 * @throws {X402STypeError} an argument has the wrong type.
 * @throws {X402SError} X402S_ERR_X402_INVALID_AMOUNT, X402S_ERR_X402_UNKNOWN_NETWORK,
 *   X402S_ERR_X402_UNKNOWN_ASSET.
 */
export declare function priceToAtomic(price: string, network: string, asset?: string | null): { asset: any; amount: string };

/** Seconds of slack required before validBefore / deadline (x402 2.25.0). */
export declare const VALID_BEFORE_GRACE_SECONDS: 6;

/** What a seller offers: one price on one network. */
export interface X402Offer {
  network: string;
  payTo: string;
  price?: string;
  amount?: string;
  asset?: string;
  scheme?: 'exact' | 'upto' | string;
  maxTimeoutSeconds?: number;
  extra?: Record<string, unknown>;
}

/** The seller's 402 answer, ready to send. */
export interface PaymentRequiredResponse {
  status: 402;
  /** Content-Type, Cache-Control: no-store and (v2) PAYMENT-REQUIRED. */
  headers: Record<string, string>;
  /** "{}" for v2; the JSON body for v1. */
  body: Buffer;
  /** The 402 document (what the header or body carries). */
  paymentRequired: any;
  x402Version: 1 | 2;
  /** The PAYMENT-REQUIRED value (v2 only). */
  header?: string;
  /** paymentRequired.accepts (pass one to {@link verifyPayment}). */
  readonly accepts: any[];
}

/**
 * Sellers: the 402 answer from offers, or from the core's request document
 * {x402Version?, offers, resource, error?, extensions?}.
 * @throws {X402STypeError} an argument has the wrong type.
 * @throws {X402SError} X402S_ERR_X402_INVALID_REQUIREMENTS, X402S_ERR_X402_UNKNOWN_NETWORK,
 *   X402S_ERR_X402_UNKNOWN_ASSET, X402S_ERR_X402_INVALID_AMOUNT, X402S_ERR_X402_UNSUPPORTED_SCHEME,
 *   X402S_ERR_X402_UNSUPPORTED_VERSION, JSON errors.
 */
export declare function paymentRequiredResponse(
  offers: X402Offer[],
  options?: { resource?: string | object; version?: 1 | 2; error?: string | null; extensions?: object } | null,
): PaymentRequiredResponse;
export declare function paymentRequiredResponse(request: JSONDocument): PaymentRequiredResponse;

/**
 * Buyers: parse a 402 answer: the PAYMENT-REQUIRED header (looked up case-insensitively in a
 * plain object, a Map or fetch Headers; or given as the value itself) when present, else a
 * v1 body.
 * @throws {X402STypeError} both are null/undefined (X402S_ERR_NULL_ARGUMENT) or a wrong type.
 * @throws {X402SError} X402S_ERR_X402_UNSUPPORTED_VERSION, X402S_ERR_X402_INVALID_REQUIREMENTS,
 *   X402S_ERR_INVALID_BASE64, JSON errors.
 */
export declare function parsePaymentRequired(
  headers?: Record<string, string | string[]> | Map<string, string> | { get(name: string): string | null; has(name: string): boolean } | string | null,
  body?: JSONDocument | null,
): any;

/** The buyer's policy (defaults: x402 2.25.0 spend controls: table assets only, at most $1). */
export interface PaymentPolicy {
  networks?: string[];
  assets?: string[];
  allowUnknownAssets?: boolean;
  maxAmount?: string;
  maxPrice?: string | null;
  schemes?: string[];
  preferredNetworks?: string[];
}

/**
 * Buyers: the requirement of a 402 answer the policy allows.
 * @throws {X402STypeError} an argument has the wrong type.
 * @throws {X402SError} X402S_ERR_X402_NO_MATCHING_REQUIREMENT (the message says why each was
 *   rejected), X402S_ERR_INVALID_ARGUMENT (bad policy), X402S_ERR_X402_INVALID_REQUIREMENTS, JSON errors.
 */
export declare function selectRequirement(paymentRequired: JSONDocument, policy?: PaymentPolicy | JSONDocument | null): any;
/** The index in `accepts` of the requirement {@link selectRequirement} chooses. */
export declare function selectRequirementIndex(paymentRequired: JSONDocument, policy?: PaymentPolicy | JSONDocument | null): number;

/** Injected inputs of payment creation (defaults: the clock and the CSPRNG; the network table). */
export interface PaymentOptions {
  now?: number | bigint;
  /** EVM: 32 bytes, or 0x hex. */
  nonce?: Uint8Array | string;
  /** Solana: the 16 bytes behind the default memo. */
  memoNonce?: Uint8Array | string;
  /** Solana: base58 or 32 bytes, when the requirement has no extra.recentBlockhash. */
  recentBlockhash?: Uint8Array | string;
  /** Solana mints outside the table. */
  mintDecimals?: number;
  tokenProgram?: 'token' | 'token2022';
}

/**
 * Buyers: pay a 402 answer (requirement chosen by policy; resource and extensions carried
 * over), one requirement (v1 or v2), JSON text, or a PAYMENT-REQUIRED value. Each account is
 * prepared once in the core (its public key and address are derived at the first payment and
 * released at close()).
 * @throws {X402STypeError} an argument has the wrong type.
 * @throws {X402SError} X402S_ERR_X402_NO_MATCHING_REQUIREMENT, X402S_ERR_X402_UNSUPPORTED_SCHEME,
 *   X402S_ERR_X402_UNKNOWN_NETWORK, X402S_ERR_X402_INVALID_REQUIREMENTS, X402S_ERR_INVALID_ARGUMENT
 *   (signer kind does not match the network, bad options), X402S_ERR_INVALID_KEY (closed signer),
 *   X402S_ERR_INVALID_BASE64 (bad PAYMENT-REQUIRED value), X402S_ERR_RANDOMNESS_FAILED.
 */
export declare function createPayment(
  request: JSONDocument, signer: EvmAccount | SolanaKeypair, policy?: PaymentPolicy | JSONDocument | null,
  options?: PaymentOptions | string | null,
): { headerName: 'X-PAYMENT' | 'PAYMENT-SIGNATURE'; headerValue: string; payment: any };

/**
 * {@link createPayment}, returning [headerName, headerValue] (the payload is not serialised twice).
 * @throws as {@link createPayment}.
 */
export declare function createPaymentHeader(
  request: JSONDocument, signer: EvmAccount | SolanaKeypair, policy?: PaymentPolicy | JSONDocument | null,
  options?: PaymentOptions | string | null,
): [string, string];

/** The address a signer pays from, as the core derives it. */
export declare function signerAddress(signer: EvmAccount | SolanaKeypair): string;

/**
 * The payment JSON of an X-PAYMENT / PAYMENT-SIGNATURE value (strict standard base64).
 * @throws {X402STypeError} value is not a string or Uint8Array.
 * @throws {X402SError} X402S_ERR_INVALID_BASE64, X402S_ERR_X402_INVALID_PAYLOAD,
 *   X402S_ERR_X402_UNSUPPORTED_VERSION, JSON errors.
 */
export declare function decodePaymentHeader(value: string | Uint8Array): any;

/**
 * {@link decodePaymentHeader} on the libuv thread pool: the same result, or the same error as
 * a rejection. The value is copied before this returns.
 */
export declare function decodePaymentHeaderAsync(value: string | Uint8Array): Promise<any>;

/**
 * A bounded, thread-safe cache of accepted authorizations for {@link verifyPayment} and
 * {@link verifyPaymentAsync}; freed by close() or by the garbage collector (N-API finalizer).
 * close() may be called while verifyPaymentAsync calls using the guard are pending: they
 * complete normally (the guard lives until the last one completes); calls made after close()
 * throw (verifyPaymentAsync: reject with) X402SError X402S_ERR_HANDLE_CLOSED.
 */
export declare class ReplayGuard {
  /**
   * @param capacity at most this many entries (0: the library's default, 100,000).
   * @throws {X402STypeError} capacity is not an integer.
   * @throws {X402SError} X402S_ERR_INVALID_ARGUMENT.
   */
  constructor(capacity?: number);
  /** Release the guard, now or after the pending verifications using it (idempotent). */
  close(): void;
  readonly closed: boolean;
}

/** The verdict of {@link verifyPayment}: the wire VerifyResponse plus a human message. */
export interface VerifyResult {
  isValid: boolean;
  /** The official x402 2.25.0 reason code (or an x402-secure one, docs/VERIFY.md). */
  invalidReason?: string;
  invalidMessage?: string;
  payer?: string;
  /** "valid" when valid. */
  message: string;
  /** The wire VerifyResponse {isValid, invalidReason?, invalidMessage?, payer?}. */
  toJSON(): { isValid: boolean; invalidReason?: string; invalidMessage?: string; payer?: string };
}

/**
 * Offline verification at Unix time `now` (default: the clock). An invalid payment is a result
 * ({isValid: false, invalidReason}), not an exception. With a replay guard (options.replayGuard,
 * or the 5th argument), a second use of an accepted authorization is invalid (duplicate_payment).
 * @throws {X402STypeError} an argument has the wrong type.
 * @throws {X402SError} X402S_ERR_INVALID_BASE64, X402S_ERR_X402_INVALID_PAYLOAD,
 *   X402S_ERR_X402_INVALID_REQUIREMENTS, X402S_ERR_X402_UNSUPPORTED_VERSION, JSON errors,
 *   X402S_ERR_HANDLE_CLOSED (closed guard), X402S_ERR_INVALID_ARGUMENT (bad now).
 */
export declare function verifyPayment(
  header: string | Uint8Array, requirements: JSONDocument, now?: number | bigint | null,
  options?: { facilitatorAddresses?: string[]; solanaFeePayers?: string[] | null; replayGuard?: ReplayGuard | null } | string | null,
  guard?: ReplayGuard | null,
): VerifyResult;

/**
 * {@link verifyPayment} on the libuv thread pool, so the event loop never waits on the
 * verification: the same arguments and the same result (byte-identical) or error (as a
 * rejection; never thrown). The inputs are copied before this returns (pass large documents as
 * Buffers: the copy is then a memcpy); the replay guard is kept alive until the verification
 * completes, even if closed meanwhile.
 */
export declare function verifyPaymentAsync(
  header: string | Uint8Array, requirements: JSONDocument, now?: number | bigint | null,
  options?: { facilitatorAddresses?: string[]; solanaFeePayers?: string[] | null; replayGuard?: ReplayGuard | null } | string | null,
  guard?: ReplayGuard | null,
): Promise<VerifyResult>;

/**
 * The PAYMENT-RESPONSE / X-PAYMENT-RESPONSE value of a SettleResponse (compact JSON, or
 * x402 2.25.0's spaced json.dumps bytes).
 * @throws {X402SError} X402S_ERR_INVALID_ARGUMENT (style), X402S_ERR_X402_INVALID_PAYLOAD, JSON errors.
 */
export declare function encodeSettleResponse(settle: JSONDocument, style?: 'compact' | 'pythonSpaced' | { pythonSpaced?: boolean }): string;

/**
 * The SettleResponse JSON of a PAYMENT-RESPONSE / X-PAYMENT-RESPONSE value.
 * @throws {X402SError} X402S_ERR_INVALID_BASE64, X402S_ERR_X402_INVALID_PAYLOAD, JSON errors.
 */
export declare function decodeSettleResponse(header: string | Uint8Array): any;

// ------------------------------------------------------------------ Solana helpers, price units

/**
 * A price ("$0.01" / "0.01") in atomic units of a token with `decimals` decimals (0-77), as decimal text.
 * @throws {X402STypeError} wrong argument types.
 * @throws {X402SError} X402S_ERR_X402_INVALID_AMOUNT, X402S_ERR_INVALID_ARGUMENT (decimals out of range).
 */
export declare function priceToAtomicUnits(price: string, decimals: number): string;

/**
 * Whether 32 bytes decompress to an Ed25519 point (program-derived addresses do not);
 * input of another length is not a point (false).
 * @throws {X402STypeError} data is not a Uint8Array.
 * @throws {X402SError} X402S_ERR_INPUT_TOO_LARGE (over 4 KiB).
 */
export declare function solanaIsOnCurve(data: Uint8Array): boolean;

/**
 * The 32 bytes of a base58 Solana public key.
 * @throws {X402SError} X402S_ERR_SOLANA_INVALID_PUBLIC_KEY, X402S_ERR_INVALID_UTF8.
 */
export declare function solanaPublicKeyDecode(text: string): Buffer;

/**
 * Solana's create_program_address (at most 16 seeds of at most 32 bytes).
 * @throws {X402STypeError} seeds is not an array of Uint8Array.
 * @throws {X402SError} X402S_ERR_SOLANA_NO_PROGRAM_ADDRESS, X402S_ERR_SOLANA_INVALID_PUBLIC_KEY,
 *   X402S_ERR_INVALID_ARGUMENT (seed count or length).
 */
export declare function solanaCreateProgramAddress(seeds: Uint8Array[], programId: string): string;

/**
 * Solana's find_program_address (bumps 255 down to 1, at most 15 seeds).
 * @throws as {@link solanaCreateProgramAddress}.
 */
export declare function solanaFindProgramAddress(seeds: Uint8Array[], programId: string): { address: string; bump: number };

/**
 * The associated token account of owner for mint (default token program: Token).
 * @throws {X402SError} X402S_ERR_SOLANA_INVALID_PUBLIC_KEY.
 */
export declare function solanaAssociatedTokenAddress(owner: string, mint: string, tokenProgram?: string | null): string;

/**
 * Compile {payer, recentBlockhash, instructions} into a v0 message: {messageHex, accountKeys, header}.
 * @throws {X402SError} X402S_ERR_INVALID_LENGTH, X402S_ERR_INVALID_ARGUMENT,
 *   X402S_ERR_SOLANA_INVALID_PUBLIC_KEY, JSON errors.
 */
export declare function solanaCompileMessageV0(request: JSONDocument): { messageHex: string; accountKeys: string[]; header: number[] };

/**
 * Decode a serialized transaction (legacy or v0; trailing bytes rejected).
 * @throws {X402SError} X402S_ERR_SOLANA_INVALID_TRANSACTION, X402S_ERR_INPUT_TOO_LARGE.
 */
export declare function solanaDecodeTransaction(tx: Uint8Array): any;

/**
 * Apply Solana's sanitize rules.
 * @throws {X402SError} X402S_ERR_SOLANA_INVALID_TRANSACTION when they fail.
 */
export declare function solanaSanitizeTransaction(tx: Uint8Array): void;

/**
 * Sign a transaction's message with signer and put the signature in its signer slot.
 * @throws {X402SError} X402S_ERR_INVALID_ARGUMENT (not a signer of the message),
 *   X402S_ERR_SOLANA_INVALID_TRANSACTION, X402S_ERR_INVALID_KEY (closed signer).
 */
export declare function solanaSignTransaction(tx: Uint8Array, signer: SolanaKeypair): Buffer;

/**
 * The buyer's partially signed x402 exact transaction from raw parameters
 * {feePayer, payTo, mint, decimals, tokenProgram?, amount, memo?, recentBlockhash, memoNonce?}.
 * @throws {X402SError} X402S_ERR_INVALID_ARGUMENT, X402S_ERR_INVALID_LENGTH,
 *   X402S_ERR_SOLANA_INVALID_PUBLIC_KEY, X402S_ERR_INVALID_KEY (closed signer), JSON errors.
 */
export declare function solanaExactBuild(request: JSONDocument, signer: SolanaKeypair): Buffer;

/**
 * Verify an x402 exact Solana transaction against raw requirement fields; an invalid
 * payment is a result ({isValid: false, reason}), not an exception.
 * @throws {X402SError} X402S_ERR_X402_INVALID_REQUIREMENTS, X402S_ERR_INVALID_BASE64, JSON errors.
 */
export declare function solanaExactVerify(request: JSONDocument): { isValid: boolean; reason?: string; payer?: string; messageHashBase64?: string; message?: string };

// ---------------------------------------------------------------------------------------------
// Seller middleware (lib/middleware.js)
// ---------------------------------------------------------------------------------------------

// ============================================================================ HTTP routes
// The canonical (method, path) a seller prices (lib/http.js over x402s_http_route_*;
// docs/ROUTES.md). Refusals throw X402SError with an X402S_ERR_HTTP_* code: answer 400.

/** Router options, as Express's: `caseSensitive` (default false: paths are lower-cased) and
 * `strict` (default false: one trailing slash is not significant). */
export interface RouteOptions {
  caseSensitive?: boolean;
  strict?: boolean;
}

/** A canonical route: method upper-case (HEAD as GET); path decoded, dot segments resolved,
 * duplicate slashes merged, options applied. */
export interface CanonicalRoute {
  method: string;
  path: string;
}

/** A canonical route key: method null for every method; prefix: the key covers the subtree
 * under `path`; key: the canonical key text ("GET /api/*"). */
export interface CanonicalRouteKey {
  method: string | null;
  path: string;
  prefix: boolean;
  key: string;
}

/** What RouteTable.match returns: `key` (and its `index`) when a key matched, else null; when
 * nothing matched but keys of other methods cover the path, `allow` lists them (answer 405). */
export interface RouteMatch {
  route: CanonicalRoute;
  key: string | null;
  index: number | null;
  allow: string[];
}

export declare const ROUTE_CASE_SENSITIVE: 1;
export declare const ROUTE_STRICT_SLASH: 2;
/** Longest request-target (and route key) accepted, in bytes. */
export declare const MAX_TARGET_BYTES: 16384;

/**
 * The canonical route of a request (method and raw request-target, e.g. req.url).
 * @throws {X402SError} X402S_ERR_HTTP_INVALID_METHOD / _INVALID_TARGET / _INVALID_ENCODING /
 *   _PATH_TRAVERSAL (refuse with 400), X402S_ERR_INPUT_TOO_LARGE, X402S_ERR_INVALID_UTF8.
 */
export declare function canonicalRoute(method: string | Uint8Array, target: string | Uint8Array, options?: RouteOptions): CanonicalRoute;

/**
 * A route key ("GET /path", "/path", a final "/*" for a subtree) canonicalised.
 * @throws {X402SError} X402S_ERR_HTTP_INVALID_ROUTE_KEY with the reason.
 */
export declare function routeKey(key: string | Uint8Array, options?: RouteOptions): CanonicalRouteKey;

/** Priced route keys matched on canonical routes (exact before prefix, longer prefix first,
 * a key naming the method before a method-less one; other methods only: 405 with `allow`). */
export declare class RouteTable {
  /** @throws {X402SError} X402S_ERR_HTTP_INVALID_ROUTE_KEY for a bad key or two keys that are one route. */
  constructor(keys: Iterable<string>, options?: RouteOptions);
  readonly keys: readonly Readonly<CanonicalRouteKey>[];
  readonly options: Readonly<Required<RouteOptions>>;
  /** @throws {X402SError} the refusals of canonicalRoute. */
  match(method: string | Uint8Array, target: string | Uint8Array): RouteMatch;
  matchRoute(route: CanonicalRoute): RouteMatch;
}

/** One price of a route: what the seller accepts on one network. */
export interface X402RouteOffer {
  /** CAIP-2 id ("eip155:84532", "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1") or v1 name ("base-sepolia"). */
  network: string;
  /** Recipient: EVM address or base58 Solana address. */
  payTo: string;
  /** Dollar price ("$0.01"), converted by the core to atomic units of `asset`. Exactly one of price/amount. */
  price?: string;
  /** Atomic units as a decimal string ("10000"). */
  amount?: string;
  /** Token address or mint (default: the network's USDC from the core's table). */
  asset?: string;
  /** "exact" (default) or "upto". */
  scheme?: string;
  /** Seconds the authorization may stay valid (default 300). */
  maxTimeoutSeconds?: number;
  /** Scheme extras: Solana needs {feePayer}, optionally {recentBlockhash}. */
  extra?: Record<string, unknown>;
}

/** A priced route: one offer, several offers, or offers with resource metadata. */
export type X402Route =
  | X402RouteOffer
  | X402RouteOffer[]
  | { accepts: X402RouteOffer[]; description?: string; mimeType?: string };

export interface X402MiddlewareOptions {
  /**
   * Route key -> the route's price(s). Keys: "GET /path" (that method; HEAD is priced as GET),
   * "/path" (every method), "GET /api/*" (a whole subtree: /api and everything under /api/).
   * Keys are canonicalised by the core with `caseSensitive` / `strict` and checked here: a
   * malformed key, router pattern syntax (":id", "*" elsewhere, "(", ")", "+"), a HEAD key or
   * two keys that are one route throw X402MiddlewareConfigError.
   */
  routes: Record<string, X402Route>;
  /** As the application's router (Express: false): keep the path's case significant. */
  caseSensitive?: boolean;
  /** As the application's router (Express: false): keep a trailing slash significant. */
  strict?: boolean;
  /**
   * "facilitator": POST {facilitatorUrl}/verify and /settle;
   * "proxy": POST x402-secure's {gatewayUrl}/x402/verify and /x402/settle, risk headers forwarded;
   * "local": accept the core's offline verification (tests; nothing is settled).
   * Default: "proxy" with gatewayUrl, "facilitator" with facilitatorUrl.
   */
  mode?: 'facilitator' | 'proxy' | 'local';
  facilitatorUrl?: string;
  gatewayUrl?: string;
  /** Deadline of each upstream request, connect + headers + body (default 10000). Answers
   * over 1 MiB, redirects and non-JSON answers are 502 too. */
  timeoutMs?: number;
  /** A ReplayGuard from this package (default: a new one per middleware); null disables it. */
  replayGuard?: unknown;
  /** Require X-PAYMENT-SECURE and X-RISK-SESSION (default: true in proxy mode). */
  requireRiskHeaders?: boolean;
  /** Require X-PAYMENT-EVIDENCE (checked by the core here, by the gateway in proxy mode). */
  requirePaymentEvidence?: boolean;
  /** Public base URL used for the `resource` (default: http(s)://<Host header>). */
  publicBaseUrl?: string;
  /** Offline verification options. */
  facilitatorAddresses?: string[];
  solanaFeePayers?: string[] | null;
  /** Unix seconds (default: the clock). */
  now?: () => number;
  /** Observer of payment events ({type: "payment_required" | "refused" | "paid" | ...}). */
  onEvent?: (event: Record<string, unknown>) => void;
}

/** What the middleware puts on `req.x402` before calling the handler. */
export interface X402PaymentInfo {
  version: 1 | 2;
  payment: Record<string, unknown>;
  requirement: Record<string, unknown>;
  settlement: { success: true; transaction: string; network: string; payer?: string };
  payer: string | null;
  risk: { sid: string; tid: string | null; traceparent: string } | null;
  riskDecision?: string;
  /** The route the middleware matched (the same object as `req.x402Route`). */
  route: X402MatchedRoute;
}

/** What the middleware puts on `req.x402Route` for every request it hands to the handler:
 * the canonical method (HEAD as GET) and path, and the matched route key as configured in
 * `routes` (null for a free route). Route on this, never on another reading of `req.url`. */
export interface X402MatchedRoute {
  key: string | null;
  method: string;
  path: string;
}

/** Thrown by x402Middleware for a bad configuration. */
export declare class X402MiddlewareConfigError extends TypeError {}

/**
 * The seller middleware: `(req, res, next)` for node:http, Express and Connect.
 * Matches routes on the core's canonical route (docs/ROUTES.md); 400 for a request target it
 * cannot canonicalise and 405 (with Allow) for a priced path asked with another method, never
 * next(). Answers 402 (v1 JSON body and v2 PAYMENT-REQUIRED header), 400 for malformed payment
 * or risk headers, 402 with the x402 reason for refused payments (replays: duplicate_payment),
 * 502 when the facilitator/gateway is unreachable, slow, redirects, answers over 1 MiB or not
 * JSON; on success sets X-PAYMENT-RESPONSE (v1) / PAYMENT-RESPONSE (v2), fills `req.x402` and
 * calls `next()`. Every request handed to next() carries `req.x402Route`.
 * @throws {X402MiddlewareConfigError} bad options.
 */
export declare function x402Middleware(
  options: X402MiddlewareOptions,
): (req: import('http').IncomingMessage, res: import('http').ServerResponse, next?: (err?: unknown) => void) => Promise<void>;

/** `http.createServer(withX402(options, handler))`: the handler runs after a successful payment. */
export declare function withX402(
  options: X402MiddlewareOptions,
  handler: (req: import('http').IncomingMessage, res: import('http').ServerResponse) => void,
): (req: import('http').IncomingMessage, res: import('http').ServerResponse) => void;

// ============================================================================ risk layer
// x402-secure risk headers, agent traces, payment evidence and the mandate gate
// (lib/risk.js; docs/RISK.md). JSON documents are objects (JSON.stringify'd) or JSON text
// (string or Uint8Array, passed through unchanged). Failures throw X402SError with the
// library's status code; the mandate gate and evidence verification return verdicts.

/** A JSON document: a value (JSON.stringify'd) or its JSON text. */
export type JsonDocument = object | string | Uint8Array;
/** A Unix time in seconds (or microseconds where named so): a safe integer or a BigInt. */
export type UnixTime = number | bigint;

export declare const PAYMENT_SECURE_HEADER: 'X-PAYMENT-SECURE';
export declare const RISK_SESSION_HEADER: 'X-RISK-SESSION';
export declare const RISK_TRACE_HEADER: 'X-RISK-TRACE';
export declare const AP2_EVIDENCE_HEADER: 'X-AP2-EVIDENCE';
export declare const VERIFIABLE_INTENT_HEADER: 'X-VERIFIABLE-INTENT';
export declare const PAYMENT_EVIDENCE_HEADER: 'X-PAYMENT-EVIDENCE';

/**
 * A W3C traceparent `00-<trace id>-<span id>-<flags>`: a new trace from the CSPRNG, or a
 * child span of `parent` (same trace id and flags, new span id).
 * @param flags 0-255 or two lowercase hex digits (default "01" / the parent's).
 * @param opts.random bytes consumed instead of the CSPRNG (tests).
 * @throws {X402SError} X402S_ERR_RISK_INVALID_TRACEPARENT, X402S_ERR_RANDOMNESS_FAILED, X402S_ERR_INVALID_ARGUMENT.
 */
export declare function newTraceparent(parent?: string | null, flags?: number | string | null,
  opts?: { random?: Uint8Array }): string;

/**
 * The X-PAYMENT-SECURE value `w3c.v1;tp=<traceparent>[;ts=<ts>]`, byte-identical to
 * x402-secure 0.1.4 for string and integer contexts (0.1.4 sends `{"tid": tid}`).
 * @param agentTraceContext any JSON value, or a Uint8Array of JSON text.
 * @throws {X402SError} X402S_ERR_RISK_HEADER_TOO_LONG, X402S_ERR_RISK_INVALID_TRACEPARENT, X402S_ERR_INVALID_ARGUMENT.
 */
export declare function buildPaymentSecureHeader(agentTraceContext?: unknown,
  opts?: { traceparent?: string; tid?: string; tracestate?: string }): string;

/** A parsed X-PAYMENT-SECURE value (`tid` extracted from `ts` as the 0.1.4 gateway does). */
export interface PaymentSecureHeader { tp: string; traceId: string; spanId: string; flags: string; ts?: string; tid?: string }

/** @throws {X402SError} X402S_ERR_RISK_HEADER_TOO_LONG, X402S_ERR_RISK_INVALID_HEADER, X402S_ERR_RISK_INVALID_TRACEPARENT. */
export declare function parsePaymentSecureHeader(value: string | Uint8Array): PaymentSecureHeader;
/** The agent trace context in `ts`, decoded strictly; null without `ts`.
 *  @throws {X402SError} the parse errors, X402S_ERR_INVALID_BASE64, X402S_ERR_INVALID_JSON. */
export declare function paymentSecureContext(value: string | Uint8Array): unknown;
/** The lowercase form of an X-RISK-SESSION / X-RISK-TRACE id (UUID v1/v4).
 *  @throws {X402SError} X402S_ERR_RISK_INVALID_UUID. */
export declare function normalizeRiskId(value: string | Uint8Array): string;
/** The risk ids of a request (session required). @throws {X402SError} X402S_ERR_RISK_INVALID_UUID. */
export declare function parseRiskIds(session: string | null, trace?: string | null): { sid: string; tid: string | null };

/** X-AP2-EVIDENCE from the mandate's exact bytes, or a precomputed digest and size.
 *  @throws {X402SError} X402S_ERR_INVALID_ARGUMENT, X402S_ERR_RISK_HEADER_TOO_LONG. */
export declare function buildAp2EvidenceHeader(mandateRef: string,
  mandate: Uint8Array | { mandateSha256: string; size: number | bigint }): string;
/** @throws {X402SError} X402S_ERR_RISK_HEADER_TOO_LONG, X402S_ERR_RISK_INVALID_HEADER. */
export declare function parseAp2EvidenceHeader(value: string | Uint8Array): { mr: string; ms: string; mt: string; sz: number };
/** Sellers: true when the mandate bytes have the announced SHA-256 and size. */
export declare function ap2EvidenceMatches(value: string | Uint8Array, mandateBytes: Uint8Array): boolean;
/** X-VERIFIABLE-INTENT: bytes/strings hashed as given, other values as canonical JSON. */
export declare function buildVerifiableIntentHeader(reference: string, evidence: unknown, opts?: { mediaType?: string }): string;
/** @throws {X402SError} X402S_ERR_RISK_HEADER_TOO_LONG, X402S_ERR_RISK_INVALID_HEADER. */
export declare function parseVerifiableIntentHeader(value: string | Uint8Array): { ref: string; sha256: string; mt: string; sz: number };
/** Sellers: true when the evidence matches the announced SHA-256 and size. */
export declare function verifiableIntentMatches(value: string | Uint8Array, evidence: unknown): boolean;
/** Canonical JSON (sorted keys, no whitespace, raw UTF-8, numbers as written). */
export declare function canonicalJson(value: JsonDocument): Buffer;
/** SHA-256 of canonicalJson(value). */
export declare function canonicalSha256(value: JsonDocument): Buffer;

/** An agent-trace event as the core writes it (`ts`, `type`, then the type's members). */
export type AgentTraceEvent = { ts: number; type: string } & Record<string, unknown>;

/**
 * Builder of the x402-secure agent trace (agent_trace of POST /risk/trace). Events are
 * made by the core as 0.1.4's OpenAITraceCollector writes them; eventOrder "collector"
 * (default) puts user inputs and system prompts first as that collector does.
 */
export declare class AgentTrace {
  constructor(task: string, parameters?: JsonDocument, opts?: {
    environment?: JsonDocument | null; modelConfig?: JsonDocument | null; sessionContext?: JsonDocument | null;
    completedAt?: string | null; nowMicros?: UnixTime | null; eventOrder?: 'collector' | 'recorded';
  });
  task: string;
  parameters: JsonDocument;
  environment: JsonDocument | null;
  modelConfig: JsonDocument | null;
  sessionContext: JsonDocument | null;
  /** Fixed the first time the trace is serialised unless given. */
  completedAt: string | null;
  nowMicros: UnixTime | null;
  eventOrder: 'collector' | 'recorded';
  /** The recorded events as the core's JSON text, in recording order (null: no events key). */
  eventsJson: string[] | null;
  readonly events: AgentTraceEvent[] | null;
  userInput(content: string, role?: string, opts?: { ts?: number }): AgentTraceEvent;
  systemPrompt(content: string, version?: string, opts?: { ts?: number }): AgentTraceEvent;
  agentOutput(content: string, role?: string, opts?: { ts?: number }): AgentTraceEvent;
  toolCall(name: string, args?: unknown[], kwargs?: Record<string, unknown>, opts?: { ts?: number }): AgentTraceEvent;
  toolResult(name: string, result: unknown, opts?: { ts?: number }): AgentTraceEvent;
  /** `args` is the model's raw argument text. */
  functionCall(name: string, args?: string, callId?: string | null, opts?: { ts?: number }): AgentTraceEvent;
  reasoningSummary(text: string, opts?: { ts?: number }): AgentTraceEvent;
  /** Any other event type (navigation {url}, selection {sources}, response.* markers...). */
  custom(type: string, fields?: Record<string, unknown>, opts?: { ts?: number }): AgentTraceEvent;
  /** The trace as sent: compact JSON text in 0.1.4 key order. */
  toJson(): string;
  toDict(): Record<string, unknown>;
  /** SHA-256 of its canonical JSON (bound by payment evidence). */
  digest(): Buffer;
}

/** Sellers: a received agent trace (kept as sent) and its digest.
 *  @throws {X402SError} X402S_ERR_RISK_INVALID_TRACE, JSON errors. */
export declare function parseAgentTrace(value: JsonDocument | AgentTrace): { trace: Record<string, unknown>; digest: Buffer };

/** The exact body of POST {gateway}/risk/session. @throws {X402SError} X402S_ERR_INVALID_ADDRESS, X402S_ERR_INVALID_ARGUMENT. */
export declare function riskSessionRequest(walletAddress: string, opts?: {
  agentDid?: string; agentEndpoint?: string; appId?: string; device?: Record<string, unknown>;
}): string;
/** The exact body of POST {gateway}/risk/trace. @throws {X402SError} X402S_ERR_RISK_INVALID_UUID, X402S_ERR_RISK_INVALID_TRACE. */
export declare function riskTraceRequest(sid: string, agentTrace?: AgentTrace | JsonDocument | null,
  opts?: { fingerprint?: unknown; telemetry?: unknown }): string;
/** @throws {X402SError} X402S_ERR_RISK_INVALID_UUID, X402S_ERR_INVALID_JSON (also for a non-JSON contentType). */
export declare function parseRiskSessionAnswer(body: string | Uint8Array, opts?: { contentType?: string }): { sid: string; expires_at: string | null };
export declare function parseRiskTraceAnswer(body: string | Uint8Array, opts?: { contentType?: string }): string;
export declare function parseRiskErrorAnswer(body: string | Uint8Array): { code: string | null; message: string; request_id: string | null } | null;
/** The 0.1.4 client check of a gateway answer's Content-Type. */
export declare function isJsonContentType(value: string | null | undefined): boolean;

/** Payment evidence (EIP-712 PaymentEvidence) binding a payment to the seller, the risk session and trace and the agent trace. */
export declare class PaymentEvidence {
  /**
   * @throws {X402SError} X402S_ERR_RISK_INVALID_UUID, X402S_ERR_RISK_EVIDENCE_MISMATCH (payer),
   *   X402S_ERR_INVALID_ARGUMENT, payment decoding errors.
   */
  static build(paymentHeader: string, requirement: JsonDocument, opts: {
    origin: string; resource: string; sessionId: string; traceId?: string | null;
    agentTrace?: AgentTrace | JsonDocument | null; payer?: string | null; validFor?: number; now?: UnixTime;
  }): PaymentEvidence;
  /** The message exactly as the core wrote it. */
  readonly messageJson: string;
  readonly message: Record<string, unknown>;
  /** The 32-byte digest the payer signs. */
  readonly digest: Buffer;
  /** The eth_signTypedData_v4 document, for wallets. */
  readonly typedData: Record<string, unknown>;
  /** Sign with the payer's account; returns the X-PAYMENT-EVIDENCE value.
   *  @throws {X402SError} X402S_ERR_RISK_EVIDENCE_MISMATCH (not the payer), X402S_ERR_INVALID_KEY (closed). */
  sign(signer: EvmAccount | SolanaKeypair): string;
  /** The header from a wallet signature (65 bytes secp256k1 / 64 bytes ed25519), checked to be the payer's. */
  assemble(signature: Uint8Array, alg?: 'secp256k1' | 'ed25519'): string;
}

/** Parse X-PAYMENT-EVIDENCE without checking it. */
export declare function parsePaymentEvidenceHeader(value: string | Uint8Array): {
  alg: 'secp256k1' | 'ed25519'; message: Record<string, unknown>; signature: string; digest: string;
};

/** The seller-side verdict on payment evidence (reasons in docs/RISK.md). */
export interface EvidenceVerification { isValid: boolean; reasons: string[]; signer: string | null }

/** Options of verifyPaymentEvidence. */
export interface EvidenceExpectation {
  origin: string; resource: string; sessionId: string; traceId?: string | null;
  agentTraceDigest?: Uint8Array | null; payer?: string | null; now?: UnixTime;
}

/**
 * Sellers: check X-PAYMENT-EVIDENCE against the request received (signer = payer, payment
 * bytes, network, asset, payTo, amount, origin, resource, session, trace, window).
 * @throws {X402SError} a malformed header or payment.
 */
export declare function verifyPaymentEvidence(header: string | Uint8Array, paymentHeader: string,
  requirement: JsonDocument, opts: EvidenceExpectation): EvidenceVerification;
export declare function verifyPaymentEvidence(header: string | Uint8Array, expectation: {
  paymentHeader: string; requirement: JsonDocument; origin: string; resource: string;
  sessionId?: string; riskSessionId?: string; traceId?: string | null; riskTraceId?: string | null;
  agentTraceDigest?: Uint8Array | null; payer?: string | null; now?: UnixTime;
}): EvidenceVerification;

/** {@link verifyPaymentEvidence} on the libuv thread pool: same arguments, same result (or
 *  error, as a rejection); the inputs are copied before this returns. */
export declare function verifyPaymentEvidenceAsync(header: string | Uint8Array, paymentHeader: string,
  requirement: JsonDocument, opts: EvidenceExpectation): Promise<EvidenceVerification>;
export declare function verifyPaymentEvidenceAsync(header: string | Uint8Array, expectation: {
  paymentHeader: string; requirement: JsonDocument; origin: string; resource: string;
  sessionId?: string; riskSessionId?: string; traceId?: string | null; riskTraceId?: string | null;
  agentTraceDigest?: Uint8Array | null; payer?: string | null; now?: UnixTime;
}): Promise<EvidenceVerification>;

/** One finding of the mandate gate. */
export interface MandateReason { code: string; action: 'allow' | 'step_up' | 'deny'; detail: string }
/** The mandate gate's answer. */
export interface MandateDecision { action: 'allow' | 'step_up' | 'deny'; reasons: MandateReason[]; allowed: boolean }

/**
 * Evaluate an AP2-style mandate (docs/RISK.md) against the requirement and the agent trace
 * before paying. @throws {X402SError} X402S_ERR_RISK_INVALID_MANDATE, X402S_ERR_RISK_INVALID_TRACE,
 * X402S_ERR_X402_INVALID_REQUIREMENTS, JSON errors.
 */
export declare function evaluateMandate(mandate: JsonDocument, requirement: JsonDocument,
  agentTrace?: AgentTrace | JsonDocument | null, opts?: { resource?: string; now?: UnixTime }): MandateDecision;

/** Request headers: a plain object (any name case), Node's req.headers, or a Headers/Map. */
export type RequestHeaders = Record<string, string | string[] | undefined> | { get(name: string): string | null | undefined };

/** Sellers: every x402-secure header of a request, validated (absent: null).
 *  @throws {X402SError} a malformed header's status. */
export declare function readRiskHeaders(headers: RequestHeaders): {
  sid: string | null; tid: string | null; paymentSecure: PaymentSecureHeader | null;
  ap2Evidence: { mr: string; ms: string; mt: string; sz: number } | null;
  verifiableIntent: { ref: string; sha256: string; mt: string; sz: number } | null;
  paymentEvidence: ReturnType<typeof parsePaymentEvidenceHeader> | null;
  paymentHeader: string | null;
};

/** Sellers: verify a request's X-PAYMENT-EVIDENCE against its own payment header, session and tid. */
export declare function verifyRequestEvidence(headers: RequestHeaders, opts: {
  requirement: JsonDocument; origin: string; resource: string; agentTraceDigest?: Uint8Array | null;
  payer?: string | null; now?: UnixTime;
}): EvidenceVerification;

/** {@link verifyRequestEvidence} with the check on the libuv thread pool. */
export declare function verifyRequestEvidenceAsync(headers: RequestHeaders, opts: {
  requirement: JsonDocument; origin: string; resource: string; agentTraceDigest?: Uint8Array | null;
  payer?: string | null; now?: UnixTime;
}): Promise<EvidenceVerification>;

/** Settlement helpers (lib/settle.js; include/x402_secure.h "Settlement"): `require('x402secure').settle`. */
export declare const settle: typeof SettleApi;
declare namespace SettleApi {
  type RlpItem = Uint8Array | string | number | bigint | RlpItem[];
  type Quantity = number | bigint | string;
  interface Eip1559Tx {
    chainId: Quantity; nonce: Quantity; maxPriorityFeePerGas: Quantity; maxFeePerGas: Quantity; gas: Quantity;
    to?: string | null; value?: Quantity; data?: string | Uint8Array;
    accessList?: { address: string; storageKeys: string[] }[]; type?: 2; from?: string;
  }
  interface SignedTx { raw: Buffer; hash: string; from: string; fields: Record<string, unknown>; }
  const TRANSFER_WITH_AUTHORIZATION_VRS: string;
  const TRANSFER_WITH_AUTHORIZATION_BYTES: string;
  function rlpEncode(item: RlpItem): Buffer;
  function rlpDecode(data: Uint8Array): Buffer | unknown[];
  function signTransaction(tx: Eip1559Tx, account: EvmAccount): SignedTx;
  function decodeTransaction(raw: Uint8Array): SignedTx;
  function abiEncodeCall(signature: string, args: unknown[]): Buffer;
  function abiDecode(types: string, data: Uint8Array): unknown[];
  function decodeRevert(data: Uint8Array): { kind: 'empty' | 'error' | 'panic' | 'custom'; message?: string; code?: string; selector?: string; data?: string };
  function settleCall(payment: JsonDocument, requirements: JsonDocument): {
    method: 'eip3009' | 'eip3009Bytes' | 'permit2' | 'upto'; chainId: string; to: string; function: string; data: string;
    payer: string; asset: string; recipient: string; amount: string; settlementKey: string; nonce: string;
  };
  function solanaSubmission(tx: Uint8Array, feePayer?: SolanaKeypair | null, messageHash?: Uint8Array | null): {
    transactionBase64: string; transactionId: string; messageHashBase64: string; feePayer: string; recentBlockhash: string;
  };
/** Dispute evidence (docs/EVIDENCE.md): the verifying side; the proxy signs (Python). */
export declare namespace evidence {
  const GENESIS_HASH: string;
  const RECEIPT_HEADER: 'X-Risk-Receipt';
  const RECEIPT_KEY_PATH: '/.well-known/x402-secure/receipt-key';
  const EVIDENCE_PATH: '/evidence/{decision_id}';
  const DEFAULT_CHAIN: 'main';
  /** A JWK, a JWK Set, an array of JWKs, or a raw Ed25519 key (32 bytes, "0x"+64 hex, base64url). */
  type PublicKeys = object | object[] | string | Uint8Array;
  interface EvidenceRecord {
    text: string; hash: string; prev: string; seq: number; chain: string;
    decisionId: string | null; bodyDigest: string; isLink: boolean;
  }
  /** @throws {X402SError} X402S_ERR_EVIDENCE_INVALID_RECORD, JSON errors. */
  function makeRecord(decision: JsonDocument, opts: { seq: number; prev?: string | null; chain?: string }): EvidenceRecord;
  /** @throws {X402SError} X402S_ERR_EVIDENCE_NOT_CANONICAL, X402S_ERR_EVIDENCE_INVALID_RECORD. */
  function parseRecord(text: string | Uint8Array): EvidenceRecord;
  interface ReceiptVerification { isValid: boolean; reasons: string[]; keyId: string; receipt: Record<string, unknown> }
  /** @throws {X402SError} X402S_ERR_EVIDENCE_INVALID_RECEIPT for a malformed receipt or keys. */
  function verifyReceipt(header: string | Uint8Array, publicKeys: PublicKeys,
    opts?: { record?: string | Uint8Array | EvidenceRecord | null }): ReceiptVerification;
  interface BundleReason { code: string; at: string; detail: string }
  interface BundleVerification {
    isValid: boolean; decisionId: string; keyPinned: boolean; keyIds: string[];
    records: { seq: number; hash: string; kind: string; verdict: string; decidedAt: number;
      payment: { checkedAt: number; isValid: boolean; invalidReason: string | null; payer: string | null } | null }[];
    reasons: BundleReason[]; codes: string[];
  }
  /** @throws {X402SError} X402S_ERR_EVIDENCE_INVALID_BUNDLE when it is not a bundle at all. */
  function verifyBundle(bundle: JsonDocument, opts?: { publicKeys?: PublicKeys | null }): BundleVerification;
}
