'use strict';
/**
 * x402secure: Node binding (N-API addon in C) of x402-secure core (libx402secure.so).
 *
 * Same functions as the Python package, in camelCase. Inputs are Uint8Array
 * (Buffer included) or, for text, strings; outputs are Buffers or strings.
 * Library failures throw X402SError with `code` (the status name from
 * x402s_status_name), `status`, `operation` and `message`; a JavaScript value
 * of the wrong type throws a TypeError with the same properties
 * (code "X402S_ERR_NULL_ARGUMENT" for null/undefined, else
 * "X402S_ERR_INVALID_ARGUMENT"). Verification returns false for a
 * well-formed but wrong signature.
 */

// The addon: X402SECURE_NODE_ADDON, a source build, the developer build or the prebuilt one
// for this platform; a failure names its cause (lib/load.js).
const native = require('./lib/load').loadAddon();

/** Error thrown for every failing library call. */
class X402SError extends Error {
  /**
   * @param {string} message English sentence from the library (never key material).
   * @param {string} code status name, e.g. "X402S_ERR_INVALID_KEY".
   * @param {number} status numeric x402s_status.
   * @param {string} operation C function that failed, e.g. "x402s_secp256k1_sign".
   */
  constructor(message, code, status, operation) {
    super(message);
    this.name = 'X402SError';
    this.code = code;
    this.status = status;
    this.operation = operation;
  }
}

const info = native.init(X402SError);
native.x402Init(X402SError); // the error class of the x402s_node_x402.c functions (signers, x402, risk)

/** ABI version of the loaded library as [major, minor]. */
const ABI_VERSION = Object.freeze([info.abiMajor, info.abiMinor]);
/** Version string of the loaded library. */
const VERSION_STRING = info.version;

const KECCAK256_BYTES = 32;
const SHA256_BYTES = 32;
const SECP256K1_SECKEY_BYTES = 32;
const SECP256K1_PUBKEY_BYTES = 65;
const SECP256K1_RECOVERABLE_SIG_BYTES = 65;
const EVM_ADDRESS_TEXT_BYTES = 42;
const ED25519_SEED_BYTES = 32;
const ED25519_PUBKEY_BYTES = 32;
const ED25519_SIG_BYTES = 64;
const MAX_DOCUMENT_BYTES = 1048576;

const BASE64_STANDARD = 0;
const BASE64_URL = 1;

const STATUS = (() => {
  const byName = Object.create(null);
  for (let s = 0; s < 256; s++) {
    const n = native.statusName(s);
    if (n !== null) byName[n] = s;
  }
  return Object.freeze(byName);
})();

/**
 * The name of a status ("X402S_ERR_INVALID_KEY", ...) as the library reports it, or null.
 * @param {number} status
 * @returns {string|null}
 */
function statusName(status) {
  return native.statusName(status);
}

// Argument helpers shared with lib/x402.js and lib/risk.js (lib/internal.js). text(): strings
// must be well-formed UTF-16 (no lone surrogates).
const internal = require('./lib/internal');
Object.assign(internal, { native, X402SError, STATUS });
const { libError, typeError, text, optText, stringify } = internal;

/** JSON text of a typed-data document: JSON.stringify for objects (compact). */
function typedDataText(typedData, operation) {
  if (typeof typedData === 'string' || typedData instanceof Uint8Array) {
    return text(typedData, operation, 'typedData');
  }
  if (typedData === null || typedData === undefined || typeof typedData !== 'object' || Array.isArray(typedData) ||
      ArrayBuffer.isView(typedData) || typedData instanceof ArrayBuffer || typedData instanceof SharedArrayBuffer) {
    throw typeError(operation, 'typedData', typedData);
  }
  // JSON.stringify escapes lone surrogates (\udXXX), which the core rejects as X402S_ERR_INVALID_JSON.
  return stringify(typedData, operation, 'typedData');
}

// ------------------------------------------------------------------ hashes

/**
 * Keccak-256 (Ethereum's, not SHA3-256).
 * @param {Uint8Array} data
 * @returns {Buffer} 32 bytes
 */
function keccak256(data) {
  return native.keccak256(data);
}

/**
 * SHA-256.
 * @param {Uint8Array} data
 * @returns {Buffer} 32 bytes
 */
function sha256(data) {
  return native.sha256(data);
}

// ------------------------------------------------------------------ encodings

/**
 * Hex encoding, lowercase, with a "0x" prefix unless `prefix` is false.
 * @param {Uint8Array} data
 * @param {{prefix?: boolean}} [options]
 * @returns {string}
 */
function hexEncode(data, options) {
  const s = native.hexEncode(data);
  return options && options.prefix === false ? s.slice(2) : s;
}

/**
 * Hex decoding (optional "0x"/"0X" prefix unless `requirePrefix`, either case, even length).
 * @param {string|Uint8Array} textValue
 * @param {{requirePrefix?: boolean}} [options]
 * @returns {Buffer}
 */
function hexDecode(textValue, options) {
  const op = 'x402s_hex_decode';
  const t = text(textValue, op, 'text');
  if (options && options.requirePrefix) {
    const ok = typeof t === 'string'
      ? t.startsWith('0x') || t.startsWith('0X')
      : t.length >= 2 && t[0] === 0x30 && (t[1] === 0x78 || t[1] === 0x58);
    if (!ok) throw libError('X402S_ERR_INVALID_HEX', op, 'hex text must start with 0x');
  }
  return native.hexDecode(t);
}

/**
 * Base64: RFC 4648 standard alphabet with padding, or (urlsafe) the URL alphabet,
 * unpadded unless `padding` is true.
 * @param {Uint8Array} data
 * @param {{urlsafe?: boolean, padding?: boolean}} [options]
 * @returns {string}
 */
function b64encode(data, options) {
  const url = !!(options && options.urlsafe);
  let s = native.base64Encode(data, url ? BASE64_URL : BASE64_STANDARD);
  const padding = options && options.padding !== undefined ? !!options.padding : !url;
  if (padding && url) s += '='.repeat((4 - (s.length % 4)) % 4);
  else if (!padding && !url) s = s.replace(/=+$/, '');
  return s;
}

/**
 * Base64 decoding. Standard mode is strict (standard alphabet, exact padding, no
 * whitespace, zero trailing bits); URL mode accepts optional padding.
 * @param {string|Uint8Array} textValue
 * @param {{urlsafe?: boolean}} [options]
 * @returns {Buffer}
 */
function b64decode(textValue, options) {
  const url = !!(options && options.urlsafe);
  return native.base64Decode(text(textValue, 'x402s_base64_decode', 'text'), url ? BASE64_URL : BASE64_STANDARD);
}

/**
 * Base58 (Bitcoin alphabet) of at most 1 KiB.
 * @param {Uint8Array} data
 * @returns {string}
 */
function b58encode(data) {
  return native.base58Encode(data);
}

/**
 * Base58 decoding (at most 2 KiB of text); with `size`, the result must have exactly that length.
 * @param {string|Uint8Array} textValue
 * @param {{size?: number}} [options]
 * @returns {Buffer}
 */
function b58decode(textValue, options) {
  const op = 'x402s_base58_decode';
  const out = native.base58Decode(text(textValue, op, 'text'));
  if (options && options.size !== undefined && out.length !== options.size) {
    throw libError('X402S_ERR_INVALID_BASE58', op, `base58 text must decode to ${options.size} bytes`);
  }
  return out;
}

// ------------------------------------------------------------------ EIP-712 / EIP-191

/**
 * EIP-712 digest of an eth_signTypedData_v4 document {types, primaryType, domain, message}.
 * @param {object|string|Uint8Array} typedData object (JSON.stringify'd) or JSON text.
 * @returns {Buffer} 32 bytes
 */
function eip712Hash(typedData) {
  return native.eip712Hash(typedDataText(typedData, 'x402s_eip712_hash'));
}

/**
 * Domain separator, struct hash and digest of an EIP-712 document.
 * @param {object|string|Uint8Array} typedData
 * @returns {{domainSeparator: Buffer, structHash: Buffer, digest: Buffer}}
 */
function eip712Hashes(typedData) {
  const [domainSeparator, structHash, digest] = native.eip712Hashes(typedDataText(typedData, 'x402s_eip712_hash'));
  return { domainSeparator, structHash, digest };
}

/**
 * EIP-191 personal_sign hash; strings are UTF-8 encoded.
 * @param {string|Uint8Array} message
 * @returns {Buffer} 32 bytes
 */
function eip191Hash(message) {
  return native.eip191Hash(text(message, 'x402s_eip191_hash', 'message'));
}

// ------------------------------------------------------------------ keys

const kSecret = Symbol('secret');
const kToken = Symbol('token');

/* The External holding the secret; the addon throws X402S_ERR_INVALID_KEY once it is wiped. */
function secretOf(holder) {
  return holder[kSecret];
}

// One prepared x402s_signer per account (x402s_signer_new), made at its first typed-data
// signature or payment: the core keeps the parsed key with its public key and address, so
// repeated signing skips validating and copying the key. The value is an External whose
// finalizer frees the handle when the account is garbage collected (a WeakMap entry lives
// only as long as its key); close() frees it at once and drops the entry.
const signers = new WeakMap();

/**
 * The signer External of an EvmAccount / SolanaKeypair, made on first use. op names the
 * operation of the X402S_ERR_INVALID_KEY thrown for a closed account (default x402s_signer_new).
 */
function signerOf(holder, op) {
  let s = signers.get(holder);
  if (s === undefined) {
    const kind = holder instanceof EvmAccount ? KEY_SECP256K1 : KEY_ED25519_SEED;
    s = native.x402SignerNew(secretOf(holder), kind, op); // X402S_ERR_INVALID_KEY once closed
    signers.set(holder, s);
  }
  return s;
}

/** Free the account's signer now (its copy of the key is zeroed); idempotent. */
function releaseSigner(holder) {
  const s = signers.get(holder);
  if (s !== undefined) {
    signers.delete(holder);
    native.x402SignerFree(s);
  }
}

/**
 * An EVM account: a secp256k1 secret key (kept outside the JS heap, wiped by
 * close() and on garbage collection) with its public key and address.
 */
class EvmAccount {
  constructor(token, secret) {
    if (token !== kToken) throw new TypeError('use EvmAccount.fromKey(key)');
    this[kSecret] = secret;
    native.seckeyVerify(secret);
    /** Uncompressed public key (65 bytes). @type {Buffer} */
    this.publicKey = native.secp256k1Pubkey(secret);
    /** EIP-55 checksummed address. @type {string} */
    this.address = native.evmAddress(secret);
    Object.freeze(this);
  }

  /**
   * @param {Uint8Array|string} key 32 bytes, or 64 hex digits with optional 0x.
   * @returns {EvmAccount}
   */
  static fromKey(key) {
    const op = 'x402s_secp256k1_seckey_verify';
    let secret;
    if (typeof key === 'string') secret = native.secretFromHex(text(key, op, 'key'), op);
    else if (key instanceof Uint8Array) secret = native.secretFromBytes(key, op);
    else throw typeError(op, 'key', key);
    return construct(EvmAccount, secret);
  }

  /**
   * Sign a 32-byte digest: r || s || v (65 bytes, v 27/28, RFC 6979, low s).
   * @param {Uint8Array} digest
   * @returns {Buffer}
   */
  signDigest(digest) {
    return native.secp256k1Sign(digest, secretOf(this));
  }

  /**
   * Hash an EIP-712 document and sign its digest in one library call, with the account's
   * prepared signer (x402s_signer_eip712_sign; made at the first call). Errors are those of
   * x402s_eip712_sign (same code, message and operation).
   * @param {object|string|Uint8Array} typedData
   * @returns {Buffer} 65 bytes
   */
  signTypedData(typedData) {
    const op = 'x402s_eip712_sign';
    const doc = typedDataText(typedData, op); // argument errors first, as before
    return native.x402SignerEip712Sign(doc, signers.get(this) || signerOf(this, op));
  }

  /** Wipe the secret key and free the prepared signer; later signing throws X402S_ERR_INVALID_KEY. */
  close() {
    releaseSigner(this);
    native.secretWipe(this[kSecret]);
  }

  /** True after close(). */
  get closed() {
    return !secretIsLive(this);
  }

  toJSON() {
    return { address: this.address };
  }

  [Symbol.for('nodejs.util.inspect.custom')]() {
    return `EvmAccount { address: '${this.address}' }`;
  }
}

/**
 * An Ed25519 key pair (Solana account) of a 32-byte seed (kept outside the JS heap).
 */
class SolanaKeypair {
  constructor(token, secret) {
    if (token !== kToken) throw new TypeError('use SolanaKeypair.fromSeed(seed)');
    this[kSecret] = secret;
    /** Ed25519 public key (32 bytes). @type {Buffer} */
    this.publicKey = native.ed25519Pubkey(secret);
    /** Base58 address. @type {string} */
    this.address = native.solanaAddress(secret);
    Object.freeze(this);
  }

  /**
   * @param {Uint8Array} seed 32 bytes
   * @returns {SolanaKeypair}
   */
  static fromSeed(seed) {
    const op = 'x402s_ed25519_pubkey';
    if (!(seed instanceof Uint8Array)) throw typeError(op, 'seed', seed);
    const secret = native.secretFromBytes(seed, op);
    return construct(SolanaKeypair, secret);
  }

  /**
   * Ed25519 signature (64 bytes) of message.
   * @param {Uint8Array} message
   * @returns {Buffer}
   */
  sign(message) {
    return native.ed25519Sign(message, secretOf(this));
  }

  /** Wipe the seed and free the prepared signer; later signing throws X402S_ERR_INVALID_KEY. */
  close() {
    releaseSigner(this);
    native.secretWipe(this[kSecret]);
  }

  /** True after close(). */
  get closed() {
    return !secretIsLive(this);
  }

  toJSON() {
    return { address: this.address };
  }

  [Symbol.for('nodejs.util.inspect.custom')]() {
    return `SolanaKeypair { address: '${this.address}' }`;
  }
}

function secretIsLive(holder) {
  return native.secretLive(holder[kSecret]);
}

/** new Cls(kToken, secret) for EvmAccount / SolanaKeypair, wiping the secret if that throws. */
function construct(Cls, secret) {
  try {
    return new Cls(kToken, secret);
  } catch (e) {
    native.secretWipe(secret);
    throw e;
  }
}

// ------------------------------------------------------------------ recovery / verification

/**
 * Checksummed address of the signer of digest (signature r||s||v, v 27/28 or 0/1).
 * @param {Uint8Array} digest
 * @param {Uint8Array} signature
 * @returns {string}
 */
function recoverAddress(digest, signature) {
  return native.evmRecoverAddress(digest, signature);
}

/**
 * Uncompressed public key (65 bytes) of the signer of digest.
 * @param {Uint8Array} digest
 * @param {Uint8Array} signature
 * @returns {Buffer}
 */
function recoverPublicKey(digest, signature) {
  return native.secp256k1Recover(digest, signature);
}

/**
 * Verify a low-s ECDSA signature (64 or 65 bytes) of digest by a 33/65-byte public key.
 * @returns {boolean}
 */
function secp256k1Verify(signature, digest, publicKey) {
  return native.secp256k1Verify(signature, digest, publicKey);
}

/**
 * EIP-55 checksummed form of an address.
 * @param {string|Uint8Array} address
 * @returns {string}
 */
function checksumAddress(address) {
  return native.evmChecksumAddress(text(address, 'x402s_evm_checksum_address', 'address'));
}

/**
 * Verify an Ed25519 signature.
 * @returns {boolean}
 */
function ed25519Verify(signature, message, publicKey) {
  return native.ed25519Verify(signature, message, publicKey);
}

// ------------------------------------------------------------------ x402 protocol
// JSON in, JSON out (docs/X402.md): document arguments are objects (JSON.stringify'd) or
// JSON text (string / Uint8Array); document results are parsed objects. Headers are strings.

const KEY_SECP256K1 = 1;
const KEY_ED25519_SEED = 2;

function jsonArg(value, operation, what, optional) {
  if ((value === null || value === undefined) && optional) return null;
  if (typeof value === 'string' || value instanceof Uint8Array) return text(value, operation, what);
  if (value === null || value === undefined || typeof value !== 'object' ||
      ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    throw typeError(operation, what, value);
  }
  return stringify(value, operation, what);
}

// The x402 protocol front doors (networks, prices, 402 answers, selection, payments,
// decode, verify, replay guards, receipts) are in lib/x402.js, re-exported below.

// ------------------------------------------------------------------ Solana, price units


/**
 * Whether 32 bytes decompress to an Ed25519 point (program-derived addresses do not).
 * @param {Uint8Array} data
 * @returns {boolean}
 */
function solanaIsOnCurve(data) {
  return native.solanaIsOnCurve(data);
}

/**
 * The 32 bytes of a base58 Solana public key.
 * @param {string} textValue
 * @returns {Buffer}
 */
function solanaPublicKeyDecode(textValue) {
  return native.solanaPublicKeyDecode(text(textValue, 'x402s_solana_public_key_decode', 'text'));
}

function seedsJson(seeds, op) {
  if (!Array.isArray(seeds)) throw typeError(op, 'seeds', seeds);
  return JSON.stringify(seeds.map((seed) => {
    if (!(seed instanceof Uint8Array)) throw typeError(op, 'seed', seed);
    return '0x' + Buffer.from(seed.buffer, seed.byteOffset, seed.byteLength).toString('hex');
  }));
}

/**
 * Solana's create_program_address (at most 16 seeds of at most 32 bytes).
 * @param {Uint8Array[]} seeds
 * @param {string} programId base58
 * @returns {string} base58 address
 */
function solanaCreateProgramAddress(seeds, programId) {
  const op = 'x402s_solana_create_program_address';
  return native.solanaCreateProgramAddress(seedsJson(seeds, op), text(programId, op, 'programId'));
}

/**
 * Solana's find_program_address: {address, bump}.
 * @param {Uint8Array[]} seeds
 * @param {string} programId
 * @returns {{address: string, bump: number}}
 */
function solanaFindProgramAddress(seeds, programId) {
  const op = 'x402s_solana_find_program_address';
  return JSON.parse(native.solanaFindProgramAddress(seedsJson(seeds, op), text(programId, op, 'programId')));
}

/**
 * The associated token account of owner for mint (tokenProgram default: the Token program).
 * @param {string} owner
 * @param {string} mint
 * @param {string|null} [tokenProgram]
 * @returns {string}
 */
function solanaAssociatedTokenAddress(owner, mint, tokenProgram) {
  const op = 'x402s_solana_associated_token_address';
  return native.solanaAssociatedTokenAddress(text(owner, op, 'owner'), text(mint, op, 'mint'), optText(tokenProgram, op, 'tokenProgram'));
}

/**
 * Compile {payer, recentBlockhash, instructions} into a v0 message: {messageHex, accountKeys, header}.
 * @param {object|string|Uint8Array} request
 * @returns {object}
 */
function solanaCompileMessageV0(request) {
  const op = 'x402s_solana_compile_message_v0';
  return JSON.parse(native.solanaCompileMessageV0(jsonArg(request, op, 'request')));
}

/**
 * Decode a serialized transaction (legacy or v0) to JSON.
 * @param {Uint8Array} tx
 * @returns {object}
 */
function solanaDecodeTransaction(tx) {
  return JSON.parse(native.solanaDecodeTransaction(tx));
}

/**
 * Apply Solana's sanitize rules; throws X402S_ERR_SOLANA_INVALID_TRANSACTION when they fail.
 * @param {Uint8Array} tx
 */
function solanaSanitizeTransaction(tx) {
  native.solanaSanitizeTransaction(tx);
}

/**
 * Sign a transaction's message with signer and put the signature in its slot.
 * @param {Uint8Array} tx
 * @param {SolanaKeypair} signer
 * @returns {Buffer} the serialized transaction
 */
function solanaSignTransaction(tx, signer) {
  const op = 'x402s_solana_sign_transaction';
  if (!(signer instanceof SolanaKeypair)) throw typeError(op, 'signer', signer);
  return native.solanaSignTransaction(tx, signer[kSecret]);
}

/**
 * The buyer's partially signed x402 exact transaction from raw parameters.
 * @param {object|string|Uint8Array} request {feePayer, payTo, mint, decimals, tokenProgram?, amount, memo?, recentBlockhash, memoNonce?}
 * @param {SolanaKeypair} signer
 * @returns {Buffer}
 */
function solanaExactBuild(request, signer) {
  const op = 'x402s_solana_exact_build';
  if (!(signer instanceof SolanaKeypair)) throw typeError(op, 'signer', signer);
  return native.solanaExactBuild(jsonArg(request, op, 'request'), signer[kSecret]);
}

/**
 * Verify an x402 exact Solana transaction against raw requirement fields:
 * {isValid, reason?, payer?, messageHashBase64?, message}; an invalid payment is a result.
 * @param {object|string|Uint8Array} request
 * @returns {object}
 */
function solanaExactVerify(request) {
  const op = 'x402s_solana_exact_verify';
  const [, json] = native.solanaExactVerify(jsonArg(request, op, 'request'));
  return JSON.parse(json);
}

module.exports = {
  X402SError,
  ABI_VERSION,
  VERSION_STRING,
  KECCAK256_BYTES,
  SHA256_BYTES,
  SECP256K1_SECKEY_BYTES,
  SECP256K1_PUBKEY_BYTES,
  SECP256K1_RECOVERABLE_SIG_BYTES,
  EVM_ADDRESS_TEXT_BYTES,
  ED25519_SEED_BYTES,
  ED25519_PUBKEY_BYTES,
  ED25519_SIG_BYTES,
  MAX_DOCUMENT_BYTES,
  statusName,
  keccak256,
  sha256,
  hexEncode,
  hexDecode,
  b64encode,
  b64decode,
  b58encode,
  b58decode,
  eip712Hash,
  eip712Hashes,
  eip191Hash,
  EvmAccount,
  recoverAddress,
  recoverPublicKey,
  secp256k1Verify,
  checksumAddress,
  SolanaKeypair,
  ed25519Verify,
  solanaIsOnCurve,
  solanaPublicKeyDecode,
  solanaCreateProgramAddress,
  solanaFindProgramAddress,
  solanaAssociatedTokenAddress,
  solanaCompileMessageV0,
  solanaDecodeTransaction,
  solanaSanitizeTransaction,
  solanaSignTransaction,
  solanaExactBuild,
  solanaExactVerify,
};

// x402 protocol front doors (lib/x402.js): networks, network, priceToAtomic(Units),
// paymentRequiredResponse, parsePaymentRequired, selectRequirement(Index), createPayment(Header),
// decodePaymentHeader, verifyPayment, ReplayGuard, encode/decodeSettleResponse.
Object.assign(internal, { secretOf, signerOf, EvmAccount, SolanaKeypair });
Object.assign(module.exports, require('./lib/x402'));

// Settlement helpers (lib/settle.js): RLP, EIP-1559 signing, ABI, settle calls, Solana submission.
module.exports.settle = require('./lib/settle');

// The x402-secure risk layer: lib/risk.js adds its functions to these exports.
require('./lib/risk');
// Canonical HTTP routes (canonicalRoute, routeKey, RouteTable): lib/http.js adds them.
require('./lib/http');
// Dispute evidence (records, receipts, bundles): lib/evidence.js sets exports.evidence.
require('./lib/evidence');
// Seller middleware (lib/middleware.js), loaded on first use so the primitives above never
// depend on the protocol front doors it is built on.
for (const name of ['x402Middleware', 'withX402', 'X402MiddlewareConfigError']) {
  Object.defineProperty(module.exports, name, {
    enumerable: true,
    get: () => require('./lib/middleware')[name],
  });
}
