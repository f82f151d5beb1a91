'use strict';
/**
 * The x402 payment protocol (v1 and v2; EVM exact/upto and Solana exact) over the core,
 * in camelCase: the Node twin of the Python module x402secure.x402.
 *
 * Every function takes and returns the wire-format JSON objects of x402 (camelCase keys)
 * as plain objects; JSON text (string or UTF-8 Uint8Array) is accepted wherever an object
 * is. Library failures throw X402SError (code = status name); a JavaScript value of the
 * wrong type throws a TypeError with the same code/status/operation properties. A
 * well-formed payment that fails a check is not an error: verifyPayment returns
 * { isValid: false, invalidReason, ... }.
 *
 * This file exports a factory that index.js calls with the addon and its key classes.
 */

const KEY_SECP256K1 = 1;
const KEY_ED25519_SEED = 2;
const JSON_COMPACT = 0;
const JSON_PYTHON_SPACED = 1;
const CREATE_HEADER_ONLY = 1;
/** Seconds of slack required before validBefore / deadline (x402 2.25.0). */
const VALID_BEFORE_GRACE_SECONDS = 6;

const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';
const TOKEN_2022_PROGRAM = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb';
const ASSOCIATED_TOKEN_PROGRAM = 'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL';

module.exports = function makeX402({ native, X402SError, STATUS, secretOf, EvmAccount, SolanaKeypair }) {
  native.x402Init(X402SError);

  function libError(name, operation, message) {
    return new X402SError(message, name, STATUS[name], operation);
  }

  function typeError(operation, what, value) {
    const code = value === null || value === undefined ? 'X402S_ERR_NULL_ARGUMENT' : 'X402S_ERR_INVALID_ARGUMENT';
    const e = new TypeError(`${what} has the wrong type`);
    e.code = code;
    e.status = STATUS[code];
    e.operation = operation;
    return e;
  }

  function wellFormed(s, operation, what) {
    if (!s.isWellFormed()) throw libError('X402S_ERR_INVALID_UTF8', operation, `${what} is not encodable as UTF-8`);
    return s;
  }

  function isPlainObject(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v) &&
      !(v instanceof ArrayBuffer) && !(v instanceof Map) && !(v instanceof Set);
  }

  /** A JSON argument: an object/array (JSON.stringify'd), or JSON text (string / Uint8Array). */
  function jsonArg(value, operation, what, optional) {
    if (value === null || value === undefined) {
      if (optional) return null;
      throw typeError(operation, what, value);
    }
    if (typeof value === 'string') return wellFormed(value, operation, what);
    if (value instanceof Uint8Array) return value;
    if (isPlainObject(value) || Array.isArray(value)) {
      let json;
      try {
        json = JSON.stringify(value);
      } catch (e) {
        if (e instanceof RangeError) throw libError('X402S_ERR_JSON_TOO_DEEP', operation, `${what} nests too deeply`);
        throw libError('X402S_ERR_INVALID_JSON', operation, `${what} is not JSON-serialisable`);
      }
      if (typeof json !== 'string') throw libError('X402S_ERR_INVALID_JSON', operation, `${what} is not JSON-serialisable`);
      return json;
    }
    throw typeError(operation, what, value);
  }

  function textArg(value, operation, what) {
    if (typeof value === 'string') return wellFormed(value, operation, what);
    if (value instanceof Uint8Array) return value;
    throw typeError(operation, what, value);
  }

  function stringArg(value, operation, what) {
    if (typeof value !== 'string') throw typeError(operation, what, value);
    return wellFormed(value, operation, what);
  }

  function hexArg(value, operation, what) {
    if (typeof value === 'string') return value;
    if (value instanceof Uint8Array) return '0x' + Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
    throw typeError(operation, what, value);
  }

  function uintArg(value, operation, what, max) {
    if (typeof value === 'bigint') {
      if (value < 0n || value > BigInt(max)) throw libError('X402S_ERR_INVALID_ARGUMENT', operation, `${what} is out of range`);
      return Number(value);
    }
    if (typeof value !== 'number') throw typeError(operation, what, value);
    if (!Number.isSafeInteger(value) || value < 0 || value > max) {
      throw libError('X402S_ERR_INVALID_ARGUMENT', operation, `${what} must be an integer in 0..${max}`);
    }
    return value;
  }

  // ------------------------------------------------------------------ networks and prices

  /**
   * The network and asset table of the core (the one copy): {networks, v1ChainIdConflicts, tokenPrograms}.
   * @returns {object}
   */
  function networks() {
    return JSON.parse(native.x402Networks());
  }

  /**
   * One network by CAIP-2 id or v1 name.
   * @param {string} id
   * @returns {object}
   */
  function network(id) {
    return JSON.parse(native.x402NetworkLookup(textArg(id, 'x402s_x402_network_lookup', 'network')));
  }

  /**
   * A dollar price in atomic units of a table asset (integer arithmetic only).
   * @param {string} price "$0.01" or "0.01"
   * @param {string} networkId CAIP-2 id or v1 name
   * @param {string} [asset] token address / mint or symbol (default: the network's stablecoin)
   * @returns {{amount: string, asset: object}}
   */
  function priceToAtomic(price, networkId, asset) {
    const op = 'x402s_x402_price_to_atomic';
    const out = JSON.parse(native.x402PriceToAtomic(textArg(price, op, 'price'), textArg(networkId, op, 'network'),
      asset === undefined || asset === null ? null : textArg(asset, op, 'asset')));
    return { amount: out.amount, asset: out.asset };
  }

  /**
   * A price in atomic units of a token with `decimals` decimals (0-77).
   * @param {string} price
   * @param {number} decimals
   * @returns {string}
   */
  function priceToAtomicUnits(price, decimals) {
    const op = 'x402s_x402_price_to_atomic_units';
    return native.x402PriceToAtomicUnits(textArg(price, op, 'price'), uintArg(decimals, op, 'decimals', 0xffffffff));
  }

  // ------------------------------------------------------------------ sellers

  /**
   * The seller's 402 answer from offers.
   * @param {object[]} offers [{network, payTo, price | amount, scheme?, asset?, maxTimeoutSeconds?, extra?}]
   * @param {{resource?: string|object, version?: 1|2, error?: string|null, extensions?: object}} [options]
   * @returns {{status: 402, headers: object, body: Buffer, paymentRequired: object, x402Version: number, accepts: object[]}}
   */
  function paymentRequiredResponse(offers, options) {
    const op = 'x402s_x402_payment_required';
    if (!Array.isArray(offers)) throw typeError(op, 'offers', offers);
    const o = options === undefined || options === null ? {} : options;
    if (!isPlainObject(o)) throw typeError(op, 'options', options);
    const request = { x402Version: o.version === undefined ? 2 : uintArg(o.version, op, 'version', 255), offers };
    if (o.resource !== undefined && o.resource !== null) {
      if (typeof o.resource === 'string') request.resource = { url: o.resource };
      else if (isPlainObject(o.resource)) request.resource = o.resource;
      else throw typeError(op, 'resource', o.resource);
    }
    if ('error' in o) {
      if (o.error !== null && typeof o.error !== 'string') throw typeError(op, 'error', o.error);
      request.error = o.error;
    }
    if (o.extensions !== undefined && o.extensions !== null) {
      if (!isPlainObject(o.extensions)) throw typeError(op, 'extensions', o.extensions);
      request.extensions = o.extensions;
    }
    const raw = native.x402PaymentRequired(jsonArg(request, op, 'request'));
    const out = JSON.parse(raw);
    const headers = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
    let body;
    if (out.x402Version === 1) {
      // the core's own compact bytes of the 402 document (x402 2.25.0's dump)
      const prefix = '{"x402Version":1,"paymentRequired":';
      body = Buffer.from(raw.startsWith(prefix) && raw.endsWith('}') ? raw.slice(prefix.length, -1)
        : JSON.stringify(out.paymentRequired), 'utf8');
    } else {
      headers['PAYMENT-REQUIRED'] = out.header;
      body = Buffer.from('{}');
    }
    return {
      status: 402,
      headers,
      body,
      paymentRequired: out.paymentRequired,
      x402Version: out.x402Version,
      get accepts() { return this.paymentRequired.accepts; },
    };
  }

  // ------------------------------------------------------------------ buyers

  function findHeader(headers, lower, op) {
    if (headers === null || headers === undefined) return null;
    if (typeof headers.get === 'function' && typeof headers.has === 'function' && !(headers instanceof Map)) {
      const v = headers.get(lower); // fetch Headers: case-insensitive
      return v === null || v === undefined ? null : String(v).trim();
    }
    const entries = headers instanceof Map ? headers.entries() : (isPlainObject(headers) ? Object.entries(headers) : null);
    if (entries === null) throw typeError(op, 'headers', headers);
    for (const [k, v] of entries) {
      if (typeof k === 'string' && k.toLowerCase() === lower) {
        const value = Array.isArray(v) ? v[0] : v;
        if (typeof value !== 'string') throw typeError(op, 'header value', value);
        return value.trim();
      }
    }
    return null;
  }

  /**
   * Parse a 402 answer: the PAYMENT-REQUIRED header (looked up case-insensitively in a plain
   * object, a Map or fetch Headers) when present, else a v1 body.
   * @param {object|Map|Headers|null} [headers]
   * @param {string|Uint8Array|object|null} [body]
   * @returns {object}
   */
  function parsePaymentRequired(headers, body) {
    const op = 'x402s_x402_parse_payment_required';
    const h = findHeader(headers, 'payment-required', op);
    let b = body === undefined || body === null ? null : jsonArg(body, op, 'body');
    if (b !== null && b.length === 0) b = null;
    return JSON.parse(native.x402ParsePaymentRequired(h === null ? null : wellFormed(h, op, 'header'), b));
  }

  function selectRaw(paymentRequired, policy) {
    const op = 'x402s_x402_select_requirement';
    return JSON.parse(native.x402SelectRequirement(jsonArg(paymentRequired, op, 'paymentRequired'),
      jsonArg(policy, op, 'policy', true)));
  }

  /**
   * The requirement of a 402 answer the buyer's policy allows.
   * @param {object|string} paymentRequired
   * @param {object} [policy] {networks, assets, allowUnknownAssets, maxAmount, maxPrice, schemes, preferredNetworks}
   * @returns {object}
   */
  function selectRequirement(paymentRequired, policy) {
    return selectRaw(paymentRequired, policy).requirement;
  }

  /** The index in accepts of the requirement selectRequirement chooses. */
  function selectRequirementIndex(paymentRequired, policy) {
    return selectRaw(paymentRequired, policy).index;
  }

  // One prepared x402s_signer per account (the core keeps the key with its derived public
  // key and address). Released at close() (wrapped below) or when the account is collected.
  const signers = new WeakMap();
  for (const Klass of [EvmAccount, SolanaKeypair]) {
    const close = Klass.prototype.close;
    Klass.prototype.close = function closeAndReleaseSigner() {
      const s = signers.get(this);
      if (s !== undefined) {
        signers.delete(this);
        native.x402SignerFree(s);
      }
      return close.call(this);
    };
  }

  function signerOf(signer, op) {
    let kind;
    if (signer instanceof EvmAccount) kind = KEY_SECP256K1;
    else if (signer instanceof SolanaKeypair) kind = KEY_ED25519_SEED;
    else throw typeError(op, 'signer', signer);
    let s = signers.get(signer);
    if (s === undefined) {
      s = native.x402SignerNew(secretOf(signer), kind); // throws X402S_ERR_INVALID_KEY once closed
      signers.set(signer, s);
    }
    return s;
  }

  function paymentOptions(op, o) {
    if (o === undefined || o === null) return null;
    if (!isPlainObject(o)) throw typeError(op, 'options', o);
    const out = {};
    if (o.now !== undefined) out.now = uintArg(o.now, op, 'now', Number.MAX_SAFE_INTEGER);
    if (o.nonce !== undefined) out.nonce = hexArg(o.nonce, op, 'nonce');
    if (o.memoNonce !== undefined) out.memoNonce = hexArg(o.memoNonce, op, 'memoNonce');
    if (o.recentBlockhash !== undefined) out.recentBlockhash = hexArg(o.recentBlockhash, op, 'recentBlockhash');
    if (o.mintDecimals !== undefined) out.mintDecimals = uintArg(o.mintDecimals, op, 'mintDecimals', 255);
    if (o.tokenProgram !== undefined) out.tokenProgram = stringArg(o.tokenProgram, op, 'tokenProgram');
    return Object.keys(out).length ? JSON.stringify(out) : null;
  }

  function requestArg(value, op) {
    if (typeof value === 'string' && !/^[\s{[]/.test(value)) {
      // a PAYMENT-REQUIRED header value: decoded by the core's strict base64
      return native.base64Decode(wellFormed(value.trim(), op, 'header'), 0);
    }
    return jsonArg(value, op, 'paymentRequiredOrRequirement');
  }

  function createRaw(request, signer, policy, options, flags) {
    const op = 'x402s_x402_create_payment_with_signer';
    const req = requestArg(request, op);
    const s = signerOf(signer, op);
    return native.x402CreatePaymentWithSigner(req, s, jsonArg(policy, op, 'policy', true), paymentOptions(op, options),
      flags);
  }

  /**
   * Pay: build, sign and encode the payment header.
   * @param {object|string} paymentRequiredOrRequirement a 402 answer, one requirement, JSON text or a PAYMENT-REQUIRED value
   * @param {EvmAccount|SolanaKeypair} signer
   * @param {object} [policy]
   * @param {{now?: number, nonce?: Uint8Array|string, memoNonce?: Uint8Array|string, recentBlockhash?: Uint8Array|string, mintDecimals?: number, tokenProgram?: 'token'|'token2022'}} [options]
   * @returns {[string, string]} [headerName, headerValue]
   */
  function createPaymentHeader(paymentRequiredOrRequirement, signer, policy, options) {
    const raw = createRaw(paymentRequiredOrRequirement, signer, policy, options, CREATE_HEADER_ONLY);
    const out = JSON.parse(raw);
    return [out.headerName, out.headerValue];
  }

  /**
   * As createPaymentHeader, with the decoded payment payload.
   * @returns {{headerName: string, headerValue: string, payment: object}}
   */
  function createPayment(paymentRequiredOrRequirement, signer, policy, options) {
    const out = JSON.parse(createRaw(paymentRequiredOrRequirement, signer, policy, options, 0));
    return { headerName: out.headerName, headerValue: out.headerValue, payment: out.payment };
  }

  // ------------------------------------------------------------------ verify

  /**
   * Decode an X-PAYMENT / PAYMENT-SIGNATURE value (strict standard base64 only).
   * @param {string|Uint8Array} value
   * @returns {object}
   */
  function decodePaymentHeader(value) {
    return JSON.parse(native.x402DecodePayment(textArg(value, 'x402s_x402_decode_payment', 'value')));
  }

  const kGuard = Symbol('guard');

  /**
   * A bounded, thread-safe cache of accepted authorizations with expiry: a second use of the
   * same payment is invalid (duplicate_payment). close() frees it; so does the GC.
   */
  class ReplayGuard {
    /** @param {number} [capacity] most entries (0: the core's default, 100,000) */
    constructor(capacity) {
      const op = 'x402s_replay_guard_new';
      const cap = capacity === undefined ? 0 : uintArg(capacity, op, 'capacity', Number.MAX_SAFE_INTEGER);
      this[kGuard] = native.replayGuardNew(cap);
      this._closed = false;
    }

    /** Free the guard now (idempotent). */
    close() {
      if (!this._closed) {
        this._closed = true;
        native.replayGuardFree(this[kGuard]);
      }
    }

    /** True after close(). */
    get closed() {
      return this._closed;
    }

    [Symbol.dispose]() {
      this.close();
    }
  }

  /**
   * Offline verification of a payment header against the seller's requirement.
   * @param {string|Uint8Array} value the header value
   * @param {object|string} requirements the seller's requirement (v1 or v2)
   * @param {number|bigint} [now] Unix seconds (default: Date.now() / 1000)
   * @param {{facilitatorAddresses?: string[], solanaFeePayers?: string[], replayGuard?: ReplayGuard}} [options]
   * @returns {{isValid: boolean, invalidReason: string|null, payer: string|null, message: string, toJSON(): object}}
   */
  function verifyPayment(value, requirements, now, options) {
    const op = 'x402s_x402_verify';
    const header = textArg(value, op, 'value');
    const req = jsonArg(requirements, op, 'requirements');
    const t = now === undefined || now === null ? Math.floor(Date.now() / 1000) : now;
    if (typeof t !== 'number' && typeof t !== 'bigint') throw typeError(op, 'now', t);
    let opts = null;
    let guard = null;
    if (options !== undefined && options !== null) {
      if (!isPlainObject(options)) throw typeError(op, 'options', options);
      const o = {};
      if (options.facilitatorAddresses !== undefined) {
        if (!Array.isArray(options.facilitatorAddresses)) throw typeError(op, 'facilitatorAddresses', options.facilitatorAddresses);
        o.facilitatorAddresses = options.facilitatorAddresses;
      }
      if (options.solanaFeePayers !== undefined && options.solanaFeePayers !== null) {
        if (!Array.isArray(options.solanaFeePayers)) throw typeError(op, 'solanaFeePayers', options.solanaFeePayers);
        o.solanaFeePayers = options.solanaFeePayers;
      }
      if (Object.keys(o).length) opts = jsonArg(o, op, 'options');
      if (options.replayGuard !== undefined && options.replayGuard !== null) {
        if (!(options.replayGuard instanceof ReplayGuard)) throw typeError(op, 'replayGuard', options.replayGuard);
        if (options.replayGuard.closed) throw libError('X402S_ERR_INVALID_ARGUMENT', op, 'the replay guard was closed');
        guard = options.replayGuard[kGuard];
      }
    }
    const r = JSON.parse(native.x402Verify(header, req, t, opts, guard));
    return {
      isValid: r.isValid,
      invalidReason: r.invalidReason === undefined ? null : r.invalidReason,
      payer: r.payer === undefined ? null : r.payer,
      message: r.isValid ? 'valid' : (r.invalidMessage || ''),
      toJSON() { return { ...r }; },
    };
  }

  // ------------------------------------------------------------------ receipts

  /**
   * Encode a SettleResponse as a PAYMENT-RESPONSE / X-PAYMENT-RESPONSE value.
   * @param {object|string} settle
   * @param {{pythonSpaced?: boolean}} [options] pythonSpaced: x402 2.25.0's json.dumps bytes
   * @returns {string}
   */
  function encodeSettleResponse(settle, options) {
    const op = 'x402s_x402_encode_settle_response';
    const spaced = !!(options && options.pythonSpaced);
    return native.x402EncodeSettleResponse(jsonArg(settle, op, 'settle'), spaced ? JSON_PYTHON_SPACED : JSON_COMPACT);
  }

  /**
   * Decode a PAYMENT-RESPONSE / X-PAYMENT-RESPONSE value.
   * @param {string|Uint8Array} value
   * @returns {object}
   */
  function decodeSettleResponse(value) {
    return JSON.parse(native.x402DecodeSettleResponse(textArg(value, 'x402s_x402_decode_settle_response', 'value')));
  }

  // ------------------------------------------------------------------ Solana helpers

  function seedsArg(seeds, op) {
    if (!Array.isArray(seeds)) throw typeError(op, 'seeds', seeds);
    return JSON.stringify(seeds.map((s) => {
      if (typeof s === 'string') return s;
      if (s instanceof Uint8Array) return '0x' + Buffer.from(s.buffer, s.byteOffset, s.byteLength).toString('hex');
      throw typeError(op, 'seed', s);
    }));
  }

  function solanaKeypair(kp, op, what) {
    if (!(kp instanceof SolanaKeypair)) throw typeError(op, what, kp);
    return secretOf(kp);
  }

  const solana = Object.freeze({
    TOKEN_PROGRAM,
    TOKEN_2022_PROGRAM,
    ASSOCIATED_TOKEN_PROGRAM,
    /** Whether 32 bytes decompress to an Ed25519 point (other lengths: false). */
    isOnCurve(bytes) {
      return native.solanaIsOnCurve(bytes);
    },
    /** The 32 bytes of a base58 public key. */
    publicKeyBytes(address) {
      return native.solanaPublicKeyDecode(stringArg(address, 'x402s_solana_public_key_decode', 'address'));
    },
    /** Solana's create_program_address (seeds: Uint8Array or "0x" hex). */
    createProgramAddress(seeds, programId) {
      const op = 'x402s_solana_create_program_address';
      return native.solanaCreateProgramAddress(seedsArg(seeds, op), stringArg(programId, op, 'programId'));
    },
    /** Solana's find_program_address: {address, bump}. */
    findProgramAddress(seeds, programId) {
      const op = 'x402s_solana_find_program_address';
      return JSON.parse(native.solanaFindProgramAddress(seedsArg(seeds, op), stringArg(programId, op, 'programId')));
    },
    /** The associated token account of owner for mint (token program default: Token). */
    associatedTokenAddress(owner, mint, tokenProgram) {
      const op = 'x402s_solana_associated_token_address';
      return native.solanaAssociatedTokenAddress(stringArg(owner, op, 'owner'), stringArg(mint, op, 'mint'),
        tokenProgram === undefined || tokenProgram === null ? null : stringArg(tokenProgram, op, 'tokenProgram'));
    },
    /** Compile instructions into a v0 message: {messageHex, accountKeys, header}. */
    compileMessageV0(payer, instructions, recentBlockhash) {
      const op = 'x402s_solana_compile_message_v0';
      if (!Array.isArray(instructions)) throw typeError(op, 'instructions', instructions);
      return JSON.parse(native.solanaCompileMessageV0(jsonArg({
        payer: stringArg(payer, op, 'payer'), recentBlockhash: stringArg(recentBlockhash, op, 'recentBlockhash'),
        instructions,
      }, op, 'request')));
    },
    /** The JSON view of a serialized transaction. */
    decodeTransaction(tx) {
      return JSON.parse(native.solanaDecodeTransaction(tx));
    },
    /** Throws X402S_ERR_SOLANA_INVALID_TRANSACTION unless the transaction sanitizes. */
    sanitizeTransaction(tx) {
      native.solanaSanitizeTransaction(tx);
    },
    /** Co-sign into the keypair's signer slot (a facilitator as fee payer). */
    signTransaction(tx, keypair) {
      return native.solanaSignTransaction(tx, solanaKeypair(keypair, 'x402s_solana_sign_transaction', 'keypair'));
    },
    /** The buyer's partially signed x402 exact transaction from raw parameters. */
    exactBuild(signer, p) {
      const op = 'x402s_solana_exact_build';
      const key = solanaKeypair(signer, op, 'signer');
      if (!isPlainObject(p)) throw typeError(op, 'parameters', p);
      const req = {
        feePayer: stringArg(p.feePayer, op, 'feePayer'), payTo: stringArg(p.payTo, op, 'payTo'),
        mint: stringArg(p.mint, op, 'mint'), decimals: uintArg(p.decimals, op, 'decimals', 255),
      };
      if (typeof p.amount === 'bigint' || typeof p.amount === 'number') req.amount = String(p.amount);
      else req.amount = stringArg(p.amount, op, 'amount');
      req.recentBlockhash = hexArg(p.recentBlockhash, op, 'recentBlockhash');
      if (p.tokenProgram !== undefined && p.tokenProgram !== null) req.tokenProgram = stringArg(p.tokenProgram, op, 'tokenProgram');
      if (p.memo !== undefined && p.memo !== null) req.memo = stringArg(p.memo, op, 'memo');
      if (p.memoNonce !== undefined && p.memoNonce !== null) req.memoNonce = hexArg(p.memoNonce, op, 'memoNonce');
      return native.solanaExactBuild(JSON.stringify(req), key);
    },
    /** Verify an x402 exact transaction against raw requirement fields. */
    exactVerify(transactionBase64, p) {
      const op = 'x402s_solana_exact_verify';
      if (!isPlainObject(p)) throw typeError(op, 'parameters', p);
      const req = {
        transactionBase64: stringArg(transactionBase64, op, 'transactionBase64'), network: stringArg(p.network, op, 'network'),
        asset: stringArg(p.asset, op, 'asset'), payTo: stringArg(p.payTo, op, 'payTo'),
        amount: typeof p.amount === 'string' ? p.amount : String(uintArg(p.amount, op, 'amount', Number.MAX_SAFE_INTEGER)),
      };
      if (p.feePayer !== undefined && p.feePayer !== null) req.feePayer = stringArg(p.feePayer, op, 'feePayer');
      if (p.memo !== undefined && p.memo !== null) req.memo = stringArg(p.memo, op, 'memo');
      if (p.decimals !== undefined && p.decimals !== null) req.decimals = uintArg(p.decimals, op, 'decimals', 255);
      if (p.facilitatorSigners !== undefined && p.facilitatorSigners !== null) req.facilitatorSigners = p.facilitatorSigners;
      const r = JSON.parse(native.solanaExactVerify(jsonArg(req, op, 'request')));
      return {
        isValid: r.isValid, reason: r.reason === undefined ? null : r.reason, payer: r.payer === undefined ? null : r.payer,
        messageHashBase64: r.messageHashBase64 === undefined ? null : r.messageHashBase64, message: r.message,
      };
    },
  });

  return {
    VALID_BEFORE_GRACE_SECONDS,
    networks,
    network,
    priceToAtomic,
    priceToAtomicUnits,
    paymentRequiredResponse,
    parsePaymentRequired,
    selectRequirement,
    selectRequirementIndex,
    createPaymentHeader,
    createPayment,
    decodePaymentHeader,
    verifyPayment,
    ReplayGuard,
    encodeSettleResponse,
    decodeSettleResponse,
    solana,
  };
};
