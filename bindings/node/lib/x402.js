'use strict';
/**
 * The x402 payment protocol (v1 and v2; EVM exact/upto and Solana exact) over the core, in
 * camelCase: the Node twin of the Python module x402secure.x402.
 *
 * Every function takes and returns the wire-format JSON objects of x402 (camelCase keys) as
 * plain objects; JSON text (a string or UTF-8 Uint8Array) is accepted wherever an object is.
 * Library failures throw X402SError (code = status name); a JavaScript value of the wrong
 * type throws a TypeError with the same code/status/operation properties. A well-formed
 * payment that fails a check is not an error: verifyPayment returns {isValid: false, ...}.
 *
 * Loaded by index.js (which re-exports it) and by lib/middleware.js; the addon, the error
 * class and the key classes come from index.js through lib/internal.js.
 */

const internal = require('./internal');

if (internal.native === undefined) require('..'); // loaded on its own: initialise index.js first
const { native, EvmAccount, SolanaKeypair } = internal;
const { libError, statusError, typeError, wellFormed, stringify, text: textArg } = internal;


const JSON_STYLES = { compact: 0, pythonSpaced: 1 };
const CREATE_HEADER_ONLY = 1;
/** Seconds of slack required before validBefore / deadline (x402 2.25.0). */
const VALID_BEFORE_GRACE_SECONDS = 6;

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
  if (isPlainObject(value) || Array.isArray(value)) return stringify(value, operation, what);
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
 * @returns {{asset: object, amount: string}}
 */
function priceToAtomic(price, networkId, asset) {
  const op = 'x402s_x402_price_to_atomic';
  const out = JSON.parse(native.x402PriceToAtomic(textArg(price, op, 'price'), textArg(networkId, op, 'network'),
    asset === undefined || asset === null ? null : textArg(asset, op, 'asset')));
  return { asset: out.asset, amount: out.amount };
}

/**
 * A price in atomic units of a token with `decimals` decimals (0-77).
 * @param {string} price
 * @param {number} decimals
 * @returns {string}
 */
function priceToAtomicUnits(price, decimals) {
  const op = 'x402s_x402_price_to_atomic_units';
  return native.priceToAtomicUnits(textArg(price, op, 'price'), uintArg(decimals, op, 'decimals', 0xffffffff));
}

// ------------------------------------------------------------------ sellers

const V1_PREFIX = '{"x402Version":1,"paymentRequired":';

/**
 * The seller's 402 answer.
 *
 * paymentRequiredResponse(offers, {resource?, version?, error?, extensions?}), or with the
 * core's request document paymentRequiredResponse({x402Version?, offers, resource, error?, extensions?}).
 * offers: [{network, payTo, price | amount, scheme?, asset?, maxTimeoutSeconds?, extra?}].
 * @returns {{status: 402, headers: object, body: Buffer, paymentRequired: object, x402Version: number, header?: string, accepts: object[]}}
 *   headers: Content-Type, Cache-Control: no-store and (v2) PAYMENT-REQUIRED; body: "{}" (v2) or the
 *   v1 JSON body; header: the PAYMENT-REQUIRED value (v2 only).
 */
function paymentRequiredResponse(offers, options) {
  const op = 'x402s_x402_payment_required';
  let request;
  if (Array.isArray(offers)) {
    const o = options === undefined || options === null ? {} : options;
    if (!isPlainObject(o)) throw typeError(op, 'options', options);
    request = { x402Version: o.version === undefined ? 2 : uintArg(o.version, op, 'version', 255), offers };
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
    request = JSON.stringify(request);
  } else {
    request = jsonArg(offers, op, 'offers'); // the request document
  }
  const raw = native.x402PaymentRequired(request);
  const out = JSON.parse(raw);
  const answer = {
    status: 402,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    body: null,
    paymentRequired: out.paymentRequired,
    x402Version: out.x402Version,
  };
  if (out.x402Version === 1) {
    // the core's own compact bytes of the 402 document (x402 2.25.0's model dump)
    answer.body = Buffer.from(raw.startsWith(V1_PREFIX) && raw.endsWith('}') ? raw.slice(V1_PREFIX.length, -1)
      : JSON.stringify(out.paymentRequired), 'utf8');
  } else {
    answer.headers['PAYMENT-REQUIRED'] = out.header;
    answer.header = out.header;
    answer.body = Buffer.from('{}');
  }
  Object.defineProperty(answer, 'accepts', { enumerable: false, get() { return this.paymentRequired.accepts; } });
  return answer;
}

// ------------------------------------------------------------------ buyers

function findHeader(headers, lower, op) {
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
 * Parse a 402 answer: the PAYMENT-REQUIRED header when present (v2), else a v1 body.
 * headers: the response headers (plain object, Map or fetch Headers; looked up
 * case-insensitively) or the PAYMENT-REQUIRED value itself (string).
 * @param {object|Map|Headers|string|null} [headers]
 * @param {string|Uint8Array|object|null} [body]
 * @returns {object}
 */
function parsePaymentRequired(headers, body) {
  const op = 'x402s_x402_parse_payment_required';
  let h = null;
  if (typeof headers === 'string' || headers instanceof Uint8Array) h = textArg(headers, op, 'header');
  else if (headers !== undefined && headers !== null) {
    h = findHeader(headers, 'payment-required', op);
    if (h !== null) h = wellFormed(h, op, 'header');
  }
  let b = body === undefined || body === null ? null : jsonArg(body, op, 'body');
  if (b !== null && b.length === 0) b = null;
  if (h === null && b === null) throw typeError(op, 'header and body', null);
  return JSON.parse(native.x402ParsePaymentRequired(h, b));
}

function selectRaw(paymentRequired, policy) {
  const op = 'x402s_x402_select_requirement';
  return JSON.parse(native.x402SelectRequirement(jsonArg(paymentRequired, op, 'paymentRequired'),
    jsonArg(policy, op, 'policy', true)));
}

/**
 * The requirement of a 402 answer the buyer's policy allows (default: table assets, at most $1).
 * @param {object|string} paymentRequired
 * @param {object} [policy] {networks, assets, allowUnknownAssets, maxAmount, maxPrice, schemes, preferredNetworks}
 * @returns {object} the chosen requirement
 */
function selectRequirement(paymentRequired, policy) {
  return selectRaw(paymentRequired, policy).requirement;
}

/** The index in `accepts` of the requirement selectRequirement chooses. */
function selectRequirementIndex(paymentRequired, policy) {
  return selectRaw(paymentRequired, policy).index;
}

// The account's prepared x402s_signer (index.js keeps one per account, shared with
// EvmAccount.signTypedData; freed at close() or when the account is collected).
function signerOf(signer, op) {
  if (!(signer instanceof EvmAccount) && !(signer instanceof SolanaKeypair)) throw typeError(op, 'signer', signer);
  return internal.signerOf(signer); // X402S_ERR_INVALID_KEY (x402s_signer_new) once closed
}

function paymentOptions(op, o) {
  if (o === undefined || o === null) return null;
  if (typeof o === 'string' || o instanceof Uint8Array) return textArg(o, op, 'options'); // JSON text
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
  return jsonArg(value, op, 'request');
}

function createRaw(request, signer, policy, options, flags) {
  const op = 'x402s_x402_create_payment_with_signer';
  const req = requestArg(request, op);
  const s = signerOf(signer, op);
  return native.x402CreatePaymentWithSigner(req, s, jsonArg(policy, op, 'policy', true), paymentOptions(op, options), flags);
}

/**
 * Pay: build, sign and encode the payment header.
 * @param {object|string} request a 402 answer (dict with accepts: chosen by policy; resource and
 *   extensions carried over), one requirement (v1 or v2), JSON text, or a PAYMENT-REQUIRED value
 * @param {EvmAccount|SolanaKeypair} signer
 * @param {object|null} [policy]
 * @param {{now?: number, nonce?: Uint8Array|string, memoNonce?: Uint8Array|string, recentBlockhash?: Uint8Array|string, mintDecimals?: number, tokenProgram?: 'token'|'token2022'}} [options]
 *   injected time and randomness (defaults: clock and CSPRNG), Solana mint metadata
 * @returns {[string, string]} [headerName, headerValue]
 */
function createPaymentHeader(request, signer, policy, options) {
  const out = JSON.parse(createRaw(request, signer, policy, options, CREATE_HEADER_ONLY));
  return [out.headerName, out.headerValue];
}

/**
 * As createPaymentHeader, with the decoded payment payload.
 * @returns {{headerName: string, headerValue: string, payment: object}}
 */
function createPayment(request, signer, policy, options) {
  const out = JSON.parse(createRaw(request, signer, policy, options, 0));
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

/** The output text of an async call ([status, out, message] from x402s_node_async.c), or its error. */
function asyncOut([status, out, message], operation, verdict) {
  if (status === 0 || (verdict !== undefined && status === verdict)) return out;
  throw statusError(status, operation, message);
}

/**
 * decodePaymentHeader on the libuv thread pool: the same result (or error, as a rejection).
 * The value is copied before this returns.
 * @param {string|Uint8Array} value
 * @returns {Promise<object>}
 */
async function decodePaymentHeaderAsync(value) {
  const op = 'x402s_x402_decode_payment';
  return JSON.parse(asyncOut(await native.x402DecodePaymentAsync(textArg(value, op, 'value')), op));
}

const kGuard = Symbol('guard');

/**
 * A bounded, thread-safe cache of accepted authorizations with expiry: a second use of the
 * same payment is invalid (duplicate_payment).
 *
 * close() may be called at any time, also while verifyPaymentAsync() calls using the guard
 * are pending: those complete normally (the guard is kept alive for them, and freed when the
 * last completes); calls made after close() throw (or reject with) X402SError
 * X402S_ERR_HANDLE_CLOSED. The garbage collector frees a guard nothing uses any more.
 */
class ReplayGuard {
  /** @param {number} [capacity] most entries (0: the core's default, 100,000) */
  constructor(capacity = 0) {
    const op = 'x402s_replay_guard_new';
    if (typeof capacity !== 'number' || !Number.isInteger(capacity)) throw typeError(op, 'capacity', capacity);
    if (capacity < 0) throw libError('X402S_ERR_INVALID_ARGUMENT', op, 'capacity must not be negative');
    this[kGuard] = native.replayGuardNew(capacity);
    this._closed = false;
  }

  /** Free the guard: now, or when the last pending verification using it completes (idempotent). */
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

  [Symbol.for('nodejs.dispose')]() {
    this.close();
  }
}

function guardOf(g, op) {
  if (g === undefined || g === null) return null;
  if (!(g instanceof ReplayGuard)) throw typeError(op, 'replayGuard', g);
  if (g.closed) throw libError('X402S_ERR_HANDLE_CLOSED', op, 'the replay guard was closed');
  return g[kGuard];
}

function verifyOptions(options, op) {
  if (options === undefined || options === null) return [null, null];
  if (typeof options === 'string' || options instanceof Uint8Array) return [textArg(options, op, 'options'), null];
  if (!isPlainObject(options)) throw typeError(op, 'options', options);
  const o = {};
  if (options.facilitatorAddresses !== undefined && options.facilitatorAddresses !== null) {
    if (!Array.isArray(options.facilitatorAddresses)) throw typeError(op, 'facilitatorAddresses', options.facilitatorAddresses);
    o.facilitatorAddresses = options.facilitatorAddresses;
  }
  if (options.solanaFeePayers !== undefined && options.solanaFeePayers !== null) {
    if (!Array.isArray(options.solanaFeePayers)) throw typeError(op, 'solanaFeePayers', options.solanaFeePayers);
    o.solanaFeePayers = options.solanaFeePayers;
  }
  return [Object.keys(o).length ? JSON.stringify(o) : null, guardOf(options.replayGuard, op)];
}

/**
 * Offline verification of a payment header against the seller's requirement: every check of
 * x402 2.25.0's facilitator that needs no chain access, plus the stricter rules of docs/VERIFY.md.
 * @param {string|Uint8Array} value the header value
 * @param {object|string} requirements the seller's requirement (v1 or v2)
 * @param {number|bigint} [now] Unix seconds (default: the clock)
 * @param {{facilitatorAddresses?: string[], solanaFeePayers?: string[], replayGuard?: ReplayGuard}} [options]
 * @param {ReplayGuard} [guard] the replay guard, also accepted here
 * @returns {{isValid: boolean, invalidReason?: string, invalidMessage?: string, payer?: string, message: string, toJSON(): object}}
 *   the wire VerifyResponse plus a human `message` ("valid" when valid)
 */
function verifyPayment(value, requirements, now, options, guard) {
  const [, json] = native.x402Verify(...verifyArgs(value, requirements, now, options, guard));
  return verifyResult(json);
}

/** The addon's arguments of x402Verify / x402VerifyAsync: [header, requirements, now, options, guard]. */
function verifyArgs(value, requirements, now, options, guard) {
  const op = 'x402s_x402_verify';
  const header = textArg(value, op, 'value');
  const req = jsonArg(requirements, op, 'requirements');
  const t = now === undefined || now === null ? Math.floor(Date.now() / 1000) : now;
  if (typeof t !== 'number' && typeof t !== 'bigint') throw typeError(op, 'now', t);
  const [opts, g1] = verifyOptions(options, op);
  const g = g1 !== null ? g1 : guardOf(guard, op);
  return [header, req, t, opts, g];
}

function verifyResult(json) {
  const r = JSON.parse(json);
  const result = { ...r, message: r.isValid ? 'valid' : (r.invalidMessage || '') };
  Object.defineProperty(result, 'toJSON', { enumerable: false, value: () => ({ ...r }) });
  return result;
}

const S_PAYMENT_INVALID = internal.STATUS.X402S_ERR_X402_PAYMENT_INVALID;

/**
 * verifyPayment on the libuv thread pool, so the event loop never waits on it: the same
 * arguments, the same result (byte-identical JSON) or error (as a rejection). The inputs are
 * copied before this returns (they may change at once); the replay guard is kept alive until
 * the verification completes, even if it is closed meanwhile.
 * @returns {Promise<{isValid: boolean, invalidReason?: string, invalidMessage?: string, payer?: string, message: string, toJSON(): object}>}
 */
async function verifyPaymentAsync(value, requirements, now, options, guard) {
  const r = await native.x402VerifyAsync(...verifyArgs(value, requirements, now, options, guard));
  return verifyResult(asyncOut(r, 'x402s_x402_verify', S_PAYMENT_INVALID));
}

// ------------------------------------------------------------------ receipts

/**
 * Encode a SettleResponse as a PAYMENT-RESPONSE / X-PAYMENT-RESPONSE value.
 * @param {object|string} settle
 * @param {{pythonSpaced?: boolean}|'compact'|'pythonSpaced'} [style] pythonSpaced: x402 2.25.0's json.dumps bytes
 * @returns {string}
 */
function encodeSettleResponse(settle, style) {
  const op = 'x402s_x402_encode_settle_response';
  let name = 'compact';
  if (typeof style === 'string') name = style;
  else if (style !== undefined && style !== null) {
    if (!isPlainObject(style)) throw typeError(op, 'style', style);
    if (style.pythonSpaced) name = 'pythonSpaced';
  }
  if (!Object.prototype.hasOwnProperty.call(JSON_STYLES, name)) {
    throw libError('X402S_ERR_INVALID_ARGUMENT', op, "style must be 'compact' or 'pythonSpaced'");
  }
  return native.x402EncodeSettleResponse(jsonArg(settle, op, 'settle'), JSON_STYLES[name]);
}

/**
 * Decode a PAYMENT-RESPONSE / X-PAYMENT-RESPONSE value.
 * @param {string|Uint8Array} value
 * @returns {object}
 */
function decodeSettleResponse(value) {
  return JSON.parse(native.x402DecodeSettleResponse(textArg(value, 'x402s_x402_decode_settle_response', 'value')));
}

/** The address a prepared signer pays from (EVM checksummed / Solana base58), from the core. */
function signerAddress(signer) {
  return native.x402SignerAddress(signerOf(signer, 'x402s_signer_address'));
}

module.exports = {
  VALID_BEFORE_GRACE_SECONDS,
  networks,
  network,
  networkLookup: network,
  priceToAtomic,
  priceToAtomicUnits,
  paymentRequiredResponse,
  parsePaymentRequired,
  selectRequirement,
  selectRequirementIndex,
  createPaymentHeader,
  createPayment,
  decodePaymentHeader,
  decodePaymentHeaderAsync,
  verifyPayment,
  verifyPaymentAsync,
  ReplayGuard,
  encodeSettleResponse,
  decodeSettleResponse,
  signerAddress,
};
